"""The working-day clock: every statutory period in 工作日 is computed here, on the WorkCalendar table.

Counting rule (民法典 Art. 201): a period counted in days starts on the day after the event, so the day
of receipt is not counted and the deadline is the N-th working day after it. Working days are Monday to
Friday, minus the State Council's public holidays, plus its 调休 make-up working days (which may fall on
a Saturday or Sunday). A date in a year whose arrangement has not been entered raises
`CalendarMissing` ("2027年节假日安排尚未录入"): the clock never guesses.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Per-process cache of {year: (holidays, make-up workdays)}; cleared when staff edit the calendar
# (signals below) and refreshed after CACHE_SECONDS so other worker processes pick edits up too.
CACHE_SECONDS = 300
_cache: dict[int, tuple[float, frozenset[dt.date], frozenset[dt.date]] | None] = {}
_lock = threading.Lock()


class CalendarMissing(ValidationError):
    """Raised for a date in a year whose holiday arrangement is not (completely) entered."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(_("%(year)s年节假日安排尚未录入") % {"year": year}, code="calendar_missing")


def clear_cache(*args: object, **kwargs: object) -> None:
    with _lock:
        _cache.clear()


def _year(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    with _lock:
        hit = _cache.get(year)
        if hit is not None and time.monotonic() - hit[0] < CACHE_SECONDS:
            return hit[1], hit[2]
    from .models import WorkCalendar, WorkCalendarDay

    calendar = WorkCalendar.objects.filter(year=year, is_complete=True).first()
    if calendar is None:
        raise CalendarMissing(year)
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    for day, kind in WorkCalendarDay.objects.filter(calendar=calendar).values_list("date", "kind"):
        (workdays if kind == WorkCalendarDay.Kind.WORKDAY else holidays).add(day)
    entry = (time.monotonic(), frozenset(holidays), frozenset(workdays))
    with _lock:
        _cache[year] = entry
    return entry[1], entry[2]


def is_working_day(day: dt.date) -> bool:
    holidays, workdays = _year(day.year)
    if day in workdays:  # 调休: a Saturday or Sunday made a working day
        return True
    if day in holidays:
        return False
    return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start` (民法典 Art. 201: the start day itself is not counted)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    current = start
    if days == 0:
        is_working_day(start)  # still refuse a date in an unknown year
        return start
    counted = 0
    while counted < days:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            counted += 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in the half-open interval (start, end]: how many of a period's days have been used.

    Negative when end < start (the number of working days still to go).
    """
    if end == start:
        return 0
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    total = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            total += 1
    return sign * total


@dataclass(frozen=True)
class Pause:
    """A stretch in which a statutory clock stands still, excluded as the half-open interval (start, end].

    条例 Art. 33 ¶3: the time of consulting a third party or another organ is not counted. The day the
    consultation letter leaves still counts; counting resumes on the day after the answer arrives.
    `end=None` means the clock is still stopped.
    """

    start: dt.date
    end: dt.date | None


def due_date(start: dt.date, days: int, pauses: Iterable[Pause] = ()) -> dt.date | None:
    """The `days`-th counted working day after `start`, skipping working days inside any pause.

    Returns None while a pause that began before the deadline is still open (the due date is unknown).
    """
    windows = sorted((p for p in pauses if p.end is None or p.end > p.start), key=lambda p: p.start)
    current = start
    counted = 0
    while counted < days:
        current += dt.timedelta(days=1)
        paused = False
        for pause in windows:
            if pause.start < current and (pause.end is None or current <= pause.end):
                paused = True
                if pause.end is None:
                    return None
                break
        if not paused and is_working_day(current):
            counted += 1
    return current


def missing_next_year_warning(today: dt.date | None = None) -> str | None:
    """From 1 November, warn when next year's holiday arrangement is still missing."""
    from django.utils import timezone

    from .models import WorkCalendar

    today = today or timezone.localdate()
    if (today.month, today.day) < (11, 1):
        return None
    year = today.year + 1
    if WorkCalendar.objects.filter(year=year, is_complete=True).exists():
        return None
    return _(
        "%(year)s年节假日安排尚未录入：国务院公布后请在后台“工作日历”中录入，否则%(year)s年的法定期限无法计算。"
    ) % {"year": year}


def seed_from_chinesecalendar(
    calendar_model: type[Any], day_model: type[Any], years: Iterable[int] | None = None
) -> list[int]:
    """Copy the years the `chinesecalendar` package knows into the table; used by migration and command.

    Only years the package fully covers are marked complete. Existing staff-entered years are left alone.
    """
    import chinese_calendar

    known = sorted({d.year for d in chinese_calendar.holidays} & {d.year for d in chinese_calendar.workdays})
    seeded = []
    for year in known if years is None else [y for y in years if y in known]:
        if calendar_model.objects.filter(year=year).exists():
            continue
        calendar = calendar_model.objects.create(
            year=year,
            is_complete=True,
            source=f"chinesecalendar {getattr(chinese_calendar, '__version__', '')}".strip(),
        )
        rows = []
        for day, name in chinese_calendar.holidays.items():
            if day.year == year:
                rows.append(day_model(calendar=calendar, date=day, kind="holiday", name=_label(name)))
        for day, name in chinese_calendar.workdays.items():
            if day.year == year and day.weekday() >= 5:
                rows.append(day_model(calendar=calendar, date=day, kind="workday", name=_label(name)))
        day_model.objects.bulk_create(rows)
        seeded.append(year)
    return seeded


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _label(name: object) -> str:
    text = str(name or "")
    return _HOLIDAY_NAMES.get(text, text)[:40]
