"""Daily reminders of messages overdue or due soon (work plan 十九: answer in time); the weekly
retraining of the field classifier from the dispatchers' corrections."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.accounts.constants import Role
from gongkai.accounts.models import User

from . import selectors, services
from .models import Message


@shared_task
def send_reply_reminders(today: dt.date | str | None = None) -> int:
    """Mail each organisation's handlers once a day about open messages overdue or due soon."""
    if isinstance(today, str):
        today = dt.date.fromisoformat(today)
    today = today or timezone.localdate()
    limit = selectors.due_soon_limit(today)
    due = (
        Message.objects.filter(status__in=selectors.OPEN_STATUSES, due_on__lte=limit)
        .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
        .select_related("organisation", "assignee")
        .order_by("due_on")
    )
    by_org: dict[int, list[Message]] = {}
    for message in due:
        by_org.setdefault(message.organisation_id, []).append(message)
    for items in by_org.values():
        organisation = items[0].organisation
        recipients = sorted(
            set(User.objects.filter(organisation=organisation, is_active=True, groups__name__in=[Role.EDITOR, Role.ORG_ADMIN])
                .exclude(email="").values_list("email", flat=True))
            | {m.assignee.email for m in items if m.assignee_id and m.assignee.email}
        )  # fmt: skip
        services.mark_reminded(organisation, items, today)
        lines = [
            f"- 留言 {m.pk}（{m.get_channel_display()}，答复期限 {m.due_on}{'，已超期' if m.due_on < today else ''}）"
            for m in items
        ]
        subject = f"【政务公开】{organisation.name}有{len(items)}条留言即将到期或已超期"
        body = "以下留言请在答复期限内答复：\n" + "\n".join(lines)
        if recipients:
            transaction.on_commit(
                lambda s=subject, b=body, r=recipients: send_mail(s, b, settings.DEFAULT_FROM_EMAIL, r)
            )
    return sum(len(items) for items in by_org.values())


@shared_task
def retrain_classifier() -> dict[str, int]:
    """Weekly: retrain the field classifier on the dispatchers' confirmations and corrections (the
    same as `gongkai messages train --from-platform`); the next suggestion uses the new model."""
    from django.core.exceptions import ValidationError

    from . import classify

    try:
        _model, counts = classify.train_from_platform()
    except ValidationError:
        return {"trained": 0, "from_platform": 0, "from_previous_model": 0}
    return counts


@shared_task(name="gongkai.interaction.tasks.build_article_index")
def build_article_index() -> bool:
    """搜问一体's article index after a publication, a withdrawal or an edit (in the worker, not in
    a web worker: docs/performance.md "Worker memory"); skipped when the files are current."""
    from . import article_index

    return article_index.build(if_stale=True) is not None
