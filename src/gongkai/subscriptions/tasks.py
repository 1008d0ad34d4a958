"""Celery tasks: matching and queuing on publication, the senders, digests and webhook retries."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from . import delivery, push
from .constants import Frequency


@shared_task(name="gongkai.subscriptions.tasks.push_published")
def push_published(document_id: int) -> dict[str, Any]:
    return push.push_published(document_id)


@shared_task(name="gongkai.subscriptions.tasks.push_interpretation")
def push_interpretation(interpretation_id: int) -> list[dict[str, Any]]:
    return push.push_interpretation(interpretation_id)


@shared_task(name="gongkai.subscriptions.tasks.push_change")
def push_change(document_id: int) -> dict[str, Any]:
    return push.push_change(document_id)


@shared_task(name="gongkai.subscriptions.tasks.send_immediate")
def send_immediate(document_id: int | None = None) -> dict[str, int]:
    return {
        "email": delivery.send_immediate_emails(document_id),
        "webhook": delivery.send_webhooks(document_id),
        "sms": delivery.send_sms(document_id),
    }


@shared_task(name="gongkai.subscriptions.tasks.send_daily_digests")
def send_daily_digests() -> int:
    return delivery.send_digests(Frequency.DAILY)


@shared_task(name="gongkai.subscriptions.tasks.send_weekly_digests")
def send_weekly_digests() -> int:
    return delivery.send_digests(Frequency.WEEKLY)


@shared_task(name="gongkai.subscriptions.tasks.retry_webhooks")
def retry_webhooks() -> int:
    """Webhook deliveries whose backoff has passed (every few minutes from beat)."""
    return delivery.send_webhooks()
