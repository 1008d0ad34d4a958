"""Staff sessions: an absolute lifetime, and two-factor authentication where the role requires it.

Runs after django-otp's OTPMiddleware, which tells whether this session passed a one-time code
(`request.user.is_verified()`). The idle timeout itself is Django's (SESSION_COOKIE_AGE renewed on
every request, see conf/base.py).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .twofactor import confirmed_device, two_factor_required

LOGIN_AT = "gongkai_login_at"

# Staff screens: a public account (a citizen or an enterprise) is turned away from every one of them,
# whatever check the view itself makes. The 定向公开 recipients' pages under /review/ stay open.
STAFF_PATHS = re.compile(
    r"^/(admin/|staff/|review/(?!t/|targeted/)|reports/manage/|foi/staff/|participation/staff/|topics/staff/)"
)


def remember_login_time(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """user_logged_in receiver: the start of the session's absolute lifetime."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = int(time.time())


class StaffSessionMiddleware:
    # Paths a signed-in member who still has to enrol an authenticator may open.
    open_paths = ("/static/", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if getattr(user, "kind", "staff") != "staff" and STAFF_PATHS.match(request.path_info):
                raise PermissionDenied(_("公众账号不能访问工作人员页面。"))
            response = self._expired(request) or self._two_factor(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _login_again(self, request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        messages.warning(request, message)
        login = reverse("admin:login")
        return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")

    def _expired(self, request: HttpRequest) -> HttpResponse | None:
        started = request.session.get(LOGIN_AT)
        if started is None:
            request.session[LOGIN_AT] = int(time.time())
        elif time.time() - started > settings.SESSION_MAX_HOURS * 3600:
            return self._login_again(
                request, _("登录已超过%(hours)s小时，请重新登录。") % {"hours": settings.SESSION_MAX_HOURS}
            )
        return None

    def _two_factor(self, request: HttpRequest, user: Any) -> HttpResponse | None:
        if not two_factor_required(user) or user.is_verified():
            return None
        if confirmed_device(user) is not None:
            # Signed in without the one-time code the account now has: sign in again with it.
            return self._login_again(request, _("您的账号已启用两步验证，请输入动态验证码重新登录。"))
        setup = reverse("accounts:two-factor")
        if request.path in (setup, reverse("admin:logout")) or request.path.startswith(self.open_paths):
            return None
        return redirect(f"{setup}?{urlencode({'next': request.get_full_path()})}")
