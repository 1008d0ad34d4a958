"""Periodic work of the office: website self-inspection, 规范性文件 expiry warnings."""

from __future__ import annotations

from celery import shared_task
from django.core.exceptions import ValidationError

from . import normative
from .services import run_inspection


@shared_task
def inspect_public_site(external: bool = True) -> float | None:
    """Weekly crawl of the public site (SITE_URL); returns the score, None when unreachable."""
    try:
        return float(run_inspection(actor=None, external=external).score)
    except ValidationError:
        return None


@shared_task
def send_normative_expiry_warnings() -> int:
    """6, 2 and 1 months before a 规范性文件 expires, its issuing organisation is told (once each)."""
    return normative.send_expiry_warnings()
