"""Dates as real documents write them: 2023年4月23日, 二〇二三年四月二十三日, ２０２３年４月２３日, 2023-04-23.

GB/T 9704-2012 §7.3.5.1 writes the 成文日期 in Arabic numerals with the full year; older documents
and 命令 use Chinese numerals, scraped pages use ISO or dotted forms. `parse_date` never raises.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongkai.text.docno import chinese_number

from .lazyre import lazy_compile


def _cn2an() -> Any:  # imported on first use: cn2an takes ~0.3 s to import (command-line start-up)
    from cn2an import cn2an

    return cn2an


_CN = "〇○零Ｏ一二三四五六七八九十"
_YEAR = rf"(?P<year>[0-9０-９]{{4}}|[{_CN}]{{4}})"
_MONTH = rf"(?P<month>[0-9０-９]{{1,2}}|[{_CN}]{{1,3}})"
_DAY = rf"(?P<day>[0-9０-９]{{1,2}}|[{_CN}]{{1,4}})"
_S = r"[ \u3000]*"
CHINESE_DATE = lazy_compile(rf"{_YEAR}{_S}年{_S}{_MONTH}{_S}月{_S}{_DAY}{_S}[日号]")
NUMERIC_DATE = lazy_compile(
    r"(?<![0-9０-９])(?P<year>(?:19|20|21|１９|２０|２１)[0-9０-９]{2})(?P<sep>[-./／－．])(?P<month>[0-9０-９]{1,2})(?P=sep)(?P<day>[0-9０-９]{1,2})(?![0-9０-９])"
)
_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｏ", "0123456789〇")


@dataclass(frozen=True)
class FoundDate:
    raw: str
    start: int
    end: int
    date: dt.date


def _number(text: str) -> int | None:
    text = text.translate(_FULL_WIDTH)
    if text.isdigit():
        return int(text)
    if all(ch in "〇○零一二三四五六七八九" for ch in text):
        return chinese_number(text)
    try:
        value = _cn2an()(text, "strict")
    except (ValueError, KeyError, IndexError, TypeError):
        return chinese_number(text)
    return int(value) if value == int(value) else None


def _build(year: str, month: str, day: str) -> dt.date | None:
    y, m, d = _number(year), _number(month), _number(day)
    if y is None or m is None or d is None:
        return None
    if not 1900 <= y <= 2200:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str) -> list[FoundDate]:
    """Every date in `text`, in order of appearance, with its span."""
    found: list[FoundDate] = []
    for pattern in (CHINESE_DATE, NUMERIC_DATE):
        for match in pattern.finditer(text):
            date = _build(match["year"], match["month"], match["day"])
            if date is not None:
                found.append(FoundDate(match.group(0), match.start(), match.end(), date))
    found.sort(key=lambda item: item.start)
    return found


def parse_date(value: object) -> dt.date | None:
    """The first date written in `value`, or None. Never raises."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        found = find_dates(value)
    except Exception:
        return None
    return found[0].date if found else None


def add_years(start: dt.date, years: int) -> dt.date:
    """start + N years (29 February → 28 February)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


# The same patterns without named groups, to compose into larger expressions.
CHINESE_DATE_PLAIN = re.sub(r"\(\?P<\w+>", "(?:", CHINESE_DATE.pattern)
NUMERIC_DATE_PLAIN = r"(?<![0-9０-９])(?:19|20|21|１９|２０|２１)[0-9０-９]{2}[-./／－．][0-9０-９]{1,2}[-./／－．][0-9０-９]{1,2}(?![0-9０-９])"


def clean_date(
    field: str, label: str, value: Any, *, today: dt.date, required: bool = True
) -> dt.date | None:
    """A date typed in a form (a date, datetime or YYYY-MM-DD text) not later than `today`; errors are
    keyed by `field`, with one Chinese message for every form and service."""
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
