"""Search bench: a corpus recombined from the real texts in ../shared/data, on SQLite and PostgreSQL.

Prints index build rate, index size, p50/p95 latency of ranked top-10 queries (and of the full
results page with count and facets), and recall against substring truth for dictionary words and
two-character words.

    .venv/bin/python bench/search_bench.py --docs 100000            # both backends
    .venv/bin/python bench/search_bench.py --docs 5000 --backend sqlite   # SQLite's FTS5 tables
    .venv/bin/python bench/search_bench.py --docs 10000 --backend tantivy  # SQLite + the tantivy index (default)
    .venv/bin/python bench/search_bench.py --docs 100000 --backend sqlite --workdir /tmp/sb  # kept, reused
    .venv/bin/python bench/search_bench.py --docs 100000 --replicate 10 --backend postgres --workdir /tmp/pb \
        --pg-database gongkai_bench_mine  # the PostgreSQL database kept, reused by the next run
    GONGKAI_SHARED_DATA=/path/to/data .venv/bin/python bench/search_bench.py

Skips cleanly (exit 0) when the data folder is absent. PostgreSQL: 127.0.0.1:5432, user postgres
(PGHOST/PGPORT/PGUSER), database `gongkai_bench_search` (dropped and re-created).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path(os.environ.get("GONGKAI_SHARED_DATA", ROOT.parent / "shared" / "data"))
PG_DB = "gongkai_bench_search"

# substring-truth probes: dictionary words and two-character words, rare to very common
RECALL_PROBES = ["托育", "养老", "政务公开", "规范性文件", "营商环境", "纳税信用", "信息公开", "国务院", "外汇",
                 "补偿", "安全生产", "人民政府", "管理", "公开", "税务", "征收", "登记", "护士", "导游", "节能"]  # fmt: skip
QUERIES = [
    "管理", "规定", "国务院", "人民政府 管理", "公开", "政务公开", "托育", "养老", "营商环境", "纳税信用",
    "导游", "护士 执业", "畜禽 污染", "契税", "外汇 申报", '"安全生产"', '"人民政府"', '"政府信息公开"',
    "征收 补偿", "节能 OR 排污", "管理 -税务", "个人所得税", "规范性文件", "2019",
]  # fmt: skip


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[。！？；\n])", text)
    return [p.strip() for p in parts if len(p.strip()) >= 6]


def load_sources(data: Path) -> tuple[list[list[str]], list[dict]]:
    texts: list[str] = []
    for line in (data / "laws" / "sample.jsonl").read_text(encoding="utf-8").splitlines():
        texts.append(json.loads(line)["text"])
    fulltext = data / "policy-fulltext" / "sample.jsonl"
    if fulltext.exists():
        texts += [
            json.loads(line).get("Body", "") for line in fulltext.read_text(encoding="utf-8").splitlines()
        ]
    for extra in [data / "govdoc-cn" / "397.txt", *sorted((data / "annual-reports").glob("*.txt"))]:
        if extra.exists():
            texts.append(extra.read_text(encoding="utf-8", errors="replace"))
    sources = [s for s in (_sentences(t) for t in texts) if len(s) >= 10]
    metadata = [
        json.loads(line)
        for line in (data / "policy-metadata" / "sample.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    return sources, metadata


def make_document(i: int, seed: int, sources: list[list[str]], metadata: list[dict]) -> dict:
    """Document i of the corpus: deterministic from (seed, i), so it can be regenerated, not stored."""
    rng = random.Random(seed * 1_000_003 + i)
    target = int(min(12000, max(300, rng.lognormvariate(7.6, 0.6))))  # median ~2,000 characters
    body: list[str] = []
    size = 0
    while size < target:
        source = rng.choice(sources)
        start = rng.randrange(len(source))
        for sentence in source[start : start + rng.randint(3, 12)]:
            if size >= target:
                break
            body.append(sentence[:400])
            size += len(sentence[:400])
    meta = rng.choice(metadata)
    title = meta["title"] if rng.random() < 0.5 else (body[0][:30].rstrip("。；") + "的通知")
    doc_number = ""
    if rng.random() < 0.4:
        code = re.match(r"^[\u4e00-\u9fff]+", meta.get("doc_number") or "") or None
        doc_number = f"{code.group(0) if code else '静府办发'}〔{rng.randint(2000, 2024)}〕{i}号"
    published = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000))
    return {
        "title": title[:300],
        "doc_number": doc_number,
        "body": "\n".join(body),
        "published_date": published,
    }


def corpus_document(i: int, args: argparse.Namespace, sources: list[list[str]], metadata: list[dict]) -> dict:
    """Document i; with --replicate K the corpus is docs/K distinct texts, each K times (new dates).

    Replication builds a large index K times faster (each text is segmented once): posting lists
    are as long as in a real corpus of that size, but rare words are K times less rare.
    """
    distinct = args.docs // args.replicate if args.replicate > 1 else args.docs
    doc = dict(make_document(i % distinct, args.seed, sources, metadata))
    if i >= distinct:
        doc["doc_number"] = ""  # 文号 stay unique (the lookups open one document)
        doc["published_date"] = dt.date(2000, 1, 1) + dt.timedelta(days=(i * 7919) % 9000)
    return doc


def _children_cpu() -> float:
    """CPU seconds of finished and running worker processes of this process (the build's pool)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def run_backend(args: argparse.Namespace) -> dict:
    """Runs in a child process whose environment selects the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.conf.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from gongkai.accounts.models import Organisation
    from gongkai.documents.constants import DisclosureMode, DocumentStatus
    from gongkai.documents.models import Document, DocumentIssuer
    from gongkai.search import build, segmenter, selectors
    from gongkai.search.backends import EntryData, get_backend
    from gongkai.search.backends.base import rank_window
    from gongkai.search.query import plain_text, stored_title_key
    from gongkai.search.services import FIELD_SEPARATOR, rebuild_index

    call_command("migrate", verbosity=0)
    backend = get_backend()
    load_before = os.getloadavg()
    sources, metadata = load_sources(Path(args.data))
    org, _ = Organisation.objects.get_or_create(
        code="bench", defaults={"name": "上海市静安区人民政府办公室", "organ_code": "静府办"}
    )
    truth: dict[str, set[int]] = {word: set() for word in RECALL_PROBES}
    numbers: list[tuple[str, int]] = []

    # documents (not timed as index build); --workdir keeps the database for another run (SQLite)
    started = time.perf_counter()
    batch = 2000
    ids: list[int] = []
    # PostgreSQL keeps its database only with --workdir (`spawn`); both reuse a corpus of this size
    reuse = Document.objects.filter(index_number__startswith="BENCH/").count() == args.docs
    if reuse and backend.uses_sql:  # an interrupted build left documents without entries: rebuild
        from gongkai.search.models import SearchEntry

        reuse = SearchEntry.objects.count() == args.docs
    if not reuse:  # a kept database of another size: start from no bench documents
        backend.clear()
        Document.objects.filter(index_number__startswith="BENCH/").delete()
    if reuse:
        ids = list(
            Document.objects.filter(index_number__startswith="BENCH/")
            .order_by("index_number")
            .values_list("pk", flat=True)
        )
    for start in range(0, 0 if reuse else args.docs, batch):
        rows = []
        for i in range(start, min(args.docs, start + batch)):
            doc = corpus_document(i, args, sources, metadata)
            rows.append(Document(index_number=f"BENCH/{i:07d}", title=doc["title"], doc_number=doc["doc_number"],
                                 organisation=org, published_date=doc["published_date"], body_text=doc["body"] if args.reindex else "",
                                 status=DocumentStatus.PUBLISHED, disclosure_mode=DisclosureMode.PROACTIVE))  # fmt: skip
        with transaction.atomic():
            created = [d.pk for d in Document.objects.bulk_create(rows)]
            if args.reindex:  # `rebuild_index` indexes the issuers from the links, as the truth has them
                DocumentIssuer.objects.bulk_create(
                    [DocumentIssuer(document_id=pk, organisation=org) for pk in created]
                )
            ids += created
    docs_seconds = time.perf_counter() - started

    # the tantivy index lives in the work directory: reused only when it holds this corpus
    if reuse and not backend.uses_sql and len(backend.indexed_document_ids()) != args.docs:
        reuse = False
    # --reindex: the loop below only records the truth; `rebuild_index` is timed after it
    truth_only = reuse or args.reindex
    # the index, oldest publication first (as `gongkai reindex` does); timed
    order = sorted(
        range(args.docs), key=lambda i: (corpus_document(i, args, sources, metadata)["published_date"], i)
    )
    segmenter.index_tokens("预热")
    distinct = args.docs // args.replicate if args.replicate > 1 else args.docs
    cached: dict[int, dict[str, list[str]]] = {}  # --replicate: each text segmented once, kept joined
    total_chars = 0
    processes = args.build_processes or build.build_processes(args.docs)

    def batches() -> Any:
        """(docs, texts to segment): a text is sent to the workers once (--replicate)."""
        submitted: set[int] = set()
        for start in range(0, len(order), 500):
            docs, texts = [], []
            for i in order[start : start + 500]:
                doc = corpus_document(i, args, sources, metadata)
                slot = None
                if not truth_only and (args.replicate <= 1 or i % distinct not in submitted):
                    submitted.add(i % distinct)
                    slot = len(texts)
                    texts.append({"title": doc["title"], "doc_number": "", "issuers": org.name, "tags": "",
                                  "body": doc["body"]})  # fmt: skip
                docs.append((i, doc, slot))
            yield docs, texts

    started = time.perf_counter()
    cpu_started = time.process_time()
    children_cpu = _children_cpu()
    done = 0
    with build.workers(1 if truth_only else processes) as pool:
        bulk = backend.bulk()
        bulk.__enter__()
        for docs, segmented in build.segmented_batches(batches(), pool, backend.layout):
            entries = []
            for i, doc, slot in docs:
                total_chars += len(doc["body"])
                parts = (doc["title"], doc["doc_number"], org.name, "", doc["body"])
                plain = FIELD_SEPARATOR.join(plain_text(t) for t in parts)
                for word in RECALL_PROBES:  # the truth for recall (bench bookkeeping, timed)
                    if word in plain:
                        truth[word].add(ids[i])
                if doc["doc_number"] and len(numbers) < 8 and i % 997 == 0:
                    numbers.append((doc["doc_number"], ids[i]))
                if truth_only:  # only the truth for recall and the 文号 to look up
                    continue
                if slot is not None:
                    fields = segmented[slot][0]
                    if args.replicate > 1:
                        cached[i % distinct] = fields
                else:
                    fields = cached[i % distinct]
                number = segmenter.index_tokens(doc["doc_number"])
                fields = {**fields, "doc_number": [" ".join(number)] if number else []}
                facets = {"year": doc["published_date"].year, "doc_type": Document._meta.get_field("doc_type").default,
                          "validity": Document._meta.get_field("validity").default, "normative": 0, "theme": 0,
                          "issuer": [], "tags": []}  # fmt: skip
                entries.append(EntryData(ids[i], doc["published_date"], fields, plain,
                                         title_key=stored_title_key(doc["title"]), facets=facets))  # fmt: skip
            if entries:
                backend.write(entries)
            done += len(docs)
            if args.progress and done % 10000 < len(docs):
                print(f"  indexed {done}/{args.docs}", file=sys.stderr, flush=True)
        bulk.__exit__(None, None, None)
    index_seconds = time.perf_counter() - started  # the workers have exited: their CPU is counted
    index_cpu = time.process_time() - cpu_started + _children_cpu() - children_cpu
    if args.reindex and not reuse:  # the product's path: documents read through the ORM, segmented, written
        started, cpu_started, children_cpu = time.perf_counter(), time.process_time(), _children_cpu()
        rebuild_index(processes=processes)
        index_seconds = time.perf_counter() - started
        index_cpu = time.process_time() - cpu_started + _children_cpu() - children_cpu
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    elif not reuse:
        with connection.cursor() as cursor:
            if backend.uses_sql:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    if not backend.uses_sql:  # the tantivy run's documents were not analysed before this fix
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # latency: ranked top-10, the call the page makes (published-only restriction included)
    queries = QUERIES + [raw.replace("〔", "[").replace("〕", "]") for raw, _pk in numbers[:4]]
    restrict = selectors._restrict(selectors.public_documents())
    timings: list[float] = []
    cpu_timings: list[float] = []
    per_query: dict[str, float] = {}
    for text in queries:
        parsed = selectors.parse_query(text)
        selectors.document_number_match(parsed)
        backend.search(parsed, restrict=restrict, limit=10)  # warm
        samples = []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            parsed = selectors.parse_query(text)
            if selectors.document_number_match(parsed) is None:
                backend.search(parsed, restrict=restrict, limit=10)
            samples.append((time.perf_counter() - t0) * 1000)
            cpu_timings.append((time.process_time() - c0) * 1000)
        timings += samples
        per_query[text] = statistics.median(samples)
    # the results page: total, facets and the ranked top-10, over the whole mixed query set
    t0 = time.perf_counter()
    selectors.search("预热")  # the first page after a write rebuilds the per-process facet table
    first_page_ms = (time.perf_counter() - t0) * 1000
    page_timings: list[float] = []
    page_cpu: list[float] = []
    page_per_query: dict[str, float] = {}
    for text in queries:
        samples = []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            selectors.search(text)
            samples.append((time.perf_counter() - t0) * 1000)
            page_cpu.append((time.process_time() - c0) * 1000)
        page_timings += samples
        page_per_query[text] = round(statistics.median(samples), 1)
    numbers_ok = sum(
        1 for raw, pk in numbers[:4]
        if (m := selectors.document_number_match(selectors.parse_query(raw.replace("〔", "[").replace("〕", "]")))) and m.pk == pk
    )  # fmt: skip

    # recall against substring truth (every match, not only the top 10)
    recall = {}
    for word in RECALL_PROBES:
        found = set(backend.match_document_ids(selectors.parse_query(word)).tolist())
        recall[word] = (len(found & truth[word]) / len(truth[word]) if truth[word] else 1.0, len(truth[word]))
    facet_paths = compare_facet_paths(backend, queries, args.repeat) if not backend.uses_sql else {}
    stale = stale_pages(ids, queries, args.repeat) if not backend.uses_sql else {}
    return {
        "backend": backend.vendor, "load_before": [round(x, 1) for x in load_before],
        "load_after": [round(x, 1) for x in os.getloadavg()], "index_cpu_s": round(index_cpu, 1),
        "top10_cpu_p50_ms": round(percentile(cpu_timings, 50), 1), "top10_cpu_p95_ms": round(percentile(cpu_timings, 95), 1),
        "page_cpu_p50_ms": round(percentile(page_cpu, 50), 1), "page_cpu_p95_ms": round(percentile(page_cpu, 95), 1),
        **facet_paths, **stale, "docs": args.docs, "documents_insert_s": round(docs_seconds, 1),
        "index_build_s": round(index_seconds, 1), "index_docs_per_s": round(args.docs / index_seconds, 1),
        "index_mib": round(backend.size_bytes() / 2**20, 1), "reused_index": reuse,
        "top10_p50_ms": round(percentile(timings, 50), 1), "top10_p95_ms": round(percentile(timings, 95), 1),
        "page_p50_ms": round(percentile(page_timings, 50), 1), "page_p95_ms": round(percentile(page_timings, 95), 1),
        "doc_number_lookups_ok": f"{numbers_ok}/{min(4, len(numbers))}",
        "first_page_ms": round(first_page_ms, 1), "page_per_query_ms": page_per_query,
        "min_recall": min(r for r, _n in recall.values()), "recall": recall, "per_query_ms": per_query,
        "rank_window": rank_window(), "mean_chars": round(total_chars / args.docs),
    }  # fmt: skip


def compare_facet_paths(backend: Any, queries: list[str], repeat: int) -> dict:
    """Total + facets two ways: matching ids counted against the facet table (what the page does),
    and tantivy's own aggregations over its fast fields (stale after a queryset update; measured)."""
    from gongkai.documents.selectors import facet_counts_of_rows, facet_table
    from gongkai.search import selectors
    from gongkai.search.backends.tantivy_index import _open

    aggs = {name: {"terms": {"field": name, "size": 1000}} for name in
            ("year", "doc_type", "validity", "normative", "theme", "issuer", "tags")}  # fmt: skip
    numpy_ms: list[float] = []
    agg_ms: list[float] = []
    for text in queries:
        parsed = selectors.parse_query(text)
        if parsed.is_empty:
            continue
        for _ in range(repeat):
            t0 = time.process_time()
            table = facet_table()
            rows = table.rows_of(backend.match_document_ids(parsed))
            facet_counts_of_rows(table, rows)
            numpy_ms.append((time.process_time() - t0) * 1000)
            t0 = time.process_time()
            index, _schema = _open()
            searcher = index.searcher()
            compiled = backend.compile(parsed)
            searcher.search(compiled, 1, count=True)
            searcher.aggregate(compiled, aggs)
            agg_ms.append((time.process_time() - t0) * 1000)
    return {
        "facets_numpy_cpu_p50_ms": round(percentile(numpy_ms, 50), 1),
        "facets_numpy_cpu_p95_ms": round(percentile(numpy_ms, 95), 1),
        "facets_aggregation_cpu_p50_ms": round(percentile(agg_ms, 50), 1),
        "facets_aggregation_cpu_p95_ms": round(percentile(agg_ms, 95), 1),
    }


def stale_pages(ids: list[int], queries: list[str], repeat: int) -> dict:
    """The page after 1,000 documents changed 有效性 by a queryset update (no signal, no re-index):
    the aggregations leave them out and count them from the facet table. Restored afterwards."""
    from gongkai.documents.constants import Validity
    from gongkai.documents.models import Document
    from gongkai.search import selectors

    changed = ids[:: max(1, len(ids) // 1000)][:1000]
    before = Document.objects.filter(pk__in=changed).values_list("validity", flat=True).first()
    Document.objects.filter(pk__in=changed).update(validity=Validity.REPEALED)
    try:
        c0 = time.process_time()
        repealed = selectors.search("人民政府").facets["validity"]
        first_ms = (time.process_time() - c0) * 1000  # facet table and stale list rebuilt
        cpu: list[float] = []
        for text in queries:
            for _ in range(repeat):
                c0 = time.process_time()
                selectors.search(text)
                cpu.append((time.process_time() - c0) * 1000)
    finally:
        Document.objects.filter(pk__in=changed).update(validity=before)
    return {
        "stale_docs": len(changed), "stale_first_page_cpu_ms": round(first_ms, 1),
        "stale_page_cpu_p50_ms": round(percentile(cpu, 50), 1), "stale_page_cpu_p95_ms": round(percentile(cpu, 95), 1),
        "stale_validity_facet": {item["value"]: item["count"] for item in repealed},
    }  # fmt: skip


def spawn(backend: str, args: argparse.Namespace) -> dict | None:
    env = dict(os.environ)
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="gongkai-search-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env["GONGKAI_DATA_DIR"] = str(workdir)
    if backend == "postgres":
        from benchdb import fresh_postgres_database

        # --workdir: keep the database, so a later run with the same --docs reuses the index
        if (url := fresh_postgres_database(env, args.pg_database, keep=bool(args.workdir))) is None:
            return None
        env["DATABASE_URL"] = url
    else:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    env["GONGKAI_SEARCH_ENGINE"] = {"tantivy": "tantivy", "sqlite": "fts5"}.get(backend, "")
    env["GONGKAI_SEARCH_INDEX_DIR"] = str(workdir / "search-index")
    command = [sys.executable, __file__, "--child", "--docs", str(args.docs), "--seed", str(args.seed),
               "--repeat", str(args.repeat), "--data", str(args.data), "--replicate", str(args.replicate), "--build-processes", str(args.build_processes)] + (["--reindex"] if args.reindex else []) + (["--progress"] if args.progress else [])  # fmt: skip
    output = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    if output.returncode:
        sys.stderr.write(output.stderr[-3000:])
        output.check_returncode()
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000, help="corpus size (default 100000)")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "tantivy", "both"], default="both")
    parser.add_argument("--seed", type=int, default=20230423)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="the shared data folder")
    parser.add_argument("--progress", action="store_true")
    parser.add_argument(
        "--reindex", action="store_true", help="store the texts and time `gongkai reindex` (rebuild_index)"
    )
    parser.add_argument(
        "--build-processes", type=int, default=0, help="segmenting workers (default: one per core)"
    )
    parser.add_argument("--replicate", type=int, default=1, help="K copies of docs/K distinct texts")
    parser.add_argument(
        "--workdir",
        help="keep the SQLite database here (PostgreSQL: keep gongkai_bench_search); a later run with the "
        "same --docs reuses it",
    )
    parser.add_argument("--pg-database", default=PG_DB, help="PostgreSQL database (dropped unless --workdir)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.child:
        print(json.dumps(run_backend(args), ensure_ascii=False, default=str))
        return
    if not (Path(args.data) / "laws" / "sample.jsonl").exists():
        print(f"search bench skipped: no data folder at {args.data}")
        return
    results = []
    for backend in ["sqlite", "postgres"] if args.backend == "both" else [args.backend]:
        print(f"building {args.docs} documents on {backend} …", flush=True)
        result = spawn(backend, args)
        if result:
            results.append(result)
            print(json.dumps(result, ensure_ascii=False))
    print()
    print(f"{'backend':<11}{'docs':>8}{'build docs/s':>14}{'index MiB':>11}{'top10 p50':>11}{'top10 p95':>11}"
          f"{'page p50':>10}{'page p95':>10}{'min recall':>12}{'文号':>6}")  # fmt: skip
    for r in results:
        print(f"{r['backend']:<11}{r['docs']:>8}{r['index_docs_per_s']:>14}{r['index_mib']:>11}{r['top10_p50_ms']:>11}"
              f"{r['top10_p95_ms']:>11}{r['page_p50_ms']:>10}{r['page_p95_ms']:>10}{r['min_recall']:>12}"
              f"{r['doc_number_lookups_ok']:>6}")  # fmt: skip
    print("latencies in ms; top10 = parse + 文号 lookup + ranked top-10; page = + total count and facets")
    for r in results:
        print(f"{r['backend']}: CPU ms per query top10 p50/p95 {r['top10_cpu_p50_ms']}/{r['top10_cpu_p95_ms']}, "
              f"page p50/p95 {r['page_cpu_p50_ms']}/{r['page_cpu_p95_ms']}; build CPU {r['index_cpu_s']} s; "
              f"load average before {r['load_before']} after {r['load_after']}")  # fmt: skip
        if "facets_numpy_cpu_p50_ms" in r:
            print(f"  total + facets CPU p50/p95: ids + facet table {r['facets_numpy_cpu_p50_ms']}/"
                  f"{r['facets_numpy_cpu_p95_ms']} ms, tantivy aggregations {r['facets_aggregation_cpu_p50_ms']}/"
                  f"{r['facets_aggregation_cpu_p95_ms']} ms")  # fmt: skip
        if "stale_docs" in r:
            print(f"  page CPU p50/p95 with {r['stale_docs']} documents changed without re-indexing: "
                  f"{r['stale_page_cpu_p50_ms']}/{r['stale_page_cpu_p95_ms']} ms (first page "
                  f"{r['stale_first_page_cpu_ms']} ms); 有效性 of 人民政府: {r['stale_validity_facet']}")  # fmt: skip


if __name__ == "__main__":
    main()
