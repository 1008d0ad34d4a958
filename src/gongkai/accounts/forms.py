"""The staff login: password, then the authenticator's one-time code when the account has one."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .twofactor import confirmed_device


class StaffAuthenticationForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label=_("动态验证码"),
        required=False,
        max_length=10,
        help_text=_("已启用两步验证的账号，请输入身份验证器当前显示的6位数字。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        data = super().clean()  # password check (django-axes counts failures and locks out)
        user = self.get_user()
        device = confirmed_device(user)
        if device is None:
            return data
        token = "".join((data.get("otp_token") or "").split())
        allowed, _detail = device.verify_is_allowed()
        if not allowed:
            self._refuse(user)
            raise ValidationError(_("动态验证码错误次数过多，请稍后再试。"), code="otp_throttled")
        if not (token.isdigit() and device.verify_token(token)):
            self._refuse(user)
            message = _("动态验证码不正确或已过期。") if token else _("请输入动态验证码。")
            raise ValidationError(message, code="otp_invalid")
        user.otp_device = device  # django-otp marks the session verified on login
        return data

    def _refuse(self, user) -> None:
        """A wrong second factor counts as a failed login (django-axes)."""
        self.user_cache = None
        user_login_failed.send(
            sender=type(self), credentials={"username": user.get_username()}, request=self.request
        )
