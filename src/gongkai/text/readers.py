"""Turn a file's bytes into plain text: DOCX, PDF with a text layer, OFD (GB/T 33190), HTML, text.

The format is sniffed from the bytes, not trusted from the name, so a PDF named .docx is read as a
PDF and random bytes named .pdf are refused. Every refusal is a ReadError with a Chinese message.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import zipfile
from html.parser import HTMLParser
from pathlib import PurePath

from django.conf import settings

from . import errors
from .clean import strip_controls
from .errors import MAX_UNZIPPED_BYTES, ReadError, ReadResult
from .office import docx_lines, ofd_pages
from .pdfstreams import check_streams

__all__ = ["MAX_UNZIPPED_BYTES", "SUPPORTED_EXTENSIONS", "ReadError", "ReadResult", "max_bytes", "read_bytes",
           "refuse_early", "sniff"]  # fmt: skip

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
TEXT_EXTENSIONS = {"txt", "text", "md"}
HTML_EXTENSIONS = {"html", "htm", "xhtml", "shtml"}
SUPPORTED_EXTENSIONS = {"docx", "pdf", "ofd", *TEXT_EXTENSIONS, *HTML_EXTENSIONS}
logger = logging.getLogger(__name__)


def max_bytes() -> int:
    return int(getattr(settings, "INGEST_MAX_BYTES", DEFAULT_MAX_BYTES))


# --- format sniffing ---------------------------------------------------------------------------


def sniff(content: bytes, filename: str = "") -> str:
    """'pdf', 'docx', 'ofd', 'zip', 'ole', 'html', 'text' or 'binary'."""
    head = content[:2048]
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in content[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except Exception:  # any broken archive is just an archive we cannot read
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        if "OFD.xml" in names or any(name.lower() == "ofd.xml" for name in names):
            return "ofd"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _text_or_html(_decode(content)[0], filename)
    if _looks_binary(head):
        return "binary"
    return _text_or_html(_decode(content)[0], filename)


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    if b"\x00" in head:
        # UTF-16 without BOM: zero bytes in one parity only (ASCII-range characters), none in the other.
        even, odd = head[0::2].count(0), head[1::2].count(0)
        return not ((odd and not even) or (even and not odd))
    controls = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    return controls > len(head) * 0.05


def _text_or_html(text: str, filename: str) -> str:
    extension = PurePath(filename).suffix.lower().lstrip(".")
    sample = text[:4096].lower()
    if extension in HTML_EXTENSIONS or re.search(r"<(!doctype html|html|body|p|div|table|h1)[\s>]", sample):
        return "html"
    return "text"


# --- encodings -------------------------------------------------------------------------------


def _decode(content: bytes) -> tuple[str, str]:
    """Decode text bytes: BOMs, then strict UTF-8, then charset-normalizer (GB18030 for the GB family)."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16", errors="replace"), "utf-16"
    if b"\x00" in content[:2048]:
        sample = content[:2048]
        encoding = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        return content.decode(encoding, errors="replace"), encoding
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(content[:200_000]).best()
    if best is None:
        raise ReadError("encoding", "无法识别文本文件的字符编码。")
    encoding = best.encoding
    if encoding.replace("_", "").lower() in {"gb2312", "gbk", "hz", "gb18030"}:
        encoding = "gb18030"
    return content.decode(encoding, errors="replace"), encoding


# --- readers -----------------------------------------------------------------------------------


def read_text(content: bytes) -> ReadResult:
    text, encoding = _decode(content)
    return ReadResult(strip_controls(_normalise_newlines(text)), "text", encoding)


class _HTMLText(HTMLParser):
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
             "title", "ul", "ol", "blockquote", "pre", "header", "footer", "dd", "dt"}  # fmt: skip
    SKIP = {"script", "style", "noscript", "template", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "title":
            self._in_title = True
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")
        elif tag in {"td", "th"}:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if not self.skip:
            self.parts.append(data)


# Codecs Python accepts as a charset name that are no character set of a web page: punycode and idna
# decode in quadratic time (a page declaring charset=punycode hung the reader), the rest are
# transforms or escapes.
_NOT_CHARSETS = {"punycode", "idna", "utf-7", "unicode-escape", "raw-unicode-escape", "undefined", "mbcs",
                 "oem", "charmap", "uu", "base64", "hex", "zlib", "bz2", "quopri", "rot-13"}  # fmt: skip


def _charset(declared: str) -> str | None:
    """The codec for a declared HTML charset, or None when it names no real character set."""
    name = declared.lower()
    if name in {"gb2312", "gbk", "x-gbk", "gb_2312-80"}:
        return "gb18030"
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if info.name in _NOT_CHARSETS or not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def read_html(content: bytes) -> ReadResult:
    if content.count(b"<") > errors.MAX_HTML_TAGS:
        raise errors.too_complex("HTML", "标签数", errors.MAX_HTML_TAGS)
    head = content[:4096].decode("ascii", errors="ignore")
    declared = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", head)
    text = encoding = None
    if declared and (encoding := _charset(declared.group(1))):
        try:
            text = content.decode(encoding)
        except (LookupError, UnicodeError, ValueError):
            text = None
    if text is None:
        text, encoding = _decode(content)
    parser = _HTMLText()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # html.parser is lenient; anything left is a broken file
        raise ReadError("corrupt", f"HTML 文件无法解析：{exc}") from None
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return ReadResult(_join_lines(lines), "html", encoding or "")


def read_docx(content: bytes) -> ReadResult:
    return ReadResult(_join_lines(docx_lines(content)), "docx")


_PAGE_NUMBER = re.compile(
    r"^\s*(?:[—–\-－]+\s*\d+\s*[—–\-－]+|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$"
)
_CJK_GAP = re.compile(
    r"(?<=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef])[ \t]+(?=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef0-9])|(?<=[0-9])[ \t]+(?=[\u4e00-\u9fff〕）)])"
)


_ENCRYPTED_PDF = "PDF 文件设有密码保护，无法读取文字。"


def _pdf_pages_pdfium(content: bytes) -> list[str] | None:
    """Page texts through PDFium (about six times faster than pypdf); None when it is not installed."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return None
    try:
        document = pdfium.PdfDocument(content)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ReadError("encrypted", _ENCRYPTED_PDF) from None
        return None  # let pypdf say what is wrong, with its more precise errors
    try:
        count = len(document)
        if count > errors.MAX_PAGES:
            raise errors.too_complex("PDF", "页数", errors.MAX_PAGES)
        pages = []
        chars = 0
        for index in range(count):
            try:
                page = document[index]
                textpage = page.get_textpage()
                text = textpage.get_text_range()
                textpage.close()
                page.close()
            except pdfium.PdfiumError:
                raise ReadError("corrupt", f"PDF 文件第{index + 1}页已损坏，无法读取。") from None
            pages.append(text.replace("\r\n", "\n").replace("\r", "\n"))
            chars += len(text)
            if chars > errors.MAX_TEXT_CHARS:
                raise errors.too_complex("PDF", "文字字符数", errors.MAX_TEXT_CHARS)
        return pages
    finally:
        document.close()


def read_pdf(content: bytes) -> ReadResult:
    check_streams(content)
    pages = _pdf_pages_pdfium(content)
    if pages is None:
        pages = _pdf_pages_pypdf(content)
    if not pages:
        raise ReadError("empty", "PDF 文件没有页面。")
    if sum(len("".join(text.split())) for text in pages) < 10 * max(1, min(len(pages), 3)) // 3:
        raise ReadError(
            "scanned", f"PDF 文件没有文字层（可能是扫描件，共{len(pages)}页），需要先进行文字识别（OCR）。"
        )
    lines: list[str] = []
    for text in pages:
        for line in text.splitlines():
            if _PAGE_NUMBER.match(line):
                continue
            lines.append(_CJK_GAP.sub("", line.strip()))
    return ReadResult(_join_lines(_unwrap(lines)), "pdf", pages=len(pages))


def _pdf_pages_pypdf(content: bytes) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise ReadError("encrypted", _ENCRYPTED_PDF)
            except (FileNotDecryptedError, NotImplementedError, DependencyErrors):
                raise ReadError("encrypted", _ENCRYPTED_PDF) from None
        if len(reader.pages) > errors.MAX_PAGES:
            raise errors.too_complex("PDF", "页数", errors.MAX_PAGES)
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except FileNotDecryptedError as exc:
        raise ReadError("encrypted", _ENCRYPTED_PDF) from exc
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        RecursionError,
    ) as exc:
        raise ReadError("corrupt", f"PDF 文件已损坏或不完整：{exc.__class__.__name__}") from None
    except Exception as exc:  # pypdf raises many internal types on hostile input
        raise ReadError("corrupt", f"PDF 文件无法读取：{exc.__class__.__name__}") from None
    return pages


try:  # pypdf ≥ 3 names the missing-crypto error DependencyError
    from pypdf.errors import DependencyError as DependencyErrors
except ImportError:  # pragma: no cover
    DependencyErrors = RuntimeError  # type: ignore[misc,assignment]


def read_ofd(content: bytes) -> ReadResult:
    """OFD (GB/T 33190-2016): OFD.xml → DocBody/DocRoot → Document.xml → Pages → Content.xml TextCode."""
    pages = ofd_pages(content)
    lines = [line for text in pages for line in text.splitlines()]
    if not "".join(lines).strip():
        raise ReadError("scanned", "OFD 文件没有文字层（可能是扫描件），需要先进行文字识别（OCR）。")
    return ReadResult(_join_lines(_unwrap([line.strip() for line in lines])), "ofd", pages=len(pages))


# --- shared post-processing --------------------------------------------------------------------


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n").replace("\ufeff", "")


def _join_lines(lines: list[str]) -> str:
    text = strip_controls("\n".join(line.rstrip() for line in lines))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")


_END_PUNCT = "。：:；;！!？?」』”）)》"


def _unwrap(lines: list[str]) -> list[str]:
    """Join lines that a fixed-width layout broke (GB/T 9704: 28 characters a line)."""
    lengths = sorted(len(line) for line in lines if len(line) >= 15)
    if len(lengths) < 3:
        return lines
    full = lengths[int(len(lengths) * 0.8)]
    out: list[str] = []
    joining = False
    for line in lines:
        if joining and out and line:
            out[-1] += line
        else:
            out.append(line)
        joining = (
            bool(line) and len(line) >= full - 3 and not line.endswith(tuple(_END_PUNCT)) and len(line) >= 15
        )
    return out


def _dispatch(kind: str, content: bytes, extension: str) -> ReadResult:
    readers = {"pdf": read_pdf, "docx": read_docx, "ofd": read_ofd, "html": read_html, "text": read_text}
    if kind in readers:
        return readers[kind](content)
    if kind == "ole":
        if extension in {"doc", "docx"} or b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" in content[:65536]:
            if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in content:
                raise ReadError("encrypted", "Word 文件设有密码保护，请取消密码后再上传。")
            raise ReadError("unsupported", "不支持旧版 Word（.doc）文件，请另存为 DOCX 或 PDF 后再上传。")
        raise ReadError("unsupported", "不支持的 Office 旧格式文件，请另存为 DOCX 或 PDF。")
    if kind == "zip":
        raise ReadError("unsupported", "压缩包不是 DOCX 或 OFD 文件。")
    raise ReadError("unsupported", "无法识别的文件格式（不是 DOCX、PDF、OFD、HTML 或文本文件）。")


def refuse_early(head: bytes, filename: str = "") -> None:
    """Raise the ReadError `read_bytes` would for a file whose first bytes already show it is not
    supported (old Office formats, binary data); cheap enough for a web request."""
    if not head:
        raise ReadError("empty", "文件为空。")
    if (
        head.lstrip()[:5] == b"%PDF-"
        or b"%PDF-" in head[:1024]
        or head.startswith((b"PK\x03\x04", b"PK\x05\x06"))
    ):
        return
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        _dispatch("ole", head, PurePath(filename).suffix.lower().lstrip("."))
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")) and _looks_binary(head[:2048]):
        _dispatch("binary", head, "")


def _format_warnings(kind: str, filename: str) -> list[str]:
    extension = PurePath(filename).suffix.lower().lstrip(".")
    claimed = {"htm": "html", "shtml": "html", "xhtml": "html", "txt": "text", "md": "text"}.get(
        extension, extension
    )
    if (
        extension
        and claimed in {"pdf", "docx", "ofd", "html", "text"}
        and claimed != kind
        and {claimed, kind} != {"html", "text"}
    ):
        return [f"文件扩展名为 .{extension}，实际内容是 {kind.upper()}，已按实际格式读取。"]
    return []


def read_bytes(content: bytes, filename: str = "") -> ReadResult:
    """Read any supported file; raises ReadError with a Chinese message for everything else.

    Whatever a reader lets escape becomes a ReadError here, so one hostile file never ends a batch;
    such an exception is logged and marked `unexpected`, as it names a reader bug to fix.
    """
    if len(content) == 0:
        raise ReadError("empty", "文件为空。")
    limit = max_bytes()
    if len(content) > limit:
        raise ReadError("too_large", f"文件超过大小上限（{limit // (1024 * 1024)} MB）。")
    kind = "file"
    try:
        kind = sniff(content, filename)
        result = _dispatch(kind, content, PurePath(filename).suffix.lower().lstrip("."))
    except ReadError:
        raise
    except (MemoryError, RecursionError) as exc:
        raise ReadError("too_complex", f"{kind.upper()} 文件结构过于复杂，无法读取。",
                        unexpected=exc.__class__.__name__) from None  # fmt: skip
    except Exception as exc:  # the last-resort net described above
        logger.warning("reading a %d-byte %s file failed", len(content), kind, exc_info=True)
        raise ReadError("corrupt", f"{kind.upper()} 文件已损坏或格式异常，无法读取（{exc.__class__.__name__}）。",
                        unexpected=exc.__class__.__name__) from None  # fmt: skip
    result.warnings = _format_warnings(kind, filename) + result.warnings
    if not result.text.strip():
        raise ReadError("empty", "文件中没有文字内容。")
    return result
