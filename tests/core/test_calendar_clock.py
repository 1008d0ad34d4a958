"""The working-day clock against the official 2025/2026 holiday arrangements (国办发明电〔2024〕12号,
国办发明电〔2025〕7号). Every expected date below was counted by hand on a paper calendar."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gongkai.core import calendar
from gongkai.core.calendar import CalendarMissing, Pause, add_working_days, due_date, is_working_day
from gongkai.core.models import WorkCalendar, WorkCalendarDay

D = dt.date


@pytest.fixture(autouse=True)
def _fresh_cache():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.mark.django_db
def test_seeded_national_day_2025_and_spring_festival_2026():
    # 国庆节、中秋节: 10月1日至8日放假, 9月28日（周日）、10月11日（周六）上班
    assert is_working_day(D(2025, 9, 28)) and D(2025, 9, 28).weekday() == 6
    assert not any(is_working_day(D(2025, 10, d)) for d in range(1, 9))
    assert is_working_day(D(2025, 10, 11)) and not is_working_day(D(2025, 10, 12))
    # 春节: 2月15日至23日放假, 2月14日（周六）、2月28日（周六）上班
    assert is_working_day(D(2026, 2, 14)) and is_working_day(D(2026, 2, 28))
    assert not any(is_working_day(D(2026, 2, d)) for d in range(15, 24))
    # 元旦: 1月1日至3日放假, 1月4日（周日）上班
    assert not is_working_day(D(2026, 1, 2)) and is_working_day(D(2026, 1, 4))
    assert WorkCalendarDay.objects.get(date=D(2025, 10, 1)).name == "国庆节"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2025, 9, 28), 20, D(2025, 10, 31)),  # Art. 33 reply period across National Day
        (D(2025, 9, 28), 7, D(2025, 10, 14)),  # Art. 30 补正 notice period
        (D(2025, 9, 30), 1, D(2025, 10, 9)),  # the whole holiday is skipped
        (D(2025, 10, 10), 1, D(2025, 10, 11)),  # a Saturday 调休 counts
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # Saturday 14 Feb 2026 is a working day
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # then nine days of Spring Festival
        (D(2026, 2, 6), 15, D(2026, 3, 5)),  # 9–13 Feb (5), Sat 14 (6), 24–27 (10), Sat 28 (11), 2–5 Mar (15)
        (D(2025, 12, 31), 1, D(2026, 1, 4)),  # New Year, Sunday 4 Jan a working day
        (D(2025, 12, 5), 20, D(2026, 1, 5)),
        (D(2025, 10, 10), 0, D(2025, 10, 10)),
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


@pytest.mark.django_db
def test_spring_festival_count_by_hand():
    # 2026-02-06 (Fri) + 15: Feb 9,10,11,12,13 (5), Sat 14 (6), 24,25,26,27 (10), Sat 28 (11),
    # Mar 2,3,4,5 (15) -> 5 March.
    assert add_working_days(D(2026, 2, 6), 11) == D(2026, 2, 28)
    assert add_working_days(D(2026, 2, 6), 15) == D(2026, 3, 5)


@pytest.mark.django_db
def test_pauses_exclude_consultation_days():
    # Pause (10 Nov, 28 Nov 2025]: days after the letter up to the answer are not counted (Art. 33 ¶3).
    start = D(2025, 10, 20)
    assert due_date(start, 20) == D(2025, 11, 17)
    assert due_date(start, 20, [Pause(D(2025, 11, 10), D(2025, 11, 28))]) == D(2025, 12, 5)
    assert due_date(start, 20, [Pause(D(2025, 11, 10), None)]) is None
    # a pause after the deadline changes nothing
    assert due_date(start, 20, [Pause(D(2025, 11, 20), None)]) == D(2025, 11, 17)


@pytest.mark.django_db
def test_unknown_year_is_an_error_not_a_guess():
    with pytest.raises(CalendarMissing) as info:
        add_working_days(D(2026, 12, 31), 1)
    assert info.value.messages == ["2027年节假日安排尚未录入"]
    with pytest.raises(CalendarMissing):
        is_working_day(D(2027, 3, 1))


@pytest.mark.django_db
def test_staff_entered_year_is_used_only_when_complete():
    cal = WorkCalendar.objects.create(year=2027, is_complete=False, source="测试")
    WorkCalendarDay.objects.create(calendar=cal, date=D(2027, 1, 1), kind="holiday", name="元旦")
    with pytest.raises(CalendarMissing):
        add_working_days(D(2026, 12, 31), 1)
    cal.is_complete = True
    cal.save()
    # 2027-01-01 (Fri) a holiday; Sat, Sun; so Monday 4 Jan
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)


@pytest.mark.django_db
def test_next_year_warning_from_first_november():
    assert calendar.missing_next_year_warning(D(2026, 10, 31)) is None
    warning = calendar.missing_next_year_warning(D(2026, 11, 1))
    assert warning and "2027年节假日安排尚未录入" in warning
    assert calendar.missing_next_year_warning(D(2025, 11, 25)) is None  # 2026 is seeded


@pytest.mark.django_db
def test_deadline_command_text_and_json():
    out = StringIO()
    call_command("deadline", "--from", "2025-09-28", "--working-days", "20", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["due_date"] == "2025-10-31"
    assert data["from"] == "2025-09-28" and data["working_days"] == 20
    out = StringIO()
    call_command("deadline", "--from", "2026-02-13", "--working-days", "2", stdout=out)
    assert "2026-02-24" in out.getvalue()
    with pytest.raises(CommandError, match="2027年节假日安排尚未录入"):
        call_command("deadline", "--from", "2026-12-30", "--working-days", "5", stdout=StringIO())
    with pytest.raises(CommandError, match="日期"):
        call_command("deadline", "--from", "2026-13-01", "--working-days", "5", stdout=StringIO())
