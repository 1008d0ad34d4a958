"""Every workflow step from every state: allowed steps move the request, forbidden ones change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.accounts.constants import Role
from gongkai.accounts.models import User
from gongkai.core import calendar
from gongkai.core.models import Event
from gongkai.foi import services
from gongkai.foi.constants import (
    OUTCOME_REPORT_ROW,
    ApplicantKind,
    Channel,
    ConsultationKind,
    DeliveryMethod,
    ExtensionStatus,
    FeeStandard,
    IdType,
    Outcome,
    RequestStatus,
    ServiceMethod,
)
from gongkai.foi.fees import per_application_fee, per_page_fee
from gongkai.foi.models import FOIRequest, FOISequence

S = RequestStatus
D = dt.date

PERSON = {
    "applicant_kind": ApplicantKind.PERSON,
    "applicant_name": "李四",
    "id_type": IdType.RESIDENT_ID,
    "id_number": "11010519491231002X",
    "email": "lisi@example.com",
    "description": "静安区2024年度道路养护经费预算",
}


@pytest.fixture(autouse=True)
def _fresh_calendar():
    calendar.clear_cache()


def register(office, officer, **extra):
    data = {**PERSON, **extra}
    received = data.pop("received_date", "2025-03-03")
    return services.register_request(
        actor=officer, organisation=office, channel=Channel.IN_PERSON, received_date=received, **data
    )[0]


def letter_reviewer(office) -> User:
    """A reviewer of the office, who reviews reply letters before they are issued (条例 Arts. 14–17)."""
    user, created = User.objects.get_or_create(
        username="letter-reviewer", defaults={"organisation": office, "is_staff": True}
    )
    if created:
        user.groups.add(*Group.objects.filter(name=Role.REVIEWER))
    return user


def to_state(state: str, office, officer) -> FOIRequest:
    request = register(office, officer)
    if state == S.RECEIVED:
        return request
    if state == S.AWAITING_CORRECTION:
        return services.send_correction_notice(
            request, actor=officer, notice_date="2025-03-04", items="请说明道路范围"
        )[0]
    if state == S.CONSULTING:
        return services.start_consultation(
            request,
            actor=officer,
            kind=ConsultationKind.CO_PRODUCER,
            party="区建管委",
            sent_date="2025-03-05",
        )[0]
    if state == S.AWAITING_FEE:
        return services.send_fee_notice(
            request, actor=officer, standard=FeeStandard.PER_PAGE, pages=50, notice_date="2025-03-05",
            delivery_method=ServiceMethod.IN_PERSON, delivered_date="2025-03-05",
        )[0]  # fmt: skip
    letter = services.prepare_reply(request, actor=officer, outcome=Outcome.DISCLOSED)
    letter = services.review_letter(
        letter, actor=letter_reviewer(office), approve=True, note="申请人本人信息"
    )
    request = services.issue_reply(letter, actor=officer, decided_date="2025-03-10")
    if state == S.REPLIED:
        return request
    request = services.record_delivery(
        request, actor=officer, method=DeliveryMethod.EMAIL, delivery_date="2025-03-11"
    )
    if state == S.DELIVERED:
        return request
    return services.archive_request(request, actor=officer)


ACTIONS = {
    "correction_notice": lambda r, u: services.send_correction_notice(
        r, actor=u, notice_date="2025-06-02", items="补正"
    ),
    "receive_correction": lambda r, u: services.receive_correction(r, actor=u, received_date="2025-06-02"),
    "close_no_correction": lambda r, u: services.close_for_no_correction(
        r, actor=u, decided_date="2025-06-02"
    ),
    "start_consultation": lambda r, u: services.start_consultation(
        r, actor=u, kind=ConsultationKind.THIRD_PARTY, party="某公司", sent_date="2025-06-02"
    ),
    "end_consultation": lambda r, u: services.end_consultation(r, actor=u, answered_date="2025-06-02"),
    "fee_notice": lambda r, u: services.send_fee_notice(  # within the reply period (due 31 Mar)
        r, actor=u, standard=FeeStandard.PER_PAGE, pages=40, notice_date="2025-03-20"
    ),
    "fee_paid": lambda r, u: services.record_fee_payment(r, actor=u, paid_date="2025-03-20"),
    "close_unpaid": lambda r, u: services.close_for_unpaid_fee(r, actor=u, decided_date="2025-06-02"),
    "prepare_reply": lambda r, u: services.prepare_reply(r, actor=u, outcome=Outcome.NOT_EXIST),
    "request_extension": lambda r, u: services.request_extension(
        r, actor=u, days=10, reason="情况复杂", request_date="2025-03-06"
    ),
    "deliver": lambda r, u: services.record_delivery(
        r, actor=u, method=DeliveryMethod.POST, delivery_date="2025-06-02", tracking_number="1151234567890"
    ),
    "archive": lambda r, u: services.archive_request(r, actor=u),
}

ALLOWED = {
    (S.RECEIVED, "correction_notice"): S.AWAITING_CORRECTION,
    (S.RECEIVED, "start_consultation"): S.CONSULTING,
    (S.RECEIVED, "fee_notice"): S.AWAITING_FEE,
    (S.RECEIVED, "prepare_reply"): S.RECEIVED,
    (S.RECEIVED, "request_extension"): S.RECEIVED,
    (S.AWAITING_CORRECTION, "receive_correction"): S.RECEIVED,
    (S.AWAITING_CORRECTION, "close_no_correction"): S.REPLIED,
    (S.CONSULTING, "end_consultation"): S.RECEIVED,
    (S.AWAITING_FEE, "fee_paid"): S.RECEIVED,
    (S.AWAITING_FEE, "close_unpaid"): S.REPLIED,
    (S.REPLIED, "deliver"): S.DELIVERED,
    (S.DELIVERED, "archive"): S.ARCHIVED,
}


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_step_from_every_state(state, action, office, foi_officer):
    request = to_state(state, office, foi_officer)
    assert request.status == state
    events = Event.objects.count()
    snapshot = FOIRequest.objects.filter(pk=request.pk).values().get()
    if (state, action) in ALLOWED:
        ACTIONS[action](request, foi_officer)
        assert FOIRequest.objects.get(pk=request.pk).status == ALLOWED[(state, action)]
        assert Event.objects.count() > events
    else:
        with pytest.raises(ValidationError) as info:
            ACTIONS[action](request, foi_officer)
        assert "status" in info.value.message_dict, info.value.message_dict
        assert FOIRequest.objects.filter(pk=request.pk).values().get() == snapshot
        assert Event.objects.count() == events


@pytest.mark.django_db
def test_outcomes_closing_by_deadline_map_to_other_rows(office, foi_officer):
    request = to_state(S.AWAITING_CORRECTION, office, foi_officer)
    with pytest.raises(ValidationError, match="尚未届满"):
        services.close_for_no_correction(request, actor=foi_officer, decided_date="2025-03-10")
    request, letter = services.close_for_no_correction(request, actor=foi_officer, decided_date="2025-04-01")
    assert request.outcome == Outcome.NO_CORRECTION
    assert (
        OUTCOME_REPORT_ROW[request.outcome]
        == "（六）其他处理/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    )
    assert "第三十条" in letter.body and "60日内" in letter.body


def test_every_outcome_has_exactly_one_report_row():
    assert set(OUTCOME_REPORT_ROW) == set(Outcome.values)
    assert OUTCOME_REPORT_ROW[Outcome.PARTIAL] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert OUTCOME_REPORT_ROW[Outcome.WITHHELD_SECURITY] == "（三）不予公开/3.危及“三安全一稳定”"
    assert OUTCOME_REPORT_ROW[Outcome.OTHER] == "（六）其他处理/3.其他"
    rows = set(OUTCOME_REPORT_ROW.values())
    assert len([r for r in rows if r.startswith("（三）")]) == 8
    assert len([r for r in rows if r.startswith("（四）")]) == 3
    assert len([r for r in rows if r.startswith("（五）")]) == 5
    assert len([r for r in rows if r.startswith("（六）")]) == 3


# --- bad input: a clear Chinese error naming the field, nothing changed ------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "field", "text"),
    [
        ({"id_number": "110105194912310021"}, "id_number", "身份证号码"),
        ({"id_number": "11010519491331002X"}, "id_number", "身份证号码"),
        ({"received_date": "2099-01-01"}, "received_date", "不能晚于今天"),
        ({"received_date": "2025-02-30"}, "received_date", "不是有效日期"),
        ({"description": "  "}, "description", "内容描述"),
        ({"applicant_name": ""}, "applicant_name", "姓名或名称"),
        ({"email": "", "phone": "", "delivery_method": DeliveryMethod.EMAIL}, "phone", "联系方式"),
        ({"email": "not-an-email"}, "email", "电子邮箱"),
        (
            {
                "applicant_kind": ApplicantKind.COMMERCIAL,
                "credit_code": "91310106MA1FY00001",
                "contact_person": "王五",
            },
            "credit_code",
            "统一社会信用代码",
        ),
        (
            {"applicant_kind": ApplicantKind.LEGAL_SERVICES, "contact_person": "王五"},
            "credit_code",
            "统一社会信用代码",
        ),
    ],
)
def test_bad_application_is_refused_with_field_error(extra, field, text, office, foi_officer):
    with pytest.raises(ValidationError) as info:
        register(office, foi_officer, **extra)
    assert field in info.value.message_dict
    assert text in " ".join(info.value.message_dict[field])
    assert not FOIRequest.objects.exists() and not FOISequence.objects.exists()
    assert not Event.objects.filter(verb="foi.registered").exists()


@pytest.mark.django_db
def test_organisation_applicant_with_valid_credit_code(office, foi_officer):
    from stdnum.cn import uscc

    code = "91310106MA1FY0000"
    code += uscc.calc_check_digit(code)
    request = register(office, foi_officer, applicant_kind=ApplicantKind.RESEARCH, applicant_name="某研究院",
                       credit_code=code.lower(), contact_person="王五")  # fmt: skip
    assert request.credit_code == code and request.id_number == "" and request.applicant_kind == "research"


@pytest.mark.django_db
def test_numbers_are_per_organisation_and_year(office, other_org, foi_officer, make_user):
    edu = make_user("edu-foi", other_org, "foi_officer")
    a = register(office, foi_officer)
    b = register(office, foi_officer)
    c = register(office, foi_officer, received_date="2026-01-05")
    d = register(other_org, edu)
    assert [a.serial, b.serial, c.serial, d.serial] == [1, 2, 1, 1]
    assert (
        a.number.endswith("2025-0001") and b.number.endswith("2025-0002") and c.number.endswith("2026-0001")
    )
    with pytest.raises(PermissionDenied):
        register(other_org, foi_officer)  # not this officer's organisation


@pytest.mark.django_db
def test_extension_needs_approver_and_only_once(office, foi_officer, foi_approver):
    request = register(office, foi_officer)
    due = request.due_date
    assert due == D(2025, 3, 31)  # 3 Mar 2025 + 20 WD (no holidays in March 2025)
    with pytest.raises(ValidationError, match="1至20个工作日"):
        services.request_extension(
            request, actor=foi_officer, days=21, reason="复杂", request_date="2025-03-10"
        )
    with pytest.raises(ValidationError, match="没有待审批"):
        services.decide_extension(request, actor=foi_approver, approve=True, decision_date="2025-03-10")
    request = services.request_extension(
        request, actor=foi_officer, days=20, reason="复杂", request_date="2025-03-10"
    )
    with pytest.raises(PermissionDenied):  # an officer cannot approve: Art. 33 needs the head's approval
        services.decide_extension(request, actor=foi_officer, approve=True, decision_date="2025-03-11")
    assert FOIRequest.objects.get(pk=request.pk).due_date == due
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.request_extension(
            request, actor=foi_officer, days=5, reason="再延", request_date="2025-03-10"
        )
    request, letter = services.decide_extension(
        request, actor=foi_approver, approve=True, decision_date="2025-03-11"
    )
    assert request.extension_status == ExtensionStatus.APPROVED
    # + 20 WD after 31 Mar: 1–3 Apr (3), 4 Apr 清明 off, 7–11 (8), 14–18 (13), 21–25 (18),
    # Sun 27 Apr a 调休 working day (19), Mon 28 Apr (20)
    assert request.due_date == D(2025, 4, 28)
    assert "第三十三条" in letter.body
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.request_extension(
            request, actor=foi_officer, days=5, reason="再延", request_date="2025-03-12"
        )


@pytest.mark.django_db
def test_second_correction_notice_is_refused(office, foi_officer):
    request = to_state(S.AWAITING_CORRECTION, office, foi_officer)
    request = services.receive_correction(request, actor=foi_officer, received_date="2025-03-07")
    with pytest.raises(ValidationError, match="只能发出一次"):
        services.send_correction_notice(request, actor=foi_officer, notice_date="2025-03-10", items="再补正")


@pytest.mark.django_db
def test_late_correction_notice_is_recorded_as_late(office, foi_officer):
    request = register(office, foi_officer)  # 3 Mar 2025; 7 WD → 12 Mar
    services.send_correction_notice(request, actor=foi_officer, notice_date="2025-03-13", items="补正")
    event = Event.objects.get(verb="foi.correction_requested")
    assert event.data["late"] is True and event.data["notice_limit"] == "2025-03-12"


def test_fee_bands_of_guobanhan_2020_109():
    assert [per_application_fee(n) for n in (1, 10, 11, 30, 31, 40, 41, 50, 51)] == [
        0, 0, 100, 100, 200, 200, 300, 300, 400,
    ]  # fmt: skip
    assert [per_page_fee(n) for n in (30, 31, 100, 101, 200, 201, 250)] == [0, 10, 700, 720, 2700, 2740, 4700]


@pytest.mark.django_db
def test_per_application_fee_counts_the_same_applicant_in_the_month(office, foi_officer):
    requests = [register(office, foi_officer, received_date=f"2025-03-{day:02d}") for day in range(3, 14)]
    with pytest.raises(ValidationError, match="0元"):
        services.send_fee_notice(
            requests[9], actor=foi_officer, standard=FeeStandard.PER_APPLICATION, notice_date="2025-03-14"
        )
    request, _letter = services.send_fee_notice(
        requests[10], actor=foi_officer, standard=FeeStandard.PER_APPLICATION, notice_date="2025-03-14"
    )
    assert request.fee_quantity == 11 and request.fee_amount == Decimal("100")
    with pytest.raises(ValidationError, match="实收金额"):
        services.record_fee_payment(request, actor=foi_officer, paid_date="2025-03-17", amount="50")


@pytest.mark.django_db
def test_withheld_reply_needs_reasons(office, foi_officer):
    request = register(office, foi_officer)
    with pytest.raises(ValidationError) as info:
        services.prepare_reply(request, actor=foi_officer, outcome=Outcome.WITHHELD_PROCESS)
    assert "reason" in info.value.message_dict
    with pytest.raises(ValidationError):
        services.prepare_reply(request, actor=foi_officer, outcome=Outcome.NO_CORRECTION)
    letter = services.prepare_reply(
        request, actor=foi_officer, outcome=Outcome.PARTIAL, reason="涉及个人隐私的部分已作区分处理"
    )
    assert "第三十七条" in letter.body and "涉及个人隐私" in letter.body


@pytest.mark.django_db
def test_appeals_records(office, foi_officer):
    from gongkai.foi.constants import AppealKind, AppealResult

    request = to_state(S.REPLIED, office, foi_officer)
    appeal = services.add_appeal(
        request, actor=foi_officer, kind=AppealKind.RECONSIDERATION, filed_date="2025-04-01"
    )
    assert appeal.result == AppealResult.PENDING and appeal.organisation == office
    with pytest.raises(ValidationError):
        services.decide_appeal(
            appeal, actor=foi_officer, result=AppealResult.PENDING, decided_date="2025-05-01"
        )
    appeal = services.decide_appeal(
        appeal, actor=foi_officer, result=AppealResult.UPHELD, decided_date="2025-05-01"
    )
    assert appeal.decided_date == D(2025, 5, 1)
    with pytest.raises(ValidationError, match="已登记"):
        services.decide_appeal(
            appeal, actor=foi_officer, result=AppealResult.CORRECTED, decided_date="2025-05-02"
        )
    # 条例 Art. 51: a request left unanswered can be appealed too (recorded as 逾期未答复), but not
    # "against the reply" it never had
    open_request = register(office, foi_officer)
    with pytest.raises(ValidationError, match="尚未答复"):
        services.add_appeal(
            open_request, actor=foi_officer, kind=AppealKind.LITIGATION_DIRECT, filed_date="2025-04-01",
            grounds="reply",
        )  # fmt: skip
    unanswered = services.add_appeal(
        open_request, actor=foi_officer, kind=AppealKind.LITIGATION_DIRECT, filed_date="2025-04-01"
    )
    assert unanswered.grounds == "no_reply"
