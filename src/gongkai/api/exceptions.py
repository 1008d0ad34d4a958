"""API errors in Chinese, keyed by field, whatever DRF, Django or a service raised."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

MESSAGES = {
    exceptions.ParseError: "请求内容不是有效的 JSON。",
    exceptions.NotFound: "未找到该对象，或您无权查看。",
    exceptions.NotAuthenticated: "请先登录或提供有效的令牌（Authorization: Token …）。",
    exceptions.AuthenticationFailed: "令牌无效或已失效。",
    exceptions.MethodNotAllowed: "不支持该请求方法。",
    exceptions.UnsupportedMediaType: "不支持的请求内容类型，请使用 application/json。",
}


def as_api_error(exc: Exception) -> Exception:
    """The DRF exception for a Django one (services raise Django's ValidationError/PermissionDenied)."""
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or "您没有执行该操作的权限。")
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    return exc


def chinese_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = as_api_error(exc)
    if isinstance(exc, exceptions.Throttled):
        exc.detail = f"请求过于频繁，请在 {exc.wait or 60:.0f} 秒后重试。"
    else:
        for kind, message in MESSAGES.items():
            if isinstance(exc, kind):
                exc.detail = message
                break
    return exception_handler(exc, context)


def call_service(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a service from an API view; its Django errors become API errors with the same Chinese messages."""
    try:
        return func(*args, **kwargs)
    except (DjangoValidationError, DjangoPermissionDenied) as exc:
        raise as_api_error(exc) from None
