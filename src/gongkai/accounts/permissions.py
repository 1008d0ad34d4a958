"""Who may do what to which organisation's items."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .constants import Role


def same_organisation(user: Any, organisation_id: int | None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_platform_admin", False):
        return True
    return organisation_id is not None and user.organisation_id == organisation_id


def require_role(user: Any, role: Role, organisation_id: int | None, action: str) -> None:
    """Raise PermissionDenied (Chinese message) unless `user` holds `role` in that organisation."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("请先登录后再%(action)s。") % {"action": action})
    if not same_organisation(user, organisation_id):
        raise PermissionDenied(_("您不能%(action)s其他单位的事项。") % {"action": action})
    if not (user.has_role(role) or (user.has_role(Role.ORG_ADMIN) and role == Role.EDITOR)):
        raise PermissionDenied(
            _("%(action)s需要“%(role)s”角色。") % {"action": action, "role": Role(role).label}
        )
