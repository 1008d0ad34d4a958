"""DOCX and OFD (GB/T 33190-2016) text, read as streams within the limits of `errors`.

DOCX: the paragraphs and tables directly in the body of word/document.xml, with python-docx's rules
for the text of a paragraph (its runs and hyperlinks: w:t, w:tab and w:ptab as tabs, w:br and w:cr as
line breaks, w:noBreakHyphen as '-'). OFD: OFD.xml → DocRoot → Document.xml → Pages → each page's
Content.xml, TextCode in TextObjects, grouped into lines by position; each content file is parsed
once however many pages point at it.
"""

from __future__ import annotations

import math
from typing import Any

from . import errors
from .containers import ElementBudget, SafeZip, parse_member
from .errors import ReadError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RUN_TEXT = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}


class _DocxBody:
    """lxml parser target collecting body paragraphs and table rows as lines."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.paragraphs: list[list[str] | None] = []  # one buffer per open w:p (None: not collected)
        self.in_text = False
        self.lines: list[str] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.chars = 0

    def _collects(self, parent: str, grandparent: str) -> bool:
        """Text of this run counts: the run is in a paragraph, directly or through a hyperlink."""
        return (
            bool(self.paragraphs)
            and self.paragraphs[-1] is not None
            and (parent == f"{W}p" or (parent == f"{W}hyperlink" and grandparent == f"{W}p"))
        )

    def start(self, tag: Any, attrib: Any) -> None:
        stack = self.stack
        parent = stack[-1] if stack else ""
        if tag == f"{W}p":
            keep = parent in (f"{W}body", f"{W}tc")
            self.paragraphs.append([] if keep else None)
        elif tag == f"{W}tr" and len(stack) >= 2 and stack[-2] == f"{W}body":
            self.row = []
        elif tag == f"{W}tc" and self.row is not None and parent == f"{W}tr" and len(stack) == 4:
            self.cell = []
        elif parent == f"{W}r" and len(stack) >= 3 and self._collects(stack[-2], stack[-3]):
            if tag == f"{W}t":
                self.in_text = True
            elif tag in _RUN_TEXT:
                self.paragraphs[-1].append(_RUN_TEXT[tag])
            elif tag == f"{W}br" and attrib.get(f"{W}type", "textWrapping") == "textWrapping":
                self.paragraphs[-1].append("\n")
        stack.append(tag)

    def data(self, text: str) -> None:
        if self.in_text:
            self.paragraphs[-1].append(text)
            self.chars += len(text)
            if self.chars > errors.MAX_TEXT_CHARS:
                raise errors.too_complex("DOCX", "文字字符数", errors.MAX_TEXT_CHARS)

    def end(self, tag: Any) -> None:
        self.stack.pop()
        parent = self.stack[-1] if self.stack else ""
        if tag == f"{W}t":
            self.in_text = False
        elif tag == f"{W}p":
            buffer = self.paragraphs.pop()
            if buffer is None:
                return
            text = "".join(buffer)
            if parent == f"{W}body":
                self.lines.append(text)
            elif self.cell is not None and parent == f"{W}tc":
                self.cell.append(text)
        elif tag == f"{W}tc" and self.cell is not None and len(self.stack) == 4:
            value = " ".join("\n".join(self.cell).split())
            if value and self.row is not None and (not self.row or self.row[-1] != value):
                self.row.append(value)
            self.cell = None
        elif tag == f"{W}tr" and self.row is not None and len(self.stack) == 3:
            self.lines.append("  ".join(self.row))
            self.row = None

    def close(self) -> list[str]:
        return self.lines


def docx_lines(content: bytes) -> list[str]:
    """Lines of the body of a DOCX (paragraphs; a table row's distinct cells on one line)."""
    budget = ElementBudget("DOCX")
    with SafeZip(content, "DOCX") as archive:
        if not archive.has("word/document.xml"):
            raise ReadError("corrupt", "DOCX 文件缺少正文（word/document.xml）。")
        return parse_member(archive, "word/document.xml", _DocxBody(), budget)


# --- OFD -----------------------------------------------------------------------------------------

OFD = "{http://www.ofdspec.org/2016}"


class _Collect:
    """Target keeping the text of one element (OFD.xml's DocRoot) or one attribute per element (Page BaseLoc)."""

    def __init__(self, tag: str, attribute: str = "") -> None:
        self.tag, self.attribute = tag, attribute
        self.values: list[str] = []
        self.inside = False

    def start(self, tag: Any, attrib: Any) -> None:
        if tag == self.tag:
            if self.attribute:
                self.values.append(attrib.get(self.attribute) or "")
                if len(self.values) > errors.MAX_PAGES:
                    raise errors.too_complex("OFD", "页数", errors.MAX_PAGES)
            else:
                self.inside = True
                self.values.append("")

    def data(self, text: str) -> None:
        if self.inside:
            self.values[-1] += text

    def end(self, tag: Any) -> None:
        if tag == self.tag:
            self.inside = False

    def close(self) -> list[str]:
        return self.values


def _number(value: str | None) -> float:
    try:
        number = float(value or 0)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) and abs(number) < 1e9 else 0.0


class _OfdPage:
    """Target collecting (y, x, text) of every TextCode in the TextObjects of a page."""

    def __init__(self) -> None:
        self.pieces: list[tuple[float, float, str]] = []
        self.box = (0.0, 0.0)
        self.code: list[Any] | None = None

    def start(self, tag: Any, attrib: Any) -> None:
        if tag == f"{OFD}TextObject":
            box = (attrib.get("Boundary") or "").split()
            self.box = (_number(box[0]) if box else 0.0, _number(box[1]) if len(box) > 1 else 0.0)
        elif tag == f"{OFD}TextCode":
            self.code = [self.box[1] + _number(attrib.get("Y")), self.box[0] + _number(attrib.get("X")), ""]

    def data(self, text: str) -> None:
        if self.code is not None:
            self.code[2] += text

    def end(self, tag: Any) -> None:
        if tag == f"{OFD}TextCode" and self.code is not None:
            self.pieces.append((self.code[0], self.code[1], self.code[2]))
            self.code = None

    def close(self) -> str:
        self.pieces.sort(key=lambda item: (round(item[0] / 2), item[1]))
        lines: list[str] = []
        last_y: float | None = None
        for y, _x, text in self.pieces:
            if last_y is not None and abs(y - last_y) < 2:
                lines[-1] += text
            else:
                lines.append(text)
            last_y = y
        return "\n".join(lines)


def ofd_pages(content: bytes) -> list[str]:
    """The text of each page of the first document of an OFD package."""
    budget = ElementBudget("OFD")
    with SafeZip(content, "OFD") as archive:

        def parse(path: str, target: Any) -> Any:
            path = path.lstrip("/")
            if not archive.has(path):
                raise ReadError("corrupt", f"OFD 文件缺少 {path[:200]}。")
            return parse_member(archive, path, target, budget)

        roots = [value.strip() for value in parse("OFD.xml", _Collect(f"{OFD}DocRoot")) if value.strip()]
        if not roots:
            raise ReadError("corrupt", "OFD.xml 中没有 DocRoot。")
        document_path = roots[0].lstrip("/")
        base = document_path.rsplit("/", 1)[0] if "/" in document_path else ""
        locations = parse(document_path, _Collect(f"{OFD}Page", "BaseLoc"))
        texts: dict[str, str] = {}
        pages: list[str] = []
        total = 0
        for location in locations:
            location = location.strip().lstrip("/")
            if not location:
                continue
            path = location if archive.has(location) else f"{base}/{location}".lstrip("/")
            key = path.lower()
            if key not in texts:
                texts[key] = parse(path, _OfdPage())
            pages.append(texts[key])
            total += len(texts[key])
            if total > errors.MAX_TEXT_CHARS:
                raise errors.too_complex("OFD", "文字字符数", errors.MAX_TEXT_CHARS)
    return pages
