"""Public application and tracking, the staff worklist and actions, the staff API, the reminder task."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from docx import Document as DocxDocument
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from foi_helpers import FORM, TODAY
from gongkai.core import calendar
from gongkai.foi import services
from gongkai.foi.constants import Channel, ConsultationKind, Outcome, RequestStatus
from gongkai.foi.models import FOIRequest
from gongkai.foi.tasks import send_overdue_reminders

# "Today" for these tests: Wednesday 25 November 2026. 20 working days later (no holidays until
# 1 January): 26, 27 Nov (2), 30 Nov–4 Dec (7), 7–11 (12), 14–18 (17), 21, 22, 23 Dec (20).
DUE = "2026-12-23"


@pytest.fixture(autouse=True)
def _clean():
    cache.clear()
    calendar.clear_cache()
    with time_machine.travel(TODAY, tick=False):
        yield


def apply(client: Client, office, **extra):
    return client.post(reverse("foi:apply"), {**FORM, "organisation": office.pk, **extra})


@pytest.mark.django_db
def test_portal_application_reaches_worklist_with_due_date(client, office, foi_officer):
    assert client.get(reverse("foi:apply")).status_code == 200
    upload = io.BytesIO(b"%PDF-1.4 id card scan")
    upload.name = "身份证.pdf"
    response = apply(client, office, attachments=upload)
    assert response.status_code == 302 and response["Location"] == reverse("foi:confirmation")
    page = client.get(reverse("foi:confirmation")).content.decode()
    number = re.search(r'id="request-number">([^<]+)<', page).group(1)
    code = re.search(r'id="access-code">([^<]+)<', page).group(1)
    request = FOIRequest.objects.get(number=number)
    assert request.channel == Channel.ONLINE and request.received_date == dt.date(2026, 11, 25)
    assert request.due_date.isoformat() == DUE and request.attachments.get().from_applicant

    staff = Client()
    staff.force_login(foi_officer)
    worklist = staff.get(reverse("foi:staff-list")).content.decode()
    row = re.search(rf'<tr class="u-(\w+)" data-number="{number}">(.*?)</tr>', worklist, re.S)
    assert row and row.group(1) == "ok" and DUE in row.group(2) and "剩余20个工作日" in row.group(2)
    assert "2027年节假日安排尚未录入" in worklist  # 1-November warning: next year is missing

    public = Client()
    tracked = public.post(reverse("foi:track"), {"number": number, "code": code.lower()}).content.decode()
    assert "办理中" in tracked and DUE in tracked


@pytest.mark.django_db
def test_application_errors_are_chinese_and_change_nothing(client, office):
    response = apply(client, office, id_number="110105194912310021", description="")
    page = response.content.decode()
    assert response.status_code == 200
    assert "身份证号码" in page and "内容描述不能为空" in page
    assert not FOIRequest.objects.exists()


@pytest.mark.django_db
def test_application_needs_csrf_and_is_rate_limited(office):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("foi:apply"), {**FORM, "organisation": office.pk}).status_code == 403
    client = Client()
    codes = [apply(client, office).status_code for _ in range(11)]
    assert codes[:10] == [302] * 10 and codes[10] == 429
    assert FOIRequest.objects.count() == 10


@pytest.mark.django_db
def test_tracking_shows_only_own_letters(office, foi_officer, approve_letter):
    mine, code = services.register_request(actor=foi_officer, organisation=office, channel=Channel.IN_PERSON,
                                           received_date="2026-11-02", **FORM)  # fmt: skip
    other, _code = services.register_request(actor=foi_officer, organisation=office, channel=Channel.IN_PERSON,
                                             received_date="2026-11-02", **{**FORM, "applicant_name": "钱七"})  # fmt: skip
    mine, _consultation = services.start_consultation(
        mine,
        actor=foi_officer,
        kind=ConsultationKind.THIRD_PARTY,
        party="某第三方公司",
        sent_date="2026-11-03",
    )
    services.end_consultation(mine, actor=foi_officer, answered_date="2026-11-10")
    letter = services.prepare_reply(
        FOIRequest.objects.get(pk=mine.pk), actor=foi_officer, outcome=Outcome.NOT_EXIST
    )
    services.issue_reply(approve_letter(letter), actor=foi_officer, decided_date="2026-11-20")
    other_letter = services.prepare_reply(other, actor=foi_officer, outcome=Outcome.NOT_EXIST)
    services.issue_reply(approve_letter(other_letter), actor=foi_officer, decided_date="2026-11-20")

    client = Client()
    wrong = client.post(reverse("foi:track"), {"number": mine.number, "code": "WRONGCODE"}).content.decode()
    assert "申请编号或查询码不正确" in wrong
    page = client.post(reverse("foi:track"), {"number": mine.number, "code": code}).content.decode()
    assert "已答复" in page and "政府信息公开申请答复书" in page
    assert "征求意见函" not in page and "某第三方公司" not in page and "钱七" not in page
    response = client.get(reverse("foi:track-letter", args=[letter.pk]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(response.content)).paragraphs)
    assert "赵六：" in text and "第三十六条第（四）项" in text
    assert client.get(reverse("foi:track-letter", args=[other_letter.pk])).status_code == 404
    assert Client().get(reverse("foi:track-letter", args=[letter.pk])).status_code == 404


@pytest.mark.django_db
def test_staff_screens_are_limited_to_own_organisation(office, other_org, foi_officer, make_user, editor):
    request, _code = services.register_request(actor=foi_officer, organisation=office, channel=Channel.FAX,
                                               received_date="2026-11-02", **FORM)  # fmt: skip
    anonymous = Client()
    assert anonymous.get(reverse("foi:staff-list")).status_code == 302
    outsider = Client()
    outsider.force_login(make_user("edu-foi", other_org, "foi_officer"))
    assert request.number not in outsider.get(reverse("foi:staff-list")).content.decode()
    assert outsider.get(reverse("foi:staff-detail", args=[request.pk])).status_code == 404
    no_role = Client()
    no_role.force_login(editor)
    assert no_role.get(reverse("foi:staff-list")).status_code == 403


@pytest.mark.django_db
def test_staff_actions_and_letter_editing(office, foi_officer, reviewer):
    request, _code = services.register_request(actor=foi_officer, organisation=office, channel=Channel.IN_PERSON,
                                               received_date="2026-11-02", **FORM)  # fmt: skip
    staff = Client()
    staff.force_login(foi_officer)
    detail = staff.get(reverse("foi:staff-detail", args=[request.pk])).content.decode()
    assert request.number in detail and "登记申请" in detail
    # a bad step: a consultation without a party is refused with the field's message
    response = staff.post(reverse("foi:staff-action", args=[request.pk, "consult"]),
                          {"kind": "third_party", "party": "", "date": "2026-11-03"}, follow=True)  # fmt: skip
    assert "征求对象不能为空" in response.content.decode()
    assert FOIRequest.objects.get(pk=request.pk).status == RequestStatus.RECEIVED
    response = staff.post(reverse("foi:staff-action", args=[request.pk, "prepare_reply"]),
                          {"outcome": "disclosed", "reason": "见附件。"})  # fmt: skip
    letter_url = response["Location"]
    upload = io.BytesIO(b"corrected application")
    upload.name = "补正材料.txt"
    staff.post(reverse("foi:staff-upload", args=[request.pk]), {"file": upload, "from_applicant": "1"})
    attachment = request.attachments.get()
    assert attachment.from_applicant and attachment.title == "补正材料.txt"
    download = staff.get(reverse("foi:staff-file", args=[request.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == b"corrected application"
    edited = {"title": "政府信息公开申请答复书", "body": "本机关经审查，同意公开。\n见附件。"}
    # 先审查、后公开: issuing an unreviewed letter is refused and changes nothing
    refused = staff.post(
        letter_url, {**edited, "issue": "1", "date": "2026-11-20"}, follow=True
    ).content.decode()
    assert "答复书须经公开审查通过后才能出具" in refused
    assert FOIRequest.objects.get(pk=request.pk).status == RequestStatus.RECEIVED
    # the reviewer sees the review form and approves; the officer then issues the approved body
    checker = Client()
    checker.force_login(reviewer)
    page = checker.get(letter_url).content.decode()
    assert "待审查" in page and 'name="decision"' in page and "csrfmiddlewaretoken" in page
    assert 'name="decision"' not in staff.get(letter_url).content.decode()
    checker.post(letter_url.rstrip("/") + "/review/", {"decision": "approve", "note": "申请人本人信息"})
    assert "审查通过" in checker.get(letter_url).content.decode()
    response = staff.post(letter_url, {**edited, "issue": "1", "date": "2026-11-20"})
    request = FOIRequest.objects.get(pk=request.pk)
    assert request.status == RequestStatus.REPLIED and request.decided_date == dt.date(2026, 11, 20)
    assert request.letters.get().body == "本机关经审查，同意公开。\n见附件。"
    assert staff.get(letter_url.rstrip("/") + ".docx").status_code == 200


@pytest.mark.django_db
def test_overdue_reminder_email(office, foi_officer):
    services.register_request(actor=foi_officer, organisation=office, channel=Channel.IN_PERSON,
                              received_date="2026-10-09", **FORM)  # fmt: skip
    # 9 Oct 2026 + 20 WD: Sat 10 Oct a 调休 day (1), 12–16 (6), 19–23 (11), 26–30 (16), 2–5 Nov (20)
    assert FOIRequest.objects.get().due_date == dt.date(2026, 11, 5)
    mail.outbox.clear()
    assert send_overdue_reminders() == 1
    assert mail.outbox[0].to == ["foi@example.gov.cn"] and "2026-11-05" in mail.outbox[0].body
    assert send_overdue_reminders() == 0  # once a day


@pytest.mark.django_db
def test_staff_api_workflow_and_schema(office, other_org, foi_officer, make_user, reviewer):
    client = APIClient()
    assert client.post("/api/foi/requests/", {}, format="json").status_code in (401, 403)
    token = Token.objects.create(user=foi_officer)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    bad = client.post("/api/foi/requests/", {**FORM, "channel": "online", "received_date": "2099-01-01",
                                             "id_number": "123"}, format="json")  # fmt: skip
    assert bad.status_code == 400 and "received_date" in bad.json() and "id_number" in bad.json()
    created = client.post(
        "/api/foi/requests/", {**FORM, "channel": "online", "received_date": "2026-11-25"}, format="json"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["due_date"] == DUE and len(body["access_code"]) == 8 and body["organisation"] == office.code
    pk = body["id"]
    wrong = client.post(
        f"/api/foi/requests/{pk}/deliver/", {"method": "email", "date": "2026-11-25"}, format="json"
    )
    assert wrong.status_code == 400 and "status" in wrong.json()
    reply = {"outcome": "already_public", "reason": "见静安区政府网站"}
    # 先审查、后公开: a reply cannot be drafted and issued in one call, and the refusal changes nothing
    unreviewed = client.post(
        f"/api/foi/requests/{pk}/reply/", {**reply, "decided_date": "2026-11-25"}, format="json"
    )
    assert unreviewed.status_code == 400 and "decided_date" in unreviewed.json()
    assert not FOIRequest.objects.get(pk=pk).letters.exists()
    drafted = client.post(f"/api/foi/requests/{pk}/reply/", reply, format="json").json()
    draft_id = drafted["letters"][0]["id"]
    issue_url = f"/api/foi/requests/{pk}/letters/{draft_id}/issue/"
    refused = client.post(issue_url, {"date": "2026-11-25"}, format="json")
    assert refused.status_code == 400 and "先审查、后公开" in str(refused.json()["letter"])
    own_review = client.post(f"/api/foi/requests/{pk}/letters/{draft_id}/review/", {"decision": "approve",
                             "note": "本人信息"}, format="json")  # fmt: skip
    assert own_review.status_code == 403  # the drafter holds no reviewer role and drafted it
    checker = APIClient()
    checker.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reviewer).key}")
    reviewed = checker.post(f"/api/foi/requests/{pk}/letters/{draft_id}/review/",
                            {"decision": "approve", "note": "所含姓名为申请人本人"}, format="json")  # fmt: skip
    assert reviewed.status_code == 200 and reviewed.json()["review_status"] == "approved"
    assert all("text" not in finding for finding in reviewed.json()["review_findings"])
    replied = client.post(issue_url, {"date": "2026-11-25"}, format="json")
    assert replied.status_code == 200 and replied.json()["status"] == "replied"
    assert replied.json()["report_row"] == "（一）予以公开"
    letter_id = replied.json()["letters"][0]["id"]
    assert client.get(f"/api/foi/requests/{pk}/letters/{letter_id}/docx/").status_code == 200

    other = APIClient()
    other.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=make_user('edu', other_org, 'foi_officer')).key}"
    )
    assert other.get(f"/api/foi/requests/{pk}/").status_code == 404

    schema = client.get("/api/schema/").content.decode()
    assert (
        "/api/foi/requests/{id}/correction-notice/" in schema
        and "/api/foi/requests/{id}/extension-decision/" in schema
        and "/api/foi/requests/{id}/letters/{letter_id}/review/" in schema
    )


@pytest.mark.django_db
def test_december_application_waits_for_next_years_calendar(
    office, foi_officer, django_capture_on_commit_callbacks
):
    from gongkai.core.models import WorkCalendar, WorkCalendarDay

    with time_machine.travel(dt.datetime(2026, 12, 10, 10, 0, tzinfo=TODAY.tzinfo), tick=False):
        request, _code = services.register_request(actor=foi_officer, organisation=office, channel=Channel.IN_PERSON,
                                                   received_date="2026-12-10", **FORM)  # fmt: skip
        assert request.due_date is None  # accepted, but the deadline falls in 2027: no guess
        staff = Client()
        staff.force_login(foi_officer)
        assert (
            "2027年节假日安排尚未录入"
            in staff.get(reverse("foi:staff-detail", args=[request.pk])).content.decode()
        )
        with django_capture_on_commit_callbacks(execute=True):
            cal = WorkCalendar.objects.create(year=2027, is_complete=True, source="国务院办公厅通知（测试）")
            WorkCalendarDay.objects.create(
                calendar=cal, date=dt.date(2027, 1, 1), kind="holiday", name="元旦"
            )
        # 10 Dec 2026 + 20 WD: 11 (1), 14–18 (6), 21–25 (11), 28–31 (15), [1 Jan 2027 off], 4–8 Jan (20)
        assert FOIRequest.objects.get(pk=request.pk).due_date == dt.date(2027, 1, 8)
