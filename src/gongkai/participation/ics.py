"""iCalendar (RFC 5545) export of events: one event or the whole calendar, for any calendar app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from gongkai.core.http import site_url

from .models import Event


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 §3.1), never inside a UTF-8 character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(events: Iterable[Event], name: str = "") -> bytes:
    host = urlsplit(settings.SITE_URL).hostname or "gongkai"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Gongkai//participation//ZH", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH"]  # fmt: skip
    if name:
        lines.append(f"X-WR-CALNAME:{_escape(name)}")
    stamp = _utc(timezone.now())
    for event in events:
        url = site_url(reverse("participation:event-detail", args=[event.pk]))
        lines += [
            "BEGIN:VEVENT",
            f"UID:participation-event-{event.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(event.starts_at)}",
            f"DTEND:{_utc(event.ends_at)}",
            f"SUMMARY:{_escape(event.title)}",
            f"LOCATION:{_escape(event.venue)}",
            f"DESCRIPTION:{_escape((event.description[:500] + chr(10) if event.description else '') + url)}",
            f"URL:{url}",
            f"ORGANIZER;CN={_escape(event.organisation.name)}:{_escape(site_url('/'))}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()
