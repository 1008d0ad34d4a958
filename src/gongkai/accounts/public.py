"""Public accounts (citizens and enterprises): registration with e-mail verification, consent and
its withdrawal, deletion (rule 1: every write here, one transaction, an audit event).

Public users are never staff: `kind` is person or enterprise, `is_staff` stays False and they hold no
role group, so every staff screen (which checks `is_staff` or a role) turns them away.

The audit log never names a public user (个人信息保护法 Art. 47: a deleted account leaves no
personal data behind): events carry the account's number only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from gongkai.core.http import site_url
from gongkai.core.services import record_event

from .constants import EnterpriseSize, UserKind
from .models import PublicAccount, User

ENTERPRISE_FIELDS = (
    "enterprise_name",
    "credit_code",
    "industry_code",
    "size",
    "street",
    "park",
    "associations",
)
_LIMITS = {"enterprise_name": 120, "industry_code": 8, "street": 60, "park": 120, "associations": 300}
_LABELS = {"enterprise_name": "企业名称", "industry_code": "行业", "street": "所在街镇", "park": "所在园区",
           "associations": "所属协会商会"}  # fmt: skip


def actor_label(user: Any) -> str:
    """How the audit log names a public user: by number, never by name or e-mail."""
    return f"public-account:{user.pk}"


def clean_credit_code(value: str, *, field: str = "credit_code") -> str:
    """统一社会信用代码 (GB 32100-2015): 18 characters with a check character."""
    code = "".join(value.split()).upper()
    if not code:
        return ""
    if not uscc.is_valid(code):
        raise ValidationError(
            {field: _("统一社会信用代码：%(code)s 不是有效的代码（长度或校验位不对）。") % {"code": code}}
        )
    return code


def clean_enterprise(fields: dict[str, Any]) -> dict[str, str]:
    """The enterprise attributes, validated; unknown keys are ignored."""
    cleaned = {name: str(fields.get(name) or "").strip() for name in ENTERPRISE_FIELDS}
    errors: dict[str, str] = {}
    try:
        cleaned["credit_code"] = clean_credit_code(cleaned["credit_code"])
    except ValidationError as exc:
        errors.update({key: value[0] for key, value in exc.message_dict.items()})
    if cleaned["size"] and cleaned["size"] not in EnterpriseSize.values:
        errors["size"] = _("企业规模：请选择大型、中型、小型或微型。")
    for name, limit in _LIMITS.items():
        if len(cleaned[name]) > limit:
            errors[name] = _("%(label)s：不能超过 %(limit)s 个字。") % {
                "label": _(_LABELS[name]),
                "limit": limit,
            }
    if errors:
        raise ValidationError(errors)
    return cleaned


def check_registration(*, email: str, password: str, kind: str, consent: bool) -> str:
    """Validate what a registration needs; returns the normalised e-mail. Writes nothing."""
    errors: dict[str, str] = {}
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("电子邮箱：请填写有效的电子邮箱地址。")
    else:
        if (
            User.objects.filter(username__iexact=email).exists()
            or User.objects.filter(email__iexact=email).exists()
        ):
            errors["email"] = _("电子邮箱：该邮箱已注册，请直接登录或找回密码。")
    if kind not in (UserKind.PERSON, UserKind.ENTERPRISE):
        errors["kind"] = _("账号类型：请选择个人或企业。")
    try:
        validate_password(password, User(username=email, email=email))
    except ValidationError as exc:
        errors["password"] = _("密码：") + "；".join(exc.messages)
    if not consent:
        # 个人信息保护法 Art. 13–14: processing needs the person's informed, explicit consent
        errors["consent"] = _("同意：请阅读并同意个人信息处理规则后再注册。")
    if errors:
        raise ValidationError(errors)
    return email


def register_public_account(
    *, actor: Any = None, email: str, password: str, kind: str, consent: bool, display_name: str = "",
    **enterprise: Any,
) -> User:  # fmt: skip
    """Create an inactive public account and mail its verification link (after commit)."""
    email = check_registration(email=email, password=password, kind=kind, consent=consent)
    details = clean_enterprise(enterprise) if kind == UserKind.ENTERPRISE else {}
    if kind == UserKind.ENTERPRISE and not details.get("enterprise_name"):
        raise ValidationError({"enterprise_name": _("企业名称：企业账号请填写企业名称。")})
    with transaction.atomic(durable=True):
        user = User(username=email, email=email, kind=kind, is_active=False, is_staff=False,
                    display_name=display_name[:60])  # fmt: skip
        user.set_password(password)
        user.save()
        PublicAccount.objects.create(user=user, consent_at=timezone.now(), **details)
        record_event(
            "accounts.public_registered", actor=actor_label(user), data={"account": user.pk, "kind": kind}
        )
        transaction.on_commit(lambda: send_verification(user))
    return user


def verification_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return site_url(reverse("accounts:verify", args=[uid, default_token_generator.make_token(user)]))


def send_verification(user: User) -> None:
    body = _("您好：\n\n请打开以下链接验证邮箱并启用账号：\n%(link)s\n\n如非本人操作，请忽略本邮件。") % {
        "link": verification_link(user)
    }
    send_mail(_("请验证您的邮箱"), body, None, [user.email])


def verify_email(uidb64: str, token: str) -> User:
    """Activate the account the link was made for; a forged or used link changes nothing."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        raise ValidationError({"token": _("验证链接：链接无效。")}) from None
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().filter(pk=pk).exclude(kind=UserKind.STAFF).first()
        if user is None or not default_token_generator.check_token(user, token):
            raise ValidationError({"token": _("验证链接：链接无效或已过期，请重新注册或找回密码。")})
        if user.is_active:
            return user
        user.is_active = True
        user.save(update_fields=["is_active"])
        PublicAccount.objects.filter(user=user).update(email_verified_at=timezone.now())
        record_event("accounts.public_verified", actor=actor_label(user), data={"account": user.pk})
    return user


def _own_account(user: Any) -> PublicAccount:
    if (
        not getattr(user, "is_authenticated", False)
        or getattr(user, "kind", UserKind.STAFF) == UserKind.STAFF
    ):
        raise PermissionDenied(_("只有公众账号可以修改自己的资料。"))
    return PublicAccount.objects.select_for_update().get_or_create(user_id=user.pk)[0]


def update_public_account(
    user: User, *, actor: Any, display_name: str | None = None, **enterprise: Any
) -> PublicAccount:
    """A public user edits their own attributes (not durable: the profile page saves its tags in the
    same transaction)."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied(_("只能修改本人的资料。"))
    details = clean_enterprise(enterprise) if user.kind == UserKind.ENTERPRISE else {}
    with transaction.atomic():
        account = _own_account(user)
        for name, value in details.items():
            setattr(account, name, value)
        account.save()
        if display_name is not None:
            User.objects.filter(pk=user.pk).update(display_name=display_name.strip()[:60])
        record_event("accounts.public_updated", actor=actor_label(user), data={"account": user.pk})
    return account


def set_consent(user: User, *, actor: Any, consent: bool) -> PublicAccount:
    """Give or withdraw consent to profile-based push (个人信息保护法 Art. 15: withdrawal is as easy).
    Not durable: subscriptions stops the profile's push in the same transaction."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied(_("只能修改本人的同意。"))
    with transaction.atomic():
        account = _own_account(user)
        if consent:
            account.consent_at, account.consent_withdrawn_at = timezone.now(), None
        else:
            account.consent_withdrawn_at = timezone.now()
        account.save(update_fields=["consent_at", "consent_withdrawn_at", "updated_at"])
        record_event(
            "accounts.public_consent", actor=actor_label(user), data={"account": user.pk, "consent": consent}
        )
    return account


def delete_public_account(user: User, *, actor: Any) -> None:
    """Delete the account with its profile and subscriptions (个人信息保护法 Art. 47)."""
    if actor is None or actor.pk != user.pk or user.kind == UserKind.STAFF:
        raise PermissionDenied(_("只能注销本人的公众账号。"))
    with transaction.atomic(durable=True):
        pk = user.pk
        record_event("accounts.public_deleted", actor=actor_label(user), data={"account": pk})
        User.objects.filter(pk=pk).delete()  # cascades: PublicAccount, profile, subscriptions, inbox


def public_account(user: Any) -> PublicAccount | None:
    if (
        not getattr(user, "is_authenticated", False)
        or getattr(user, "kind", UserKind.STAFF) == UserKind.STAFF
    ):
        return None
    return PublicAccount.objects.filter(user_id=user.pk).first()
