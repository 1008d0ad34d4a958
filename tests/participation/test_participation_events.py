"""Open days and briefings (work plan 二十四): capacity, waiting list, check-in, ICS, attendance figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from gongkai.participation import services
from gongkai.participation.models import Registration
from gongkai.participation.selectors import event_figures
from participation_helpers import at

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def open_day(editor):
    with at("2026-07-01"):
        return services.create_event(
            actor=editor, organisation=editor.organisation, kind="open_day", title="政府开放月：走进政务服务中心",
            venue="政务服务中心, 一楼; 大厅", starts_at=dt.datetime(2026, 8, 12, 9, 30, tzinfo=SHANGHAI),
            ends_at=dt.datetime(2026, 8, 12, 11, 30, tzinfo=SHANGHAI), capacity=2, publish=True,
        )  # fmt: skip


def sign_up(client: Client, event, name: str, contact: str):
    return client.post(f"/participation/events/{event.pk}/", {"name": name, "contact": contact})


def test_the_event_fills_up_and_the_next_person_goes_on_the_waiting_list(
    open_day, django_capture_on_commit_callbacks
):
    with at("2026-07-02"), django_capture_on_commit_callbacks(execute=True):
        first, second, third = Client(), Client(), Client()
        assert sign_up(first, open_day, "张一", "one@example.org").status_code == 302
        assert sign_up(second, open_day, "张二", "13800000002").status_code == 302
        response = sign_up(third, open_day, "张三", "three@example.org")
        assert response.status_code == 302
        done = third.get(response["Location"]).content.decode()
        page = Client().get(f"/participation/events/{open_day.pk}/").content.decode()
    assert "名额已满，您已进入候补名单，排第 1 位" in done
    assert [r.status for r in Registration.objects.order_by("id")] == ["confirmed", "confirmed", "waitlisted"]
    assert "剩余0个；候补1人" in page and "加入候补" in page
    assert "张一" not in page and "one@example.org" not in page  # registrants are never public
    # Confirmations by mail (a phone number gets its code on the page only).
    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.org", "three@example.org"]
    assert "候补" in next(m for m in mail.outbox if m.to == ["three@example.org"]).body


def test_the_same_person_cannot_sign_up_twice(open_day):
    with at("2026-07-02"):
        services.register(open_day, name="张一", contact="138-0000-0001")
        with pytest.raises(ValidationError) as error:
            services.register(open_day, name="张一", contact="13800000001")
    assert "请勿重复报名" in str(error.value)
    assert Registration.objects.count() == 1


def test_a_cancellation_promotes_the_first_on_the_waiting_list(open_day, django_capture_on_commit_callbacks):
    with at("2026-07-02"), django_capture_on_commit_callbacks(execute=True):
        first = services.register(open_day, name="张一", contact="one@example.org")
        services.register(open_day, name="张二", contact="two@example.org")
        waiting = services.register(open_day, name="张三", contact="three@example.org")
        services.register(open_day, name="张四", contact="four@example.org")
        mail.outbox.clear()
        client = Client()
        wrong = client.post(
            f"/participation/events/{open_day.pk}/cancel/", {"code": first.code, "contact": "x@example.org"}
        )
        assert Registration.objects.get(pk=first.pk).status == "confirmed"
        assert "签到码或联系方式不正确" in client.get(wrong["Location"]).content.decode()
        client.post(
            f"/participation/events/{open_day.pk}/cancel/", {"code": first.code, "contact": "one@example.org"}
        )
    waiting.refresh_from_db()
    assert waiting.status == "confirmed" and waiting.promoted_at is not None
    assert Registration.objects.get(name="张四").status == "waitlisted"
    assert mail.outbox[-1].to == ["three@example.org"] and waiting.code in mail.outbox[-1].body


def test_check_in_with_the_code_and_attendance_figures(open_day, editor):
    with at("2026-07-02"):
        one = services.register(open_day, name="张一", contact="one@example.org")
        two = services.register(open_day, name="张二", contact="two@example.org")
        waiting = services.register(open_day, name="张三", contact="three@example.org")
    with at("2026-08-12", hour=9):
        services.check_in(open_day, actor=editor, code=one.code.lower())
        with pytest.raises(ValidationError):
            services.check_in(open_day, actor=editor, code=one.code)  # twice
        with pytest.raises(ValidationError):
            services.check_in(open_day, actor=editor, code=waiting.code)  # on the waiting list
    with at("2026-08-12", hour=10):
        with pytest.raises(ValidationError):
            services.register(
                open_day, name="迟到", contact="late@example.org"
            )  # sign-up closed at the start
    figures = event_figures(open_day)
    assert (figures["confirmed"], figures["waitlisted"], figures["checked_in"], figures["rate"]) == (
        2,
        1,
        1,
        50,
    )
    assert two.checked_in_at is None
    with at("2026-08-13"):
        page = Client().get("/participation/events/").content.decode()
    assert "往期活动" in page and "政府开放月" in page


def test_ics_export(open_day):
    body = Client().get(f"/participation/events/{open_day.pk}/event.ics")
    assert body["Content-Type"].startswith("text/calendar")
    text = body.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert (
        "DTSTART:20260812T013000Z" in text and "DTEND:20260812T033000Z" in text
    )  # 09:30 Shanghai = 01:30 UTC
    assert "LOCATION:政务服务中心\\, 一楼\\; 大厅" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # RFC 5545 folding
    with at("2026-07-02"):
        assert "SUMMARY:政府开放月" in Client().get("/participation/events.ics").content.decode()


def test_the_calendar_page_lists_events_by_month(open_day):
    with at("2026-07-02"):
        page = Client().get("/participation/events/").content.decode()
    assert "2026年8月" in page and "政府开放月：走进政务服务中心" in page


def test_a_sign_up_beyond_seats_and_waiting_list_gets_a_clear_error(editor):
    with at("2026-07-01"):
        event = services.create_event(
            actor=editor, organisation=editor.organisation, kind="briefing", title="政策沟通会", venue="会议室",
            starts_at=dt.datetime(2026, 8, 12, 14, 0, tzinfo=SHANGHAI), ends_at=dt.datetime(2026, 8, 12, 16, 0, tzinfo=SHANGHAI),
            capacity=1, waitlist_size=1, publish=True,
        )  # fmt: skip
        services.register(event, name="甲", contact="a@example.org")
        services.register(event, name="乙", contact="b@example.org")
        response = sign_up(Client(), event, "丙", "c@example.org")
    assert response.status_code == 400 and "名额和候补名额均已满" in response.content.decode()
    assert Registration.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_never_exceed_the_seats(editor):
    """Twelve people press the button at once for 3 seats and 3 waiting places (the event row is locked)."""
    import threading

    from django.db import connection

    event = services.create_event(
        actor=editor, organisation=editor.organisation, kind="open_day", title="开放日", venue="大厅",
        starts_at=dt.datetime(2031, 8, 12, 9, 0, tzinfo=SHANGHAI), ends_at=dt.datetime(2031, 8, 12, 11, 0, tzinfo=SHANGHAI),
        capacity=3, publish=True,
    )  # fmt: skip
    barrier, outcomes = threading.Barrier(12), []

    def person(n: int) -> None:
        try:
            barrier.wait()
            outcomes.append(services.register(event, name=f"人{n}", contact=f"p{n}@example.org").status)
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=person, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["confirmed"] * 3 + ["refused"] * 6 + ["waitlisted"] * 3
    assert Registration.objects.filter(status="confirmed").count() == 3


def test_courseware_is_downloadable_while_the_event_is_published(open_day, editor, client):
    client.force_login(editor)
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(f"/participation/staff/events/{open_day.pk}/actions/material/",
                {"title": "政策解读课件", "file": SimpleUploadedFile("课件.pdf", b"%PDF-1.4 demo")})  # fmt: skip
    bad = client.post(f"/participation/staff/events/{open_day.pk}/actions/material/",
                      {"title": "脚本", "file": SimpleUploadedFile("x.exe", b"MZ")})  # fmt: skip
    assert "不支持的文件类型" in client.get(bad["Location"]).content.decode()
    material = open_day.materials.get()
    download = Client().get(f"/participation/events/{open_day.pk}/materials/{material.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 demo"
    assert (
        client.post(f"/participation/staff/events/{open_day.pk}/actions/checkin/", {"code": "x"}).status_code
        == 302
    )
    assert client.post(f"/participation/staff/events/{open_day.pk}/actions/cancel/",
                       {"registration": "not-a-number"}).status_code == 404  # fmt: skip


def test_attendance_of_public_representatives_is_counted_by_year(editor):
    from gongkai.participation.selectors import attendance_counts

    with at("2026-06-30"):
        rows = [
            services.invite_representative(
                actor=editor,
                organisation=editor.organisation,
                meeting_title=f"常务会议{n}",
                meeting_date=day,
                representative_name=f"代表{n}",
                representative_kind="citizen",
                invited_on="2026-01-05",
            )
            for n, day in enumerate(["2026-01-10", "2026-01-10", "2026-04-12", "2026-07-20"])
        ]
        for row in rows[:3]:
            services.record_attendance(row, actor=editor, attended=True)
        with pytest.raises(ValidationError):  # a meeting still to come cannot have been attended
            services.record_attendance(rows[3], actor=editor, attended=True)
    assert attendance_counts(2026) == {"invited": 4, "attended": 3, "meetings": 2}
    with at("2026-07-01"):
        page = Client().get("/participation/").content.decode()
    assert "公众代表列席 3 人次，涉及 2 次会议" in page and "代表1" not in page


def test_staff_create_an_event_linked_to_a_policy_by_its_number(editor, make_document, client):
    policy = make_document("关于做好2023年政务公开工作的通知", doc_number="静府办发〔2023〕5号")
    client.force_login(editor)
    form = {"organisation": editor.organisation_id, "kind": "lecture", "title": "政策公开讲", "venue": "社区中心",
            "starts_at": "2031-05-10T14:00", "ends_at": "2031-05-10T15:30", "capacity": "30", "publish": "on"}  # fmt: skip
    missing = client.post("/participation/staff/events/new/", {**form, "documents": "静府办发〔2099〕1号"})
    assert missing.status_code == 200 and "找不到或不能唯一确定" in missing.content.decode()
    response = client.post("/participation/staff/events/new/", {**form, "documents": "静府办发[2023]5号"})
    assert response.status_code == 302
    page = Client().get(response["Location"].replace("/staff", "")).content.decode()
    assert policy.title in page and f'href="{policy.get_absolute_url()}"' in page and "14:00" in page
