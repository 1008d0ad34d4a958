"""Who may use the office's tools: the platform admins (the district's 政务公开 office) run them;
each organisation's editors report on their own work-plan items."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def is_office(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(user.is_platform_admin)


def require_office(actor: Any, action: str) -> None:
    """`actor=None` is the system (command line, periodic tasks)."""
    if actor is not None and not is_office(actor):
        raise PermissionDenied(_("无权%(action)s：仅政务公开主管部门可以操作。") % {"action": action})


def require_staff(actor: Any, action: str) -> None:
    if actor is not None and not (getattr(actor, "is_authenticated", False) and actor.is_staff):
        raise PermissionDenied(_("无权%(action)s。") % {"action": action})
