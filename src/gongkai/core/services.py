"""Audit events: the one way any service records what it did."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from .models import Event

_CHAIN_LOCK_KEY = 0x474B4556  # arbitrary constant for pg_advisory_xact_lock


def _canonical(event: Event) -> bytes:
    payload = {
        "created_at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "organisation_id": event.organisation_id,
        "verb": event.verb,
        "target_type_id": event.target_type_id,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "data": event.data,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()


def compute_hash(event: Event) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def record_event(
    verb: str,
    *,
    actor: Any = None,
    target: models.Model | None = None,
    organisation: Any = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Append an event to the chain. Must run inside the caller's transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last = Event.objects.order_by("-id").values_list("hash", flat=True).first()
        event = Event(
            created_at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=(actor.get_username() if getattr(actor, "pk", None) else str(actor or "system"))[
                :150
            ],
            organisation=organisation,
            verb=verb,
            target_type=ContentType.objects.get_for_model(target) if target is not None else None,
            target_id=str(target.pk) if target is not None else "",
            target_label=str(target)[:300] if target is not None else "",
            data=json.loads(json.dumps(data or {}, ensure_ascii=False, default=str)),
            prev_hash=last or "",
        )
        event.hash = compute_hash(event)
        event.save()
        return event


@dataclass
class ChainReport:
    checked: int
    broken_at: int | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain() -> ChainReport:
    """Walk the whole log in order and report the first event whose hash or link is wrong."""
    previous = ""
    checked = 0
    for event in Event.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != previous:
            return ChainReport(checked, event.id, "prev_hash does not match the previous event")
        if compute_hash(event) != event.hash:
            return ChainReport(checked, event.id, "content does not match its hash")
        previous = event.hash
        checked += 1
    return ChainReport(checked, None)


def events_for(target: models.Model) -> models.QuerySet[Event]:
    return Event.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")
