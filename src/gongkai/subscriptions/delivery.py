"""The channels: e-mail (immediate and digests), webhook (HMAC-SHA256, retries with exponential
backoff, a delivery log) and SMS (an interface; the file backend for development).

A delivery is claimed before it is sent (attempts + 1, next_attempt_at in the future, committed), so
two workers never send it twice; it is marked sent or failed with the reason afterwards.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from gongkai.core.http import site_url
from gongkai.documents.selectors import all_documents

from . import tokens
from .constants import (
    WEBHOOK_BASE_DELAY_SECONDS,
    WEBHOOK_MAX_ATTEMPTS,
    WEBHOOK_TIMEOUT_SECONDS,
    Channel,
    DeliveryStatus,
    Frequency,
)
from .models import Delivery, WebhookAttempt

CLAIM_SECONDS = 600
CHUNK = 500


def _due(channel: str) -> QuerySet[Delivery]:
    now = timezone.now()
    return Delivery.objects.filter(channel=channel, status=DeliveryStatus.QUEUED).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def _claim(queryset: QuerySet[Delivery], limit: int = CHUNK) -> list[Delivery]:
    """Take up to `limit` due deliveries for this worker (committed before anything is sent)."""
    with transaction.atomic():
        rows = list(
            queryset.select_for_update(skip_locked=True)
            .select_related("profile", "document")
            .order_by("id")[:limit]
        )
        if rows:
            Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
                attempts=F("attempts") + 1, next_attempt_at=timezone.now() + timedelta(seconds=CLAIM_SECONDS)
            )
    for row in rows:
        row.attempts += 1
    return rows


def _mark(delivery: Delivery, *, ok: bool, error: str = "", retry_at: Any = None) -> None:
    if ok:
        fields = {
            "status": DeliveryStatus.SENT,
            "sent_at": timezone.now(),
            "last_error": "",
            "next_attempt_at": None,
        }
    elif retry_at is not None:
        fields = {"status": DeliveryStatus.QUEUED, "last_error": error[:300], "next_attempt_at": retry_at}
    else:
        fields = {"status": DeliveryStatus.FAILED, "last_error": error[:300], "next_attempt_at": None}
    Delivery.objects.filter(pk=delivery.pk).update(**fields)


# ---- e-mail ---------------------------------------------------------------------------------


def _document_item(delivery: Delivery, cache: dict | None = None) -> dict[str, Any]:
    key = (delivery.document_id, delivery.occasion)
    if cache is not None and key in cache:
        return {**cache[key], "url": tokens.open_url(delivery.pk)}
    document = delivery.document
    occasion = delivery.occasion
    note = ""
    if occasion.startswith("interpretation-"):
        note = _("新发布了政策解读")
    elif occasion.startswith("validity-"):
        note = _("有效性变更为：%(validity)s") % {"validity": document.get_validity_display()}
    elif occasion.startswith("relay-"):
        note = _("经接力组织转发")
    item = {"title": document.title, "doc_number": document.doc_number, "published_date": document.published_date,
            "summary": document.summary[:200], "note": note}  # fmt: skip
    if cache is not None:
        cache[key] = item
    return {**item, "url": tokens.open_url(delivery.pk)}


def build_message(
    profile: Any, deliveries: list[Delivery], frequency: str, cache: dict | None = None
) -> EmailMultiAlternatives:
    """One mail (text and HTML) for one profile, with the one-click unsubscribe headers (RFC 8058)."""
    unsubscribe = tokens.unsubscribe_url(profile.pk)
    items = [_document_item(delivery, cache) for delivery in deliveries]
    if frequency == Frequency.IMMEDIATE and len(items) == 1:
        subject = _("政策推送：%(title)s") % {"title": items[0]["title"][:60]}
    elif frequency == Frequency.WEEKLY:
        subject = _("每周政策摘要（%(count)s 件）") % {"count": len(items)}
    else:
        subject = _("每日政策摘要（%(count)s 件）") % {"count": len(items)}
    context = {"items": items, "unsubscribe_url": unsubscribe, "site_url": site_url("/"),
               "my_url": site_url("/my/policies/"), "subject": subject, "frequency": frequency}  # fmt: skip
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("subscriptions/email/push.txt", context),
        to=[profile.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("subscriptions/email/push.html", context), "text/html")
    return message


def send_immediate_emails(document_id: int | None = None) -> int:
    """Send the due immediate e-mail deliveries (of one document, or all); returns how many went out."""
    sent = 0
    queryset = _due(Channel.EMAIL).filter(frequency=Frequency.IMMEDIATE)
    if document_id is not None:
        queryset = queryset.filter(document_id=document_id)
    connection = get_connection()
    while rows := _claim(queryset):
        for delivery in rows:
            try:
                connection.send_messages([build_message(delivery.profile, [delivery], Frequency.IMMEDIATE)])
            except Exception as exc:
                _mark(delivery, ok=False, error=f"{type(exc).__name__}: {exc}")
            else:
                _mark(delivery, ok=True)
                sent += 1
    return sent


@dataclass
class Digest:
    profile: Any
    deliveries: list[Delivery]
    cache: dict | None = None

    def message(self) -> EmailMultiAlternatives:
        return build_message(self.profile, self.deliveries, self.deliveries[0].frequency, self.cache)


def build_digests(frequency: str, *, chunk: int = 2000) -> Iterator[Digest]:
    """The digests due: one per profile, with every queued delivery of that frequency (read in
    chunks of profiles, never all at once)."""
    base = _due(Channel.EMAIL).filter(frequency=frequency)
    documents: dict[int, Any] = {}
    items: dict = {}  # each policy's part of the mail, built once for all its subscribers
    last = 0
    while True:
        profile_ids = list(
            base.filter(profile_id__gt=last)
            .order_by("profile_id")
            .values_list("profile_id", flat=True)
            .distinct()[:chunk]
        )
        if not profile_ids:
            return
        grouped: dict[int, list[Delivery]] = {}
        for delivery in base.filter(profile_id__in=profile_ids).select_related("profile").order_by("id"):
            grouped.setdefault(delivery.profile_id, []).append(delivery)
        wanted = {d.document_id for rows in grouped.values() for d in rows} - set(documents)
        documents.update({d.pk: d for d in all_documents().filter(pk__in=wanted)})
        for profile_id in profile_ids:
            for delivery in grouped.get(profile_id, []):
                delivery.document = documents[delivery.document_id]
            if grouped.get(profile_id):
                yield Digest(grouped[profile_id][0].profile, grouped[profile_id], items)
        last = profile_ids[-1]


def send_digests(frequency: str) -> int:
    """Send the daily or weekly digests; returns how many mails went out."""
    connection = get_connection()
    sent = 0
    for digest in build_digests(frequency):
        claimed = _claim(
            Delivery.objects.filter(pk__in=[d.pk for d in digest.deliveries], status=DeliveryStatus.QUEUED)
        )
        if not claimed:
            continue
        digest.deliveries = claimed
        try:
            connection.send_messages([digest.message()])
        except Exception as exc:
            for delivery in claimed:
                _mark(delivery, ok=False, error=f"{type(exc).__name__}: {exc}")
            continue
        Delivery.objects.filter(pk__in=[d.pk for d in claimed]).update(
            status=DeliveryStatus.SENT, sent_at=timezone.now(), next_attempt_at=None
        )
        sent += 1
    return sent


# ---- webhook --------------------------------------------------------------------------------


def webhook_secret(profile: Any) -> str:
    return profile.webhook_secret or getattr(settings, "PUSH_WEBHOOK_SECRET", "") or salted_hmac(
        "gongkai.subscriptions.webhook", "secret"
    ).hexdigest()  # fmt: skip


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_body(delivery: Delivery) -> bytes:
    document = delivery.document
    payload = {
        "delivery": delivery.pk,
        "occasion": delivery.occasion,
        "profile": delivery.profile.external_id or delivery.profile.pk,
        "document": {
            "id": document.pk, "title": document.title, "doc_number": document.doc_number,
            "published_date": document.published_date.isoformat() if document.published_date else None,
            "url": site_url(document.get_absolute_url()),
            "tags": list(document.tags.values_list("code", flat=True)),
        },
    }  # fmt: skip
    return json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()


def backoff(attempts: int) -> timedelta:
    """30 s, 60 s, 120 s, … after the 1st, 2nd, 3rd failed attempt."""
    return timedelta(seconds=WEBHOOK_BASE_DELAY_SECONDS * 2 ** max(attempts - 1, 0))


def post_webhook(delivery: Delivery) -> bool:
    body = webhook_body(delivery)
    request = urllib.request.Request(
        delivery.profile.webhook_url, data=body, method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "X-Gongkai-Delivery": str(delivery.pk),
                 "X-Gongkai-Signature": sign(body, webhook_secret(delivery.profile))},
    )  # fmt: skip
    started = time.monotonic()
    status_code, error = None, ""
    try:
        with urllib.request.urlopen(
            request, timeout=getattr(settings, "PUSH_WEBHOOK_TIMEOUT", WEBHOOK_TIMEOUT_SECONDS)
        ) as response:
            status_code = response.status
    except urllib.error.HTTPError as exc:
        status_code, error = exc.code, _("接口返回 %(code)s") % {"code": exc.code}
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        error = _("连接失败：%(reason)s") % {"reason": getattr(exc, "reason", exc)}
    WebhookAttempt.objects.create(delivery=delivery, status_code=status_code, error=str(error)[:300],
                                  duration_ms=int((time.monotonic() - started) * 1000))  # fmt: skip
    ok = status_code is not None and 200 <= status_code < 300
    if ok:
        _mark(delivery, ok=True)
    elif delivery.attempts >= WEBHOOK_MAX_ATTEMPTS:
        _mark(delivery, ok=False, error=str(error))
    else:
        _mark(delivery, ok=False, error=str(error), retry_at=timezone.now() + backoff(delivery.attempts))
    return ok


def send_webhooks(document_id: int | None = None) -> int:
    queryset = _due(Channel.WEBHOOK)
    if document_id is not None:
        queryset = queryset.filter(document_id=document_id)
    sent = 0
    while rows := _claim(queryset, limit=100):
        for delivery in rows:
            sent += post_webhook(delivery)
    return sent


# ---- SMS ------------------------------------------------------------------------------------


def sms_backend() -> Any:
    return import_string(getattr(settings, "SMS_BACKEND", "gongkai.subscriptions.sms.FileBackend"))()


def send_sms(document_id: int | None = None) -> int:
    backend = sms_backend()
    queryset = _due(Channel.SMS)
    if document_id is not None:
        queryset = queryset.filter(document_id=document_id)
    sent = 0
    while rows := _claim(queryset):
        for delivery in rows:
            text = _("【政务公开】%(title)s %(url)s 退订回T") % {"title": delivery.document.title[:40],
                                                             "url": site_url(delivery.document.get_absolute_url())}  # fmt: skip
            try:
                backend.send(delivery.profile.phone, text)
            except Exception as exc:
                _mark(delivery, ok=False, error=f"{type(exc).__name__}: {exc}")
            else:
                _mark(delivery, ok=True)
                sent += 1
    return sent
