"""Issue 22: the 依申请公开 periods the law counts from receipt, the fee notice within the reply period,
appeals without a reply or a request, a late 补正 kept visible, and the receipt date of a portal
submission on a holiday. Every date below is counted by hand on the State Council's calendars
(国办发明电〔2024〕12号 for 2025).
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from docx import Document as DocxDocument
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gongkai.core import calendar
from gongkai.core.models import Event
from gongkai.foi import services
from gongkai.foi.clock import reply_due_date, urgency
from gongkai.foi.constants import (
    AppealKind,
    AppealResult,
    ApplicantKind,
    Channel,
    ConsultationKind,
    FeeStandard,
    IdType,
    LetterKind,
    Outcome,
    RequestStatus,
)
from gongkai.foi.letters import render_docx
from gongkai.foi.models import FOIAppeal, FOIRequest
from gongkai.reports.selectors import build_report_data

# Plain codes rather than the new enums, so that on a checkout without them each test fails by itself:
# grounds "no_reply" / "active_disclosure" (AppealGrounds), delivery "post" / "in_person" / "email"
# (ServiceMethod).
D = dt.date
SHANGHAI = dt.timezone(dt.timedelta(hours=8))

PERSON = {
    "applicant_kind": ApplicantKind.PERSON,
    "applicant_name": "王五",
    "id_type": IdType.RESIDENT_ID,
    "id_number": "11010519491231002X",
    "email": "wangwu@example.com",
    "address": "上海市静安区示例路1号",
    "description": "静安区2025年既有住宅加装电梯补贴的审批材料",
}


@pytest.fixture(autouse=True)
def _fresh():
    calendar.clear_cache()
    cache.clear()


def at(day: str, hour: int = 10, minute: int = 0):
    y, m, d = map(int, day.split("-"))
    return time_machine.travel(dt.datetime(y, m, d, hour, minute, tzinfo=SHANGHAI), tick=False)


def register(office, officer, received: str) -> FOIRequest:
    return services.register_request(
        actor=officer, organisation=office, channel=Channel.IN_PERSON, received_date=received, **PERSON
    )[0]


def reload(request: FOIRequest) -> FOIRequest:
    return FOIRequest.objects.get(pk=request.pk)


# --- (1) consultation: 15 working days from the day the party RECEIVES the letter (Arts. 32, 34) ---


@pytest.mark.django_db
def test_consultation_answer_period_runs_from_receipt_of_the_letter(office, foi_officer):
    """Posted Mon 2025-11-10, received Thu 2025-11-13: 14 Nov (1), 17–21 (6), 24–28 (11), 1–4 Dec (15)
    → 2025-12-04 (counting from sending would give 2025-12-01)."""
    with at("2025-11-10") as traveller:
        request = register(office, foi_officer, "2025-11-03")
        request, consultation = services.start_consultation(
            request, actor=foi_officer, kind=ConsultationKind.THIRD_PARTY, party="上海某电梯工程有限公司",
            sent_date="2025-11-10",
        )  # fmt: skip
        # until the delivery is known the answer date is pending, and the worklist says why
        assert consultation.answer_due_date is None and request.due_date is None
        assert urgency(reload(request), D(2025, 11, 10)).label == "征求意见函待送达"
        letter = reload(request).letters.get(kind=LetterKind.CONSULTATION)
        assert (
            "请自收到本函之日起15个工作日内书面提出意见" in letter.body and "2025年12月1日" not in letter.body
        )
        traveller.move_to(dt.datetime(2026, 1, 5, 10, tzinfo=SHANGHAI))
        with pytest.raises(ValidationError, match="送达日期尚未登记"):
            services.end_consultation(request, actor=foi_officer, no_answer=True)

        with pytest.raises(ValidationError) as bad:  # received before it was sent: refused, nothing changes
            services.record_consultation_delivery(
                request, actor=foi_officer, delivered_date="2025-11-07", delivery_method="post"
            )
        assert "delivered_date" in bad.value.message_dict
        assert reload(request).consultations.get().delivered_date is None

        request, consultation = services.record_consultation_delivery(
            request, actor=foi_officer, delivered_date="2025-11-13", delivery_method="post",
            tracking_number="1151234567890",
        )  # fmt: skip
        assert consultation.answer_due_date == D(2025, 12, 4)
        assert request.due_date == D(2025, 12, 4) and request.status == RequestStatus.CONSULTING
        assert Event.objects.filter(verb="foi.consultation_delivered").exists()

    # "no answer" is not before the 15th working day after receipt has passed
    with at("2025-12-04"):
        with pytest.raises(ValidationError, match="2025-12-04"):
            services.end_consultation(request, actor=foi_officer, no_answer=True)
    with at("2025-12-05"):
        request = services.end_consultation(request, actor=foi_officer, no_answer=True)
    assert request.status == RequestStatus.RECEIVED
    assert request.consultations.get().answered_date == D(2025, 12, 4)


@pytest.mark.django_db
def test_consultation_letter_handed_over_prints_the_answer_date(office, foi_officer):
    """Handed over on the day it is issued (Wed 2025-12-31): 15 WD from then → Thu 2026-01-22."""
    request = register(office, foi_officer, "2025-12-15")
    request, consultation = services.start_consultation(
        request, actor=foi_officer, kind=ConsultationKind.CO_PRODUCER, party="上海市静安区财政局",
        sent_date="2025-12-31", delivery_method="in_person", delivered_date="2025-12-31",
    )  # fmt: skip
    assert consultation.answer_due_date == D(2026, 1, 22)
    letter = reload(request).letters.get(kind=LetterKind.CONSULTATION)
    assert "请自收到本函之日起15个工作日内（即2026年1月22日前）书面提出意见" in letter.body
    with pytest.raises(ValidationError) as bad:  # a method without its date is refused
        services.start_consultation(
            register(office, foi_officer, "2025-12-15"), actor=foi_officer,
            kind=ConsultationKind.THIRD_PARTY, party="某公司", sent_date="2025-12-31",
            delivery_method="post",
        )  # fmt: skip
    assert "delivered_date" in bad.value.message_dict


# --- (2) fee: 20 working days from the day after the applicant receives the notice (国办函〔2020〕109号) ---


@pytest.mark.django_db
def test_fee_is_due_20_working_days_after_the_notice_is_received(office, foi_officer):
    """Posted Thu 2025-11-20, received Mon 2025-11-24: 25–28 Nov (4), 1–5 Dec (9), 8–12 (14), 15–19 (19),
    Mon 22 Dec (20) → 2025-12-22 (from the issue date it would be 2025-12-18)."""
    request = register(office, foi_officer, "2025-11-10")  # reply due 2025-12-08
    request, notice = services.send_fee_notice(
        request, actor=foi_officer, standard=FeeStandard.PER_PAGE, pages=60, notice_date="2025-11-20"
    )
    assert request.status == RequestStatus.AWAITING_FEE and request.fee_due_date is None
    assert urgency(request, D(2025, 11, 21)).label == "收费通知待送达"
    assert "请自收到本通知次日起20个工作日内缴纳" in notice.body and "2025年12月18日" not in notice.body
    with pytest.raises(ValidationError, match="送达日期尚未登记"):
        services.close_for_unpaid_fee(request, actor=foi_officer, decided_date="2026-01-05")
    assert reload(request).status == RequestStatus.AWAITING_FEE

    request = services.record_fee_notice_delivery(
        request, actor=foi_officer, delivered_date="2025-11-24", delivery_method="post"
    )
    assert request.fee_notice_delivered_date == D(2025, 11, 24)
    assert request.fee_due_date == D(2025, 12, 22) and request.due_date == D(2025, 12, 22)
    request = services.record_fee_payment(request, actor=foi_officer, paid_date="2025-12-19")
    assert request.status == RequestStatus.RECEIVED and request.fee_paid_date == D(2025, 12, 19)


@pytest.mark.django_db
def test_unpaid_fee_closes_only_after_the_period_counted_from_receipt(office, foi_officer):
    request = register(office, foi_officer, "2025-11-10")
    request, _notice = services.send_fee_notice(
        request, actor=foi_officer, standard=FeeStandard.PER_PAGE, pages=60, notice_date="2025-11-20"
    )
    request = services.record_fee_notice_delivery(
        request, actor=foi_officer, delivered_date="2025-11-24", delivery_method="email"
    )
    with pytest.raises(ValidationError, match="尚未届满"):
        services.close_for_unpaid_fee(request, actor=foi_officer, decided_date="2025-12-22")
    request, letter = services.close_for_unpaid_fee(request, actor=foi_officer, decided_date="2025-12-23")
    assert request.outcome == Outcome.FEE_UNPAID
    # the closing letter prints the dates the period was counted from
    assert "于2025年11月24日收到该通知" in letter.body and "至2025年12月22日" in letter.body
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(render_docx(letter))).paragraphs)
    assert "2025年11月24日" in text


# --- (4) a fee notice after the reply period has run out (requirements-cn §1.6) -------------------


@pytest.mark.django_db
def test_fee_notice_after_the_reply_period_is_refused_with_the_reason(office, foi_officer):
    request = register(office, foi_officer, "2025-03-03")  # 20 WD → Mon 2025-03-31
    assert request.due_date == D(2025, 3, 31)
    with pytest.raises(ValidationError) as refused:
        services.send_fee_notice(
            request, actor=foi_officer, standard=FeeStandard.PER_PAGE, pages=60, notice_date="2025-04-01"
        )
    assert refused.value.message_dict["notice_date"] == [
        "答复期限已于2025-03-31届满，不能再发出收费通知：收费通知应当在答复期限内发出（国办函〔2020〕109号）。"
    ]
    request = reload(request)
    assert request.status == RequestStatus.RECEIVED and request.fee_notice_date is None
    assert not request.letters.exists()
    # on the last day of the period it is still accepted
    request, _notice = services.send_fee_notice(
        request, actor=foi_officer, standard=FeeStandard.PER_PAGE, pages=60, notice_date="2025-03-31"
    )
    assert request.status == RequestStatus.AWAITING_FEE


# --- (5) appeals about an unanswered request, or about active disclosure (Art. 51) ---------------------


@pytest.mark.django_db
def test_appeals_without_a_reply_or_without_a_request_count_in_table_4(office, foi_officer, make_user):
    unanswered = register(office, foi_officer, "2025-03-03")  # never answered
    no_reply = services.add_appeal(
        unanswered, actor=foi_officer, kind=AppealKind.RECONSIDERATION, filed_date="2025-04-15",
        case_number="静府复〔2025〕12号",
    )  # fmt: skip
    assert no_reply.grounds == "no_reply" and no_reply.request == unanswered

    with pytest.raises(ValidationError) as missing:  # a case linked to no request needs its subject
        services.add_appeal(
            None, actor=foi_officer, organisation=office, kind=AppealKind.LITIGATION_DIRECT,
            grounds="active_disclosure", filed_date="2025-06-02",
        )  # fmt: skip
    assert "subject" in missing.value.message_dict
    with pytest.raises(ValidationError) as needs_request:
        services.add_appeal(
            None, actor=foi_officer, organisation=office, kind=AppealKind.LITIGATION_DIRECT,
            grounds="no_reply", subject="某申请", filed_date="2025-06-02",
        )  # fmt: skip
    assert "request" in needs_request.value.message_dict
    active = services.add_appeal(
        None, actor=foi_officer, organisation=office, kind=AppealKind.LITIGATION_DIRECT,
        grounds="active_disclosure", subject="未主动公开2024年区级预算调整方案", filed_date="2025-06-02",
    )  # fmt: skip
    assert active.request is None and active.organisation == office
    services.decide_appeal(
        active, actor=foi_officer, result=AppealResult.CORRECTED, decided_date="2025-09-01"
    )

    # through the API too (another organisation's officer cannot record against this office)
    token = Token.objects.create(user=foi_officer)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    created = api.post("/api/foi/appeals/", {
        "kind": AppealKind.RECONSIDERATION, "grounds": "active_disclosure",
        "subject": "政府信息公开指南未及时更新", "date": "2025-07-01",
    }, format="json")  # fmt: skip
    assert created.status_code == 201, created.content
    assert created.json()["request"] is None and created.json()["grounds"] == "active_disclosure"
    listed = api.get("/api/foi/appeals/").json()
    assert listed["count"] == 3

    table4 = build_report_data(office, 2025)["table4"]
    assert table4["行政复议"] == {"结果维持": 0, "结果纠正": 0, "其他结果": 0, "尚未审结": 2, "总计": 2}
    assert table4["行政诉讼/未经复议直接起诉"] == {
        "结果维持": 0,
        "结果纠正": 1,
        "其他结果": 0,
        "尚未审结": 0,
        "总计": 1,
    }

    staff = Client()
    staff.force_login(foi_officer)
    page = staff.get(reverse("foi:staff-appeals")).content.decode()
    assert "未主动公开2024年区级预算调整方案" in page and unanswered.number in page
    assert FOIAppeal.objects.count() == 3


# --- decide and document: a 补正 notice after the reply period keeps the lateness visible ---------------


@pytest.mark.django_db
def test_correction_notice_after_the_reply_period_keeps_the_lateness_visible(
    office, foi_officer, reviewer, approve_letter
):
    request = register(office, foi_officer, "2025-03-03")  # reply due Mon 2025-03-31
    request, _notice = services.send_correction_notice(
        request, actor=foi_officer, notice_date="2025-04-02", items="请说明所需材料的年度。"
    )
    assert request.reply_period_missed_on == D(2025, 3, 31)
    event = Event.objects.get(verb="foi.correction_requested")
    assert event.data["after_reply_period"] is True and event.data["reply_due_date"] == "2025-03-31"
    # Art. 30 restarts the clock on the corrected application: 8–11 Apr (4), 14–18 (9), 21–25 (14),
    # 27 Apr (a 调休 Sunday, 15), 28–30 Apr (18), 6–7 May (20) → 2025-05-07
    request = services.receive_correction(request, actor=foi_officer, received_date="2025-04-07")
    assert reply_due_date(request) == D(2025, 5, 7)
    assert request.reply_period_missed_on == D(2025, 3, 31)  # the restart hides nothing

    staff = Client()
    staff.force_login(foi_officer)
    worklist = staff.get(reverse("foi:staff-list")).content.decode()
    row = re.search(rf'data-number="{request.number}">(.*?)</tr>', worklist, re.S).group(1)
    assert "曾超过答复期限 2025-03-31" in row
    late_only = staff.get(reverse("foi:staff-list"), {"urgency": "late"}).content.decode()
    assert request.number in late_only
    detail = staff.get(reverse("foi:staff-detail", args=[request.pk])).content.decode()
    assert "答复期限已于2025-03-31届满" in detail and "补正通知于2025-04-02发出" in detail

    letter = services.prepare_reply(request, actor=foi_officer, outcome=Outcome.DISCLOSED)
    # the reply letter prints the date the restarted period counts from (Art. 30)
    assert "于2025年3月3日收到" in letter.body and "并于2025年4月7日收到补正后的申请" in letter.body
    review = Client()
    review.force_login(reviewer)
    page = review.get(reverse("foi:staff-letter", args=[letter.pk])).content.decode()
    assert "逾期答复" in page and "2025-03-31" in page and "补正通知于2025-04-02才发出" in page

    letter = approve_letter(letter)
    services.issue_reply(letter, actor=foi_officer, decided_date="2025-04-10")  # in time for the new clock
    # the annual report's text says so (section 五, generated, frozen at publication)
    from gongkai.reports.sections import late_sentence

    data = build_report_data(office, 2025)
    assert data["notes"]["late_replies"] == 1 and data["notes"]["late_after_correction"] == 1
    assert late_sentence(data) == [
        "2025年办结的政府信息公开申请中，1件未在法定期限内答复，其中1件的补正通知在答复期限届满后才发出。"
    ]


@pytest.mark.django_db
def test_a_reply_after_the_deadline_is_recorded_as_late(office, foi_officer, approve_letter):
    request = register(office, foi_officer, "2025-03-03")
    letter = approve_letter(services.prepare_reply(request, actor=foi_officer, outcome=Outcome.NOT_EXIST))
    request = services.issue_reply(letter, actor=foi_officer, decided_date="2025-04-01")
    assert request.reply_period_missed_on == D(2025, 3, 31)
    assert build_report_data(office, 2025)["notes"]["late_replies"] == 1


# --- decide and document: a portal submission on a holiday at 23:30 (Art. 31) ----------------------


FORM = {**PERSON, "info_form": "electronic", "delivery_method": "email"}


@pytest.mark.django_db
def test_portal_submission_on_a_holiday_late_at_night_is_received_on_the_next_working_day(office):
    """National Day 2025: 1–8 Oct off. Submitted Wed 1 Oct 23:30 → received Thu 9 Oct; reply due 20 WD
    later: 10 Oct (1), Sat 11 Oct (调休, 2), 13–17 (7), 20–24 (12), 27–31 (17), 3–5 Nov (20) → 2025-11-05."""
    with at("2025-10-01", 23, 30):
        client = Client()
        response = client.post(reverse("foi:apply"), {**FORM, "organisation": office.pk})
        assert response.status_code == 302
        page = client.get(reverse("foi:confirmation")).content.decode()
    request = FOIRequest.objects.get()
    assert request.channel == Channel.ONLINE and request.received_date == D(2025, 10, 9)
    assert request.due_date == D(2025, 11, 5)
    assert "2025-10-01 23:30" in page and 'id="received-date">2025-10-09<' in page
    assert "以其后第一个工作日为收到申请之日" in page


@pytest.mark.django_db
def test_portal_submission_on_a_working_day_late_at_night_is_received_that_day(office):
    with at("2025-09-30", 23, 30):  # Tuesday, a working day
        response = Client().post(reverse("foi:apply"), {**FORM, "organisation": office.pk})
        assert response.status_code == 302
    assert FOIRequest.objects.get().received_date == D(2025, 9, 30)


@pytest.mark.django_db
def test_deliveries_are_recorded_from_the_staff_screen_and_the_api(office, foi_officer):
    request = register(office, foi_officer, "2025-11-03")
    staff = Client()
    staff.force_login(foi_officer)
    action = lambda name, **data: staff.post(reverse("foi:staff-action", args=[request.pk, name]), data)  # noqa: E731
    action("consult", kind=ConsultationKind.THIRD_PARTY, party="上海某电梯工程有限公司", date="2025-11-10")
    page = staff.get(reverse("foi:staff-detail", args=[request.pk])).content.decode()
    assert "待送达" in page and "征求意见函待送达" in page
    action("consult_delivered", date="2025-11-13", delivery_method="post", tracking_number="1151234567890")
    consultation = reload(request).consultations.get()
    assert consultation.delivered_date == D(2025, 11, 13) and consultation.answer_due_date == D(2025, 12, 4)
    assert consultation.tracking_number == "1151234567890"
    action("consult_end", date="2025-11-20", answer="同意公开")
    assert reload(request).status == RequestStatus.RECEIVED

    token = Token.objects.create(user=foi_officer)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    base = f"/api/foi/requests/{request.pk}"
    sent = api.post(
        f"{base}/fee-notice/", {"standard": "per_page", "pages": 60, "date": "2025-11-20"}, format="json"
    )
    assert sent.status_code == 200, sent.content
    assert sent.json()["fee_due_date"] is None and sent.json()["fee_notice_delivered_date"] is None
    served = api.post(
        f"{base}/fee-notice-delivered/", {"date": "2025-11-24", "delivery_method": "post"}, format="json"
    )
    assert served.status_code == 200, served.content
    assert served.json()["fee_due_date"] == "2025-12-22"
    again = api.post(
        f"{base}/fee-notice-delivered/", {"date": "2025-11-25", "delivery_method": "post"}, format="json"
    )
    assert again.status_code == 400 and "status" in again.json()
