"""When the organ's letters reach their addressees: the consultation letter (条例 Arts. 32, 34) and
the fee notice (国办函〔2020〕109号). Both periods run from receipt, not from sending:

- a third party or co-producing organ answers within 15 working days of receiving the letter;
- the applicant pays within 20 working days counted from the day after receiving the fee notice.

Until the delivery date is recorded the period's end is unknown ("待送达"): "no answer" cannot be
recorded and the request cannot be closed as unpaid.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.calendar import add_working_days
from gongkai.core.services import record_event
from gongkai.text.dates import clean_date

from ..constants import CONSULTATION_PERIOD, FEE_PAYMENT_PERIOD, RequestStatus, ServiceMethod
from ..models import FOIConsultation, FOIRequest
from .base import _calendar, _locked, _not_before, _officer, _refresh_clock, _today


def clean_service(
    method: Any, delivered_date: Any, *, sent: dt.date, sent_label: str, required: bool = True
) -> tuple[str, dt.date | None]:
    """The delivery method and date of a letter sent on `sent` (neither given: not yet delivered)."""
    if not required and delivered_date in (None, "") and not method:
        return "", None
    day = clean_date("delivered_date", _("送达日期"), delivered_date, today=_today())
    _not_before("delivered_date", _("送达日期"), day, sent, sent_label)  # type: ignore[arg-type]
    if method not in ServiceMethod.values:
        raise ValidationError({"delivery_method": _("请选择送达方式。")})
    return str(method), day


def consultation_answer_due(delivered: dt.date | None) -> dt.date | None:
    """条例 Arts. 32, 34: 15 working days from the day the letter is received (that day not counted)."""
    if delivered is None:
        return None
    return _calendar("delivered_date", add_working_days, delivered, CONSULTATION_PERIOD)


def fee_payment_due(delivered: dt.date | None) -> dt.date | None:
    """国办函〔2020〕109号: 20 working days counted from the day after the notice is received."""
    if delivered is None:
        return None
    return _calendar("delivered_date", add_working_days, delivered, FEE_PAYMENT_PERIOD)


def record_consultation_delivery(
    request: FOIRequest,
    *,
    actor: Any,
    delivered_date: Any,
    delivery_method: str,
    tracking_number: str = "",
    consultation: FOIConsultation | None = None,
) -> tuple[FOIRequest, FOIConsultation]:
    """Record the day the consultation letter reached the party: its 15 working days start then."""
    _officer(actor, request, _("登记征求意见函送达"))
    with transaction.atomic():
        locked = _locked(request)
        pending = locked.consultations.select_for_update().filter(delivered_date=None, answered_date=None)
        target = (
            pending.filter(pk=consultation.pk).first()
            if consultation is not None
            else pending.order_by("sent_date", "id").first()
        )
        if locked.status != RequestStatus.CONSULTING or target is None:
            raise ValidationError({"status": _("没有待登记送达日期的征求意见函。")})
        method, day = clean_service(
            delivery_method, delivered_date, sent=target.sent_date, sent_label=_("发函日期")
        )
        target.delivery_method = method
        target.delivered_date = day
        target.tracking_number = (tracking_number or "").strip()[:60]
        target.answer_due_date = consultation_answer_due(day)
        target.save()
        _refresh_clock(locked)
        locked.save()
        record_event("foi.consultation_delivered", actor=actor, target=locked, organisation=locked.organisation,
                     data={"consultation_id": target.pk, "delivered_date": day, "method": method,
                           "answer_due_date": target.answer_due_date})  # fmt: skip
    return locked, target


def record_fee_notice_delivery(
    request: FOIRequest, *, actor: Any, delivered_date: Any, delivery_method: str
) -> FOIRequest:
    """Record the day the applicant received the fee notice: the payment period is counted from it."""
    _officer(actor, request, _("登记收费通知送达"))
    with transaction.atomic():
        locked = _locked(request)
        if locked.status != RequestStatus.AWAITING_FEE or locked.fee_notice_delivered_date:
            raise ValidationError({"status": _("没有待登记送达日期的收费通知。")})
        method, day = clean_service(
            delivery_method, delivered_date, sent=locked.fee_notice_date, sent_label=_("收费通知日期")
        )
        locked.fee_notice_delivered_by = method
        locked.fee_notice_delivered_date = day
        locked.fee_due_date = fee_payment_due(day)
        _refresh_clock(locked)
        locked.save()
        record_event("foi.fee_notice_delivered", actor=actor, target=locked, organisation=locked.organisation,
                     data={"delivered_date": day, "method": method, "due_date": locked.fee_due_date})  # fmt: skip
    return locked
