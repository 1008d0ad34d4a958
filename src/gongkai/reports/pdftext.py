"""年报核查, first step: the text of a report's PDF pages as clean lines, and label normalisation."""

from __future__ import annotations

import re
from pathlib import Path

CJK = "\u4e00-\u9fff"
FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
WS = re.compile(r"\s+")


def norm(text: str) -> str:
    """Compare labels without whitespace and with one kind of brackets, quotes and dots."""
    text = WS.sub("", text.translate(FULLWIDTH))
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
    return [ln for lines in clean_page_lines(pages) for ln in lines]


def _edge_key(line: str) -> str:
    return re.sub(r"\d+", "#", WS.sub("", line))


def _page_number_offset(page_lines: list[list[str]]) -> int | None:
    """Bare page numbers (“3” alone at the foot or head of a page) may not count the cover page, so
    the printed number is the page's position plus an offset that half the pages (two at least) agree on."""
    offsets: dict[int, int] = {}
    for number, lines in enumerate(page_lines, start=1):
        for ln in {*lines[:2], *lines[-2:]}:
            compact = WS.sub("", ln)
            if compact.isdigit() and len(compact) <= 3:
                offsets[int(compact) - number] = offsets.get(int(compact) - number, 0) + 1
    agreed = [offset for offset, count in offsets.items() if count >= max(2, len(page_lines) // 2)]
    return min(agreed, key=abs) if agreed else None


def clean_page_lines(pages: list[str]) -> list[list[str]]:
    """Each page's lines without page numbers and running headers/footers.

    A running header or footer is the same first/last line (digits aside) on several pages; lines of
    figures are never taken for one (a table row of zeros may well end two pages).
    """
    page_lines = [[ln.translate(FULLWIDTH).strip() for ln in page.splitlines()] for page in pages]
    page_lines = [[ln for ln in lines if ln] for lines in page_lines]
    edge_count: dict[str, int] = {}
    for lines in page_lines:
        for ln in {*lines[:2], *lines[-2:]}:
            edge_count[_edge_key(ln)] = edge_count.get(_edge_key(ln), 0) + 1
    offset = _page_number_offset(page_lines)
    out: list[list[str]] = []
    for number, lines in enumerate(page_lines, start=1):
        kept = []
        for i, ln in enumerate(lines):
            at_edge = i < 2 or i >= len(lines) - 2
            compact = WS.sub("", ln)
            if _PAGE_NUMBER.match(compact):
                continue
            if at_edge and compact.isdigit() and int(compact) - number in {0, offset}:
                continue
            key = _edge_key(ln)
            if (
                at_edge
                and len(pages) > 2
                and re.search(r"[^#\s.,]", key)
                and edge_count.get(key, 0) >= max(2, len(pages) // 2)
            ):
                continue
            kept.append(ln)
        out.append(kept)
    return out


def drop_repeated_headers(page_lines: list[list[str]], headers: list[list[str]]) -> list[str]:
    """The lines of a table that runs over several pages, without the header rows that a page break
    repeats at the top of the next page (Word's and WPS's “repeat as header row”).

    `page_lines` are the table's lines page by page; `headers` the header lines of the table (or of
    each block of it) where they were first printed. A repeat is a run of lines at the top of a page
    that ends with a header's last line and is the whole header or at least two lines of it (the
    running-header pass may have taken its first line). A single line that only looks like a header's
    last cell, such as the rest of a label “3.其他” broken after “3.”, is kept.
    """
    norm_headers = [[WS.sub("", ln) for ln in header] for header in headers if header]
    out = list(page_lines[0]) if page_lines else []
    for lines in page_lines[1:]:
        compact = [WS.sub("", ln) for ln in lines]
        drop = 0
        for header in norm_headers:
            for k in range(min(len(compact), len(header)), drop, -1):
                if compact[:k] == header[-k:] and (k >= 2 or k == len(header)):
                    drop = k
                    break
        out += lines[drop:]
    return out
