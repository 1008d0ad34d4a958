"""Periodic work of the disclosure review (beat entry in conf/base.py)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="gongkai.review.tasks.send_rereview_reminders")
def send_rereview_reminders() -> int:
    """条例 Art. 18: remind organisations of withheld items due for re-evaluation."""
    return services.send_rereview_reminders()
