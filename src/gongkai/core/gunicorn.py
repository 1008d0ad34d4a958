"""The gunicorn worker that `gongkai serve` runs: request lines up to REQUEST_LINE_BOUND reach Django,
and a longer one gets the Chinese 414 page in the site's layout instead of gunicorn's English one.

gunicorn accepts a `--limit-request-line` of at most 8190 bytes (or 0, unbounded). 8190 bytes is
only about 900 Chinese characters once percent-encoded, so a pasted search query would get the
server's own 414; unbounded lets a client make a worker buffer any amount. The bound below is read
by gunicorn's parser from `gunicorn.http.message.MAX_REQUEST_LINE` when it parses each request, so
it is raised here, when the arbiter loads this worker class (before the workers fork).
Django then answers: URLs longer than URL_MAX_LENGTH get its 414 page, the search page cuts an
over-long query with a notice.
"""

from __future__ import annotations

import logging
from typing import Any

from gunicorn.http import errors as http_errors
from gunicorn.http import message
from gunicorn.workers.gthread import ThreadWorker
from gunicorn.workers.sync import SyncWorker

REQUEST_LINE_BOUND = 64 * 1024
message.MAX_REQUEST_LINE = max(message.MAX_REQUEST_LINE, REQUEST_LINE_BOUND)

logger = logging.getLogger(__name__)

FALLBACK_414 = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>网址过长</title></head>'
    "<body><h1>网址过长（414）</h1><p>网址超过了本站允许的长度。请缩短检索词或筛选条件后重试。</p>"
    '<p><a href="/">返回首页</a></p></body></html>'
)


def too_long_page() -> bytes:
    """The 414 page as Django renders it for an over-long URL (templates/414.html), in Chinese; no
    request reached Django, so it is rendered for an anonymous visitor of the home page."""
    import io

    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.core.handlers.wsgi import WSGIRequest
    from django.template.loader import render_to_string
    from django.utils import translation

    try:
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "SERVER_NAME": "localhost",
                   "SERVER_PORT": "80", "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "https"}  # fmt: skip
        request = WSGIRequest(environ)
        request.user = AnonymousUser()
        with translation.override(settings.LANGUAGE_CODE):
            return render_to_string("414.html", request=request).encode()
    except Exception:
        logger.exception("the 414 page could not be rendered in the site layout")
        return FALLBACK_414.encode()


class ChineseTooLongPage:
    """Answers an over-long request line with the site's Chinese 414 page."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if not isinstance(exc, http_errors.LimitRequestLine):
            return super().handle_error(req, client, addr, exc)
        body = too_long_page()
        head = (
            "HTTP/1.1 414 URI Too Long\r\nConnection: close\r\nContent-Type: text/html; charset=utf-8\r\n"
            "Content-Security-Policy: default-src 'self'; frame-ancestors 'none'\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        try:
            client.sendall(head.encode("ascii") + body)
        except OSError:
            self.log.debug("the client left before the 414 page was sent")


class Worker(ChineseTooLongPage, SyncWorker):
    """One request at a time per process (`gongkai serve --threads 1`)."""


class ThreadedWorker(ChineseTooLongPage, ThreadWorker):
    """gunicorn's gthread worker: keep-alive, and a slow request does not hold up the others."""
