"""Listen to the documents app (rule 4). Its signals are sent on commit (rule 3)."""

from __future__ import annotations

import logging
from typing import Any

from gongkai.core.signals import backup_restored
from gongkai.core.tasks import run_task
from gongkai.documents.signals import (
    document_changed,
    document_published,
    document_withdrawn,
    interpretation_published,
    interpretation_withdrawn,
)

from . import segmenter

logger = logging.getLogger(__name__)


def _schedule(task_name: str, document_id: int) -> None:
    # the tasks (and with them Celery) are imported on first use, not at start-up (issue 20)
    from . import tasks

    try:
        run_task(getattr(tasks, task_name), document_id)
    except Exception:  # indexing must never undo or fail a publication; `gongkai reindex` repairs
        logger.exception("search: could not schedule %s for document %s", task_name, document_id)


def on_published(sender: Any, document: Any, **kwargs: Any) -> None:
    _schedule("index_document", document.pk)


def on_changed(sender: Any, document: Any, **kwargs: Any) -> None:
    # index_document removes the entry when the document is no longer public
    _schedule("index_document", document.pk)


def on_withdrawn(sender: Any, document: Any, **kwargs: Any) -> None:
    _schedule("remove_document", document.pk)


def on_interpretation_changed(sender: Any, interpretation: Any, **kwargs: Any) -> None:
    """An interpretation's text is indexed with each document it interprets."""
    for document_id in interpretation.documents.values_list("pk", flat=True):
        _schedule("index_document", document_id)


def on_organisation_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    segmenter.add_words([instance.name, instance.short_name, *instance.organ_codes()])


def on_backup_restored(sender: Any, **kwargs: Any) -> None:
    """A restore replaced every document: the index is derived data, rebuilt from the restored rows."""
    from . import services

    services.rebuild_index()


def connect() -> None:
    from django.db.models.signals import post_save

    from gongkai.accounts.models import Organisation

    document_published.connect(on_published, dispatch_uid="search.on_published")
    document_changed.connect(on_changed, dispatch_uid="search.on_changed")
    document_withdrawn.connect(on_withdrawn, dispatch_uid="search.on_withdrawn")
    interpretation_published.connect(
        on_interpretation_changed, dispatch_uid="search.on_interpretation_published"
    )
    interpretation_withdrawn.connect(
        on_interpretation_changed, dispatch_uid="search.on_interpretation_withdrawn"
    )
    backup_restored.connect(on_backup_restored, dispatch_uid="search.on_backup_restored")
    post_save.connect(on_organisation_saved, sender=Organisation, dispatch_uid="search.on_organisation_saved")
