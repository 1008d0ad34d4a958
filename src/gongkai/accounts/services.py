"""Writes to staff accounts: role grants (with separation of duties) and two-factor devices."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.services import record_event

from .constants import Role
from .models import User
from .permissions import require_role
from .roles import roles_conflict


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
