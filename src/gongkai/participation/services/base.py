"""Shared checks of the participation services: who may act, clean citizen text, dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.review.detector import REPORT_THRESHOLD, detect, mask_text

from ..permissions import acting_for, require_editor

__all__ = ["acting_for", "require_editor"]


def today() -> dt.date:
    return timezone.localdate()


def clean_text(value: Any, field: str, label: str, *, max_chars: int, required: bool = True) -> str:
    """Citizen or staff text: stripped, NUL and other control characters removed, length bounded."""
    text = "" if value is None else str(value)
    text = "".join(ch for ch in text if ch in "\n\t" or ch >= " ").strip()
    if required and not text:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    if len(text) > max_chars:
        raise ValidationError(
            {field: _("%(label)s不能超过%(max)d个字。") % {"label": label, "max": max_chars}}
        )
    return text


def parse_date(value: Any, field: str, label: str, *, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: _("%(label)s不是有效日期。") % {"label": label}}) from None


def not_in_future(day: dt.date, field: str, label: str) -> None:
    if day > today():
        raise ValidationError({field: _("%(label)s不能晚于今天。") % {"label": label}})


def masked_public_text(text: str) -> tuple[str, list[dict]]:
    """The text as it may be published: personal data the disclosure-review detector finds is masked.

    Citizens write phone numbers, ID numbers and names into opinions; those never reach a public page
    (条例 Art. 15). The findings are returned so that the moderator sees what was masked.
    """
    findings = detect(text, min_confidence=REPORT_THRESHOLD)
    return mask_text(text, findings), [finding.as_dict() for finding in findings]
