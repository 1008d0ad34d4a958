"""The gazette as PDF (fpdf2, Noto CJK fonts embedded, so Chinese renders in print) and DOCX."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.conf import settings
from docx import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from fpdf import FPDF
from fpdf.enums import WrapMode

FONT_DIRS = [Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/noto-cjk")]
SERIF, SANS = "NotoSerifCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"
SC_INDEX = 2  # the collection's Simplified Chinese face (JP, KR, SC, TC, HK)


def gazette_title() -> str:
    return getattr(settings, "GONGKAI_GAZETTE_TITLE", "上海市静安区人民政府公报")


def _font(name: str) -> Path:
    for directory in FONT_DIRS:
        if (directory / name).exists():
            return directory / name
    raise FileNotFoundError(f"{name}: install fonts-noto-cjk")


class _Gazette(FPDF):
    header_text = ""

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font("serif", size=9)
        self.cell(0, 6, self.header_text, align="C", new_x="LMARGIN", new_y="NEXT")
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("serif", size=10)
        self.cell(0, 8, f"— {self.page_no()} —", align="C")


def _render(issue: Any, entries: list[Any], starts: list[int]) -> tuple[_Gazette, list[int]]:
    pdf = _Gazette(format="A4")
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_font("serif", fname=str(_font(SERIF)), collection_font_number=SC_INDEX)
    pdf.add_font("sans", fname=str(_font(SANS)), collection_font_number=SC_INDEX)
    pdf.header_text = f"{gazette_title()}  {issue.year}年第{issue.number}期"
    pdf.set_title(pdf.header_text)
    pdf.set_lang("zh-CN")
    pdf.add_page()
    # cover: 报头 in red, issue line, then the table of contents
    pdf.set_text_color(200, 0, 0)
    pdf.set_font("sans", size=26)
    pdf.ln(8)
    pdf.cell(0, 16, gazette_title(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(200, 0, 0)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.w - pdf.r_margin, pdf.get_y() + 2)
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.ln(6)
    pdf.set_font("serif", size=13)
    pdf.cell(
        0,
        9,
        f"{issue.year}年第{issue.number}期（总第{issue.number}期）",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    pdf.set_font("sans", size=16)
    pdf.cell(0, 12, "目    录", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for entry, start in zip(entries, starts, strict=True):
        # the whole title, wrapped; the page number on its last line (line count does not depend on it)
        pdf.set_font("serif", size=11)
        title = entry.title + (f"（{entry.doc_number}）" if entry.doc_number else "")
        lines = pdf.multi_cell(width - 15, 7, title, wrapmode=WrapMode.CHAR, dry_run=True, output="LINES")
        if pdf.will_page_break(7 * len(lines)):
            pdf.add_page()
        for index, line in enumerate(lines):
            last = index == len(lines) - 1
            pdf.cell(
                width - 15, 7, line, new_x="RIGHT" if last else "LMARGIN", new_y="TOP" if last else "NEXT"
            )
        pdf.cell(15, 7, str(start), align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    actual = []
    for entry in entries:
        pdf.add_page()
        actual.append(pdf.page_no())
        pdf.set_font("sans", size=17)
        pdf.multi_cell(0, 11, entry.title, align="C", wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
        if entry.doc_number:
            pdf.set_font("serif", size=12)
            pdf.cell(0, 9, entry.doc_number, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font("serif", size=12)
        for paragraph in [p.strip() for p in entry.body_text.splitlines() if p.strip()]:
            pdf.multi_cell(0, 8, "　　" + paragraph, wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
        if entry.issuer:
            pdf.ln(3)
            pdf.cell(0, 8, entry.issuer, align="R", new_x="LMARGIN", new_y="NEXT")
    return pdf, actual


def layout(issue: Any, entries: list[Any]) -> tuple[list[int], int]:
    """Each entry's first page and the page count (a first pass with placeholder page numbers; the
    table of contents has as many lines either way, so the second pass keeps the layout)."""
    pdf, starts = _render(issue, entries, [0] * len(entries))
    return starts, pdf.pages_count


def render_pdf(issue: Any, entries: list[Any] | None = None) -> bytes:
    entries = list(entries if entries is not None else issue.entries.all())
    starts, _pages = layout(issue, entries)
    pdf, actual = _render(issue, entries, starts)
    assert actual == starts, "gazette layout changed between passes"
    return bytes(pdf.output())


def _run_font(run: Any, name: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def render_docx(issue: Any, entries: list[Any] | None = None) -> bytes:
    """DOCX edition; the table of contents carries the page numbers of the PDF (the printed edition)."""
    entries = list(entries if entries is not None else issue.entries.all())
    starts, _pages = layout(issue, entries)
    doc = Docx()
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run_font(heading.add_run(gazette_title()), "黑体", 26, bold=True)
    line = doc.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run_font(line.add_run(f"{issue.year}年第{issue.number}期"), "宋体", 14)
    toc = doc.add_paragraph()
    toc.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run_font(toc.add_run("目    录"), "黑体", 16, bold=True)
    for entry, start in zip(entries, starts, strict=True):
        row = doc.add_paragraph()
        title = entry.title + (f"（{entry.doc_number}）" if entry.doc_number else "")
        _run_font(row.add_run(f"{title}\t{start}"), "宋体", 11)
    for entry in entries:
        doc.add_page_break()
        title = doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run_font(title.add_run(entry.title), "黑体", 18, bold=True)
        if entry.doc_number:
            number = doc.add_paragraph()
            number.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run_font(number.add_run(entry.doc_number), "仿宋", 14)
        for paragraph in [p.strip() for p in entry.body_text.splitlines() if p.strip()]:
            body = doc.add_paragraph()
            body.paragraph_format.first_line_indent = Pt(28)
            _run_font(body.add_run(paragraph), "仿宋", 14)
        if entry.issuer:
            issuer = doc.add_paragraph()
            issuer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _run_font(issuer.add_run(entry.issuer), "仿宋", 14)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
