"""Role groups and the model permissions each grants in the back office."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group, Permission

from .constants import Role

# app_label.model -> actions. Object-level scoping by organisation is applied in admin querysets.
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.EDITOR: {
        "documents.document": ("view", "add", "change"),
        "documents.attachment": ("view", "add", "change", "delete"),
        "documents.documentrelation": ("view", "add", "change", "delete"),
        "documents.tag": ("view", "add"),
        "documents.theme": ("view",),
    },
    Role.REVIEWER: {
        "documents.document": ("view", "change"),
        "documents.attachment": ("view",),
        "documents.documentrelation": ("view",),
        "documents.theme": ("view",),
    },
    Role.FOI_OFFICER: {},
    Role.APPROVER: {},
    Role.ORG_ADMIN: {
        "accounts.user": ("view", "add", "change"),
        "documents.document": ("view", "add", "change"),
        "documents.attachment": ("view", "add", "change", "delete"),
        "documents.documentrelation": ("view", "add", "change", "delete"),
        "documents.tag": ("view", "add", "change"),
        "documents.theme": ("view",),
    },
    Role.PLATFORM_ADMIN: {},
}

# Apps register more permissions here from their own modules (rule 4: no cross-app edits).
EXTRA_ROLE_PERMISSIONS: list[dict[str, dict[str, tuple[str, ...]]]] = []


def ensure_role_groups(sender: Any = None, **kwargs: Any) -> None:
    """Create one group per role and grant its permissions; idempotent (runs after migrate)."""
    tables = [ROLE_PERMISSIONS, *EXTRA_ROLE_PERMISSIONS]
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted: list[Permission] = []
        if role == Role.PLATFORM_ADMIN:
            wanted = list(Permission.objects.all())
        for table in tables:
            for model_key, actions in table.get(role, {}).items():
                app_label, model = model_key.split(".")
                codenames = [f"{action}_{model}" for action in actions]
                wanted += list(
                    Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
                )
        group.permissions.add(*wanted)


# Separation of duties (职责分离, 等保2.0 三级 安全管理): an account that drafts (an editor, or an
# organisation admin, who may draft) does not also approve; only a platform admin can grant both,
# and the grant is recorded as conflicting in the audit log.
DRAFTING_ROLES = frozenset({Role.EDITOR.value, Role.ORG_ADMIN.value})
APPROVING_ROLES = frozenset({Role.REVIEWER.value})


def roles_conflict(roles: Iterable[str]) -> bool:
    """True when the roles let one account both draft and approve a document."""
    names = {str(role) for role in roles}
    return bool(names & DRAFTING_ROLES) and bool(names & APPROVING_ROLES)
