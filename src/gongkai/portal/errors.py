"""Error pages (400/403/404/413/414/500) in Chinese in the site's layout, with DEBUG off.

None of them shows a traceback, a local variable, a path or a setting; the 500 page falls back to a
plain page when the layout itself cannot be rendered (e.g. the database is down).
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)
_CHINESE = re.compile(r"[\u4e00-\u9fff]")

FALLBACK_500 = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>服务器错误</title></head>'
    "<body><h1>服务器错误（500）</h1><p>服务器处理请求时出错，请稍后再试。</p>"
    '<p><a href="/">返回首页</a></p></body></html>'
)


def _page(request: HttpRequest, template: str, status: int, **context: object) -> HttpResponse:
    return HttpResponse(render_to_string(template, context, request=request), status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        limit_kib = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        return _page(request, "413.html", 413, limit=f"{limit_kib} KiB")
    return _page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Our services raise PermissionDenied with a Chinese sentence naming the role an action needs
    (accounts.permissions.require_role); that sentence is shown. Anything else (English from a
    library) is not."""
    reason = str(exception) if exception is not None and exception.args else ""
    if not _CHINESE.search(reason):
        reason = ""
    return _page(request, "403.html", 403, reason=reason)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(request, "403.html", 403, csrf=True)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "404.html", 404)


def uri_too_long(request: HttpRequest) -> HttpResponse:
    return _page(request, "414.html", 414)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _page(request, "500.html", 500)
    except Exception:
        logger.exception("the 500 page could not be rendered in the site layout")
        return HttpResponseServerError(FALLBACK_500)
