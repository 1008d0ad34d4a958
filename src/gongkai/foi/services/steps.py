"""Steps that pause or move the reply clock: 补正 (条例 Art. 30), consultation (Arts. 32, 34,
33 ¶3) and extension (Art. 33 ¶2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.constants import Role
from gongkai.accounts.permissions import require_role
from gongkai.core.calendar import add_working_days
from gongkai.core.services import record_event
from gongkai.text.dates import clean_date

from .. import clock, letters
from ..constants import (
    CORRECTION_NOTICE_PERIOD,
    DEFAULT_CORRECTION_PERIOD,
    EXTENSION_MAX,
    ConsultationKind,
    ExtensionStatus,
    LetterKind,
    Outcome,
    RequestStatus,
)
from ..models import FOIConsultation, FOILetter, FOIRequest
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
from .deliveries import clean_service, consultation_answer_due

# --- 补正 (条例 Art. 30) ------------------------------------------------------------------------------


def send_correction_notice(
    request: FOIRequest, *, actor: Any, notice_date: Any, items: str, correction_due_date: Any = None
) -> tuple[FOIRequest, FOILetter]:
    """Art. 30: one notice only, within 7 working days of receipt (a late notice is recorded as late)."""
    _officer(actor, request, _("发出补正通知"))
    today = _today()
    with transaction.atomic(durable=True):
        locked = _locked(request)
        if locked.correction_notice_date:
            raise ValidationError({"status": _("补正通知只能发出一次（条例第三十条：一次性告知）。")})
        notice = clean_date("notice_date", _("补正通知日期"), notice_date, today=today)
        _not_before("notice_date", _("补正通知日期"), notice, locked.received_date, _("收到申请日期"))
        if not (items or "").strip():
            raise ValidationError({"items": _("补正事项不能为空：须一次性告知需要补正的事项。")})
        if correction_due_date in (None, ""):
            due = _calendar("notice_date", add_working_days, notice, DEFAULT_CORRECTION_PERIOD)
        else:
            due = clean_date("correction_due_date", _("补正期限"), correction_due_date, today=dt.date.max)
            if due <= notice:
                raise ValidationError({"correction_due_date": _("补正期限必须晚于补正通知日期。")})
        reply_due = (
            _calendar("notice_date", clock.reply_due_date, locked)
            if locked.status == RequestStatus.RECEIVED
            else None
        )
        _step(locked, "ask_correction", _("发出补正通知"))
        limit = _calendar("notice_date", add_working_days, locked.received_date, CORRECTION_NOTICE_PERIOD)
        late = notice > limit
        after_period = bool(reply_due and notice > reply_due)
        if after_period:
            # Art. 30 restarts the clock on the corrected application; the missed deadline stays on record
            locked.reply_period_missed_on = reply_due
        locked.correction_notice_date = notice
        locked.correction_items = items.strip()
        locked.correction_due_date = due
        _refresh_clock(locked)
        locked.save()
        letter = _letter(
            locked, LetterKind.CORRECTION_NOTICE, letters.correction_text(locked, items, due), issue_on=notice
        )
        record_event("foi.correction_requested", actor=actor, target=locked, organisation=locked.organisation,
                     data={"notice_date": notice, "due_date": due, "notice_limit": limit, "late": late,
                           "reply_due_date": reply_due, "after_reply_period": after_period,
                           **_letter_event(letter)})  # fmt: skip
    return locked, letter


def correction_notice_late(request: FOIRequest) -> bool:
    """Art. 30: warn when the 补正 notice is (or would be, if sent today) later than 7 working days."""
    limit = add_working_days(request.received_date, CORRECTION_NOTICE_PERIOD)
    return (request.correction_notice_date or _today()) > limit


def receive_correction(request: FOIRequest, *, actor: Any, received_date: Any, note: str = "") -> FOIRequest:
    """Art. 30: the reply period starts again from the day the corrected application is received."""
    _officer(actor, request, _("登记补正材料"))
    with transaction.atomic(durable=True):
        locked = _locked(request)
        day = clean_date("received_date", _("收到补正日期"), received_date, today=_today())
        _not_before("received_date", _("收到补正日期"), day, locked.correction_notice_date, _("补正通知日期"))
        _step(locked, "receive_correction", _("登记补正材料"))
        locked.correction_received_date = day
        _refresh_clock(locked)
        locked.save()
        late = bool(locked.correction_due_date and day > locked.correction_due_date)
        record_event("foi.correction_received", actor=actor, target=locked, organisation=locked.organisation,
                     data={"received_date": day, "due_date": locked.due_date, "after_deadline": late, "note": note})  # fmt: skip
    return locked


def close_for_no_correction(
    request: FOIRequest, *, actor: Any, decided_date: Any
) -> tuple[FOIRequest, FOILetter]:
    """Art. 30: no correction by the deadline → deemed abandoned; annual report （六）1."""
    return close_as_abandoned(
        request, actor=actor, decided_date=decided_date, due_field="correction_due_date",
        still_running=_("补正期限（%(due)s）尚未届满，不能以逾期不补正终止处理。"),
        step="close_without_correction", step_label=_("以逾期不补正终止处理"), outcome=Outcome.NO_CORRECTION,
    )  # fmt: skip


# --- consultation (条例 Arts. 32, 34, 33 ¶3) ---------------------------------------------------------


def start_consultation(
    request: FOIRequest, *, actor: Any, kind: str, party: str, sent_date: Any, delivery_method: str = "",
    delivered_date: Any = None, tracking_number: str = "",
) -> tuple[FOIRequest, FOIConsultation]:  # fmt: skip
    """Ask a third party (Art. 32) or a co-producing organ (Art. 34); the clock pauses (Art. 33 ¶3).

    The party's 15 working days run from the day it receives the letter: give the delivery here when
    it is known (e.g. handed over the same day), else record it later (record_consultation_delivery)."""
    _officer(actor, request, _("征求意见"))
    with transaction.atomic(durable=True):
        locked = _locked(request)
        if kind not in ConsultationKind.values:
            raise ValidationError({"kind": _("请选择征求意见类型。")})
        if not (party or "").strip():
            raise ValidationError({"party": _("征求对象不能为空。")})
        sent = clean_date("sent_date", _("发函日期"), sent_date, today=_today())
        _not_before("sent_date", _("发函日期"), sent, clock.clock_start(locked), _("答复期限起算日"))
        previous = locked.consultations.exclude(answered_date=None).order_by("-answered_date").first()
        if previous:
            _not_before("sent_date", _("发函日期"), sent, previous.answered_date, _("上一次收到意见日期"))
        method, delivered = clean_service(
            delivery_method, delivered_date, sent=sent, sent_label=_("发函日期"), required=False
        )
        _step(locked, "start_consultation", _("征求意见"))
        answer_due = consultation_answer_due(delivered)  # Arts. 32, 34: from receipt of the letter
        consultation = FOIConsultation.objects.create(
            request=locked, kind=kind, party=party.strip(), sent_date=sent, answer_due_date=answer_due,
            delivery_method=method, delivered_date=delivered, tracking_number=(tracking_number or "").strip()[:60],
        )  # fmt: skip
        _refresh_clock(locked)
        locked.save()
        label = "第三十二条" if kind == ConsultationKind.THIRD_PARTY else "第三十四条"
        letter = _letter(
            locked, LetterKind.CONSULTATION, letters.consultation_text(locked, label, answer_due),
            to_applicant=False, addressee=party.strip(), issue_on=sent,
        )  # fmt: skip
        record_event("foi.consultation_started", actor=actor, target=locked, organisation=locked.organisation,
                     data={"kind": kind, "party": party, "sent_date": sent, "delivered_date": delivered,
                           "answer_due_date": answer_due, **_letter_event(letter)})  # fmt: skip
    return locked, consultation


def end_consultation(
    request: FOIRequest, *, actor: Any, answered_date: Any = None, answer: str = "", no_answer: bool = False
) -> FOIRequest:
    """Resume the clock: on the day the answer arrived, or, with no answer, when the 15 working days
    ended (Art. 32: the organ then decides; Art. 34: silence of a co-producer is consent)."""
    _officer(actor, request, _("登记征求意见结果"))
    with transaction.atomic(durable=True):
        locked = _locked(request)
        consultation = locked.consultations.filter(answered_date=None).order_by("sent_date", "id").first()
        if consultation is None or locked.status != RequestStatus.CONSULTING:
            raise ValidationError({"status": _("申请当前状态为“%(status)s”，没有进行中的征求意见。") % {
                "status": locked.get_status_display()}})  # fmt: skip
        if no_answer:
            if consultation.answer_due_date is None:
                # Arts. 32, 34: the 15 working days start when the party receives the letter
                raise ValidationError({"no_answer": _(
                    "征求意见函的送达日期尚未登记：答复期限自收到征求意见函之日起15个工作日，"
                    "请先登记送达日期（条例第三十二条、第三十四条）。")})  # fmt: skip
            if _today() <= consultation.answer_due_date:
                raise ValidationError(
                    {
                        "no_answer": _("征求意见期限（%(due)s）尚未届满。")
                        % {"due": consultation.answer_due_date}
                    }
                )
            day = consultation.answer_due_date
        else:
            day = clean_date("answered_date", _("收到意见日期"), answered_date, today=_today())
            _not_before("answered_date", _("收到意见日期"), day, consultation.sent_date, _("发函日期"))
            _not_before("answered_date", _("收到意见日期"), day, consultation.delivered_date, _("送达日期"))
        consultation.answered_date = day
        consultation.answer = answer.strip()
        consultation.no_answer = no_answer
        consultation.save()
        if not locked.consultations.filter(answered_date=None).exists():
            _step(locked, "end_consultation", _("恢复计时"))
        _refresh_clock(locked)
        locked.save()
        record_event("foi.consultation_ended", actor=actor, target=locked, organisation=locked.organisation,
                     data={"consultation_id": consultation.pk, "answered_date": day, "no_answer": no_answer,
                           "due_date": locked.due_date})  # fmt: skip
    return locked


# --- extension (条例 Art. 33 ¶2) ----------------------------------------------------------------------


def request_extension(
    request: FOIRequest, *, actor: Any, days: int, reason: str, request_date: Any = None
) -> FOIRequest:
    """Ask for the one extension (at most 20 working days); it applies only once an approver agrees."""
    _officer(actor, request, _("申请延期答复"))
    with transaction.atomic(durable=True):
        locked = _locked(request)
        if locked.extension_status in (ExtensionStatus.PENDING, ExtensionStatus.APPROVED):
            raise ValidationError({"extension": _("答复期限只能延长一次（条例第三十三条）。")})
        if locked.status != RequestStatus.RECEIVED:
            raise ValidationError({"status": _("申请当前状态为“%(status)s”，不能申请延期。") % {
                "status": locked.get_status_display()}})  # fmt: skip
        try:
            days = int(days)
        except (TypeError, ValueError):
            days = 0
        if not 1 <= days <= EXTENSION_MAX:
            raise ValidationError({"days": _("延长期限应为1至20个工作日（条例第三十三条）。")})
        if not (reason or "").strip():
            raise ValidationError({"reason": _("延期理由不能为空。")})
        day = clean_date("request_date", _("申请延期日期"), request_date or _today(), today=_today())
        if locked.due_date and day > locked.due_date:
            raise ValidationError(
                {"days": _("答复期限（%(due)s）已届满，不能再延期。") % {"due": locked.due_date}}
            )
        locked.extension_status = ExtensionStatus.PENDING
        locked.extension_days = days
        locked.extension_reason = reason.strip()
        locked.extension_requested_by = actor
        locked.save()
        record_event("foi.extension_requested", actor=actor, target=locked, organisation=locked.organisation,
                     data={"days": days, "reason": reason})  # fmt: skip
    return locked


def decide_extension(
    request: FOIRequest, *, actor: Any, approve: bool, decision_date: Any = None, note: str = ""
) -> tuple[FOIRequest, FOILetter | None]:
    """Art. 33 ¶2: the head of the OGI unit (approver role) agrees; the applicant is told by notice."""
    require_role(actor, Role.APPROVER, request.organisation_id, _("审批延期答复"))
    with transaction.atomic(durable=True):
        locked = _locked(request)
        if locked.extension_status != ExtensionStatus.PENDING:
            raise ValidationError({"extension": _("没有待审批的延期申请。")})
        if locked.extension_requested_by_id and locked.extension_requested_by_id == getattr(
            actor, "pk", None
        ):
            raise PermissionDenied(_("延期申请须由经办人以外的负责人审批。"))
        day = clean_date("decision_date", _("审批日期"), decision_date or _today(), today=_today())
        letter = None
        if approve:
            if locked.due_date and day > locked.due_date:
                raise ValidationError(
                    {"decision_date": _("审批日期不能晚于原答复期限（%(due)s）。") % {"due": locked.due_date}}
                )
            locked.extension_status = ExtensionStatus.APPROVED
            locked.extension_approved_by = actor
            locked.extension_date = day
            _refresh_clock(locked)
            letter = _letter(
                locked, LetterKind.EXTENSION_NOTICE,
                letters.extension_text(locked, locked.extension_days, clock.reply_due_date(locked), locked.extension_reason),
                issue_on=day,
            )  # fmt: skip
        else:
            locked.extension_status = ExtensionStatus.REJECTED
            locked.extension_days = 0
        locked.save()
        record_event("foi.extension_approved" if approve else "foi.extension_rejected", actor=actor, target=locked,
                     organisation=locked.organisation,
                     data={"days": locked.extension_days, "date": day, "note": note, "due_date": locked.due_date,
                           **(_letter_event(letter) if letter else {})})  # fmt: skip
    return locked, letter
