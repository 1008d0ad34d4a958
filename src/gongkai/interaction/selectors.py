"""Read side of 政民互动: staff queues with urgency on the work calendar, public Q&A and FAQ of a
policy, groups of similar questions, article-level answers from public policies (搜问一体)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation
from gongkai.core.calendar import add_working_days
from gongkai.core.charts import Bar, Chart

from . import article_index
from .constants import DUE_SOON_DAYS, MessageStatus, ReplyReview
from .models import FAQEntry, KnowledgeEntry, Message, UnansweredQuestion
from .retrieval import CONFIDENT, tokens

OPEN_STATUSES = (MessageStatus.RECEIVED, MessageStatus.ASSIGNED)


def messages_of(user: Any) -> QuerySet[Message]:
    """Staff see their organisation's messages (platform admins all)."""
    queryset = Message.objects.select_related("organisation", "document", "assignee", "reply")
    if getattr(user, "is_platform_admin", False):
        return queryset
    return queryset.filter(organisation_id=getattr(user, "organisation_id", None) or -1)


def due_soon_limit(today: dt.date) -> dt.date:
    return add_working_days(today, DUE_SOON_DAYS)


def urgency(message: Message, today: dt.date | None = None) -> str:
    """ "overdue", "due_soon" or "" for an open message (the queue's colours)."""
    if message.status not in OPEN_STATUSES:
        return ""
    today = today or timezone.localdate()
    if message.due_on < today:
        return "overdue"
    if message.due_on <= due_soon_limit(today):
        return "due_soon"
    return ""


def queue(user: Any, *, status: str = "open", today: dt.date | None = None) -> list[tuple[Message, str]]:
    today = today or timezone.localdate()
    queryset = messages_of(user)
    if status == "open":
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif status in MessageStatus.values:
        queryset = queryset.filter(status=status)
    rows = list(queryset.order_by("due_on", "id")[:500])
    return [(m, urgency(m, today)) for m in rows]


def to_review(user: Any) -> QuerySet[Message]:
    """Drafted replies waiting for the disclosure review."""
    return messages_of(user).filter(status__in=OPEN_STATUSES, reply__review_status=ReplyReview.PENDING)


def public_answers(document: Any = None) -> QuerySet[Message]:
    """Answered public Q&A (the reviewed, masked texts only), newest first."""
    queryset = Message.objects.filter(
        is_public=True,
        status__in=(MessageStatus.ANSWERED, MessageStatus.CLOSED),
        reply__published_at__isnull=False,
    ).select_related("reply", "organisation", "document")
    if document is not None:
        queryset = queryset.filter(document=document)
    return queryset.order_by("-reply__published_at")


def public_faq(document_ids: list[int] | None = None) -> QuerySet[FAQEntry]:
    queryset = FAQEntry.objects.filter(is_published=True)
    if document_ids is not None:
        queryset = queryset.filter(document_id__in=document_ids)
    return queryset.select_related("document").order_by("-created_at")


def messages_by(user: Any) -> QuerySet[Message]:
    """The messages a logged-in visitor sent."""
    return (
        Message.objects.filter(user=user).select_related("organisation", "document").order_by("-created_at")
    )


def track(number: str, code: str) -> Message | None:
    message = Message.objects.filter(number=(number or "").strip()).first()
    if message is None or not code or code.strip() != message.follow_code:
        return None
    return message


def follow(public_id: Any, code: str) -> Message | None:
    message = Message.objects.select_related("reply", "organisation").filter(public_id=public_id).first()
    if message is None or not code or code != message.follow_code:
        return None
    return message


def suggested_organisation(handling_field: str) -> Any:
    """The organisation that answered most of the platform's messages of this 办理领域 (the handled
    messages teach where a field goes), or None before any was answered."""
    if not handling_field:
        return None
    row = (
        Message.objects.filter(handling_field=handling_field, status__in=(MessageStatus.ANSWERED, MessageStatus.CLOSED))
        .values("organisation").annotate(n=Count("id")).order_by("-n", "organisation").first()
    )  # fmt: skip
    if row is None:
        return None
    return Organisation.objects.filter(pk=row["organisation"]).first()


# ---------------------------------------------------------------- similar questions
SIMILARITY = 0.3


def _similarity(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b)) * 0.5 + len(a & b) / len(a | b) * 0.5


def similar_groups(messages: list[Message], threshold: float = SIMILARITY) -> list[list[Message]]:
    """Groups (two or more) of similar questions: segmenter words and bigrams, overlap and Jaccard."""
    bags = [set(tokens(m.body, query=True)) for m in messages]
    parent = list(range(len(messages)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(messages)):
        for j in range(i + 1, len(messages)):
            if _similarity(bags[i], bags[j]) >= threshold:
                parent[root(j)] = root(i)
    groups: dict[int, list[Message]] = {}
    for i, message in enumerate(messages):
        groups.setdefault(root(i), []).append(message)
    return [group for group in groups.values() if len(group) > 1]


def faq_candidates(user: Any) -> list[list[Message]]:
    """Answered questions of the organisation not yet in an FAQ, grouped by similarity."""
    answered = list(
        messages_of(user)
        .filter(status__in=(MessageStatus.ANSWERED, MessageStatus.CLOSED), faq__isnull=True)
        .order_by("-id")[:300]
    )
    return similar_groups(answered)


# ---------------------------------------------------------------- knowledge base, staff side
def unanswered_by_organisation() -> list[dict[str, Any]]:
    rows = (
        UnansweredQuestion.objects.values("organisation__name")
        .annotate(questions=Count("id"), asked=Sum("count"), last=Max("last_asked_at"))
        .order_by("-asked")
    )
    return list(rows)


def unanswered_of(user: Any) -> QuerySet[UnansweredQuestion]:
    queryset = UnansweredQuestion.objects.select_related("organisation")
    if getattr(user, "is_platform_admin", False):
        return queryset
    return queryset.filter(organisation_id=getattr(user, "organisation_id", None) or -1)


def entries_to_review(user: Any) -> QuerySet[KnowledgeEntry]:
    queryset = KnowledgeEntry.objects.filter(status="needs_review").select_related("document")
    if getattr(user, "is_platform_admin", False):
        return queryset
    return queryset.filter(Q(organisation_id=getattr(user, "organisation_id", None) or -1))


# ---------------------------------------------------------------- policy articles (搜问一体)
def article_answer(question: str) -> dict[str, Any] | None:
    """The policy article (第X条) that answers the question with confidence, or None: from the
    article index files (`article_index`: mapped, built outside the web worker), shown only when its
    document is still public and unchanged since they were built."""
    loaded = article_index.current()
    if loaded is None:  # not built yet (a build has been started): no answer box, never an error
        return None
    hits = loaded.retriever.search(question, limit=1)
    if not hits or hits[0].confidence < CONFIDENT:
        return None
    pk, title, label, text = hits[0].key
    if not article_index.still_public(pk, loaded):
        return None
    return {"answer": text, "source_title": title, "source_url": reverse("portal:document-detail", args=[pk]),
            "article": label, "confidence": hits[0].confidence}  # fmt: skip


# ---------------------------------------------------------------- dashboard (issue 16)
def dashboard(user: Any, today: dt.date | None = None) -> dict[str, Any]:
    """Per organisation: open, overdue, due soon; the three-month alarm (政府网站与政务新媒体检查指标:
    a message unanswered for more than three months fails the site); volumes and satisfaction by
    category and month; hot topics (similar messages of the last seven days)."""
    from django.db.models import Avg
    from django.db.models.functions import TruncMonth

    from .constants import UNANSWERED_ALARM_DAYS, Category

    today = today or timezone.localdate()
    messages = messages_of(user)
    open_messages = messages.filter(status__in=OPEN_STATUSES)
    soon = due_soon_limit(today)
    per_org = (
        open_messages.values("organisation__name")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)),
                  due_soon=Count("id", filter=Q(due_on__gte=today, due_on__lte=soon)))
        .order_by("-overdue", "organisation__name")
    )  # fmt: skip
    alarm = list(
        open_messages.filter(received_on__lt=today - dt.timedelta(days=UNANSWERED_ALARM_DAYS)).order_by(
            "received_on"
        )
    )
    by_month = (
        messages.filter(received_on__gte=today - dt.timedelta(days=365))
        .annotate(month=TruncMonth("received_on")).values("month", "category").annotate(n=Count("id"))
        .order_by("month", "category")
    )  # fmt: skip
    labels = dict(Category.choices)
    volumes: dict[str, dict[str, int]] = {}
    for row in by_month:
        volumes.setdefault(row["month"].strftime("%Y-%m"), {})[str(labels[row["category"]])] = row["n"]
    rated = messages.filter(solved__isnull=False)
    satisfaction = [
        {"category": str(labels[row["category"]]), "rated": row["rated"], "solved": row["solved"],
         "efficiency": row["e"], "attitude": row["a"], "result": row["r"]}
        for row in rated.values("category")
        .annotate(rated=Count("id"), solved=Count("id", filter=Q(solved=True)), e=Avg("rating_efficiency"),
                  a=Avg("rating_attitude"), r=Avg("rating_result"))
        .order_by("category")
    ]  # fmt: skip
    by_month_rated = (
        rated.filter(received_on__gte=today - dt.timedelta(days=365))
        .exclude(rating_efficiency=None, rating_attitude=None, rating_result=None)
        .annotate(month=TruncMonth("received_on")).values("month")
        .annotate(e=Avg("rating_efficiency"), a=Avg("rating_attitude"), r=Avg("rating_result")).order_by("month")
    )  # fmt: skip
    satisfaction_by_month = {row["month"].strftime("%Y-%m"): _mean_rating(row) for row in by_month_rated}
    week = list(messages.filter(received_on__gte=today - dt.timedelta(days=7)).order_by("-id")[:300])
    hot = sorted(similar_groups(week), key=len, reverse=True)[:10]
    peak = max((sum(v.values()) for v in volumes.values()), default=0)
    return {"per_org": list(per_org), "alarm": alarm, "volumes": volumes, "peak": peak or 1,
            "satisfaction": satisfaction, "hot": hot, "categories": [str(label) for _v, label in Category.choices],
            "charts": dashboard_charts(volumes, satisfaction, satisfaction_by_month)}  # fmt: skip


def _mean_rating(row: dict[str, Any]) -> float:
    """The mean of the three 回访 scores (效率, 态度, 结果) that were given, 1–5."""
    values = [row[k] for k in ("e", "a", "r") if row.get(k) is not None]
    return round(sum(values) / len(values), 2) if values else 0.0


def dashboard_charts(
    volumes: dict[str, dict[str, int]],
    satisfaction: list[dict[str, Any]],
    satisfaction_by_month: dict[str, float],
) -> list[Chart]:
    """The dashboard's charts (the shared SVG bars of `core.charts`, each with its data table)."""
    by_category: dict[str, int] = {}
    for counts in volumes.values():
        for category, n in counts.items():
            by_category[category] = by_category.get(category, 0) + n
    per_category = [
        Bar(row["category"], _mean_rating({"e": row["efficiency"], "a": row["attitude"], "r": row["result"]}))
        for row in satisfaction
        if any(row[k] is not None for k in ("efficiency", "attitude", "result"))
    ]
    return [
        Chart("volume-month", _("近一年各月留言量"), _("件"),
              [Bar(month, sum(counts.values())) for month, counts in volumes.items()]).layout(),
        Chart("volume-category", _("近一年各类别留言量"), _("件"),
              [Bar(category, n) for category, n in by_category.items()]).layout(),
        Chart("satisfaction-month", _("各月平均满意度（1至5分）"), _("分"),
              [Bar(month, score) for month, score in satisfaction_by_month.items()], scale=5).layout(),
        Chart("satisfaction-category", _("各类别平均满意度（1至5分）"), _("分"), per_category, scale=5).layout(),
    ]  # fmt: skip
