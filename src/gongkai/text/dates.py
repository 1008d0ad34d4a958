"""Dates typed by people: one parser and one set of Chinese messages for every form and service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def clean_date(
    field: str, label: str, value: Any, *, today: dt.date, required: bool = True
) -> dt.date | None:
    """A date (a date, datetime or YYYY-MM-DD text) not later than `today`; errors keyed by `field`."""
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("%(label)s不能为空。") % {"label": label}})
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError(
                {
                    field: _("%(label)s“%(value)s”不是有效日期，应为YYYY-MM-DD。")
                    % {"label": label, "value": value}
                }
            ) from None
    if value > today:
        raise ValidationError({field: _("%(label)s不能晚于今天。") % {"label": label}})
    return value
