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
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

from .constants import (
    APPLICANT_COLUMNS,
    CARRIED_IN_ROW,
    CARRIED_OUT_ROW,
    FEES_ROW,
    LEGACY_OTHER_KEY,
    NEW_ROW,
    NORMATIVE_ROW,
    OUTCOME_GROUPS,
    RESULTS_TOTAL,
    TABLE2_ROWS,
    TABLE3_COLUMNS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TABLE4_RESULTS,
    TOTAL_COL,
    Rule,
)
from .rules import Finding, check_carry_over, check_report, finding

CJK = "\u4e00-\u9fff"
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_WS = re.compile(r"\s+")


def norm(text: str) -> str:
    """Compare labels without whitespace and with one kind of brackets, quotes and dots."""
    text = _WS.sub("", text.translate(_FULLWIDTH))
    text = text.replace("(", "（").replace(")", "）").replace('"', "“")
    text = re.sub(r"“([^“”]*)“", r"“\1”", text)
    text = text.replace("‘", "“").replace("’", "”")
    return re.sub(r"^(\d{1,2})[.、．]", r"\1.", text)


# ---------------------------------------------------------------------------------------------
# PDF → lines


def pdf_pages(path: str | Path) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return [page.extract_text() or "" for page in reader.pages]


_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})$"
)


def clean_lines(pages: list[str]) -> list[str]:
    """All lines of the document without page numbers and running headers/footers."""
    page_lines = [[ln.translate(_FULLWIDTH).strip() for ln in page.splitlines()] for page in pages]
    page_lines = [[ln for ln in lines if ln] for lines in page_lines]
    # Running headers/footers: the same first/last line (digits aside) on several pages.
    edge_count: dict[str, int] = {}
    for lines in page_lines:
        for ln in {*lines[:2], *lines[-2:]}:
            key = re.sub(r"\d+", "#", _WS.sub("", ln))
            edge_count[key] = edge_count.get(key, 0) + 1
    out: list[str] = []
    for number, lines in enumerate(page_lines, start=1):
        for i, ln in enumerate(lines):
            at_edge = i < 2 or i >= len(lines) - 2
            compact = _WS.sub("", ln)
            if _PAGE_NUMBER.match(compact):
                continue
            if at_edge and compact == str(number):
                continue
            if (
                at_edge
                and len(pages) > 2
                and edge_count.get(re.sub(r"\d+", "#", compact), 0) >= max(2, len(pages) // 2)
            ):
                continue
            out.append(ln)
    return out


# ---------------------------------------------------------------------------------------------
# Numbers


_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_EMPTY_CELL = r"(?<!\S)[—–－/／](?!\S)"


def _to_number(token: str) -> int | float:
    token = token.replace(",", "")
    if token in {"—", "–", "－", "/", "／"}:
        return 0
    return float(token) if "." in token else int(token)


def fit_numbers(tokens: list[str], count: int, groups: list[int] | None = None) -> list[int | float] | None:
    """`count` numbers from `tokens`; re-join spaced-apart digits so each group's last cell is its sum.

    `groups` gives the sizes of the summed groups (each ends in its total), e.g. [7] for a Table 三
    row or [5, 5, 5] for Table 四.
    """
    if len(tokens) == count:
        return [_to_number(t) for t in tokens]
    if len(tokens) < count or len(tokens) > count + 8 or not all(t.isdigit() for t in tokens):
        return None
    groups = groups or [count]
    best: tuple[int, list[int]] | None = None
    for cuts in itertools.combinations(range(1, len(tokens)), count - 1):
        bounds = [0, *cuts, len(tokens)]
        values = [int("".join(tokens[a:b])) for a, b in itertools.pairwise(bounds)]
        if any(
            len(str(v)) != sum(len(t) for t in tokens[a:b])
            for v, (a, b) in zip(values, itertools.pairwise(bounds), strict=True)
        ):
            continue  # a leading zero glued to the next digit is not a number printed that way
        score, start = 0, 0
        for size in groups:
            part = values[start : start + size]
            score += int(sum(part[:-1]) == part[-1])
            start += size
        if best is None or score > best[0]:
            best = (score, values)
        if score == len(groups):
            break
    if best is None or best[0] == 0:
        return None
    return list(best[1])


# ---------------------------------------------------------------------------------------------
# Table 三


_TOP = re.compile(r"([一二三四])\s*[、.．]")
_GROUP = re.compile(r"[（(]\s*([一二三四五六七])\s*[）)]")
_SUB = re.compile(rf"(?<![\d.])(\d{{1,2}})[ \t]?[.．、](?=\s*[{CJK}])")
_TOKEN = re.compile(
    rf"(?P<top>{_TOP.pattern})|(?P<group>{_GROUP.pattern})|(?P<sub>{_SUB.pattern})|(?P<num>{_NUMBER})|(?P<empty>{_EMPTY_CELL})"
)
_CN_INDEX = {c: i for i, c in enumerate("一二三四五六七")}

# Header words that a page break may repeat inside the table, and the merged vertical cell.
_HEADER_NOISE = [
    "申请人情况",
    "法人或其他组织",
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
    "商业",
    "企业",
    "科研",
    "机构",
    "社会",
    "公益",
    "组织",
    "法律",
    "服务",
]
_VERTICAL_NOISE = set("三、本年度办理结果")

_TOP_ROWS = {0: NEW_ROW, 1: CARRIED_IN_ROW, 3: CARRIED_OUT_ROW}
_SUB_GROUPS = [i for i, (_g, subs) in enumerate(OUTCOME_GROUPS) if subs]


def _clean_label(found: str, expected: str) -> str:
    """The printed label without text a page break or the vertical merged cell (“三、本年度办理结果”
    one character per line) dropped into it; equal to `expected` when the row is named correctly."""
    f, e = norm(found), norm(expected)
    if f == e:
        return f
    for word in _HEADER_NOISE:
        if word not in e:
            f = f.replace(word, "")
    if f == e:
        return f
    return "".join(c for c in f if c not in _VERTICAL_NOISE or c in e)


def _label_ok(found: str, expected: str) -> bool:
    return _clean_label(found, expected) == norm(expected)


def _segments(text: str) -> list[dict[str, Any]]:
    """Split the table's text into segments that each start at a row marker."""
    segments: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    pos = 0
    for m in _TOKEN.finditer(text):
        between = text[pos : m.start()]
        pos = m.end()
        if current is not None and between.strip():
            current["text"] += between
        kind = m.lastgroup if m.lastgroup in {"num", "empty"} else None
        if m.group("top"):
            kind, index = "top", "一二三四".index(m.group(2))
        elif m.group("group"):
            kind, index = "group", _CN_INDEX[m.group(4)]
        elif m.group("sub"):
            kind, index = "sub", int(m.group(6))
        if kind in {"num", "empty"}:
            if current is not None:
                current["numbers"].append(m.group(0))
                current["text"] += " "
            continue
        current = {"kind": kind, "index": index, "marker": m.group(0), "text": "", "numbers": []}
        segments.append(current)
    if current is not None:
        current["text"] += text[pos:]
    return segments


def parse_table3(text: str) -> tuple[dict[str, dict[str, Any]], list[Finding]]:
    table: dict[str, dict[str, Any]] = {}
    findings: list[Finding] = []
    pointer = -1  # index into _SUB_GROUPS
    last_sub = 0
    seen_top = False

    def put(key: str, label: str, expected: str, numbers: list[str]) -> None:
        printed = _clean_label(label, expected)
        if printed != norm(expected):
            findings.append(
                finding(Rule.RENAMED_ROW, f"表三“{expected}”行印为“{printed}”。", row=key, printed=printed)
            )
        values = fit_numbers(numbers, len(TABLE3_COLUMNS))
        if values is None:
            findings.append(
                finding(
                    Rule.UNREADABLE,
                    f"表三“{key}”行读出{len(numbers)}个数字：{' '.join(numbers) or '无'}。",
                    row=key,
                )
            )
            table[key] = dict.fromkeys(TABLE3_COLUMNS)
        else:
            table[key] = dict(zip(TABLE3_COLUMNS, values, strict=True))

    for seg in _segments(text):
        label = seg["marker"] + seg["text"]
        if seg["kind"] == "top":
            seen_top = True
            if seg["index"] in _TOP_ROWS:
                key = _TOP_ROWS[seg["index"]]
                put(key, label, key, seg["numbers"])
            continue
        if not seen_top:
            continue
        if seg["kind"] == "group":
            gi = seg["index"]
            group, subs = OUTCOME_GROUPS[gi] if gi < len(OUTCOME_GROUPS) else (RESULTS_TOTAL, [])
            if gi == len(OUTCOME_GROUPS):  # （七）总计
                put(RESULTS_TOTAL, label, RESULTS_TOTAL, seg["numbers"])
                pointer = len(_SUB_GROUPS)
                continue
            if gi in _SUB_GROUPS and _SUB_GROUPS.index(gi) > pointer:
                pointer, last_sub = _SUB_GROUPS.index(gi), 0
            if not subs:
                put(group, label, group, seg["numbers"])
            elif len(seg["numbers"]) >= len(TABLE3_COLUMNS) - 1:
                # A group printed as one row: the 2019 format's single （六）其他处理 row.
                put(group, label, group, seg["numbers"])
            elif not _label_ok(label, group):
                findings.append(finding(Rule.RENAMED_ROW, f"表三“{group}”印为“{norm(label)}”。", row=group))
            continue
        # numbered sub-row
        n = seg["index"]
        if pointer < 0 or n <= last_sub:
            pointer, last_sub = pointer + 1, 0
        if pointer >= len(_SUB_GROUPS):
            findings.append(
                finding(Rule.RENAMED_ROW, f"表三出现国家格式没有的行“{norm(label)}”。", printed=norm(label))
            )
            continue
        last_sub = n
        group, subs = OUTCOME_GROUPS[_SUB_GROUPS[pointer]]
        if n > len(subs):
            findings.append(
                finding(
                    Rule.RENAMED_ROW,
                    f"表三“{group}”下出现国家格式没有的行“{norm(label)}”。",
                    printed=norm(label),
                )
            )
            continue
        key = f"{group}/{subs[n - 1]}"
        put(key, label, subs[n - 1], seg["numbers"])
    # Keep the national order.
    from .constants import TABLE3_ROW_KEYS

    keys = list(TABLE3_ROW_KEYS)
    keys.insert(keys.index(RESULTS_TOTAL), LEGACY_OTHER_KEY)
    order = {k: i for i, k in enumerate(keys)}
    return dict(sorted(table.items(), key=lambda kv: order.get(kv[0], 999))), findings


# ---------------------------------------------------------------------------------------------
# Table 二 and 四


_T2_ALIASES = {"规范性文件": NORMATIVE_ROW}
_T2_LEGACY_WORDS = [
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "政府集中采购",
    "其他对外管理服务事项",
]


def parse_table2(text: str) -> tuple[dict[str, dict[str, Any]], list[Finding]]:
    table: dict[str, dict[str, Any]] = {}
    findings: list[Finding] = []
    compact = norm(text)
    labels = sorted([*TABLE2_ROWS, *_T2_ALIASES], key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, labels)) + rf"|(?P<num>{_NUMBER})|(?P<empty>[—–－/／])")
    # Numbers must stay apart: keep single spaces between tokens before matching.
    spaced = _WS.sub(" ", text.translate(_FULLWIDTH))
    spaced = re.sub(rf"(?<=[{CJK}）)]) (?=[{CJK}（(])", "", spaced)
    current: str | None = None
    numbers: dict[str, list[str]] = {}
    for m in pattern.finditer(spaced):
        token = m.group(0)
        if m.group("num") or m.group("empty"):
            if current is not None:
                numbers[current].append(token)
            continue
        row = _T2_ALIASES.get(token, token)
        if token in _T2_ALIASES and NORMATIVE_ROW in numbers:
            continue
        if token in _T2_ALIASES:
            findings.append(
                finding(Rule.RENAMED_ROW, f"表二“{NORMATIVE_ROW}”行印为“{token}”（2019年格式）。", row=row)
            )
        current = row
        numbers.setdefault(row, [])
    for row, cols in TABLE2_ROWS.items():
        if row not in numbers:
            continue
        toks = numbers[row][: len(cols)]
        if len(toks) < len(cols):
            findings.append(
                finding(Rule.UNREADABLE, f"表二“{row}”行读出{len(toks)}个数字，应为{len(cols)}个。", row=row)
            )
            table[row] = dict.fromkeys(cols)
            continue
        values = [_to_number(t) for t in toks]
        if row == FEES_ROW:
            values = [float(v) for v in values]
        table[row] = dict(zip(cols, values, strict=True))
    legacy = [w for w in _T2_LEGACY_WORDS if w in compact]
    if legacy:
        findings.append(
            finding(Rule.LEGACY_FORMAT, f"表二使用了2019年格式的栏目：{'、'.join(legacy)}。", columns=legacy)
        )
    return table, findings


def parse_table4(text: str) -> tuple[dict[str, dict[str, Any]], list[Finding]]:
    tokens = re.findall(rf"{_NUMBER}|{_EMPTY_CELL}", text.translate(_FULLWIDTH))
    values = fit_numbers(tokens, 15, [5, 5, 5])
    if values is None:
        return {}, [
            finding(Rule.UNREADABLE, f"表四读出{len(tokens)}个数字，应为15个：{' '.join(tokens) or '无'}。")
        ]
    table = {
        group: dict(zip(TABLE4_COLUMNS, values[i * 5 : i * 5 + 5], strict=True))
        for i, group in enumerate(TABLE4_GROUPS)
    }
    return table, []


# ---------------------------------------------------------------------------------------------
# Text figures against the tables


def _cn_or_int(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    try:
        import cn2an

        return int(cn2an.cn2an(token, "smart"))
    except (ValueError, KeyError, ImportError):
        return None


_N = r"(\d+|[零〇一二两三四五六七八九十百千]+)"


def check_text(text: str, data: dict[str, Any]) -> list[Finding]:
    """Figures quoted in the report's prose that contradict its own tables."""
    findings: list[Finding] = []
    body = norm(text)
    t3 = data.get("table3") or {}
    t4 = data.get("table4") or {}
    t2 = data.get("table2") or {}

    def total(row: str) -> Any:
        return (t3.get(row) or {}).get(TOTAL_COL)

    def group_total(group: str) -> Any:
        return (t4.get(group) or {}).get(TOTAL_COL)

    new, carried = total(NEW_ROW), total(CARRIED_IN_ROW)
    both = new + carried if isinstance(new, int) and isinstance(carried, int) else None
    litigation = None
    if isinstance(group_total(TABLE4_GROUPS[1]), int) and isinstance(group_total(TABLE4_GROUPS[2]), int):
        litigation = group_total(TABLE4_GROUPS[1]) + group_total(TABLE4_GROUPS[2])
    checks: list[tuple[str, str, list[Any], str]] = [
        (
            rf"(?:新收|收到|受理|接收)(?:各类|全区|本机关)?(?:政府信息公开|依申请公开)?(?:申请|件申请)(?:共计|共|总计)?{_N}件",
            "表三“一、本年新收政府信息公开申请数量”总计",
            [new, both],
            NEW_ROW,
        ),
        (
            rf"上年结转(?:政府信息公开申请|的申请)?{_N}件",
            "表三“二、上年结转政府信息公开申请数量”总计",
            [carried],
            CARRIED_IN_ROW,
        ),
        (
            rf"结转下(?:一)?年度(?:继续办理)?(?:的申请)?{_N}件",
            "表三“四、结转下年度继续办理”总计",
            [total(CARRIED_OUT_ROW)],
            CARRIED_OUT_ROW,
        ),
        (
            rf"(?:办结|答复)(?:政府信息公开)?申请(?:共)?{_N}件",
            "表三“（七）总计”",
            [total(RESULTS_TOTAL)],
            RESULTS_TOTAL,
        ),
        (
            rf"行政复议(?:案件|申请)?(?:共)?{_N}(?:件|起)",
            "表四“行政复议”总计",
            [group_total(TABLE4_GROUPS[0])],
            TABLE4_GROUPS[0],
        ),
        (rf"行政诉讼(?:案件)?(?:共)?{_N}(?:件|起)", "表四“行政诉讼”两组总计之和", [litigation], "行政诉讼"),
        (
            rf"(?:制发|印发|出台)(?:行政)?规范性文件(?:共)?{_N}件",
            "表二“行政规范性文件”本年制发件数",
            [(t2.get(NORMATIVE_ROW) or {}).get("本年制发件数")],
            NORMATIVE_ROW,
        ),
    ]
    for pattern, where, allowed, row in checks:
        allowed = [a for a in allowed if a is not None]
        if not allowed:
            continue
        for m in re.finditer(pattern, body):
            value = _cn_or_int(m.group(1))
            if value is None or value in allowed:
                continue
            findings.append(
                finding(
                    Rule.TEXT_MISMATCH,
                    f"正文“{m.group(0)}”与{where}（{allowed[0]}）不一致。",
                    text=m.group(0),
                    text_value=value,
                    table_value=allowed[0],
                    row=row,
                )
            )
    return findings


# ---------------------------------------------------------------------------------------------
# Whole report


def _find(lines: list[str], *needles: str, start: int = 0) -> int | None:
    """The first line from `start` that is a heading containing one of `needles` (not prose)."""
    for i in range(start, len(lines)):
        compact = _WS.sub("", lines[i])
        if any(n in compact and len(compact) <= len(n) + 8 for n in needles):
            return i
    return None


_TITLE = re.compile(r"(?P<year>20\d{2})年(?:度)?(?:政府信息公开|政务公开)[^\s]*?年度报告")


def _title(lines: list[str]) -> tuple[str, int | None]:
    head = [_WS.sub("", ln) for ln in lines[:8]]
    for i, ln in enumerate(head):
        m = _TITLE.search(ln)
        if m:
            org = ln[: m.start()] or (head[i - 1] if i > 0 else "")
            return org, int(m.group("year"))
    m = re.search(r"统计期限自(20\d{2})年", "".join(_WS.sub("", ln) for ln in lines[:30]))
    return "", (int(m.group(1)) if m else None)


def parse_report(pages: list[str], source: str = "") -> dict[str, Any]:
    """The report JSON (plus `file`) read from the text of a report's pages."""
    lines = clean_lines(pages)
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
    t2_lines = lines[t2_start:t3_start] if t2_start is not None else []
    t3_text = "\n".join(lines[t3_start + 1 : t4_start])
    t4_text = "\n".join(_strip_heading(lines[t4_start : end if end is not None else len(lines)]))
    data["table2"], f2 = parse_table2("\n".join(t2_lines[1:]))
    data["table3"], f3 = parse_table3(t3_text)
    data["table4"], f4 = parse_table4(t4_text)
    findings += f2 + f3 + f4
    findings += check_report(data)
    prose = lines[: t2_start or t3_start] + (lines[end:] if end is not None else [])
    findings += check_text("\n".join(prose), data)
    data["findings"] = _dedupe(findings)
    return data


def _strip_heading(lines: list[str]) -> list[str]:
    if not lines:
        return lines
    # The heading itself has no figures; drop it and anything up to the first header word.
    return lines[1:]


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


__all__ = ["APPLICANT_COLUMNS", "TABLE4_RESULTS", "check_files", "parse_report", "pdf_pages"]
