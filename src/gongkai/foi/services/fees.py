"""Fees for 依申请公开 (条例 Art. 42; 国办函〔2020〕109号): notice, payment, closing when unpaid."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from gongkai.core.services import record_event
from gongkai.text.dates import clean_date

from .. import clock, letters
from ..constants import ApplicantKind, FeeStandard, LetterKind, Outcome, RequestStatus
from ..fees import compute_fee
from ..models import FOILetter, FOIRequest
from .base import (
    _calendar,
    _letter,
    _letter_event,
    _locked,
    _not_before,
    _officer,
    _refresh_clock,
    _step,
    _today,
    close_as_abandoned,
)
from .deliveries import clean_service, fee_payment_due

# --- fees (条例 Art. 42; 国办函〔2020〕109号) ------------------------------------------------------------


def applications_in_month(request: FOIRequest) -> int:
    """按件: this application's rank among the same applicant's applications to this organ this month."""
    key = (
        Q(id_number=request.id_number)
        if request.applicant_kind == ApplicantKind.PERSON and request.id_number
        else Q(credit_code=request.credit_code)
        if request.credit_code
        else Q(applicant_name=request.applicant_name)
    )
    same = FOIRequest.objects.filter(key, organisation_id=request.organisation_id,
                                     received_date__year=request.received_date.year,
                                     received_date__month=request.received_date.month)  # fmt: skip
    return same.filter(
        Q(received_date__lt=request.received_date)
        | Q(received_date=request.received_date, pk__lte=request.pk)
    ).count()


def send_fee_notice(
    request: FOIRequest, *, actor: Any, standard: str, notice_date: Any, pages: int | None = None,
    delivery_method: str = "", delivered_date: Any = None,
) -> tuple[FOIRequest, FOILetter]:  # fmt: skip
    """Fee notice within the reply period: amount by one standard; payment within 20 working days
    counted from the day after the applicant receives it (国办函〔2020〕109号). Give the delivery here
    when known (handed over, sent online the same day), else record it later (record_fee_notice_delivery)."""
    _officer(actor, request, _("发出收费通知"))
    with transaction.atomic(durable=True):
        locked = _locked(request)
        if locked.fee_notice_date:
            raise ValidationError({"status": _("本申请已发出过收费通知。")})
        if standard not in FeeStandard.values:
            raise ValidationError({"standard": _("请选择按件或按量计收（只能选择一种）。")})
        day = clean_date("notice_date", _("收费通知日期"), notice_date, today=_today())
        _not_before("notice_date", _("收费通知日期"), day, clock.clock_start(locked), _("答复期限起算日"))
        _within_reply_period(locked, day)
        quantity = _fee_quantity(locked, standard, pages)
        amount = compute_fee(standard, quantity)
        if amount <= 0:
            raise ValidationError({"standard": _("按此标准计算的费用为0元，无需发出收费通知。")})
        method, delivered = clean_service(
            delivery_method, delivered_date, sent=day, sent_label=_("收费通知日期"), required=False
        )
        _step(locked, "ask_fee", _("发出收费通知"))
        locked.fee_standard = standard
        locked.fee_quantity = quantity
        locked.fee_amount = amount
        locked.fee_notice_date = day
        locked.fee_notice_delivered_by = method
        locked.fee_notice_delivered_date = delivered
        locked.fee_due_date = fee_payment_due(delivered)
        _refresh_clock(locked)
        locked.save()
        letter = _letter(
            locked, LetterKind.FEE_NOTICE,
            letters.fee_text(locked, locked.get_fee_standard_display(), quantity, f"{amount:.2f}", locked.fee_due_date),
            issue_on=day,
        )  # fmt: skip
        record_event("foi.fee_notice", actor=actor, target=locked, organisation=locked.organisation,
                     data={"standard": standard, "quantity": quantity, "amount": amount, "delivered_date": delivered,
                           "due_date": locked.fee_due_date, **_letter_event(letter)})  # fmt: skip
    return locked, letter


def _within_reply_period(locked: FOIRequest, day: Any) -> None:
    """requirements-cn §1.6 (国办函〔2020〕109号): the fee notice is issued within the reply period."""
    if locked.status != RequestStatus.RECEIVED:
        return  # the state step refuses it with its own message
    due = _calendar("notice_date", clock.reply_due_date, locked)
    if due and day > due:
        raise ValidationError({"notice_date": _(
            "答复期限已于%(due)s届满，不能再发出收费通知：收费通知应当在答复期限内发出（国办函〔2020〕109号）。"
        ) % {"due": due}})  # fmt: skip


def _fee_quantity(locked: FOIRequest, standard: str, pages: Any) -> int:
    if standard == FeeStandard.PER_PAGE:
        if not pages or int(pages) < 1:
            raise ValidationError({"pages": _("按量计收须填写页数。")})
        return int(pages)
    return applications_in_month(locked)


def record_fee_payment(request: FOIRequest, *, actor: Any, paid_date: Any, amount: Any = None) -> FOIRequest:
    _officer(actor, request, _("登记缴费"))
    with transaction.atomic(durable=True):
        locked = _locked(request)
        day = clean_date("paid_date", _("缴费日期"), paid_date, today=_today())
        _not_before("paid_date", _("缴费日期"), day, locked.fee_notice_date, _("收费通知日期"))
        if locked.fee_due_date and day > locked.fee_due_date:
            raise ValidationError(
                {
                    "paid_date": _("缴费日期晚于缴费期限（%(due)s）：视为放弃申请。")
                    % {"due": locked.fee_due_date}
                }
            )
        paid = Decimal(str(amount)) if amount not in (None, "") else locked.fee_amount
        if paid != locked.fee_amount:
            raise ValidationError({"amount": _("实收金额应为%(amount)s元。") % {"amount": locked.fee_amount}})
        _step(locked, "pay_fee", _("登记缴费"))
        locked.fee_paid_date = day
        locked.fee_paid_amount = paid
        _refresh_clock(locked)
        locked.save()
        record_event("foi.fee_paid", actor=actor, target=locked, organisation=locked.organisation,
                     data={"paid_date": day, "amount": paid, "due_date": locked.due_date})  # fmt: skip
    return locked


def close_for_unpaid_fee(
    request: FOIRequest, *, actor: Any, decided_date: Any
) -> tuple[FOIRequest, FOILetter]:
    """Not paid in 20 working days → deemed abandoned; annual report （六）2."""
    return close_as_abandoned(
        request, actor=actor, decided_date=decided_date, due_field="fee_due_date",
        still_running=_("缴费期限（%(due)s）尚未届满。"), step="close_unpaid", step_label=_("以逾期未缴费终止处理"),
        outcome=Outcome.FEE_UNPAID,
        unknown=_("收费通知的送达日期尚未登记，缴费期限（自收到通知次日起20个工作日）无法计算，不能以逾期未缴费终止处理。"),
    )  # fmt: skip
