"""The "done when" scenario of issue 5, with every expected date counted by hand.

Calendars (国办发明电〔2024〕12号 for 2025, 国办发明电〔2025〕7号 for 2026):
- 2025 国庆节、中秋节: 1–8 Oct off; Sun 28 Sep and Sat 11 Oct are working days.
- 2026 元旦: 1–3 Jan off; Sun 4 Jan a working day.
- 2026 春节: 15–23 Feb off; Sat 14 Feb and Sat 28 Feb are working days.

Story:
1. Received in person on Sun 2025-09-28 (a 调休 working day). Reply due 20 WD later: 29, 30 Sep (2),
   9, 10 Oct (4), Sat 11 Oct (5), 13–17 (10), 20–24 (15), 27–31 (20) → Fri 2025-10-31.
   The 补正 notice is due within 7 WD (Art. 30): 29, 30 Sep, 9, 10, 11, 13, 14 Oct → 2025-10-14.
2. 补正 notice on Fri 2025-10-10 (in time), correction period 15 WD: Sat 11 Oct (1), 13–17 (6),
   20–24 (11), 27–30 (15) → Thu 2025-10-30. The clock stops.
3. Corrected application received Mon 2025-10-20: the 20 WD start again (Art. 30):
   21–24 Oct (4), 27–31 (9), 3–7 Nov (14), 10–14 (19), 17 (20) → Mon 2025-11-17.
4. Third-party consultation posted Mon 2025-11-10 (Art. 32). By then 15 WD are used (21 Oct – 10 Nov).
   Until the letter's receipt is known the answer date is pending. It is received Thu 2025-11-13:
   answer due 15 WD after receipt: 14 Nov (1), 17–21 (6), 24–28 (11), 1–4 Dec (15) → 2025-12-04.
   The answer arrives Fri 2025-11-28; the 14 WD 11–28 Nov are not counted (Art. 33 ¶3).
   5 WD remain: 1–5 Dec → Fri 2025-12-05.
5. Extension of 20 WD, asked 2025-12-02 and approved 2025-12-03 (Art. 33 ¶2):
   8–12 Dec (5), 15–19 (10), 22–26 (15), 29–31 (18), Sun 4 Jan (19), Mon 5 Jan (20) → 2026-01-05.
6. Co-producer consultation handed over Wed 2025-12-31 (Art. 34), received that day. Used: 15 + 23
   (1–31 Dec) = 38 of 40. Answer due 15 WD after: Sun 4 Jan (1), 5–9 (6), 12–16 (11), 19–22 (15) → Thu
   2026-01-22.
   No answer (silence is consent): the clock resumes after 2026-01-22; 2 WD left → Fri 23 Jan, Mon 26 Jan.
7. Fee notice (按量, 150 pages) posted Fri 2026-01-23, within the reply period; 1 WD left on the reply
   clock (23 Jan counted: 39). The letter prints the rule, not a date: the receipt is not known yet.
   Received Mon 2026-01-26: payment due 20 WD from the day after (国办函〔2020〕109号): 27–30 Jan (4),
   2–6 Feb (9), 9–13 (14), Sat 14 Feb (15), 24–27 Feb (19), Sat 28 Feb (20, a 调休 working day) →
   2026-02-28, across the Spring Festival. Fee: pages 31–100 at 10 元 = 700, 101–150 at 20 元 = 1000 → 1700 元.
8. Paid Thu 2026-02-26: the last working day of the reply period is Fri 2026-02-27.
9. Reply (予以公开) issued 2026-02-27, on time; delivered by post 2026-03-02; archived.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from docx import Document as DocxDocument

from gongkai.core import calendar
from gongkai.core.services import events_for, verify_chain
from gongkai.foi import services
from gongkai.foi.clock import reply_due_date
from gongkai.foi.constants import (
    OUTCOME_REPORT_ROW,
    ApplicantKind,
    Channel,
    ConsultationKind,
    DeliveryMethod,
    FeeStandard,
    IdType,
    LetterKind,
    Outcome,
    RequestStatus,
    ServiceMethod,
)
from gongkai.foi.letters import render_docx
from gongkai.foi.models import FOIRequest

D = dt.date

PERSON = {
    "applicant_kind": ApplicantKind.PERSON,
    "applicant_name": "张三",
    "id_type": IdType.RESIDENT_ID,
    "id_number": "11010519491231002X",
    "phone": "13800000000",
    "email": "zhangsan@example.com",
    "address": "上海市静安区共和新路1号",
    "description": "2024年静安区老旧小区加装电梯补贴资金的发放明细",
    "known_titles": "静府办发〔2024〕3号",
    "delivery_method": DeliveryMethod.POST,
}


@pytest.fixture(autouse=True)
def _fresh_calendar():
    calendar.clear_cache()


def reload(request: FOIRequest) -> FOIRequest:
    return FOIRequest.objects.get(pk=request.pk)


@pytest.mark.django_db
def test_request_of_28_september_2025_through_correction_consultations_extension_fee(
    office, foi_officer, foi_approver, approve_letter, django_capture_on_commit_callbacks
):
    request, code = services.register_request(
        actor=foi_officer,
        organisation=office,
        channel=Channel.IN_PERSON,
        received_date="2025-09-28",
        **PERSON,
    )
    assert request.number == "JA-GOVOFFICE-YSQ-2025-0001" and len(code) == 8
    assert request.due_date == D(2025, 10, 31)

    request, notice = services.send_correction_notice(
        request, actor=foi_officer, notice_date="2025-10-10", items="请明确所需补贴资金明细的街道范围和年度。"
    )
    assert request.status == RequestStatus.AWAITING_CORRECTION
    assert request.correction_due_date == D(2025, 10, 30)
    assert request.due_date == D(2025, 10, 30)  # the worklist now watches the correction deadline
    assert reply_due_date(request) is None  # the reply clock stands still
    assert not services.correction_notice_late(request)
    assert notice.kind == LetterKind.CORRECTION_NOTICE and "2025年10月30日" in notice.body

    request = services.receive_correction(request, actor=foi_officer, received_date="2025-10-20")
    assert request.status == RequestStatus.RECEIVED
    assert request.due_date == D(2025, 11, 17)

    request, consultation = services.start_consultation(
        request,
        actor=foi_officer,
        kind=ConsultationKind.THIRD_PARTY,
        party="上海某物业管理有限公司",
        sent_date="2025-11-10",
    )
    assert consultation.answer_due_date is None  # pending delivery (Art. 32: from receipt)
    assert request.status == RequestStatus.CONSULTING and request.due_date is None
    assert "自收到本函之日起15个工作日内" in reload(request).letters.get(kind=LetterKind.CONSULTATION).body
    request, consultation = services.record_consultation_delivery(
        request, actor=foi_officer, delivered_date="2025-11-13", delivery_method=ServiceMethod.POST
    )
    assert consultation.answer_due_date == D(2025, 12, 4)
    assert request.status == RequestStatus.CONSULTING and request.due_date == D(2025, 12, 4)
    assert reply_due_date(reload(request)) is None
    request = services.end_consultation(
        request, actor=foi_officer, answered_date="2025-11-28", answer="不同意公开个人信息"
    )
    assert request.due_date == D(2025, 12, 5)

    request = services.request_extension(
        request, actor=foi_officer, days=20, reason="需要调取多个街道的档案", request_date="2025-12-02"
    )
    assert request.due_date == D(2025, 12, 5)  # not applied before approval
    request, extension_letter = services.decide_extension(
        request, actor=foi_approver, approve=True, decision_date="2025-12-03"
    )
    assert request.due_date == D(2026, 1, 5)
    assert "2026年1月5日" in extension_letter.body

    request, second = services.start_consultation(
        request,
        actor=foi_officer,
        kind=ConsultationKind.CO_PRODUCER,
        party="上海市静安区财政局",
        sent_date="2025-12-31",
        delivery_method=ServiceMethod.IN_PERSON,
        delivered_date="2025-12-31",
    )
    assert second.answer_due_date == D(2026, 1, 22)
    request = services.end_consultation(request, actor=foi_officer, no_answer=True)
    assert reload(request).consultations.get(pk=second.pk).answered_date == D(2026, 1, 22)
    assert request.due_date == D(2026, 1, 26)

    request, fee_letter = services.send_fee_notice(
        request, actor=foi_officer, standard=FeeStandard.PER_PAGE, pages=150, notice_date="2026-01-23"
    )
    assert request.fee_amount == Decimal("1700")
    assert request.fee_due_date is None  # counted from the day after the applicant receives it
    assert "1700.00元" in fee_letter.body and "自收到本通知次日起20个工作日内缴纳" in fee_letter.body
    request = services.record_fee_notice_delivery(
        request, actor=foi_officer, delivered_date="2026-01-26", delivery_method=ServiceMethod.POST
    )
    assert request.fee_due_date == D(2026, 2, 28)
    assert request.status == RequestStatus.AWAITING_FEE
    request = services.record_fee_payment(request, actor=foi_officer, paid_date="2026-02-26")
    assert request.due_date == D(2026, 2, 27)

    with django_capture_on_commit_callbacks(execute=True):
        draft = services.prepare_reply(request, actor=foi_officer, outcome=Outcome.DISCLOSED)
        assert "第三十六条第（二）项" in draft.body
        assert "60日内" in draft.body and "6个月内" in draft.body  # remedies
        draft = services.edit_letter(
            draft, actor=foi_officer, body=draft.body + "\n附：补贴资金发放明细表（共150页）。"
        )
        draft = approve_letter(draft)
        request = services.issue_reply(draft, actor=foi_officer, decided_date="2026-02-27")
    assert request.status == RequestStatus.REPLIED
    assert request.outcome == Outcome.DISCLOSED and request.decided_date == D(2026, 2, 27)
    assert OUTCOME_REPORT_ROW[request.outcome] == "（一）予以公开"
    decided = events_for(request).get(verb="foi.decided")
    assert decided.data["late"] is False and decided.data["due_date"] == "2026-02-27"

    text = "\n".join(
        p.text
        for p in DocxDocument(
            io.BytesIO(render_docx(reload(request).letters.get(kind=LetterKind.REPLY)))
        ).paragraphs
    )
    assert "附：补贴资金发放明细表（共150页）。" in text and "2026年2月27日" in text and "张三：" in text

    request = services.record_delivery(
        request,
        actor=foi_officer,
        method=DeliveryMethod.POST,
        delivery_date="2026-03-02",
        tracking_number="1151234567890",
    )
    with django_capture_on_commit_callbacks(execute=True):
        request = services.archive_request(request, actor=foi_officer)
    request = reload(request)
    assert request.status == RequestStatus.ARCHIVED
    with zipfile.ZipFile(request.archive_file.open("rb")) as archive:
        names = archive.namelist()
    # correction notice, 2 consultation letters, extension notice, fee notice, reply
    assert len([n for n in names if n.startswith("文书/")]) == 6 and "timeline.json" in names

    verbs = list(events_for(request).order_by("id").values_list("verb", flat=True))
    assert verbs == [
        "foi.registered", "foi.correction_requested", "foi.correction_received", "foi.consultation_started",
        "foi.consultation_delivered", "foi.consultation_ended", "foi.extension_requested", "foi.extension_approved", "foi.consultation_started",
        "foi.consultation_ended", "foi.fee_notice", "foi.fee_notice_delivered", "foi.fee_paid", "foi.reply_drafted", "foi.letter_edited", "foi.letter_reviewed",
        "foi.decided", "foi.delivered", "foi.archived",
    ]  # fmt: skip
    assert verify_chain().ok
