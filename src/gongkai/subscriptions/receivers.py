"""Reacting to documents' signals (sent on commit): matching and queuing run in Celery."""

from __future__ import annotations

from typing import Any

from gongkai.core.tasks import run_task
from gongkai.documents import signals
from gongkai.documents.services import PUBLISH_PREVIEWS


def on_published(sender: Any, document: Any, **kwargs: Any) -> None:
    from . import tasks

    run_task(tasks.push_published, document.pk)


def on_interpretation_published(sender: Any, interpretation: Any, **kwargs: Any) -> None:
    from . import tasks

    run_task(tasks.push_interpretation, interpretation.pk)


def on_changed(sender: Any, document: Any, **kwargs: Any) -> None:
    from . import tasks

    run_task(tasks.push_change, document.pk)


def connect() -> None:
    from .selectors import audience_preview

    signals.document_published.connect(on_published, dispatch_uid="subscriptions-published")
    signals.interpretation_published.connect(
        on_interpretation_published, dispatch_uid="subscriptions-interpretation"
    )
    signals.document_changed.connect(on_changed, dispatch_uid="subscriptions-changed")
    if audience_preview not in PUBLISH_PREVIEWS:
        PUBLISH_PREVIEWS.append(audience_preview)
