"""Extraction accuracy per element and speed on the real samples in ../shared/data.

Usage: python bench/ingest_accuracy.py [DATA_DIR]   (or GONGKAI_SHARED_DATA=DATA_DIR)
Targets (issue 3): 文号 normalisation and parts ≥ 99.5%; 标题, 发文字号, 成文日期, 发文机关 ≥ 95% on
documents that contain them; ≥ 100 text documents/s and ≥ 20 DOCX/PDF per second.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.conf.test")

import django  # noqa: E402

django.setup()

from gongkai.ingest.extract import Extractor  # noqa: E402
from gongkai.text.docno import DocNumberError, parse_doc_number  # noqa: E402
from gongkai.text.readers import read_bytes  # noqa: E402

CANONICAL = re.compile(r"^(?P<code>[\u4e00-\u9fff]+)〔(?P<year>\d{4})〕(?P<serial>[1-9]\d*)号$")
DECREE = re.compile(r"^(?P<code>[\u4e00-\u9fff、]+令)第(?P<serial>[1-9]\d*)号$")


class Score:
    def __init__(self) -> None:
        self.hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.misses: dict[str, list[str]] = defaultdict(list)

    def add(self, key: str, ok: bool, detail: str = "") -> None:
        self.hits[key][0] += ok
        self.hits[key][1] += 1
        if not ok and len(self.misses[key]) < 3:
            self.misses[key].append(detail)

    def report(self) -> None:
        for key, (ok, total) in self.hits.items():
            print(f"  {key:<40} {ok:>4}/{total:<4} {100 * ok / total:6.1f}%")
            for miss in self.misses[key]:
                print(f"      miss: {miss}")


def squash(value: object) -> str:
    return re.sub(r"\s+", "", str(value or ""))


def bench_docno(data: Path, score: Score) -> None:
    rows = [json.loads(line) for line in (data / "policy-metadata" / "sample.jsonl").open(encoding="utf-8")]
    for row in rows:
        official = squash(row["doc_number"])  # the library's value, spaces dropped (GB/T 9704 has none)
        expected = CANONICAL.match(official) or DECREE.match(official)
        try:
            parsed = parse_doc_number(row["doc_number_raw"])
        except DocNumberError as exc:
            score.add("文号 normalisation (policy-metadata)", False, f"{row['doc_number_raw']}: {exc.reason}")
            score.add("文号 parts (policy-metadata)", False, row["doc_number_raw"])
            continue
        score.add(
            "文号 normalisation (policy-metadata)",
            parsed.normalized == official,
            f"{row['doc_number_raw']} → {parsed.normalized}",
        )
        if expected:
            parts_ok = parsed.organ_code == expected["code"] and parsed.serial == int(expected["serial"]) and (
                "year" not in expected.groupdict() or parsed.year == int(expected["year"]))  # fmt: skip
            score.add("文号 parts (policy-metadata)", parts_ok, official)
        score.add(
            "文号 idempotent (policy-metadata)",
            parse_doc_number(parsed.normalized).normalized == parsed.normalized,
        )


def labelled_spans(path: Path) -> dict[str, list[str]]:
    spans: dict[str, list[str]] = defaultdict(list)
    current = None
    for line in path.read_text(encoding="utf-8").split("\n"):
        parts = line.split(" ")
        if len(parts) < 2:
            current = None
            continue
        char, tag = parts[0], parts[-1]
        char = {"曌": "", "錓": ""}.get(char, char)
        if tag.startswith("B_"):
            current = tag[2:]
            spans[current].append(char)
        elif tag.startswith("I_") and current == tag[2:]:
            spans[current][-1] += char
        else:
            current = None
    return spans


def same_issuer_mark(found: str | None, label: str) -> bool:
    found, label = squash(found or ""), squash(label)
    return found.replace("文件", "") == label.replace("文件", "") and ("文件" in found) == ("文件" in label)


def bench_govdoc(data: Path, score: Score, extractor: Extractor) -> None:
    folder = data / "govdoc-cn"
    labels = labelled_spans(folder / "397_a.txt")
    for name in ("397.txt", "397.pdf"):
        result = extractor.extract(read_bytes((folder / name).read_bytes(), name).text).as_dict()
        signature = result["signature"] if isinstance(result["signature"], list) else [result["signature"]]
        checks = {
            # In a two-line joint header the trailing 文件 sits beside both names; readers place it on either line.
            "发文机关标志": same_issuer_mark(result["issuer_mark"], labels["发文机关标志"][0]),
            "发文字号": result["doc_number_normalized"] == parse_doc_number(labels["发文字号"][0]).normalized,
            "标题": squash(result["title"]) == squash(labels["正文标题"][0]),
            "主送机关": squash(result["recipients"]) == squash(labels["主送机关"][0]).rstrip("：:"),
            "发文机关": [squash(s) for s in signature] == [squash(s) for s in labels["发文机关"]],
            "成文日期": result["written_date"] == "2019-08-20" and labels["成文日期"][0] == "2019年8月20日",
        }
        for key, ok in checks.items():
            score.add(f"{key} (govdoc-cn {name})", ok, str(result.get(key)))


def bench_laws(data: Path, score: Score, extractor: Extractor) -> None:
    rows = [json.loads(line) for line in (data / "laws" / "sample.jsonl").open(encoding="utf-8")]
    for row in rows:
        result = extractor.extract(row["text"]).as_dict()
        score.add(
            "标题 (laws)",
            squash(result["title"]) == squash(row["title"]),
            f"{row['title']} → {result['title']}",
        )
        decree = next(
            (
                m
                for line in row["info_lines"]
                if (m := re.match(r"^(\d{4}年\d{1,2}月\d{1,2}日)\s+(.+?令第\d+号)(?:公布|发布)", line))
            ),
            None,
        )
        published = next(
            (
                m
                for line in row["info_lines"]
                if (m := re.match(r"^(\d{4}年\d{1,2}月\d{1,2}日)\s+(\S+?)(?:公布|发布)", line))
            ),
            None,
        )
        if decree:
            score.add(
                "令号 (laws)",
                result["doc_number_normalized"] == parse_doc_number(decree[2]).normalized,
                f"{decree[2]} → {result['doc_number']}",
            )
        if published:
            from gongkai.ingest.dates import parse_date

            score.add(
                "公布日期 (laws)",
                result["written_date"] == parse_date(published[1]).isoformat(),
                f"{published[0]} → {result['written_date']}",
            )
            organ = re.sub(r"令第\d+号$", "", published[2]).split("、")[0]
            names = [i["canonical_name"] for i in result["issuers"]] + [i["name"] for i in result["issuers"]]
            score.add("发文机关 (laws)", any(squash(n) in {squash(organ), squash(organ).removeprefix("中华人民共和国")} for n in names),
                      f"{organ} → {names}")  # fmt: skip


def bench_fulltext(data: Path, score: Score, extractor: Extractor) -> None:
    rows = [json.loads(line) for line in (data / "policy-fulltext" / "sample.jsonl").open(encoding="utf-8")]
    for row in rows:
        if row["Body"].strip() in {"", "error"}:
            continue
        title = row["Title"]
        numbers = re.findall(r"[\u4e00-\u9fff]+〔\d{4}〕\d+号|[\u4e00-\u9fff]+公告\d{4}年第\d+号", title)
        inner = re.search(r"《(.+)》$", title) or re.search(r"（(关于.+)）$", title)
        expected_title = inner[1] if inner and numbers else re.sub(r"^[（(]已废止[）)]", "", title)
        # As a scraped page presents it: the title line, then the body.
        html = (
            f"<html><body><h1>{title}</h1><div>"
            + "".join(f"<p>{line}</p>" for line in row["Body"].splitlines())
            + "</div></body></html>"
        )
        result = extractor.extract(read_bytes(html.encode("utf-8"), "page.html").text).as_dict()
        found_title = squash(result["title"])
        score.add(
            "标题 (policy-fulltext)",
            found_title in {squash(expected_title), squash(title)},
            f"{expected_title} → {result['title']}",
        )
        if numbers:
            score.add("发文字号 (policy-fulltext)", result["doc_number_normalized"] == parse_doc_number(numbers[0]).normalized,
                      f"{numbers[0]} → {result['doc_number']}")  # fmt: skip


def bench_speed(data: Path, extractor: Extractor) -> None:
    texts = [json.loads(line)["text"] for line in (data / "laws" / "sample.jsonl").open(encoding="utf-8")]
    texts.append((data / "govdoc-cn" / "397.txt").read_text(encoding="utf-8"))
    payloads = [t.encode("utf-8") for t in texts]
    start, count = time.perf_counter(), 0
    while time.perf_counter() - start < 2.0:
        for payload in payloads:
            extractor.extract(read_bytes(payload, "doc.txt").text)
            count += 1
    elapsed = time.perf_counter() - start
    chars = sum(len(t) for t in texts) / len(texts)
    print(f"  text documents:  {count / elapsed:8.1f} /s  (average {chars:.0f} characters, read + extract)")

    import docx

    document = docx.Document()
    for line in texts[-1].splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    samples = {"DOCX": buffer.getvalue(), "PDF": (data / "govdoc-cn" / "397.pdf").read_bytes()}
    for label, payload in samples.items():
        start, count = time.perf_counter(), 0
        while time.perf_counter() - start < 2.0:
            extractor.extract(read_bytes(payload, f"doc.{label.lower()}").text)
            count += 1
        elapsed = time.perf_counter() - start
        print(f"  {label} files:      {count / elapsed:8.1f} /s  ({len(payload) // 1024} KB, read + extract)")


def main() -> int:
    data = Path(
        sys.argv[1]
        if len(sys.argv) > 1
        else os.environ.get("GONGKAI_SHARED_DATA", ROOT.parent / "shared" / "data")
    )
    if not (data / "policy-metadata").is_dir():
        print(f"skipped: no shared data at {data} (pass a path or set GONGKAI_SHARED_DATA)")
        return 0
    extractor = Extractor()
    score = Score()
    bench_docno(data, score)
    bench_govdoc(data, score, extractor)
    bench_laws(data, score, extractor)
    bench_fulltext(data, score, extractor)
    print(f"Accuracy per element ({data}):")
    score.report()
    print("Speed:")
    bench_speed(data, extractor)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
