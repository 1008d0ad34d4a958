"""The publication workflow shared by documents and their interpretations.

Both move draft → in review → published → withdrawn → draft (先审查、后公开, 条例 Art. 17); the
services in `documents.services` and `documents.interpretations` wrap each transition (rule 1).
"""

from __future__ import annotations

from typing import Any

from django_fsm import FSMField, transition

from .constants import DocumentStatus


def publication_transitions(status: FSMField) -> tuple[Any, Any, Any, Any, Any]:
    """Fresh transition methods bound to one model's `status` field, in the order
    submit, reject, publish, withdraw, reopen (each model needs its own function objects)."""

    @transition(field=status, source=DocumentStatus.DRAFT, target=DocumentStatus.IN_REVIEW)
    def submit(self: Any) -> None:
        """A draft goes to review."""

    @transition(field=status, source=DocumentStatus.IN_REVIEW, target=DocumentStatus.DRAFT)
    def reject(self: Any) -> None:
        """Returned to the drafter with the reviewer's reason."""

    @transition(field=status, source=DocumentStatus.IN_REVIEW, target=DocumentStatus.PUBLISHED)
    def publish(self: Any) -> None:
        """Approved and published."""

    @transition(field=status, source=DocumentStatus.PUBLISHED, target=DocumentStatus.WITHDRAWN)
    def withdraw(self: Any) -> None:
        """Taken off the public surfaces; kept for the audit trail."""

    @transition(field=status, source=DocumentStatus.WITHDRAWN, target=DocumentStatus.DRAFT)
    def reopen(self: Any) -> None:
        """A withdrawn item becomes a draft again for revision."""

    return submit, reject, publish, withdraw, reopen
