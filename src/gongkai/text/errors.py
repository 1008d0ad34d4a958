"""What the readers return and raise, and the limits that keep hostile files from exhausting a worker."""

from __future__ import annotations

from dataclasses import dataclass, field

# Limits on what one file may make a reader do (issue 11: zip bombs, element bombs, page bombs).
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # decompressed from one DOCX/OFD, all members together
MAX_ZIP_MEMBERS = 20_000
MAX_XML_ELEMENTS = 1_000_000  # elements parsed from one file, all its XML parts together
MAX_HTML_TAGS = 500_000  # tags of one HTML page (html.parser handles about 500,000 a second)
MAX_PAGES = 2_000  # pages of one PDF or OFD
MAX_TEXT_CHARS = 20_000_000  # text extracted from one file


class ReadError(Exception):
    """A file that cannot be read; `code` is stable for programs, `message` is for people.

    `unexpected` names the exception class when the readers' last-resort net made this error out of
    an exception no reader expected (a reader bug to fix; the file is still refused cleanly).
    """

    def __init__(self, code: str, message: str, *, unexpected: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.unexpected = unexpected


@dataclass
class ReadResult:
    text: str
    format: str
    encoding: str = ""
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)


def too_complex(label: str, what: str, limit: int) -> ReadError:
    return ReadError("too_complex", f"{label} 文件结构异常：{what}超过上限（{limit:,}），已停止读取。")
