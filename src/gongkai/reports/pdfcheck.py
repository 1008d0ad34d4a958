"""年报核查: read a published annual report (PDF, 2021 format) back into the report JSON and check it.

Real PDFs differ in layout: labels broken over lines, page breaks (with page numbers and repeated
headers) inside a table, the merged “三、本年度办理结果” cell printed one character per line,
numbers spaced apart or glued to the label. The parser therefore works on the text stream as a
sequence of row markers (一、 / （一） / 1.) and numbers, not on fixed line positions:
- a row is everything from its marker to the next marker, wherever the line breaks fall;
- sub-rows are placed by their printed numbering (it restarts at 1 in each outcome group), so a
  group label printed in the middle of its sub-rows does not move them;
- when a row has more number tokens than cells, adjacent tokens are re-joined so that the row's
  own sum holds (digits spaced apart by the PDF's character layout).

- a table's header rows that a page break repeats at the top of the next page are dropped, and a
  label broken by a page or a merged cell is rejoined before it is compared with the national
  format: a finding on a clean report would accuse a government body of a deviation it did not make.

The steps live in sibling modules: `pdftext` (PDF pages → clean lines, page furniture and repeated
headers dropped), `pdftables` (lines → tables 二, 三 and 四), `pdflabels` (printed labels against the
national format's) and `textcheck` (prose figures against the tables); this module finds the
sections, runs the steps and the table rules (`rules`), and checks consecutive years.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

from .constants import APPLICANT_COLUMNS, TABLE2_ROWS, TABLE4_RESULTS, Rule
from .pdftables import fit_numbers, parse_table2, parse_table3, parse_table4
from .pdftext import CJK, WS, clean_lines, clean_page_lines, drop_repeated_headers, norm, pdf_pages
from .rules import Finding, check_carry_over, check_report, finding
from .textcheck import check_text

# ---------------------------------------------------------------------------------------------
# Whole report


def _find(lines: list[str], *needles: str, start: int = 0) -> int | None:
    """The first line from `start` that is a heading containing one of `needles` (not prose)."""
    for i in range(start, len(lines)):
        compact = WS.sub("", lines[i])
        if any(n in compact and len(compact) <= len(n) + 8 for n in needles):
            return i
    return None


_TITLE = re.compile(r"(?P<year>20\d{2})年(?:度)?(?:政府信息公开|政务公开)[^\s]*?年度报告")


def _title(lines: list[str]) -> tuple[str, int | None]:
    head = [WS.sub("", ln) for ln in lines[:8]]
    for i, ln in enumerate(head):
        m = _TITLE.search(ln)
        if m:
            org = ln[: m.start()] or (head[i - 1] if i > 0 else "")
            return org, int(m.group("year"))
    m = re.search(r"统计期限自(20\d{2})年", "".join(WS.sub("", ln) for ln in lines[:30]))
    return "", (int(m.group(1)) if m else None)


def _header(lines: list[str], start: int, end: int, first_rows: tuple[str, ...] = ("一、",)) -> list[str]:
    """A table's header rows: its lines from `start` up to its first row, which is a line with a
    figure or one that begins (or is the beginning of) one of `first_rows`, compared without spaces."""
    out = []
    for ln in lines[start:end]:
        compact = WS.sub("", ln)
        if re.search(r"\d", ln) or any(r.startswith(compact) or compact.startswith(r) for r in first_rows):
            break
        out.append(ln)
    return out


def _table2_headers(lines: list[str], start: int, end: int) -> list[list[str]]:
    """The header of each block of Table 二 (“第二十条第（一）项”, “信息内容 …”), as first printed."""
    headers: dict[str, list[str]] = {}
    for i in range(start, end):
        heading = WS.sub("", lines[i])
        if "第二十条" in heading and heading not in headers:
            headers[heading] = _header(lines, i, end, tuple(TABLE2_ROWS))
    return list(headers.values())


def _table_text(pages: list[list[str]], start: int, end: int, headers: list[list[str]]) -> str:
    """The lines from `start` to `end` (indices into all lines), without the header rows a page
    break repeated (see `drop_repeated_headers`)."""
    chunks: list[list[str]] = []
    index = 0
    for page in pages:
        lo, hi = max(start, index), min(end, index + len(page))
        if lo < hi:
            chunks.append(page[lo - index : hi - index])
        index += len(page)
    return "\n".join(drop_repeated_headers(chunks, headers))


def parse_report(pages: list[str], source: str = "") -> dict[str, Any]:
    """The report JSON (plus `file`) read from the text of a report's pages."""
    pages_lines = clean_page_lines(pages)
    lines = [ln for page in pages_lines for ln in page]
    organisation, year = _title(lines)
    t2_start = _find(lines, "主动公开政府信息情况", "第二十条第（一）项", "第二十条第(一)项")
    t3_start = _find(lines, "收到和处理政府信息公开申请情况", start=t2_start or 0)
    t4_start = _find(
        lines, "政府信息公开行政复议、行政诉讼情况", "行政复议、行政诉讼情况", start=t3_start or 0
    )
    end = _find(lines, "存在的主要问题及改进情况", "存在的主要问题", start=t4_start or 0)
    findings: list[Finding] = []
    data: dict[str, Any] = {"file": source, "organisation": organisation, "year": year}
    if t3_start is None or t4_start is None:
        data.update(table2={}, table3={}, table4={})
        data["findings"] = [finding(Rule.UNREADABLE, "未找到“三、收到和处理政府信息公开申请情况”或表四。")]
        return data
    t4_end = end if end is not None else len(lines)
    t2_text = ""
    if t2_start is not None:
        headers = _table2_headers(lines, t2_start + 1, t3_start)
        t2_text = _table_text(pages_lines, t2_start + 1, t3_start, headers)
    t3_text = _table_text(pages_lines, t3_start + 1, t4_start, [_header(lines, t3_start + 1, t4_start)])
    t4_text = _table_text(pages_lines, t4_start + 1, t4_end, [_header(lines, t4_start + 1, t4_end)])
    data["table2"], f2 = parse_table2(t2_text)
    data["table3"], f3 = parse_table3(t3_text)
    data["table4"], f4 = parse_table4(t4_text)
    findings += f2 + f3 + f4
    findings += check_report(data)
    prose = lines[: t2_start or t3_start] + (lines[end:] if end is not None else [])
    findings += check_text("\n".join(prose), data)
    data["findings"] = _dedupe(findings)
    return data


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[str] = set()
    out = []
    for f in findings:
        key = f["rule"] + f["detail"]
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def check_files(paths: list[str | Path]) -> list[dict[str, Any]]:
    """Check each report; add year-over-year 结转 findings for consecutive years of one organisation."""
    import json

    results = []
    for path in paths:
        p = Path(path)
        if p.suffix.lower() == ".json":
            data = json.loads(p.read_text(encoding="utf-8"))
            data = {k: data.get(k) for k in ("organisation", "year", "table2", "table3", "table4")}
            data = {"file": str(p), **data}
            data["findings"] = check_report(data)
        else:
            data = parse_report(pdf_pages(p), source=str(p))
        results.append(data)
    by_org: dict[str, list[dict[str, Any]]] = {}
    for data in results:
        if data.get("organisation") and isinstance(data.get("year"), int):
            by_org.setdefault(norm(data["organisation"]), []).append(data)
    for reports in by_org.values():
        reports.sort(key=lambda d: d["year"])
        for earlier, later in itertools.pairwise(reports):
            if later["year"] == earlier["year"] + 1:
                later["findings"] += check_carry_over(earlier, later)
    return results


__all__ = [
    "APPLICANT_COLUMNS",
    "CJK",
    "TABLE4_RESULTS",
    "check_files",
    "check_text",
    "clean_lines",
    "fit_numbers",
    "norm",
    "parse_report",
    "parse_table2",
    "parse_table3",
    "parse_table4",
    "pdf_pages",
]
