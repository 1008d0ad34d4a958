"""Reading ZIP packages (DOCX, OFD) and their XML parts without trusting them.

Members are decompressed in chunks against a budget for the whole package (a zip bomb stops at the
limit, whatever sizes its headers claim); XML is fed to a streaming lxml parser with a target (no
tree is built, no entity is expanded, no DTD or network is loaded) and every element counts against
a budget checked before parsing, so a million empty paragraphs are refused in milliseconds.
Every failure is a ReadError with a Chinese message.
"""

from __future__ import annotations

import io
import lzma
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from lxml import etree

from . import errors
from .errors import ReadError

_CHUNK = 1024 * 1024
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, RuntimeError, ValueError,
               struct.error, KeyError, OverflowError)  # fmt: skip


class SafeZip:
    """A ZIP package opened for reading with limits; use as a context manager."""

    def __init__(self, content: bytes, label: str) -> None:
        self.label = label
        self.used = 0
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(content))
            infos = self.archive.infolist()
        except NotImplementedError:
            raise ReadError("unsupported", f"{label} 文件使用了不支持的压缩包格式。") from None
        except _ZIP_ERRORS:
            raise ReadError("corrupt", f"{label} 文件已损坏（不是有效的压缩包）。") from None
        if len(infos) > errors.MAX_ZIP_MEMBERS:
            raise errors.too_complex(label, "压缩包中的文件数", errors.MAX_ZIP_MEMBERS)
        if any(info.flag_bits & 0x1 for info in infos):
            raise ReadError("encrypted", f"{label} 文件设有密码保护，无法读取文字。")
        self.names = {info.filename.lower(): info for info in infos}

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.archive.close()

    def has(self, name: str) -> bool:
        return name.lstrip("/").lower() in self.names

    def chunks(self, name: str, *, spend: bool = True) -> Iterator[bytes]:
        """The member's bytes in chunks; the package's decompression budget is spent as they come
        (`spend=False` for a second pass over a member already paid for)."""
        info = self.names.get(name.lstrip("/").lower())
        if info is None:
            raise ReadError("corrupt", f"{self.label} 文件缺少 {name[:200]}。")
        try:
            with self.archive.open(info) as handle:
                while chunk := handle.read(_CHUNK):
                    self.used += len(chunk) if spend else 0
                    if self.used > errors.MAX_UNZIPPED_BYTES:
                        raise ReadError(
                            "too_large",
                            f"{self.label} 文件解压后超过 {errors.MAX_UNZIPPED_BYTES // (1024 * 1024)} MB，"
                            "可能是“压缩炸弹”，已停止读取。",
                        )
                    yield chunk
        except ReadError:
            raise
        except NotImplementedError:
            raise ReadError(
                "unsupported", f"{self.label} 文件中的 {name[:200]} 使用了不支持的压缩方式或版本。"
            ) from None
        except _ZIP_ERRORS as exc:
            raise ReadError(
                "corrupt", f"{self.label} 文件中的 {name[:200]} 已损坏：{exc.__class__.__name__}"
            ) from None


class ElementBudget:
    """Elements allowed across every XML part of one file."""

    def __init__(self, label: str, limit: int | None = None) -> None:
        self.label = label
        self.limit = errors.MAX_XML_ELEMENTS if limit is None else limit
        self.seen = 0  # an upper bound: start tags counted as '<' not followed by '/'

    def count(self, chunks: Iterator[bytes]) -> None:
        for chunk in chunks:
            self.seen += chunk.count(b"<") - chunk.count(b"</")
            if self.seen > self.limit:
                raise errors.too_complex(self.label, "XML 元素数", self.limit)


def parse_member(archive: SafeZip, name: str, target: Any, budget: ElementBudget) -> Any:
    """Parse one XML member with a streaming parser calling `target.start/end/data`; returns
    `target.close()`. Its elements are counted in a first pass that builds nothing, so an element
    bomb is refused at the cost of decompressing it, before any parsing."""
    budget.count(archive.chunks(name))
    parser = etree.XMLParser(target=target, resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)  # fmt: skip
    try:
        for chunk in archive.chunks(name, spend=False):
            parser.feed(chunk)
        return parser.close()
    except ReadError:
        raise
    except (etree.XMLSyntaxError, etree.ParserError, ValueError, UnicodeError, LookupError) as exc:
        detail = str(exc).split("\n")[0][:120]
        raise ReadError("corrupt", f"{budget.label} 文件中的 {name[:200]} 不是有效的 XML：{detail}") from None
