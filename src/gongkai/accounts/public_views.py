"""Public accounts on the public site: register, verify the e-mail, log in and out, reset the
password (Django's auth views with Chinese templates), consent and deletion (rule 2: thin views)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.core.http import rate_limited

from . import public
from .constants import UserKind

REGISTRATIONS_PER_HOUR = 10


class RegistrationForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("账号类型"), choices=[(k.value, k.label) for k in (UserKind.PERSON, UserKind.ENTERPRISE)],
                             widget=forms.RadioSelect, initial=UserKind.PERSON)  # fmt: skip
    email = forms.CharField(label=gettext_lazy("电子邮箱"), max_length=150,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))  # fmt: skip
    password = forms.CharField(
        label=gettext_lazy("密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    display_name = forms.CharField(label=gettext_lazy("称呼（选填）"), max_length=60, required=False)
    enterprise_name = forms.CharField(
        label=gettext_lazy("企业名称（企业账号必填）"), max_length=120, required=False
    )
    credit_code = forms.CharField(
        label=gettext_lazy("统一社会信用代码（企业账号）"), max_length=24, required=False
    )
    consent = forms.BooleanField(label=gettext_lazy("我已阅读并同意个人信息处理规则：平台按我选择的身份和标签向我推送相关政策，我可以随时撤回同意或注销账号。"),
                                 required=False)  # fmt: skip


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if rate_limited(request, "register", REGISTRATIONS_PER_HOUR):
            form.add_error(None, _("注册过于频繁，请稍后再试。"))
        else:
            try:
                public.register_public_account(**form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return render(
                    request, "accounts/public/registered.html", {"email": form.cleaned_data["email"]}
                )
    return render(
        request, "accounts/public/register.html", {"form": form}, status=400 if form.errors else 200
    )


def verify(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        public.verify_email(uidb64, token)
    except ValidationError as exc:
        return render(request, "accounts/public/verify_failed.html", {"errors": exc.messages}, status=400)
    messages.success(request, _("邮箱已验证，账号已启用，请登录。"))
    return redirect("accounts:login")


class PublicAuthenticationForm(AuthenticationForm):
    """A public account signs in with its e-mail address (its user name)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = gettext_lazy("电子邮箱")
        self.fields["username"].widget.input_type = "email"


class PublicLoginView(auth_views.LoginView):
    template_name = "accounts/public/login.html"
    authentication_form = PublicAuthenticationForm
    redirect_authenticated_user = False

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        if getattr(user, "kind", UserKind.STAFF) != UserKind.STAFF:
            return str(reverse_lazy("subscriptions:my-policies"))
        return "/admin/"


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("您已退出登录。"))
    return redirect("portal:home")


@login_required(login_url="accounts:login")
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("confirm") == "1":
        user = request.user
        public.delete_public_account(user, actor=user)
        logout(request)
        messages.success(request, _("账号及其资料、订阅已全部删除。"))
        return redirect("portal:home")
    return render(request, "accounts/public/delete.html")


class PublicPasswordResetForm(PasswordResetForm):
    """Only public accounts reset their password here; staff ask their platform administrator."""

    def get_users(self, email: str):  # noqa: ANN201  (Django's signature)
        return (user for user in super().get_users(email) if user.kind != UserKind.STAFF)


password_reset = auth_views.PasswordResetView.as_view(
    form_class=PublicPasswordResetForm,
    extra_email_context={"site_url": settings.SITE_URL},
    template_name="accounts/public/password_reset.html",
    email_template_name="accounts/public/password_reset_email.txt",
    subject_template_name="accounts/public/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/public/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/public/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/public/password_reset_complete.html"
)
