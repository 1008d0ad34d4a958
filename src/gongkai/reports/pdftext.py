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
    page_lines = [[ln.translate(FULLWIDTH).strip() for ln in page.splitlines()] for page in pages]
    page_lines = [[ln for ln in lines if ln] for lines in page_lines]
    # Running headers/footers: the same first/last line (digits aside) on several pages.
    edge_count: dict[str, int] = {}
    for lines in page_lines:
        for ln in {*lines[:2], *lines[-2:]}:
            key = re.sub(r"\d+", "#", WS.sub("", ln))
            edge_count[key] = edge_count.get(key, 0) + 1
    out: list[str] = []
    for number, lines in enumerate(page_lines, start=1):
        for i, ln in enumerate(lines):
            at_edge = i < 2 or i >= len(lines) - 2
            compact = WS.sub("", ln)
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
