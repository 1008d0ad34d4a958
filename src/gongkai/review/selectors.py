"""Read-only queries of the disclosure review (staff see only their own organisation)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongkai.documents import interpretation_selectors
from gongkai.documents.constants import DocumentStatus
from gongkai.documents.selectors import all_documents

from .constants import FindingKind, RereviewStatus, TaskStatus
from .models import Rereview, ReviewTask

if TYPE_CHECKING:
    from gongkai.documents.models import Document


def _org_filter(user: Any) -> dict:
    return (
        {}
        if getattr(user, "is_platform_admin", False)
        else {"organisation_id": getattr(user, "organisation_id", None) or -1}
    )


def open_tasks(user: Any) -> QuerySet[ReviewTask]:
    return ReviewTask.objects.filter(status=TaskStatus.OPEN, **_org_filter(user)).select_related(
        "document", "interpretation", "assignee"
    )


def recent_decisions(user: Any, limit: int = 20) -> QuerySet[ReviewTask]:
    return (
        ReviewTask.objects.exclude(status=TaskStatus.OPEN)
        .filter(**_org_filter(user))
        .select_related("document", "interpretation", "decided_by")
        .order_by("-decided_at")[:limit]
    )


def documents_without_task(user: Any) -> QuerySet[Document]:
    return (
        all_documents()
        .filter(status=DocumentStatus.IN_REVIEW, **_org_filter(user))
        .exclude(
            Exists(
                ReviewTask.objects.filter(
                    document=OuterRef("pk"), interpretation=None, status=TaskStatus.OPEN
                )
            )
        )
    )


def bundled_interpretations(task: ReviewTask) -> list[Any]:
    """The interpretations reviewed in a document's task with it (三同步), for the task page."""
    if task.interpretation_id:
        return []
    return interpretation_selectors.bundled_interpretations(task.document)


def tasks_visible_to(user: Any) -> QuerySet[ReviewTask]:
    return ReviewTask.objects.filter(**_org_filter(user)).select_related("document", "assignee", "decided_by")


def active_rereviews(user: Any) -> QuerySet[Rereview]:
    return Rereview.objects.filter(status=RereviewStatus.ACTIVE, **_org_filter(user)).select_related(
        "document"
    )


def highlight(text: str, findings: list[dict]) -> SafeString:
    """Escape the text and wrap each finding in <mark> (the only markup added)."""
    out: list[str] = []
    position = 0
    for finding in sorted(findings, key=lambda f: f["start"]):
        if finding["start"] < position or text[finding["start"] : finding["end"]] != finding["text"]:
            continue
        label = FindingKind(finding["kind"]).label
        out.append(escape(text[position : finding["start"]]))
        out.append(
            f'<mark class="finding-{escape(finding["kind"])}" title="{escape(label)}">{escape(finding["text"])}</mark>'
        )
        position = finding["end"]
    out.append(escape(text[position:]))
    return mark_safe("".join(out))


# Other review work that belongs in the same queue (e.g. 依申请公开 reply letters, 条例 Arts. 14–17:
# 先审查、后公开). An app above this one appends a function `user -> list[QueueItem]` in its
# AppConfig.ready(); review imports nothing from it (rule 5).
@dataclass
class QueueItem:
    title: str
    url: str
    kind: str
    submitted_at: Any
    note: str = ""


QUEUE_PROVIDERS: list[Callable[[Any], list[QueueItem]]] = []


def other_review_items(user: Any) -> list[QueueItem]:
    items: list[QueueItem] = []
    for provider in QUEUE_PROVIDERS:
        items += provider(user)
    return sorted(items, key=lambda item: item.submitted_at)
