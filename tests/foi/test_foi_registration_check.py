"""Registration validates everything before it writes (check_register_request, 条例 Art. 29): every bad
field, attachments included, is reported at once, and bad input leaves no number, row or event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongkai.core import calendar
from gongkai.core.models import Event
from gongkai.foi import services
from gongkai.foi.constants import ApplicantKind, Channel, DeliveryMethod, IdType
from gongkai.foi.models import FOIAttachment, FOIRequest, FOISequence

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


def _nothing_written() -> bool:
    return not (
        FOIRequest.objects.exists()
        or FOISequence.objects.exists()
        or FOIAttachment.objects.exists()
        or Event.objects.exists()
    )


@pytest.mark.django_db
def test_bad_fields_and_a_bad_attachment_are_reported_together_and_nothing_is_written(office, foi_officer):
    data = {**PERSON, "applicant_name": "", "delivery_method": DeliveryMethod.POST}
    with pytest.raises(ValidationError) as caught:
        services.register_request(
            actor=foi_officer, organisation=office, channel=Channel.IN_PERSON, received_date="2025-03-03",
            files=[("身份证.pdf", b"%PDF-1.4 scan"), ("程序.exe", b"MZ")], **data,
        )  # fmt: skip
    errors = caught.value.message_dict
    assert errors["applicant_name"] == ["申请人姓名或名称不能为空。"]
    assert errors["address"] == ["选择邮寄获取信息时，通信地址不能为空。"]
    assert errors["attachments"] == ["附件“程序.exe”的文件类型不允许。"]
    assert _nothing_written()


@pytest.mark.django_db
def test_the_check_alone_returns_the_cleaned_fields_and_writes_nothing(foi_officer):
    cleaned = services.check_register_request(
        actor=foi_officer, channel=Channel.IN_PERSON, received_date="2025-03-03", **PERSON
    )
    assert cleaned["channel"] == Channel.IN_PERSON
    assert cleaned["received_date"] == dt.date(2025, 3, 3)
    assert cleaned["applicant_name"] == "李四"
    # the portal applicant (actor None) applies online, received today (条例 Art. 31)
    public = services.check_register_request(
        actor=None, channel=Channel.IN_PERSON, received_date="2025-03-03", today=dt.date(2025, 3, 5), **PERSON
    )
    assert public["channel"] == Channel.ONLINE and public["received_date"] == dt.date(2025, 3, 5)
    assert _nothing_written()
