"""Listeners for other apps' signals (rule 4)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from . import services


def open_task_on_submit(sender: Any, document: Any, **kwargs: Any) -> None:
    """A document sent for review gets its review task (一事一审) with the detector's findings."""
    try:
        services.open_task(document)
    except ValidationError:
        pass  # no longer in review (e.g. published in the same request): nothing to open


def open_task_on_interpretation_submit(sender: Any, interpretation: Any, **kwargs: Any) -> None:
    """A 动态解读 sent for review on its own gets its own task."""
    from .interpretations import open_interpretation_task

    try:
        open_interpretation_task(interpretation)
    except ValidationError:
        pass  # no longer in review
