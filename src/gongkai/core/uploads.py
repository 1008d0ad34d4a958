"""Limits on what one request may upload, enforced while the body streams in.

Django writes uploads above FILE_UPLOAD_MAX_MEMORY_SIZE to temporary files, but stores every file of
a request whatever their number and size: 20 × 45 MB reached one public form (issue 11). A view
puts `UploadLimitHandler` first in `request.upload_handlers` (before anything reads request.POST, so
the view is csrf_exempt and checks CSRF itself with csrf_protect); past the limit the handler stops
storing files, the rest of the body is read and dropped, and `upload_limit_exceeded(request)` is
True so the form can say so.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

_FLAG = "_gongkai_upload_limit_exceeded"


class UploadLimitHandler(FileUploadHandler):
    """Counts files and bytes of one request; stops the upload past `max_files` or `max_bytes`."""

    def __init__(self, request: HttpRequest, *, max_files: int, max_bytes: int) -> None:
        super().__init__(request)
        self.max_files = max_files
        self.max_bytes = max_bytes
        self.files = 0
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.files += 1
        if self.files > self.max_files:
            self._stop()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self._stop()
        return raw_data  # the next handler (memory or temporary file) stores it

    def file_complete(self, file_size: int) -> None:
        return None

    def _stop(self) -> None:
        setattr(self.request, _FLAG, True)
        raise StopUpload(connection_reset=False)


def limit_uploads(request: HttpRequest, *, max_files: int, max_bytes: int) -> None:
    request.upload_handlers.insert(0, UploadLimitHandler(request, max_files=max_files, max_bytes=max_bytes))


def upload_limit_exceeded(request: HttpRequest) -> bool:
    return bool(getattr(request, _FLAG, False))
