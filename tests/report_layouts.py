"""Annual reports in the 2021 national format drawn as PDFs the way real ones are laid out.

Used by the 年报核查 tests (`test_reports_check_layouts.py`) and `bench/report_check_bench.py`
on the reports of `report_samples` (the real 洪泽区 2023 report, clean, as published, or with a
planted deviation). A `Layout` reproduces what word processors do to such a report when it is
printed to PDF:

- table cells are drawn one by one, row by row, each line of a cell as its own text object (as
  WPS and Word do), so the text of a PDF follows the table's rows, not its lines on the page;
- labels wrap inside narrow cells; figure cells sit at the top, middle or bottom of a tall row;
- merged cells: the header (申请人情况 › 法人或其他组织 › …, 行政复议/行政诉讼 › …), the vertical
  “三、本年度办理结果” cell one character per line, and each outcome group (（三）不予公开 …) spanning
  its sub-rows; a merged cell's text is drawn with its first row, or with the row it lies beside;
- rows break across pages: part of a label at the foot of one page and the rest at the top of the
  next, with the page number, a running header and the repeated header rows in between.

Fonts: Adobe's STSong-Light CID font, which PDF readers supply, so nothing is embedded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from gongkai.reports.constants import (
    APPLICANT_COLUMNS,
    CARRIED_IN_ROW,
    CARRIED_OUT_ROW,
    NEW_ROW,
    OUTCOME_GROUPS,
    RESULTS_HEADING,
    RESULTS_TOTAL,
    TABLE2_BLOCKS,
    TABLE3_COLUMNS,
    TABLE3_NOTE,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
)
from report_samples import PROSE, Report, printed_label

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

PAGE_W, PAGE_H = 595.0, 842.0
LEFT, RIGHT, TOP, BOTTOM = 77.0, 515.0, 770.0, 80.0
TABLE_SIZE, BODY_SIZE, PAD = 10.5, 15.0, 3.0


# ---------------------------------------------------------------------------------------------
# Layouts


@dataclass(frozen=True)
class Layout:
    """How a report is laid out and printed to PDF."""

    name: str
    label_columns: int = 3  # 3: the national grid with merged cells; 1: every label in one column
    label_width: float = 200.0  # points shared by the label columns; narrower wraps more labels
    valign: str = "middle"  # where a figure cell sits in a tall row: top, middle, bottom
    merged_at: str = "first"  # a merged cell's text is drawn with its first row, or "beside" rows
    repeat_header: bool = True  # the table's header rows repeated at the top of each page
    page_number: str = "- {n} -"  # the footer
    running_header: bool = False  # the report's title at the top of every page
    furniture_first: bool = True  # header and footer drawn before the page's body (Word, WPS)
    break_in: str = ""  # a row label (key, or group label) that a page break splits
    break_after: int = 0  # characters of that label left at the foot of the page

    def breaking(self, key: str, after: int) -> Layout:
        return replace(
            self, name=f"{self.name}, page break in “{key}” after {after}", break_in=key, break_after=after
        )


BASE_LAYOUTS = [
    Layout("national grid (WPS)"),
    Layout(
        "narrow label cells, figures at the top, bare page numbers",
        label_width=150.0,
        valign="top",
        repeat_header=False,
        page_number="{n}",
        furniture_first=False,
    ),
    Layout(
        "merged cells drawn beside their rows, figures at the bottom, running header",
        merged_at="beside",
        valign="bottom",
        running_header=True,
        page_number="第 {n} 页",
    ),
    Layout("one label column", label_columns=1, label_width=170.0, valign="top"),
]


def label_keys() -> list[str]:
    """Every row label of Tables 二 and 三 a page break can split (group labels included)."""
    keys = [row for _heading, rows in TABLE2_BLOCKS for row, _cols in rows]
    keys += [NEW_ROW, CARRIED_IN_ROW, RESULTS_HEADING]
    for group, subs in OUTCOME_GROUPS:
        keys += [group, *(f"{group}/{sub}" for sub in subs)]
    return [*keys, RESULTS_TOTAL, CARRIED_OUT_ROW]


# Characters a line may not start with (Chinese line breaking, as word processors apply it).
NO_LINE_START = "）)，,、。：；”’》"


def break_points(key: str) -> list[int]:
    """Where a page break may fall inside a label: after its number, in the middle, before its end."""
    label = printed_label(key)
    marker = len(label) - len(label.lstrip("0123456789.、一二三四五六七（）"))
    points = set()
    for p in (marker, len(label) // 2, len(label) - 1):
        while 0 < p < len(label) and label[p] in NO_LINE_START:
            p += 1
        if marker <= p < len(label) and p > 0:
            points.add(p)
    return sorted(points)


# ---------------------------------------------------------------------------------------------
# Tables as grids of cells


@dataclass
class Cell:
    text: str
    col: int
    span: int = 1  # columns
    rows: int = 1  # rows
    center: bool = False
    vertical: bool = False  # one character per line
    key: str = ""  # the label's key, for a page break inside it
    figure: bool = False


@dataclass
class Table:
    widths: list[float]
    header: list[list[Cell]]
    body: list[list[Cell]]


def _figure(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _figures(values: list[Any], first_col: int) -> list[Cell]:
    return [Cell(_figure(v), first_col + i, center=True, figure=True) for i, v in enumerate(values)]


def _label_widths(layout: Layout) -> list[float]:
    if layout.label_columns == 1:
        return [layout.label_width]
    vertical = 26.0
    group = round((layout.label_width - vertical) * 0.42, 1)
    return [vertical, group, layout.label_width - vertical - group]


def table3(report: Report, layout: Layout) -> Table:
    labels = _label_widths(layout)
    n = len(labels)
    widths = labels + [(RIGHT - LEFT - layout.label_width) / 7] * 7
    head = [
        [Cell(TABLE3_NOTE, 0, span=n, rows=3), Cell("申请人情况", n, span=7, center=True)],
        [
            Cell("自然人", n, rows=2, center=True),
            Cell("法人或其他组织", n + 1, span=5, center=True),
            Cell("总计", n + 6, rows=2, center=True),
        ],
        [Cell(c, n + 1 + i, center=True) for i, c in enumerate(APPLICANT_COLUMNS[1:])],
    ]
    t3 = report.table3

    def row(key: str, col: int, span: int, label: str | None = None) -> list[Cell]:
        text = label if label is not None else report.label(key)
        return [Cell(text, col, span=span, key=key), *_figures([t3[key][c] for c in TABLE3_COLUMNS], n)]

    body = [row(NEW_ROW, 0, n), row(CARRIED_IN_ROW, 0, n)]
    outcome: list[list[Cell]] = []
    for group, subs in OUTCOME_GROUPS:
        keys = [f"{group}/{s}" for s in subs if f"{group}/{s}" in t3]
        if group in t3 or not subs:
            if group in t3:
                outcome.append(row(group, n - 2 if n > 1 else 0, 2 if n > 1 else 1))
            continue
        if n == 1:
            outcome.append([Cell(group, 0, key=group)])
            outcome += [row(k, 0, 1) for k in keys]
            continue
        rows = [row(k, 2, 1) for k in keys]
        rows[0].insert(0, Cell(group, 1, rows=len(rows), key=group))
        outcome += rows
    outcome.append(row(RESULTS_TOTAL, n - 2 if n > 1 else 0, 2 if n > 1 else 1))
    if n == 1:
        body.append([Cell(RESULTS_HEADING, 0, key=RESULTS_HEADING)])
    else:
        outcome[0].insert(0, Cell(RESULTS_HEADING, 0, rows=len(outcome), vertical=True, key=RESULTS_HEADING))
    body += outcome
    body.append(row(CARRIED_OUT_ROW, 0, n))
    return Table(widths, head, body)


def table2_blocks(report: Report) -> Iterator[Table]:
    for heading, rows in TABLE2_BLOCKS:
        cols = rows[0][1]
        first = 130.0
        widths = [first] + [(RIGHT - LEFT - first) / len(cols)] * len(cols)
        head = [
            [Cell(heading, 0, span=len(widths), center=True)],
            [Cell("信息内容", 0, center=True), *(Cell(c, i + 1, center=True) for i, c in enumerate(cols))],
        ]
        body = [
            [Cell(report.label(r), 0, key=r), *_figures([report.table2[r][c] for c in cols], 1)]
            for r, _cols in rows
            if r in report.table2
        ]
        yield Table(widths, head, body)


def table4(report: Report) -> Table:
    head = [
        [Cell("行政复议", 0, span=5, center=True), Cell("行政诉讼", 5, span=10, center=True)],
        [
            *(Cell(c, i, rows=2, center=True) for i, c in enumerate(TABLE4_COLUMNS)),
            Cell("未经复议直接起诉", 5, span=5, center=True),
            Cell("复议后起诉", 10, span=5, center=True),
        ],
        [Cell(c, 5 + i, center=True) for i, c in enumerate(TABLE4_COLUMNS * 2)],
    ]
    values = [report.table4[g][c] for g in TABLE4_GROUPS for c in TABLE4_COLUMNS]
    return Table([(RIGHT - LEFT) / 15] * 15, head, [_figures(values, 0)])


# ---------------------------------------------------------------------------------------------
# Drawing


def wrap(text: str, width: float, size: float = TABLE_SIZE) -> list[str]:
    """Break `text` into lines no wider than `width`, character by character (CJK text has no spaces)."""
    lines, line = [], ""
    for char in text:
        too_wide = pdfmetrics.stringWidth(line + char, FONT, size) > width
        if line and too_wide and char not in NO_LINE_START:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


@dataclass
class Item:
    order: tuple[Any, ...]
    x: float
    y: float
    text: str
    size: float


class Flow:
    """A document drawn top to bottom onto A4 pages, with page furniture."""

    def __init__(self, path: Path, layout: Layout, title: str) -> None:
        self.canvas = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
        self.layout, self.title = layout, title
        self.page, self.y = 1, TOP
        self.items: list[Item] = []
        self.block = 0  # prose lines and tables in writing order; a table's cells in table order

    def add(self, text: str, x: float, y: float, size: float, order: tuple[Any, ...] = ()) -> None:
        if not order:
            self.block += 1
        self.items.append(Item((self.block, *order), x, y, text, size))

    def _furniture(self) -> list[Item]:
        number = self.layout.page_number.format(n=self.page)
        width = pdfmetrics.stringWidth(number, FONT, 10.5)
        out = [Item((), (PAGE_W - width) / 2, 45.0, number, 10.5)]
        if self.layout.running_header and self.page > 1:
            out.append(Item((), LEFT, 805.0, self.title, 9.0))
        return out

    def new_page(self) -> None:
        furniture = self._furniture()
        self.items.sort(key=lambda item: item.order)
        for item in [*furniture, *self.items] if self.layout.furniture_first else [*self.items, *furniture]:
            text = self.canvas.beginText(item.x, item.y)
            text.setFont(FONT, item.size)
            text.textOut(item.text)
            self.canvas.drawText(text)
        self.canvas.showPage()
        self.items, self.page, self.y = [], self.page + 1, TOP

    def save(self) -> None:
        self.new_page()
        self.canvas.save()

    def paragraph(self, text: str, size: float = BODY_SIZE, indent: int = 2, center: bool = False) -> None:
        leading = size * 1.6
        lines = wrap("\u3000" * indent + text, RIGHT - LEFT, size)
        for line in lines:
            if self.y - leading < BOTTOM:
                self.new_page()
            self.y -= leading
            width = pdfmetrics.stringWidth(line, FONT, size)
            self.add(
                line.strip("\u3000") if center else line,
                (PAGE_W - width) / 2 if center else LEFT,
                self.y,
                size,
            )


@dataclass
class Placed:
    cell: Cell
    row: int
    lines: list[str]
    slots: list[int]  # the slot (line position in the table) of each line
    last_before_break: int = -1  # index of the line after which a forced page break falls


def _cell_lines(cell: Cell, width: float, layout: Layout) -> tuple[list[str], int]:
    inner = width - 2 * PAD
    if cell.vertical:
        lines = list(cell.text)
        return lines, (layout.break_after - 1 if cell.key and cell.key == layout.break_in else -1)
    if cell.key and cell.key == layout.break_in and 0 < layout.break_after < len(cell.text):
        head, rest = cell.text[: layout.break_after], cell.text[layout.break_after :]
        return [
            *wrap(head, max(inner, pdfmetrics.stringWidth(head, FONT, TABLE_SIZE))),
            *wrap(rest, inner),
        ], 0
    return wrap(cell.text, inner), -1


def place(rows: list[list[Cell]], widths: list[float], layout: Layout) -> tuple[list[Placed], list[int]]:
    """Every cell's lines on the table's line slots; the first slot of each row (and the end)."""
    placed: list[Placed] = []
    counts = [1] * len(rows)
    for r, cells in enumerate(rows):
        for cell in cells:
            lines, brk = _cell_lines(cell, sum(widths[cell.col : cell.col + cell.span]), layout)
            placed.append(Placed(cell, r, lines, [], brk))
            if cell.rows == 1:
                counts[r] = max(counts[r], len(lines))
    for p in placed:  # a merged cell taller than its rows makes its last row taller
        if p.cell.rows > 1:
            last = p.row + p.cell.rows - 1
            counts[last] += max(0, len(p.lines) - sum(counts[p.row : last + 1]))
    starts = [0]
    for n in counts:
        starts.append(starts[-1] + n)
    for p in placed:
        top, end = starts[p.row], starts[p.row + p.cell.rows]
        free = end - top - len(p.lines)
        align = layout.valign if (p.cell.figure or p.cell.rows > 1) else "top"
        offset = {"top": 0, "middle": free // 2, "bottom": free}[align]
        p.slots = [top + offset + i for i in range(len(p.lines))]
    return placed, starts


def _x(cell: Cell, line: str, widths: list[float]) -> float:
    left = LEFT + sum(widths[: cell.col])
    if not (cell.center or cell.vertical):
        return left + PAD
    width = sum(widths[cell.col : cell.col + cell.span])
    return left + (width - pdfmetrics.stringWidth(line, FONT, TABLE_SIZE)) / 2


def draw_table(flow: Flow, table: Table) -> None:
    layout, leading = flow.layout, TABLE_SIZE * 1.45
    head, head_starts = place(table.header, table.widths, layout)
    body, starts = place(table.body, table.widths, layout)
    row_of = {s: r for r in range(len(table.body)) for s in range(starts[r], starts[r + 1])}
    forced = {p.slots[p.last_before_break] for p in body if p.last_before_break >= 0}

    def draw_header() -> None:
        top = flow.y
        for p in head:
            for line, slot in zip(p.lines, p.slots, strict=True):
                y = top - (slot + 1) * leading - (p.row + 1) * PAD
                flow.add(line, _x(p.cell, line, table.widths), y, TABLE_SIZE, (0, p.row, p.cell.col, slot))
        flow.y = top - head_starts[-1] * leading - len(table.header) * 2 * PAD

    if flow.y - (head_starts[-1] + 2) * leading < BOTTOM:
        flow.new_page()
    flow.block += 1
    draw_header()
    first_row = 0
    for slot in range(starts[-1]):
        r = row_of[slot]
        if flow.y - leading - (2 * PAD if slot == starts[r] else 0) < BOTTOM or (slot - 1) in forced:
            flow.new_page()
            first_row = r
            if layout.repeat_header:
                draw_header()
        flow.y -= leading + (2 * PAD if slot == starts[r] else 0)
        for p in body:
            for i, s in enumerate(p.slots):
                if s != slot:
                    continue
                anchor = (
                    p.row
                    if p.cell.rows == 1
                    else (max(p.row, first_row) if layout.merged_at == "first" else r)
                )
                x = _x(p.cell, p.lines[i], table.widths)
                flow.add(p.lines[i], x, flow.y, TABLE_SIZE, (1, anchor, p.cell.col, s))
    flow.y -= 2 * PAD


def render(report: Report, layout: Layout, path: Path) -> Path:
    """Print `report` in `layout` to the PDF at `path`."""
    title = f"{report.organisation}{report.year}年政府信息公开工作年度报告"
    flow = Flow(path, layout, title)
    flow.paragraph(report.organisation, 22.0, 0, center=True)
    flow.paragraph(f"{report.year}年政府信息公开工作年度报告", 22.0, 0, center=True)
    flow.paragraph(PROSE["intro"])
    sections = [
        (
            "一、总体情况",
            lambda: [flow.paragraph(p.format(received=report.received)) for p in PROSE["一、总体情况"]],
        ),
        ("二、主动公开政府信息情况", lambda: [draw_table(flow, t) for t in table2_blocks(report)]),
        ("三、收到和处理政府信息公开申请情况", lambda: draw_table(flow, table3(report, layout))),
        ("四、政府信息公开行政复议、行政诉讼情况", lambda: draw_table(flow, table4(report))),
        (
            "五、存在的主要问题及改进情况",
            lambda: [flow.paragraph(p) for p in PROSE["五、存在的主要问题及改进情况"]],
        ),
        ("六、其他需要报告的事项", lambda: [flow.paragraph(p) for p in PROSE["六、其他需要报告的事项"]]),
    ]
    for heading, body in sections:
        flow.paragraph(heading)
        body()
    flow.save()
    return path
