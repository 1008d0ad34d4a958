"""Periodic work for the document library: validity refresh and expiry warnings."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.constants import Role
from gongkai.accounts.models import User

from .constants import DocumentStatus, Validity
from .models import Document
from .services import refresh_validity

EXPIRY_WARNING_DAYS = 30


@shared_task
def refresh_all_validity() -> int:
    """Recompute 有效性 of every published document (dates pass; documents expire). Returns changes."""
    today = timezone.localdate()
    changed = 0
    for document in Document.objects.filter(status=DocumentStatus.PUBLISHED).iterator(chunk_size=500):
        with transaction.atomic(durable=True):
            changed += refresh_validity(document, today)
    return changed


@shared_task
def warn_expiring_documents(days: int = EXPIRY_WARNING_DAYS) -> int:
    """E-mail each organisation's editors about its documents that expire within `days` days."""
    today = timezone.localdate()
    horizon = today + dt.timedelta(days=days)
    expiring = (
        Document.objects.filter(
            status=DocumentStatus.PUBLISHED, expiry_date__gte=today, expiry_date__lte=horizon
        )
        .exclude(validity__in=[Validity.REPEALED, Validity.EXPIRED])
        .select_related("organisation")
        .order_by("organisation_id", "expiry_date")
    )
    by_organisation: dict[int, list[Document]] = {}
    for document in expiring:
        by_organisation.setdefault(document.organisation_id, []).append(document)
    sent = 0
    for organisation_id, documents in by_organisation.items():
        recipients = list(
            User.objects.filter(organisation_id=organisation_id, is_active=True, groups__name=Role.EDITOR)
            .exclude(email="")
            .values_list("email", flat=True)
            .distinct()
        )
        if not recipients:
            continue
        lines = [
            f"{d.expiry_date:%Y-%m-%d} 到期：{d.title}（{d.doc_number or d.index_number}）" for d in documents
        ]
        send_mail(
            subject=f"【{documents[0].organisation.name}】{len(documents)} 份文件将在 {days} 日内到期",
            message="以下文件即将到期，请评估是否需要修订、延续或废止：\n\n" + "\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
        sent += 1
    return sent
