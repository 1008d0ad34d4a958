"""A cheap look at a PDF's compressed streams before PDFium parses it.

PDFium inflates and interprets content streams without a limit: 300 KB of PDF holding a 200 MB
content stream kept it busy for seconds and took 470 MB (issue 11). Here every Flate-compressed stream
that is not an image is inflated in bounded steps, discarding the output, and the file is refused
once they add up to more than MAX_UNZIPPED_BYTES. Images are skipped (scans are large and harmless
to text extraction); streams that do not inflate are left for the PDF readers to judge.
"""

from __future__ import annotations

import re
import zlib

from . import errors
from .errors import ReadError

_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_STEP = 1024 * 1024


def check_streams(content: bytes) -> None:
    """Raise ReadError('too_large') when the non-image Flate streams inflate past the limit."""
    limit = errors.MAX_UNZIPPED_BYTES
    total = 0
    view = memoryview(content)
    for match in _STREAM.finditer(content):
        start = match.end()
        header = content[max(0, match.start() - 2048) : match.start()]
        header = header[header.rfind(b"obj") + 1 :]
        if b"Flate" not in header or re.search(rb"/Subtype\s*/Image", header):
            continue
        end = content.find(b"endstream", start)
        data = view[start : end if end != -1 else len(content)]
        inflate = zlib.decompressobj()
        try:
            while data:
                total += len(inflate.decompress(data, _STEP))
                if total > limit:
                    raise ReadError(
                        "too_large",
                        f"PDF 文件的内容流解压后超过 {limit // (1024 * 1024)} MB，可能是“压缩炸弹”，已停止读取。",
                    )
                data = inflate.unconsumed_tail
                if inflate.eof:
                    break
        except zlib.error:
            continue
