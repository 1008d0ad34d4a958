"""年报核查: the report's tables (二, 三, 四) read from the text between their headings.

See `gongkai.reports.pdfcheck` for how rows are found in the text stream whatever the layout.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from .constants import (
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
    Rule,
)
from .pdftext import CJK, FULLWIDTH, WS, norm
from .rules import Finding, finding

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


class _Table3Reader:
    """Rows of Table 三 read so far. The numbered sub-rows (1., 2., …) belong to the group of
    `_SUB_GROUPS[pointer]`; `last_sub` is the last number read there, so a number that does not
    increase starts the next group even when the group's own heading was lost."""

    def __init__(self) -> None:
        self.table: dict[str, dict[str, Any]] = {}
        self.findings: list[Finding] = []
        self.pointer = -1
        self.last_sub = 0

    def put(self, key: str, label: str, expected: str, numbers: list[str]) -> None:
        printed = _clean_label(label, expected)
        if printed != norm(expected):
            self.findings.append(
                finding(Rule.RENAMED_ROW, f"表三“{expected}”行印为“{printed}”。", row=key, printed=printed)
            )
        values = fit_numbers(numbers, len(TABLE3_COLUMNS))
        if values is None:
            self.findings.append(
                finding(
                    Rule.UNREADABLE,
                    f"表三“{key}”行读出{len(numbers)}个数字：{' '.join(numbers) or '无'}。",
                    row=key,
                )
            )
            self.table[key] = dict.fromkeys(TABLE3_COLUMNS)
        else:
            self.table[key] = dict(zip(TABLE3_COLUMNS, values, strict=True))

    def group(self, seg: dict[str, Any], label: str) -> None:
        """A （一）…（七） row: a row of its own, or the heading of numbered sub-rows."""
        gi = seg["index"]
        group, subs = OUTCOME_GROUPS[gi] if gi < len(OUTCOME_GROUPS) else (RESULTS_TOTAL, [])
        if gi == len(OUTCOME_GROUPS):  # （七）总计
            self.put(RESULTS_TOTAL, label, RESULTS_TOTAL, seg["numbers"])
            self.pointer = len(_SUB_GROUPS)
            return
        if gi in _SUB_GROUPS and _SUB_GROUPS.index(gi) > self.pointer:
            self.pointer, self.last_sub = _SUB_GROUPS.index(gi), 0
        if not subs:
            self.put(group, label, group, seg["numbers"])
        elif len(seg["numbers"]) >= len(TABLE3_COLUMNS) - 1:
            # A group printed as one row: the 2019 format's single （六）其他处理 row.
            self.put(group, label, group, seg["numbers"])
        elif not _label_ok(label, group):
            self.findings.append(finding(Rule.RENAMED_ROW, f"表三“{group}”印为“{norm(label)}”。", row=group))

    def sub_row(self, seg: dict[str, Any], label: str) -> None:
        """A numbered row (1., 2., …) of the current group."""
        n = seg["index"]
        if self.pointer < 0 or n <= self.last_sub:
            self.pointer, self.last_sub = self.pointer + 1, 0
        if self.pointer >= len(_SUB_GROUPS):
            self.findings.append(
                finding(Rule.RENAMED_ROW, f"表三出现国家格式没有的行“{norm(label)}”。", printed=norm(label))
            )
            return
        self.last_sub = n
        group, subs = OUTCOME_GROUPS[_SUB_GROUPS[self.pointer]]
        if n > len(subs):
            self.findings.append(
                finding(
                    Rule.RENAMED_ROW,
                    f"表三“{group}”下出现国家格式没有的行“{norm(label)}”。",
                    printed=norm(label),
                )
            )
            return
        key = f"{group}/{subs[n - 1]}"
        self.put(key, label, subs[n - 1], seg["numbers"])


def parse_table3(text: str) -> tuple[dict[str, dict[str, Any]], list[Finding]]:
    reader = _Table3Reader()
    seen_top = False
    for seg in _segments(text):
        label = seg["marker"] + seg["text"]
        if seg["kind"] == "top":
            seen_top = True
            if seg["index"] in _TOP_ROWS:
                key = _TOP_ROWS[seg["index"]]
                reader.put(key, label, key, seg["numbers"])
        elif not seen_top:
            continue
        elif seg["kind"] == "group":
            reader.group(seg, label)
        else:
            reader.sub_row(seg, label)
    # Keep the national order.
    from .constants import TABLE3_ROW_KEYS

    keys = list(TABLE3_ROW_KEYS)
    keys.insert(keys.index(RESULTS_TOTAL), LEGACY_OTHER_KEY)
    order = {k: i for i, k in enumerate(keys)}
    return dict(sorted(reader.table.items(), key=lambda kv: order.get(kv[0], 999))), reader.findings


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
    spaced = WS.sub(" ", text.translate(FULLWIDTH))
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
    tokens = re.findall(rf"{_NUMBER}|{_EMPTY_CELL}", text.translate(FULLWIDTH))
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
