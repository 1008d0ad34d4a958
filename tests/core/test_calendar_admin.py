"""Staff enter next year's holiday arrangement in the back office; bad rows are refused."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from gongkai.core import calendar
from gongkai.core.calendar import add_working_days
from gongkai.core.models import WorkCalendar


def _post(client: Client, days: list[tuple[str, str, str]], complete: bool = True):
    data = {
        "year": "2027", "source": "国务院办公厅关于2027年部分节假日安排的通知", "is_complete": "on" if complete else "",
        "days-TOTAL_FORMS": str(len(days)), "days-INITIAL_FORMS": "0", "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for i, (day, kind, name) in enumerate(days):
        data.update({f"days-{i}-date": day, f"days-{i}-kind": kind, f"days-{i}-name": name})
    return client.post("/admin/core/workcalendar/add/", data)


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC), tick=False)
def test_platform_admin_enters_2027(admin_client):
    calendar.clear_cache()
    assert "2027年节假日安排尚未录入" in admin_client.get("/admin/core/workcalendar/").content.decode()
    response = _post(admin_client, [("2027-01-01", "workday", "元旦")])
    assert response.status_code == 200 and "调休上班日应为星期六或星期日" in response.content.decode()
    response = _post(admin_client, [("2026-12-31", "holiday", "元旦")])
    assert "日期必须在2027年内" in response.content.decode()
    assert not WorkCalendar.objects.filter(year=2027).exists()

    response = _post(admin_client, [("2027-01-01", "holiday", "元旦"), ("2027-01-02", "workday", "元旦")])
    assert response.status_code == 302
    # Fri 1 Jan 2027 off, Sat 2 Jan made a working day
    assert add_working_days(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 2)
    page = admin_client.get("/admin/core/workcalendar/").content.decode()
    assert "2027" in page and "尚未录入" not in page
