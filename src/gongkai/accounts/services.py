"""Writes to staff accounts: role grants (with separation of duties) and two-factor devices."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.core.services import record_event

from .constants import Role
from .models import User
from .permissions import require_role
from .roles import roles_conflict
from .twofactor import confirmed_device, pending_device


def check_roles(user: User, *, actor: Any, roles: Iterable[str]) -> bool:
    """Raise unless `actor` may give `user` exactly these roles; returns whether they conflict.

    An organisation admin manages their own organisation's staff, never grants platform powers and
    never gives one account a drafting and an approving role (职责分离); a platform admin may, and
    the grant is audited as conflicting.
    """
    names = {str(role) for role in roles}
    if getattr(actor, "is_platform_admin", False):
        return roles_conflict(names)
    require_role(actor, Role.ORG_ADMIN, user.organisation_id, _("分配角色"))
    if Role.PLATFORM_ADMIN.value in names:
        raise PermissionDenied(_("只有平台管理员可以授予“平台管理员”角色。"))
    if roles_conflict(names):
        raise ValidationError(
            {
                "groups": _(
                    "角色：同一账号不能既有起草角色（编辑、单位管理员）又有“审核人”角色（职责分离）；"
                    "确需兼任的，须由平台管理员授予。"
                )
            }
        )
    return False


def set_roles(user: User, *, actor: Any, roles: Iterable[str]) -> User:
    """Give `user` exactly `roles` (role groups), after `check_roles`; records `accounts.roles_changed`."""
    names = sorted({str(role) for role in roles})
    conflicting = check_roles(user, actor=actor, roles=names)
    with transaction.atomic():
        before = sorted(user.groups.values_list("name", flat=True))
        if before == names:
            return user
        user.groups.set(Group.objects.filter(name__in=names))
        user.__dict__.pop("_role_cache", None)
        record_event(
            "accounts.roles_changed",
            actor=actor,
            target=user,
            organisation=user.organisation,
            data={"from": before, "to": names, "conflicting": conflicting},
        )
    return user


# ---------------------------------------------------------------- two-factor authentication (TOTP)


def start_totp_enrolment(*, actor: User) -> TOTPDevice:
    """The authenticator being set up for `actor`: a new secret unless one is pending."""
    if confirmed_device(actor) is not None:
        raise ValidationError({"token": _("两步验证已启用；如需更换手机，请联系平台管理员重置。")})
    return pending_device(actor) or TOTPDevice.objects.create(
        user=actor, name=_("身份验证器"), confirmed=False
    )


def confirm_totp_device(device: TOTPDevice, *, actor: User, token: str) -> TOTPDevice:
    """Switch two-factor authentication on once the user typed a code from their authenticator."""
    if device.user_id != actor.pk:
        raise PermissionDenied(_("只能为自己的账号启用两步验证。"))
    token = "".join(str(token or "").split())
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if locked.confirmed:
            return locked
        if not (token.isdigit() and locked.verify_token(token)):
            raise ValidationError(
                {"token": _("动态验证码不正确或已过期，请输入身份验证器当前显示的6位数字。")}
            )
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        record_event(
            "accounts.two_factor_enabled", actor=actor, target=actor, organisation=actor.organisation
        )
    return locked


def reset_two_factor(user: User, *, actor: Any) -> int:
    """Remove a member's authenticators (a lost phone); platform admins only. Returns how many."""
    if not getattr(actor, "is_platform_admin", False):
        raise PermissionDenied(_("只有平台管理员可以重置两步验证。"))
    with transaction.atomic():
        count, _deleted = TOTPDevice.objects.filter(user=user).delete()
        record_event("accounts.two_factor_reset", actor=actor, target=user, organisation=user.organisation,
                     data={"devices": count})  # fmt: skip
    return count
