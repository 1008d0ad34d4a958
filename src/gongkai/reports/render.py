"""Render the report JSON in the national layout: DOCX (A4, 仿宋/黑体), XLSX (a sheet per table), HTML.

The three tables are first laid out as grids of cells with their merges (the national format's
merged header cells), and every output format draws the same grids.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .constants import (
    APPLICANT_COLUMNS,
    CARRIED_IN_ROW,
    CARRIED_OUT_ROW,
    LEGACY_OTHER_KEY,
    LIT_AFTER_SUB,
    LIT_DIRECT_SUB,
    LITIGATION,
    NEW_ROW,
    ORG_GROUP,
    OUTCOME_GROUPS,
    PERSON_COL,
    RECONSIDERATION,
    RESULTS_HEADING,
    RESULTS_TOTAL,
    SECTION_TITLES,
    TABLE2_BLOCKS,
    TABLE3_NOTE,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TOTAL_COL,
)


@dataclass
class Cell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False


@dataclass
class Grid:
    title: str
    nrows: int
    ncols: int
    cells: list[Cell]

    def rows(self) -> list[list[Cell]]:
        out: list[list[Cell]] = [[] for _ in range(self.nrows)]
        for cell in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out[cell.row].append(cell)
        return out


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float | Decimal):
        text = f"{Decimal(str(value)):.4f}".rstrip("0").rstrip(".")
        return text or "0"
    return str(value)


def table2_grid(table: dict[str, Any]) -> Grid:
    cells: list[Cell] = []
    r = 0
    for heading, rows in TABLE2_BLOCKS:
        cells.append(Cell(r, 0, heading, colspan=4, header=True))
        columns = rows[0][1]
        cells.append(Cell(r + 1, 0, "信息内容", header=True))
        if len(columns) == 3:
            cells += [Cell(r + 1, 1 + i, col, header=True) for i, col in enumerate(columns)]
        else:
            cells.append(Cell(r + 1, 1, columns[0], colspan=3, header=True))
        r += 2
        for label, cols in rows:
            cells.append(Cell(r, 0, label, header=True))
            values = table.get(label) or {}
            if len(cols) == 3:
                cells += [Cell(r, 1 + i, _fmt(values.get(col))) for i, col in enumerate(cols)]
            else:
                cells.append(Cell(r, 1, _fmt(values.get(cols[0])), colspan=3))
            r += 1
    return Grid(SECTION_TITLES[1], r, 4, cells)


def table3_grid(table: dict[str, Any]) -> Grid:
    cells = [
        Cell(0, 0, TABLE3_NOTE, rowspan=3, colspan=3, header=True),
        Cell(0, 3, "申请人情况", colspan=7, header=True),
        Cell(1, 3, PERSON_COL, rowspan=2, header=True),
        Cell(1, 4, ORG_GROUP, colspan=5, header=True),
        Cell(1, 9, TOTAL_COL, rowspan=2, header=True),
        *[Cell(2, 4 + i, col, header=True) for i, col in enumerate(APPLICANT_COLUMNS[1:])],
    ]

    def values(r: int, key: str) -> None:
        row = table.get(key) or {}
        cells.extend(
            Cell(r, 3 + i, _fmt(row.get(col))) for i, col in enumerate([*APPLICANT_COLUMNS, TOTAL_COL])
        )

    r = 3
    for key in (NEW_ROW, CARRIED_IN_ROW):
        cells.append(Cell(r, 0, key, colspan=3, header=True))
        values(r, key)
        r += 1
    results_start = r
    legacy = LEGACY_OTHER_KEY in table and not any(k.startswith(LEGACY_OTHER_KEY + "/") for k in table)
    for group, subs in OUTCOME_GROUPS:
        if not subs or (legacy and group == LEGACY_OTHER_KEY):
            cells.append(Cell(r, 1, group, colspan=2, header=True))
            values(r, group)
            r += 1
            continue
        cells.append(Cell(r, 1, group, rowspan=len(subs), header=True))
        for sub in subs:
            cells.append(Cell(r, 2, sub, header=True))
            values(r, f"{group}/{sub}")
            r += 1
    cells.append(Cell(r, 1, RESULTS_TOTAL, colspan=2, header=True))
    values(r, RESULTS_TOTAL)
    r += 1
    cells.append(Cell(results_start, 0, RESULTS_HEADING, rowspan=r - results_start, header=True))
    cells.append(Cell(r, 0, CARRIED_OUT_ROW, colspan=3, header=True))
    values(r, CARRIED_OUT_ROW)
    return Grid(SECTION_TITLES[2], r + 1, 10, cells)


def table4_grid(table: dict[str, Any]) -> Grid:
    cells = [
        Cell(0, 0, RECONSIDERATION, rowspan=2, colspan=5, header=True),
        Cell(0, 5, LITIGATION, colspan=10, header=True),
        Cell(1, 5, LIT_DIRECT_SUB, colspan=5, header=True),
        Cell(1, 10, LIT_AFTER_SUB, colspan=5, header=True),
    ]
    for g, group in enumerate(TABLE4_GROUPS):
        row = table.get(group) or {}
        for i, col in enumerate(TABLE4_COLUMNS):
            cells.append(Cell(2, g * 5 + i, col, header=True))
            cells.append(Cell(3, g * 5 + i, _fmt(row.get(col))))
    return Grid(SECTION_TITLES[3], 4, 15, cells)


def grids(data: dict[str, Any]) -> list[Grid]:
    return [
        table2_grid(data.get("table2") or {}),
        table3_grid(data.get("table3") or {}),
        table4_grid(data.get("table4") or {}),
    ]


def report_title(data: dict[str, Any]) -> str:
    return f"{data.get('organisation', '')}{data.get('year', '')}年政府信息公开工作年度报告"


# --- JSON ---------------------------------------------------------------------------------------


def to_json(data: dict[str, Any]) -> str:
    keys = ("organisation", "year", "table2", "table3", "table4", "findings")
    return json.dumps({k: data.get(k) for k in keys}, ensure_ascii=False, indent=2)


# --- DOCX ---------------------------------------------------------------------------------------

BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"


def _set_font(run: Any, name: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def to_docx(data: dict[str, Any], sections: dict[str, list[str]]) -> bytes:
    """An official-looking report: A4, GB/T 9704 margins, 黑体 headings, 仿宋 body (三号)."""
    from docx import Document as Docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Docx()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(title.add_run(report_title(data)), TITLE_FONT, 22)

    def heading(text: str) -> None:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        _set_font(p.add_run(text), HEADING_FONT, 16)

    def body(text: str) -> None:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        p.paragraph_format.line_spacing = Pt(28)
        _set_font(p.add_run(text), BODY_FONT, 16)

    tables = {g.title: g for g in grids(data)}
    for name in SECTION_TITLES:
        heading(name)
        if name in tables:
            grid = tables[name]
            table = doc.add_table(rows=grid.nrows, cols=grid.ncols)
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cell in grid.cells:
                target = table.cell(cell.row, cell.col)
                if cell.rowspan > 1 or cell.colspan > 1:
                    target = target.merge(
                        table.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1)
                    )
                paragraph = target.paragraphs[0]
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                size = 9 if grid.ncols > 10 else 10.5
                _set_font(
                    paragraph.add_run(cell.text),
                    HEADING_FONT if cell.header and cell.row == 0 else BODY_FONT,
                    size,
                )
        for text in sections.get(name, []):
            body(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- XLSX ---------------------------------------------------------------------------------------


def to_xlsx(data: dict[str, Any]) -> bytes:
    """One sheet per table, merged header cells as printed; figures as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin")
    for grid in grids(data):
        ws = wb.create_sheet(grid.title[:31])
        for cell in grid.cells:
            target = ws.cell(row=cell.row + 1, column=cell.col + 1)
            value: Any = cell.text
            if not cell.header and cell.text not in {""}:
                try:
                    value = int(cell.text)
                except ValueError:
                    try:
                        value = float(cell.text)
                    except ValueError:
                        value = cell.text
            target.value = value
            target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            target.font = Font(
                name=HEADING_FONT if cell.header else BODY_FONT, bold=cell.header and cell.row == 0
            )
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(
                    start_row=cell.row + 1,
                    start_column=cell.col + 1,
                    end_row=cell.row + cell.rowspan,
                    end_column=cell.col + cell.colspan,
                )
        for row in ws.iter_rows(min_row=1, max_row=grid.nrows, max_col=grid.ncols):
            for c in row:
                c.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- HTML ---------------------------------------------------------------------------------------


def html_context(data: dict[str, Any], sections: dict[str, list[str]]) -> dict[str, Any]:
    tables = {g.title: g for g in grids(data)}
    return {
        "title": report_title(data),
        "parts": [
            {"title": name, "grid": tables.get(name), "paragraphs": sections.get(name, [])}
            for name in SECTION_TITLES
        ],
        "findings": data.get("findings") or [],
    }


def to_html(data: dict[str, Any], sections: dict[str, list[str]]) -> str:
    from django.template.loader import render_to_string

    return render_to_string("reports/standalone.html", html_context(data, sections))
