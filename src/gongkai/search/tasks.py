"""Index maintenance tasks (eager in tests and the demo; a worker runs them when a broker is set)."""

from __future__ import annotations

from gongkai.celery import app

from . import services


@app.task(name="gongkai.search.tasks.index_document")
def index_document(document_id: int) -> bool:
    return services.index_document(document_id)


@app.task(name="gongkai.search.tasks.remove_document")
def remove_document(document_id: int) -> None:
    services.remove_document(document_id)
