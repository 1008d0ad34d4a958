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
    RESULTS_HEADING,
    RESULTS_TOTAL,
    TABLE2_ROWS,
    TABLE3_COLUMNS,
    TABLE3_ROW_KEYS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    Rule,
)
from .pdflabels import Label, clean_label, rejoin
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
# “3.” before its label, or alone when a page break left only “3.” at the foot of the page (Table 三's
# figures are whole numbers: none ends in a dot).
_SUB = re.compile(rf"(?<![\d.])(\d{{1,2}})(?:[ \t]?[.．、](?=\s*[{CJK}])|[.．](?!\d))")
_TOKEN = re.compile(
    rf"(?P<top>{_TOP.pattern})|(?P<group>{_GROUP.pattern})|(?P<sub>{_SUB.pattern})|(?P<num>{_NUMBER})|(?P<empty>{_EMPTY_CELL})"
)
_CN_INDEX = {c: i for i, c in enumerate("一二三四五六七")}

_TOP_ROWS = {0: NEW_ROW, 1: CARRIED_IN_ROW, 3: CARRIED_OUT_ROW}
_SUB_GROUPS = [i for i, (_g, subs) in enumerate(OUTCOME_GROUPS) if subs]


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
    placer = _RowPlacer()
    for seg in _segments(text):
        placer.add(seg)
    labels, findings = placer.labels, placer.findings
    rejoin(labels)
    table: dict[str, dict[str, Any]] = {}
    for label in labels:
        if label.numbers is None:
            if label.checked and not label.ok:
                findings.append(
                    finding(Rule.RENAMED_ROW, f"表三“{label.key}”印为“{norm(label.text)}”。", row=label.key)
                )
            continue
        printed = clean_label(label.text, label.expected)
        if printed != norm(label.expected):
            findings.append(
                finding(
                    Rule.RENAMED_ROW,
                    f"表三“{label.expected}”行印为“{printed}”。",
                    row=label.key,
                    printed=printed,
                )
            )
        table[label.key], unreadable = _row_values(label.key, label.numbers)
        findings += unreadable
    # Keep the national order.
    keys = list(TABLE3_ROW_KEYS)
    keys.insert(keys.index(RESULTS_TOTAL), LEGACY_OTHER_KEY)
    order = {k: i for i, k in enumerate(keys)}
    return dict(sorted(table.items(), key=lambda kv: order.get(kv[0], 999))), findings


def _row_values(key: str, numbers: list[str]) -> tuple[dict[str, Any], list[Finding]]:
    values = fit_numbers(numbers, len(TABLE3_COLUMNS))
    if values is None:
        detail = f"表三“{key}”行读出{len(numbers)}个数字：{' '.join(numbers) or '无'}。"
        return dict.fromkeys(TABLE3_COLUMNS), [finding(Rule.UNREADABLE, detail, row=key)]
    return dict(zip(TABLE3_COLUMNS, values, strict=True)), []


class _RowPlacer:
    """Puts each segment on its row (or outcome group) of the national format by its printed
    numbering: sub-row numbers restart at 1 in each group, so a group label printed in the middle
    of its sub-rows does not move them."""

    def __init__(self) -> None:
        self.labels: list[Label] = []
        self.findings: list[Finding] = []
        self.pointer = -1  # index into _SUB_GROUPS
        self.last_sub = 0
        self.last_row: Label | None = None  # the last row that has figure cells
        self.seen_top = False

    def add(self, seg: dict[str, Any]) -> None:
        text = seg["marker"] + seg["text"]
        if seg["kind"] == "top":
            self.seen_top = True
            if seg["index"] in _TOP_ROWS:
                key = _TOP_ROWS[seg["index"]]
                self._row(Label(key, key, text, seg["numbers"]))
            elif seg["index"] == 2:  # the merged “三、本年度办理结果” cell: not checked (see pdflabels)
                self._give_figures(seg)
                self.labels.append(Label(RESULTS_HEADING, RESULTS_HEADING, text, checked=False))
        elif self.seen_top and seg["kind"] == "group":
            self._group(seg, text)
        elif self.seen_top:
            self._sub(seg["index"], text, seg["numbers"])

    def _row(self, label: Label) -> None:
        self.labels.append(label)
        self.last_row = label

    def _give_figures(self, seg: dict[str, Any]) -> bool:
        """Figures read after a label that has no figure cells (the “三、本年度办理结果” cell, a
        group with sub-rows) are those of the row before it when that row has none: a page break
        left only the row's first characters (“（二）”, “7.”) at the foot of the page, and the merged
        cell was drawn before the rest of the row at the top of the next."""
        if not seg["numbers"] or self.last_row is None or self.last_row.numbers:
            return False
        self.last_row.numbers, seg["numbers"] = seg["numbers"], []
        return True

    def _group(self, seg: dict[str, Any], text: str) -> None:
        gi = seg["index"]
        if gi == len(OUTCOME_GROUPS):  # （七）总计
            self._row(Label(RESULTS_TOTAL, RESULTS_TOTAL, text, seg["numbers"]))
            self.pointer = len(_SUB_GROUPS)
            return
        group, subs = OUTCOME_GROUPS[gi]
        if gi in _SUB_GROUPS and _SUB_GROUPS.index(gi) > self.pointer:
            self.pointer, self.last_sub = _SUB_GROUPS.index(gi), 0
        # A group printed as one row with figures: （一）, （二）, or the 2019 format's single
        # （六）其他处理 row.
        with_figures = not subs or len(seg["numbers"]) >= len(TABLE3_COLUMNS) - 1
        if with_figures and subs and self._give_figures(seg):
            with_figures = False
        if with_figures:
            self._row(Label(group, group, text, seg["numbers"]))
        else:
            self.labels.append(Label(group, group, text))

    def _sub(self, n: int, text: str, numbers: list[str]) -> None:
        if self.pointer < 0 or n <= self.last_sub:
            self.pointer, self.last_sub = self.pointer + 1, 0
        if self.pointer >= len(_SUB_GROUPS):
            detail = f"表三出现国家格式没有的行“{norm(text)}”。"
            self.findings.append(finding(Rule.RENAMED_ROW, detail, printed=norm(text)))
            return
        self.last_sub = n
        group, subs = OUTCOME_GROUPS[_SUB_GROUPS[self.pointer]]
        if n > len(subs):
            detail = f"表三“{group}”下出现国家格式没有的行“{norm(text)}”。"
            self.findings.append(finding(Rule.RENAMED_ROW, detail, printed=norm(text)))
            return
        self._row(Label(f"{group}/{subs[n - 1]}", subs[n - 1], text, numbers))


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


def _rejoin_split_labels(spaced: str, labels: list[str]) -> str:
    """A label broken over two lines or pages with its figures printed between the parts
    (“行政 550 许可”: the figure cell beside the label's first line) is put back together, figures
    after it."""
    figures = rf"(?:\s*(?:{_NUMBER}|[—–－/／]))+"
    for label in labels:
        for k in range(1, len(label)):
            pattern = re.escape(label[:k]) + rf"(?P<figures>{figures})\s*" + re.escape(label[k:])
            spaced = re.sub(pattern, lambda m, label=label: label + m.group("figures"), spaced)
    return spaced


def parse_table2(text: str) -> tuple[dict[str, dict[str, Any]], list[Finding]]:
    table: dict[str, dict[str, Any]] = {}
    findings: list[Finding] = []
    compact = norm(text)
    labels = sorted([*TABLE2_ROWS, *_T2_ALIASES], key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, labels)) + rf"|(?P<num>{_NUMBER})|(?P<empty>[—–－/／])")
    # Numbers must stay apart: keep single spaces between tokens before matching.
    spaced = WS.sub(" ", text.translate(FULLWIDTH))
    spaced = _rejoin_split_labels(re.sub(rf"(?<=[{CJK}）)]) (?=[{CJK}（(])", "", spaced), labels)
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
