"""Search relevance on real documents: does typing a document's title find that document first?

Corpus: the regulations in `../shared/data/laws` and the policy texts in
`../shared/data/policy-fulltext` (or `GONGKAI_SHARED_DATA`), or with `--laws DIR` (or
`GONGKAI_LAWS_DIR`) a checkout of github.com/LawRefBook/Laws (@2f4c5c2, the source of
laws/sample.jsonl): every regulation in it (案例 left out, as in bench/review_false_alarms.py) plus
the policy texts. Documents are created published and indexed through `gongkai.search.services`
(`rebuild_index`, the path `gongkai reindex` takes), then queried through `selectors.search`
(the call the portal page and the API make).

Queries, for every document:
  * full     its full title;
  * short    the title without the 中华人民共和国 prefix (only titles that have it);
  * part     a contiguous two-thirds of the title (start drawn from a seed per document), widened so
             that it never cuts a number or a Latin word in two (nobody types 345 for 12345).

A document counts as found at rank r when the r-th result is it or a document with the same title
(ignoring spaces, punctuation, 《》 and the 中华人民共和国 prefix). A query is *ambiguous* when several
documents bear the title (versions of one regulation, the same title from two issuers) or, for a
part, when several different titles contain it (专利保护条例 is in 河南省专利保护条例 and
浙江省专利保护条例): no ranking can tell from the words alone which one is meant, so these are
reported in their own table and the targets apply to the others. Printed per kind: queries, MRR@10,
share ranked first, share in the top 3, recall (the document is among all matches) and `title`,
the share of queries whose first result's title contains the query. Targets (issue 21): full title
first >= 99%, MRR >= 0.98 for full titles and >= 0.9 for partial titles, recall 1.0 (all queries).

    .venv/bin/python bench/search_relevance.py                      # both backends, shared data
    .venv/bin/python bench/search_relevance.py --laws /tmp/Laws --backend sqlite --show 20

PostgreSQL: 127.0.0.1:5432, user postgres (PGHOST/PGPORT/PGUSER), database
`gongkai_bench_relevance` (dropped and re-created). Skips cleanly when the data is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path(os.environ.get("GONGKAI_SHARED_DATA", ROOT.parent / "shared" / "data"))
DEFAULT_LAWS = os.environ.get("GONGKAI_LAWS_DIR", "")
PG_DB = "gongkai_bench_relevance"
PREFIX = "中华人民共和国"
SKIPPED_FOLDERS = {"案例", "scripts", ".github"}
KINDS = ("full", "short", "part")
GROUPS = ("unique", "ambiguous")  # a title of its own / a title several documents share
TARGETS = {"full": (0.98, 0.99), "short": (0.98, None), "part": (0.9, None)}  # (MRR, share first)
_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)$")
_NOT_WORD = re.compile(r"[\W_]+")
_ALNUM = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]")


def letters_key(text: str) -> str:
    """Letters and digits only, NFKC, lower case (the bench's own, independent of the code under test)."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).lower())


def same_title_key(title: str) -> str:
    """The bench's own notion of "the same title"."""
    return letters_key(title).removeprefix(PREFIX)


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def shared_documents(data: Path, skip_laws: bool) -> list[dict]:
    documents: list[dict] = []
    laws = data / "laws" / "sample.jsonl"
    if laws.exists() and not skip_laws:
        for line in laws.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            documents.append({"key": row["path"], "title": row["title"], "body": row["text"],
                              "date": _date(row.get("version_date_from_filename"))})  # fmt: skip
    policy = data / "policy-fulltext" / "sample.jsonl"
    if policy.exists():
        for line in policy.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            documents.append({"key": f"policy/{row['idx']}", "title": row["Title"], "body": row.get("Body") or "",
                              "date": _date(row.get("Publishing date") or row.get("Date"))})  # fmt: skip
    return documents


def law_documents(laws: Path) -> list[dict]:
    """Every regulation of a LawRefBook/Laws checkout: title from its `# ` line, date from its name."""
    documents: list[dict] = []
    for path in sorted(laws.rglob("*.md")):
        relative = path.relative_to(laws)
        if len(relative.parts) < 2 or relative.parts[0] in SKIPPED_FOLDERS or path.name == "_index.md":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        first = text.lstrip().splitlines()[0] if text.strip() else ""
        title = first.lstrip("#").strip() if first.startswith("#") else _DATE.sub("", path.stem)
        match = _DATE.search(path.stem)
        documents.append({"key": str(relative), "title": title, "body": text,
                          "date": _date(match.group(1)) if match else None})  # fmt: skip
    return documents


def queries_for(document: dict, seed: int) -> dict[str, str]:
    title = " ".join(document["title"].split())
    queries = {"full": title}
    if title.startswith(PREFIX) and len(title) > len(PREFIX) + 1:
        queries["short"] = title[len(PREFIX) :]
    size = round(len(title) * 2 / 3)
    if size >= 2:
        digest = hashlib.sha1(f"{seed}:{document['key']}".encode()).hexdigest()
        start = random.Random(int(digest, 16)).randrange(len(title) - size + 1)
        end = start + size
        # nobody types half a number or word (345 of 12345, 199 of 1999): widen to the whole run
        while start > 0 and _ALNUM.match(title[start - 1]) and _ALNUM.match(title[start]):
            start -= 1
        while end < len(title) and _ALNUM.match(title[end - 1]) and _ALNUM.match(title[end]):
            end += 1
        queries["part"] = title[start:end]
    return queries


def run_backend(args: argparse.Namespace) -> dict:
    """Runs in a child process whose environment selects the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.conf.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from gongkai.accounts.models import Organisation
    from gongkai.documents.constants import DisclosureMode, DocumentStatus
    from gongkai.documents.models import Document
    from gongkai.search import selectors, services
    from gongkai.search.backends import get_backend

    call_command("migrate", verbosity=0)
    corpus = shared_documents(Path(args.data), skip_laws=bool(args.laws))
    if args.laws:
        corpus = law_documents(Path(args.laws)) + corpus
    org, _ = Organisation.objects.get_or_create(
        code="bench", defaults={"name": "国务院办公厅", "organ_code": "国办"}
    )
    rows = [Document(index_number=f"BENCH/{i:07d}", title=d["title"][:300], organisation=org,
                     published_date=d["date"] or dt.date(2000, 1, 1), body_text=d["body"],
                     status=DocumentStatus.PUBLISHED, disclosure_mode=DisclosureMode.PROACTIVE)
            for i, d in enumerate(corpus)]  # fmt: skip
    with transaction.atomic():
        ids = [d.pk for d in Document.objects.bulk_create(rows, batch_size=500)]
    started = time.perf_counter()
    services.rebuild_index()
    index_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    by_key: dict[str, set[int]] = {}
    for pk, document in zip(ids, corpus, strict=True):
        by_key.setdefault(same_title_key(document["title"]), set()).add(pk)
    distinct_titles = {letters_key(d["title"]): same_title_key(d["title"]) for d in corpus}

    def ambiguous(kind: str, text: str, relevant: set[int]) -> bool:
        """Several documents bear this title, or (a part) several different titles contain it."""
        if len(relevant) > 1:
            return True
        if kind != "part":
            return False
        part = letters_key(text)
        return len({same for key, same in distinct_titles.items() if part in key}) > 1

    backend = get_backend()
    stats = {
        group: {kind: {"n": 0, "rr": 0.0, "first": 0, "top3": 0, "recall": 0, "title": 0} for kind in KINDS}
        for group in GROUPS
    }
    misses: list[str] = []
    titles = dict(zip(ids, (d["title"] for d in corpus), strict=True))
    started = time.perf_counter()
    sample = list(zip(ids, corpus, strict=True))[:: args.every]
    for pk, document in sample:
        relevant = by_key[same_title_key(document["title"])]
        for kind, text in queries_for(document, args.seed).items():
            group = "ambiguous" if ambiguous(kind, text, relevant) else "unique"
            outcome = selectors.search(text, with_facets=False, limit=10, follow_doc_number=False)
            ranked = [r.document.pk for r in outcome.results]
            rank = next((i + 1 for i, found in enumerate(ranked) if found in relevant), None)
            if backend.uses_sql:
                sql, params = backend.match_subquery(outcome.query)
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT COUNT(*) FROM ({sql}) m WHERE m.document_id = %s", [*params, pk])
                    matched = cursor.fetchone()[0] > 0
            else:  # the tantivy index: every matching document id
                matched = pk in set(backend.match_document_ids(outcome.query).tolist())
            row = stats[group][kind]
            row["n"] += 1
            row["rr"] += 1 / rank if rank else 0.0
            row["first"] += rank == 1
            row["top3"] += bool(rank and rank <= 3)
            row["recall"] += matched
            row["title"] += bool(ranked) and letters_key(text) in letters_key(titles.get(ranked[0], ""))
            if not matched:
                misses.append(f"  [{kind}] {text!r} NOT MATCHED (recall)")
            if rank != 1:
                top = titles.get(ranked[0], "—") if ranked else "—"
                flag = "*" if group == "ambiguous" else ""
                misses.append(f"  [{kind}{flag}] {text!r} → rank {rank or '>10'}; first: {top[:40]!r}")
    query_seconds = time.perf_counter() - started
    return {
        "backend": connection.vendor if backend.uses_sql else f"{backend.vendor} ({connection.vendor})",
        "documents": len(corpus), "queried": len(sample),
        "index_s": round(index_seconds, 1),
        "query_ms": round(query_seconds * 1000 / max(1, sum(s["n"] for g in stats.values() for s in g.values())), 1),
        "stats": stats, "misses": misses,
    }  # fmt: skip


def spawn(backend: str, args: argparse.Namespace) -> dict | None:
    env = dict(os.environ)
    workdir = Path(tempfile.mkdtemp(prefix="gongkai-relevance-bench-"))
    env["GONGKAI_DATA_DIR"] = str(workdir)
    # sqlite is SQLite's FTS5; tantivy the index beside SQLite (the SQLite default); PostgreSQL its own
    env["GONGKAI_SEARCH_ENGINE"] = {"tantivy": "tantivy", "sqlite": "fts5"}.get(backend, "")
    if backend == "postgres":
        from benchdb import fresh_postgres_database

        if (url := fresh_postgres_database(env, PG_DB)) is None:
            return None
        env["DATABASE_URL"] = url
    else:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    command = [sys.executable, __file__, "--child", "--seed", str(args.seed), "--every", str(args.every),
               "--data", str(args.data), "--laws", args.laws or ""]  # fmt: skip
    output = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    if output.returncode:
        sys.stderr.write(output.stderr[-3000:])
        raise SystemExit(output.returncode)
    return json.loads(output.stdout.strip().splitlines()[-1])


def report(result: dict, show: int) -> bool:
    print(f"\n{result['backend']}: {result['documents']} documents ({result['queried']} queried), "
          f"index {result['index_s']} s, {result['query_ms']} ms per query (count + ranked top-10)")  # fmt: skip
    ok = True
    for group in GROUPS:
        stats = result["stats"][group]
        documents = stats["full"]["n"]
        if group == "ambiguous":
            print(f"ambiguous (not in the targets): {documents} documents share their title with another; "
                  f"{stats['part']['n']} parts are contained in several different titles")  # fmt: skip
        else:
            print("unambiguous queries")
        print(
            f"{'kind':6}{'queries':>9}{'MRR@10':>9}{'first':>8}{'top 3':>8}{'recall':>8}{'title':>8}  target"
        )
        for kind in KINDS:
            row = stats[kind]
            if not row["n"]:
                continue
            n = row["n"]
            mrr, first, top3, recall = row["rr"] / n, row["first"] / n, row["top3"] / n, row["recall"] / n
            min_mrr, min_first = TARGETS[kind]
            hit = mrr >= min_mrr and (min_first is None or first >= min_first) and recall == 1.0
            target = (
                f"MRR >= {min_mrr}" + (f", first >= {min_first:.0%}" if min_first else "") + ", recall 1.0"
            )
            if group == "unique":
                ok &= hit
                verdict = f"{target}: {'ok' if hit else 'MISSED'}"
            else:
                ok &= recall == 1.0
                verdict = f"recall 1.0: {'ok' if recall == 1.0 else 'MISSED'}"
            titled = row["title"] / n
            print(f"{kind:6}{n:9}{mrr:9.3f}{first:8.1%}{top3:8.1%}{recall:8.1%}{titled:8.1%}  {verdict}")
    if show:
        print(f"not ranked first (first {show} of {len(result['misses'])}; * = ambiguous title):")
        # recall failures first, then unambiguous queries, then ambiguous ones
        misses = sorted(result["misses"], key=lambda line: ("NOT MATCHED" not in line, "*]" in line))
        print("\n".join(misses[:show]) or "  none")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "tantivy", "both"], default="both")
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="the shared data folder")
    parser.add_argument(
        "--laws", default=DEFAULT_LAWS, help="a LawRefBook/Laws checkout (all its regulations)"
    )
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--every", type=int, default=1, help="query every n-th document (all are indexed)")
    parser.add_argument("--show", type=int, default=10, help="queries not ranked first to print")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.child:
        print(json.dumps(run_backend(args), ensure_ascii=False, default=str))
        return
    if not (Path(args.data) / "laws" / "sample.jsonl").exists() and not args.laws:
        print(f"relevance bench skipped: no data folder at {args.data}")
        return
    if args.laws and not Path(args.laws).is_dir():
        print(f"relevance bench skipped: --laws {args.laws} is not a folder")
        return
    ok = True
    for backend in ["sqlite", "postgres"] if args.backend == "both" else [args.backend]:
        result = spawn(backend, args)
        if result:
            ok &= report(result, args.show)
    print(f"\nissue 21 targets: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
