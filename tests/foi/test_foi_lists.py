"""Request lists: the staff worklist and the staff API filter alike, and "overdue" / "due soon" mean the
same thing on the worklist, in the API, in the reminder e-mail and in the worklist's colours."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from stdnum.cn import uscc

from gongkai.core import calendar
from gongkai.core.calendar import working_days_between
from gongkai.foi import services
from gongkai.foi.constants import DUE_SOON_DAYS, ApplicantKind, Channel, IdType
from gongkai.foi.models import FOIRequest, due_soon_until
from gongkai.foi.tasks import send_overdue_reminders

# "Today": Tuesday 24 November 2026. Working days ahead: Wed 25, Thu 26, Fri 27 (three), Mon 30.
TODAY = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))

FORM = {
    "applicant_kind": ApplicantKind.PERSON,
    "applicant_name": "赵六",
    "id_type": IdType.RESIDENT_ID,
    "id_number": "11010519491231002X",
    "email": "zhaoliu@example.com",
    "description": "静安区2026年学前教育资源配置规划",
}


@pytest.fixture(autouse=True)
def _clean():
    cache.clear()
    calendar.clear_cache()
    with time_machine.travel(TODAY, tick=False):
        yield


def _register(officer, office, name: str, received: str, **extra) -> FOIRequest:
    request, _code = services.register_request(actor=officer, organisation=office, channel=Channel.IN_PERSON,
                                               received_date=received, **{**FORM, "applicant_name": name, **extra})  # fmt: skip
    return request


def _awaiting_correction(officer, office, name: str, due: str) -> FOIRequest:
    """A request whose current deadline is the applicant's 补正 period (条例 Art. 30), ending on `due`."""
    request = _register(officer, office, name, "2026-11-16")
    request, _letter = services.send_correction_notice(
        request, actor=officer, notice_date="2026-11-17", items="请补充身份证明", correction_due_date=due
    )
    return request


def _closed_with_old_deadline(officer, office, name: str, due: dt.date) -> FOIRequest:
    """A request closed (deemed abandoned, Art. 30) whose row still carries a deadline, as rows imported
    from the previous system do: closing never makes a request overdue or due soon."""
    request = _awaiting_correction(officer, office, name, "2026-11-19")
    request, _letter = services.close_for_no_correction(request, actor=officer, decided_date="2026-11-20")
    FOIRequest.objects.filter(pk=request.pk).update(due_date=due)
    return request


def _worklist(client: Client, query: str) -> dict[str, str]:
    """Request number -> row colour of every row of the worklist for `query`."""
    page = client.get(reverse("foi:staff-list") + "?" + query).content.decode()
    return dict((n, u) for u, n in re.findall(r'<tr class="u-(\w+)" data-number="([^"]+)">', page))


def _api(client: APIClient, query: str) -> set[str]:
    response = client.get("/api/foi/requests/?page_size=100&" + query)
    assert response.status_code == 200, response.json()
    return {item["number"] for item in response.json()["results"]}


@pytest.fixture
def requests_by_deadline(office, foi_officer):
    make = _awaiting_correction
    return {
        # 9 Oct + 20 WD = 5 Nov (test_foi_screens): open and past its reply deadline
        "overdue": _register(foi_officer, office, "甲", "2026-10-09"),
        "due_today": make(foi_officer, office, "乙", "2026-11-24"),  # no working day left
        "due_thursday": make(foi_officer, office, "丙", "2026-11-26"),  # two left
        # Saturday after the third working day: still only three working days left
        "due_saturday": make(foi_officer, office, "丁", "2026-11-28"),
        "due_monday": make(foi_officer, office, "戊", "2026-11-30"),  # four left: not soon
        "closed_past_due": _closed_with_old_deadline(foi_officer, office, "己", dt.date(2026, 11, 5)),
        "closed_due_soon": _closed_with_old_deadline(foi_officer, office, "庚", dt.date(2026, 11, 26)),
    }


@pytest.mark.django_db
def test_worklist_api_and_reminders_agree_on_overdue_and_due_soon(requests_by_deadline, foi_officer):
    number = {key: request.number for key, request in requests_by_deadline.items()}
    overdue = {number["overdue"]}
    soon = {number["due_today"], number["due_thursday"], number["due_saturday"]}
    staff = Client()
    staff.force_login(foi_officer)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=foi_officer).key}")

    for status in ("", "status=open&", "status=replied&"):
        expected_overdue = overdue if status != "status=replied&" else set()
        expected_soon = soon if status != "status=replied&" else set()
        listed = _worklist(staff, status + "urgency=overdue")
        assert set(listed) == expected_overdue and set(listed.values()) <= {"overdue"}
        assert _api(api, status + "overdue=true") == expected_overdue
        assert _api(api, status + "urgency=overdue") == expected_overdue
        listed = _worklist(staff, status + "urgency=soon")
        assert set(listed) == expected_soon and set(listed.values()) <= {"soon"}
        assert _api(api, status + "urgency=soon") == expected_soon

    # the colours of the unfiltered lists follow the same rules
    assert _worklist(staff, "")[number["due_monday"]] == "ok"
    closed = _worklist(staff, "status=replied")
    assert closed == {number["closed_past_due"]: "closed", number["closed_due_soon"]: "closed"}
    assert _api(api, "overdue=false") == set(number.values())

    mail.outbox.clear()
    assert send_overdue_reminders() == 1
    assert number["overdue"] in mail.outbox[0].body and number["closed_past_due"] not in mail.outbox[0].body


CREDIT_CODE = "91310106MA1FY0000" + uscc.calc_check_digit("91310106MA1FY0000")


@pytest.mark.django_db
def test_api_takes_the_worklist_filters(office, other_org, foi_officer, make_user):
    mine = _register(foi_officer, office, "上海某某律师事务所", "2026-11-02",
                     applicant_kind=ApplicantKind.LEGAL_SERVICES, id_type="", id_number="",
                     credit_code=CREDIT_CODE, contact_person="王五")  # fmt: skip
    person = _register(foi_officer, office, "赵六", "2026-11-03")
    _register(make_user("edu-foi", other_org, "foi_officer"), other_org, "赵六", "2026-11-03")
    staff = Client()
    staff.force_login(foi_officer)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=foi_officer).key}")
    for query, expected in (
        ("applicant_kind=legal_services", {mine.number}),
        ("q=赵六", {person.number}),  # another organisation's 赵六 is not listed
        (f"q={mine.number[-4:]}&year=2026", {mine.number}),
        ("channel=online", set()),
        ("year=2025", set()),
        ("status=received", {mine.number, person.number}),
    ):
        assert set(_worklist(staff, query)) == expected, query
        assert _api(api, query) == expected, query
    bad = api.get("/api/foi/requests/?status=lost")
    assert bad.status_code == 400 and "status" in bad.json()


@pytest.mark.django_db
def test_due_soon_means_at_most_three_working_days_left():
    # across National Day 2026 (1–7 October off, Sat 10 October a 调休 working day) and ordinary weeks
    days = [dt.date(2026, 9, 20) + dt.timedelta(days=n) for n in range(30)]
    days += [dt.date(2026, 11, 20) + dt.timedelta(days=n) for n in range(14)]
    for today in days:
        horizon = due_soon_until(today)
        for ahead in range(15):
            due = today + dt.timedelta(days=ahead)
            assert (due <= horizon) == (working_days_between(today, due) <= DUE_SOON_DAYS), (today, due)
