"""依申请公开 for the applicant (issue 19): only organisations that take requests here, the receipt
by e-mail and SMS after commit, codes in any case, and the tracking session's 退出."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkai.foi import services
from gongkai.foi.constants import ApplicantKind, IdType

pytestmark = pytest.mark.django_db
SENT: list[tuple[str, str]] = []

FORM = {
    "applicant_kind": ApplicantKind.PERSON, "applicant_name": "李四", "id_type": IdType.RESIDENT_ID,
    "id_number": "11010519491231002X", "phone": "13800000000", "email": "lisi@example.com",
    "description": "静安区2025年公共文化活动预算", "info_form": "electronic", "delivery_method": "email",
}  # fmt: skip


def record_sms(phone: str, text: str) -> None:
    SENT.append((phone, text))


def test_a_national_body_does_not_take_applications_here(make_org):
    national = make_org("state-council", "国务院", "国发", accepts_requests=False)
    with pytest.raises(ValidationError) as error:
        services.register_request(actor=None, organisation=national, channel="online", **FORM)
    assert "organisation" in error.value.message_dict


def test_the_receipt_goes_by_e_mail_and_sms_after_commit(
    office, settings, django_capture_on_commit_callbacks
):
    settings.FOI_SMS_SENDER = "test_portal_ux_foi.record_sms"
    SENT.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request, code = services.register_request(actor=None, organisation=office, channel="online", **FORM)
    receipt = next(m for m in mail.outbox if "回执" in m.subject)
    assert request.number in receipt.body and code in receipt.body and receipt.to == ["lisi@example.com"]
    assert "您（单位）" not in receipt.body
    assert SENT == [("13800000000", SENT[0][1])] and code in SENT[0][1] and request.number in SENT[0][1]


def test_codes_in_any_case_and_the_exit_button(client, office):
    request, code = services.register_request(actor=None, organisation=office, channel="online", **FORM)
    response = client.post(reverse("foi:track"), {"number": request.number.lower(), "code": code.lower()})
    assert request.number in response.content.decode() and "退出" in response.content.decode()
    assert client.get(reverse("foi:track")).content.decode().count(request.number) >= 1
    response = client.post(reverse("foi:track-exit"), follow=True)
    assert "已退出查询" in response.content.decode()
    assert request.number not in client.get(reverse("foi:track")).content.decode()
