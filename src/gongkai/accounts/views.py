"""Two-factor setup: every staff member may enrol an authenticator app; required roles must."""

from __future__ import annotations

from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .twofactor import confirmed_device, two_factor_required


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return "/admin/"


@staff_member_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {**admin.site.each_context(request), "next": _next_url(request), "title": _("两步验证"),
               "required": two_factor_required(user)}  # fmt: skip
    if confirmed_device(user) is not None:
        return render(request, "accounts/two_factor.html", {**context, "enabled": True})
    device = services.start_totp_enrolment(actor=user)
    error = ""
    if request.method == "POST":
        try:
            device = services.confirm_totp_device(device, actor=user, token=request.POST.get("token", ""))
        except ValidationError as exc:
            error = "；".join(exc.message_dict["token"])
        else:
            django_otp.login(request, device)
            messages.success(request, _("两步验证已启用，今后登录时请输入身份验证器显示的动态验证码。"))
            return redirect(context["next"])
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor.html",
        {
            **context,
            "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff"),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "error": error,
        },
        status=400 if error else 200,
    )


def lockout(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """django-axes: the page shown while a username or address is locked out (HTTP 429)."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "accounts/lockout.html", context, status=429)
