"""Who may do participation work for which organisation."""

from __future__ import annotations

from typing import Any

from gongkai.accounts.constants import OrganisationKind, Role
from gongkai.accounts.permissions import require_role


def require_editor(actor: Any, organisation_id: int | None, action: str) -> None:
    """Participation work is done by the organisation's editors (and its organisation admins).

    A government's own catalogue, drafts and meetings are run by its general office (政府办公室), so the
    office's editors act for the government above it.
    """
    if organisation_id is not None and organisation_id in acting_for(actor):
        organisation_id = actor.organisation_id
    require_role(actor, Role.EDITOR, organisation_id, action)


def acting_for(user: Any) -> list[int]:
    """The organisations a staff member works for: their own, and the government their general office serves."""
    organisation = getattr(user, "organisation", None)
    if organisation is None:
        return []
    ids = [organisation.pk]
    if organisation.kind == OrganisationKind.GENERAL_OFFICE and organisation.parent_id:
        ids.append(organisation.parent_id)
    return ids
