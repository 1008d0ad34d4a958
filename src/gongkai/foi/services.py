"""Every write to a 依申请公开 request (rule 1: one transaction, an actor, an Event, on_commit effects).

Each step cites its article of the 《政府信息公开条例》 (国务院令第711号, "条例").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import secrets
import zipfile
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from gongkai.accounts.constants import Role
from gongkai.accounts.models import Organisation
from gongkai.accounts.permissions import require_role
from gongkai.core.calendar import CalendarMissing, add_working_days
from gongkai.core.services import record_event

from . import clock, letters
from .constants import (
    CONSULTATION_PERIOD,
    CORRECTION_NOTICE_PERIOD,
    DEFAULT_CORRECTION_PERIOD,
    EXTENSION_MAX,
    FEE_PAYMENT_PERIOD,
    SERVICE_ONLY_OUTCOMES,
    AppealKind,
    AppealResult,
    ApplicantKind,
    Channel,
    ConsultationKind,
    DeliveryMethod,
    ExtensionStatus,
    FeeStandard,
    LetterKind,
    LetterStatus,
    Outcome,
    RequestStatus,
)
from .fees import compute_fee
from .models import FOIAppeal, FOIAttachment, FOIConsultation, FOILetter, FOIRequest, FOISequence
from .validation import (
    APPLICANT_FIELDS,
    CONTENT_FIELDS,
    clean_applicant,
    clean_channel,
    clean_content,
    clean_date,
)

PUBLIC_ACTOR = "公众申请人"  # actor label of applications submitted on the portal


# --- helpers ---------------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _officer(actor: Any, request: FOIRequest | None, action: str, organisation_id: int | None = None) -> None:
    require_role(actor, Role.FOI_OFFICER, organisation_id or request.organisation_id, action)  # type: ignore[union-attr]


def _locked(request: FOIRequest) -> FOIRequest:
    return FOIRequest.objects.select_for_update().select_related("organisation").get(pk=request.pk)


def _step(locked: FOIRequest, name: str, action: str) -> None:
    method = getattr(locked, name)
    if not can_proceed(method):
        raise ValidationError(
            {
                "status": _("申请当前状态为“%(status)s”，不能%(action)s。")
                % {"status": locked.get_status_display(), "action": action}
            }
        )
    method()


def _calendar(field: str, func: Any, *args: Any) -> Any:
    """Run a calendar computation; an unknown year becomes an error on `field` (never a guess)."""
    try:
        return func(*args)
    except CalendarMissing as exc:
        raise ValidationError({field: exc.messages}) from None


def _refresh_clock(locked: FOIRequest, *, strict: bool = True) -> bool:
    """Store the current deadline. Not strict (registration): an application is always accepted, and
    a deadline in a year without a calendar stays empty until staff enter that year (no guess)."""
    try:
        locked.due_date = clock.next_due_date(locked)
    except CalendarMissing as exc:
        if strict:
            raise ValidationError({"received_date": exc.messages}) from None
        locked.due_date = None
        return False
    return True


def _not_before(field: str, label: str, value: dt.date, earlier: dt.date | None, earlier_label: str) -> None:
    if earlier and value < earlier:
        raise ValidationError(
            {
                field: _("%(label)s不能早于%(other)s（%(date)s）。")
                % {"label": label, "other": earlier_label, "date": earlier}
            }
        )


def access_code_hash(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.strip().upper().encode(), hashlib.sha256).hexdigest()


def _new_access_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O/1/I
    return "".join(secrets.choice(alphabet) for _ in range(8))


def _allocate_number(organisation: Organisation, year: int) -> tuple[int, str]:
    """Next serial for (organisation, year); the sequence row is locked, so concurrent registrations
    on PostgreSQL queue here instead of taking the same number."""
    FOISequence.objects.get_or_create(organisation=organisation, year=year)
    sequence = FOISequence.objects.select_for_update().get(organisation=organisation, year=year)
    sequence.last_serial += 1
    sequence.save(update_fields=["last_serial"])
    prefix = organisation.index_prefix or organisation.code.upper()
    return sequence.last_serial, f"{prefix}-YSQ-{year}-{sequence.last_serial:04d}"


def _letter(
    locked: FOIRequest,
    kind: str,
    body: str,
    *,
    to_applicant: bool = True,
    addressee: str = "",
    outcome: str = "",
    issue_on: dt.date | None = None,
) -> FOILetter:
    letter = FOILetter.objects.create(
        request=locked,
        kind=kind,
        outcome=outcome,
        to_applicant=to_applicant,
        addressee=addressee or locked.applicant_name,
        title=letters.LETTER_TITLES[kind],
        body=body,
    )
    if issue_on is not None:
        _issue(letter, issue_on)
    return letter


def _issue(letter: FOILetter, issued_date: dt.date) -> None:
    count = FOILetter.objects.filter(request=letter.request, status=LetterStatus.ISSUED).count() + 1
    letter.status = LetterStatus.ISSUED
    letter.issued_date = issued_date
    letter.letter_number = f"{letter.request.number}-{count:02d}"
    letter.save()
    if letter.to_applicant:
        request_id, letter_id = letter.request_id, letter.pk
        transaction.on_commit(lambda: _notify_applicant(request_id, letter_id))


def _letter_event(letter: FOILetter) -> dict[str, Any]:
    return {
        "letter_id": letter.pk,
        "kind": letter.kind,
        "number": letter.letter_number,
        "body_sha256": hashlib.sha256(letter.body.encode()).hexdigest(),
    }


# --- registration (条例 Arts. 29, 31) --------------------------------------------------------------


def register_request(
    *,
    actor: Any,
    organisation: Organisation,
    channel: str,
    received_date: Any = None,
    files: list[tuple[str, bytes]] | None = None,
    today: dt.date | None = None,
    **fields: Any,
) -> tuple[FOIRequest, str]:
    """Register an application; returns the request and its verification code (shown once).

    `actor=None` is an applicant on the public portal: channel 网络, receipt date today (Art. 31: the
    confirmation page with the number is the mutual confirmation). Staff record the receipt date of
    every other channel as Art. 31 defines it (signed-for date, confirmed date, day of submission).
    """
    today = today or _today()
    staff = getattr(actor, "pk", None) is not None
    if staff:
        _officer(actor, None, _("登记政府信息公开申请"), organisation.pk)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for func, args in (
        (clean_channel, (channel if staff else Channel.ONLINE,)),
        (clean_applicant, (fields,)),
        (clean_content, (fields,)),
    ):
        try:
            result = func(*args)
            if isinstance(result, dict):
                cleaned.update(result)
            else:
                cleaned["channel"] = result
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    try:
        received = clean_date(
            "received_date", _("收到申请日期"), received_date if staff else today, today=today
        )
        cleaned["received_date"] = received
        _calendar("received_date", add_working_days, received, 0)  # the receipt year itself must be known
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if (
        cleaned.get("delivery_method") == DeliveryMethod.EMAIL
        and "email" not in errors
        and not fields.get("email")
    ):
        errors.setdefault("email", []).append(_("选择以电子邮件获取信息时，电子邮箱不能为空。"))
    if cleaned.get("delivery_method") == DeliveryMethod.POST and not (fields.get("address") or "").strip():
        errors.setdefault("address", []).append(_("选择邮寄获取信息时，通信地址不能为空。"))
    unknown = set(fields) - set(APPLICANT_FIELDS) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    if errors:
        raise ValidationError(errors)
    code = _new_access_code()
    with transaction.atomic():
        year = cleaned["received_date"].year
        serial, number = _allocate_number(organisation, year)
        request = FOIRequest(
            organisation=organisation,
            number=number,
            year=year,
            serial=serial,
            access_code_hash=access_code_hash(code),
            registered_by=actor if staff else None,
            **cleaned,
        )
        known = _refresh_clock(request, strict=False)
        request.save()
        for name, content in files or []:
            _add_file(request, name, content, from_applicant=True)
        record_event(
            "foi.registered",
            actor=actor if staff else PUBLIC_ACTOR,
            target=request,
            organisation=organisation,
            data={
                "channel": request.channel,
                "received_date": request.received_date,
                "due_date": request.due_date,
                "calendar_missing": not known,
            },
        )
    return request, code


def _add_file(request: FOIRequest, name: str, content: bytes, *, from_applicant: bool) -> FOIAttachment:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in settings.ATTACHMENT_EXTENSIONS:
        raise ValidationError({"attachments": _("附件“%(name)s”的文件类型不允许。") % {"name": name}})
    if len(content) > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError({"attachments": _("附件“%(name)s”超过大小限制。") % {"name": name}})
    attachment = FOIAttachment(
        request=request,
        title=name[:200],
        from_applicant=from_applicant,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    # The file is written at save time inside the transaction: a rollback leaves an orphan file at
    # worst, never a row without its file.
    attachment.file.save(f"{secrets.token_hex(8)}.{extension}", ContentFile(content), save=False)
    attachment.save()
    return attachment


def add_attachment(
    request: FOIRequest, *, actor: Any, name: str, content: bytes, from_applicant: bool = False
) -> FOIAttachment:
    _officer(actor, request, _("上传申请材料"))
    with transaction.atomic():
        locked = _locked(request)
        if locked.status == RequestStatus.ARCHIVED:
            raise ValidationError({"status": _("已归档的申请不能再添加材料。")})
        attachment = _add_file(locked, name, content, from_applicant=from_applicant)
        record_event("foi.attachment_added", actor=actor, target=locked, organisation=locked.organisation,
                     data={"title": attachment.title, "sha256": attachment.sha256})  # fmt: skip
    return attachment


# --- 补正 (条例 Art. 30) ------------------------------------------------------------------------------


def send_correction_notice(
    request: FOIRequest, *, actor: Any, notice_date: Any, items: str, correction_due_date: Any = None
) -> tuple[FOIRequest, FOILetter]:
    """Art. 30: one notice only, within 7 working days of receipt (a late notice is recorded as late)."""
    _officer(actor, request, _("发出补正通知"))
    today = _today()
    with transaction.atomic():
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
        _step(locked, "ask_correction", _("发出补正通知"))
        limit = _calendar("notice_date", add_working_days, locked.received_date, CORRECTION_NOTICE_PERIOD)
        late = notice > limit
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
                           **_letter_event(letter)})  # fmt: skip
    return locked, letter


def correction_notice_late(request: FOIRequest) -> bool:
    """Art. 30: warn when the 补正 notice is (or would be, if sent today) later than 7 working days."""
    limit = add_working_days(request.received_date, CORRECTION_NOTICE_PERIOD)
    return (request.correction_notice_date or _today()) > limit


def receive_correction(request: FOIRequest, *, actor: Any, received_date: Any, note: str = "") -> FOIRequest:
    """Art. 30: the reply period starts again from the day the corrected application is received."""
    _officer(actor, request, _("登记补正材料"))
    with transaction.atomic():
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
    _officer(actor, request, _("终止处理"))
    with transaction.atomic():
        locked = _locked(request)
        day = clean_date("decided_date", _("终止处理日期"), decided_date, today=_today())
        if locked.correction_due_date and day <= locked.correction_due_date:
            raise ValidationError(
                {
                    "decided_date": _("补正期限（%(due)s）尚未届满，不能以逾期不补正终止处理。")
                    % {"due": locked.correction_due_date}
                }
            )
        _step(locked, "close_without_correction", _("以逾期不补正终止处理"))
        letter = _decide(locked, actor, Outcome.NO_CORRECTION, day, "")
    return locked, letter


# --- consultation (条例 Arts. 32, 34, 33 ¶3) ---------------------------------------------------------


def start_consultation(
    request: FOIRequest, *, actor: Any, kind: str, party: str, sent_date: Any
) -> tuple[FOIRequest, FOIConsultation]:
    """Ask a third party (Art. 32) or a co-producing organ (Art. 34); the clock pauses (Art. 33 ¶3)."""
    _officer(actor, request, _("征求意见"))
    with transaction.atomic():
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
        _step(locked, "start_consultation", _("征求意见"))
        answer_due = _calendar("sent_date", add_working_days, sent, CONSULTATION_PERIOD)
        consultation = FOIConsultation.objects.create(
            request=locked, kind=kind, party=party.strip(), sent_date=sent, answer_due_date=answer_due
        )
        _refresh_clock(locked)
        locked.save()
        label = "第三十二条" if kind == ConsultationKind.THIRD_PARTY else "第三十四条"
        letter = _letter(
            locked, LetterKind.CONSULTATION, letters.consultation_text(locked, label, answer_due),
            to_applicant=False, addressee=party.strip(), issue_on=sent,
        )  # fmt: skip
        record_event("foi.consultation_started", actor=actor, target=locked, organisation=locked.organisation,
                     data={"kind": kind, "party": party, "sent_date": sent, "answer_due_date": answer_due,
                           **_letter_event(letter)})  # fmt: skip
    return locked, consultation


def end_consultation(
    request: FOIRequest, *, actor: Any, answered_date: Any = None, answer: str = "", no_answer: bool = False
) -> FOIRequest:
    """Resume the clock: on the day the answer arrived, or, with no answer, when the 15 working days
    ended (Art. 32: the organ then decides; Art. 34: silence of a co-producer is consent)."""
    _officer(actor, request, _("登记征求意见结果"))
    with transaction.atomic():
        locked = _locked(request)
        consultation = locked.consultations.filter(answered_date=None).order_by("sent_date", "id").first()
        if consultation is None or locked.status != RequestStatus.CONSULTING:
            raise ValidationError({"status": _("申请当前状态为“%(status)s”，没有进行中的征求意见。") % {
                "status": locked.get_status_display()}})  # fmt: skip
        if no_answer:
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
    with transaction.atomic():
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
    with transaction.atomic():
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
    request: FOIRequest, *, actor: Any, standard: str, notice_date: Any, pages: int | None = None
) -> tuple[FOIRequest, FOILetter]:
    """Fee notice: amount by one standard; payment within 20 working days from the day after receipt."""
    _officer(actor, request, _("发出收费通知"))
    with transaction.atomic():
        locked = _locked(request)
        if locked.fee_notice_date:
            raise ValidationError({"status": _("本申请已发出过收费通知。")})
        if standard not in FeeStandard.values:
            raise ValidationError({"standard": _("请选择按件或按量计收（只能选择一种）。")})
        day = clean_date("notice_date", _("收费通知日期"), notice_date, today=_today())
        _not_before("notice_date", _("收费通知日期"), day, clock.clock_start(locked), _("答复期限起算日"))
        if standard == FeeStandard.PER_PAGE:
            if not pages or int(pages) < 1:
                raise ValidationError({"pages": _("按量计收须填写页数。")})
            quantity = int(pages)
        else:
            quantity = applications_in_month(locked)
        amount = compute_fee(standard, quantity)
        if amount <= 0:
            raise ValidationError({"standard": _("按此标准计算的费用为0元，无需发出收费通知。")})
        _step(locked, "ask_fee", _("发出收费通知"))
        locked.fee_standard = standard
        locked.fee_quantity = quantity
        locked.fee_amount = amount
        locked.fee_notice_date = day
        locked.fee_due_date = _calendar("notice_date", add_working_days, day, FEE_PAYMENT_PERIOD)
        _refresh_clock(locked)
        locked.save()
        letter = _letter(
            locked, LetterKind.FEE_NOTICE,
            letters.fee_text(locked, locked.get_fee_standard_display(), quantity, f"{amount:.2f}", locked.fee_due_date),
            issue_on=day,
        )  # fmt: skip
        record_event("foi.fee_notice", actor=actor, target=locked, organisation=locked.organisation,
                     data={"standard": standard, "quantity": quantity, "amount": amount,
                           "due_date": locked.fee_due_date, **_letter_event(letter)})  # fmt: skip
    return locked, letter


def record_fee_payment(request: FOIRequest, *, actor: Any, paid_date: Any, amount: Any = None) -> FOIRequest:
    _officer(actor, request, _("登记缴费"))
    with transaction.atomic():
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
    _officer(actor, request, _("终止处理"))
    with transaction.atomic():
        locked = _locked(request)
        day = clean_date("decided_date", _("终止处理日期"), decided_date, today=_today())
        if locked.fee_due_date and day <= locked.fee_due_date:
            raise ValidationError(
                {"decided_date": _("缴费期限（%(due)s）尚未届满。") % {"due": locked.fee_due_date}}
            )
        _step(locked, "close_unpaid", _("以逾期未缴费终止处理"))
        letter = _decide(locked, actor, Outcome.FEE_UNPAID, day, "")
    return locked, letter


# --- decision and reply letter (条例 Arts. 35–39) -----------------------------------------------------


def _decide(
    locked: FOIRequest, actor: Any, outcome: str, day: dt.date, reason: str, letter: FOILetter | None = None
) -> FOILetter:
    _not_before("decided_date", _("答复日期"), day, locked.received_date, _("收到申请日期"))
    due = locked.due_date
    locked.outcome = outcome
    locked.decided_date = day
    locked.decision_reason = reason
    locked.decided_by = actor
    locked.due_date = None
    locked.save()
    if letter is None:
        letter = _letter(
            locked, LetterKind.REPLY, letters.reply_text(locked, outcome, reason), outcome=outcome
        )
    _issue(letter, day)
    record_event("foi.decided", actor=actor, target=locked, organisation=locked.organisation,
                 data={"outcome": outcome, "decided_date": day, "due_date": due,
                       "late": bool(due and day > due), **_letter_event(letter)})  # fmt: skip
    return letter


def prepare_reply(request: FOIRequest, *, actor: Any, outcome: str, reason: str = "") -> FOILetter:
    """Draft the 答复书 from the outcome's template (citing its article and the remedies) for editing."""
    _officer(actor, request, _("起草答复书"))
    with transaction.atomic():
        locked = _locked(request)
        if outcome not in Outcome.values:
            raise ValidationError({"outcome": _("请选择办理结果。")})
        if outcome in SERVICE_ONLY_OUTCOMES:
            raise ValidationError({"outcome": _("逾期不补正、逾期未缴费须通过相应的终止处理操作办理。")})
        if outcome == Outcome.UNCLEAR_AFTER_CORRECTION and not locked.correction_received_date:
            raise ValidationError({"outcome": _("未经补正的申请不能以“补正后申请内容仍不明确”答复。")})
        if locked.status != RequestStatus.RECEIVED:
            raise ValidationError({"status": _("申请当前状态为“%(status)s”，不能起草答复书。") % {
                "status": locked.get_status_display()}})  # fmt: skip
        needs_reason = outcome.startswith("withheld") or outcome in (
            Outcome.PARTIAL,
            Outcome.NOT_THIS_ORGAN,
            Outcome.OTHER,
        )
        if needs_reason and not (reason or "").strip():
            # Art. 36 (3): 不予公开 must state reasons; Art. 36 (5): name the responsible organ
            raise ValidationError({"reason": _("该办理结果必须说明理由。")})
        locked.letters.filter(kind=LetterKind.REPLY, status=LetterStatus.DRAFT).delete()
        letter = _letter(
            locked, LetterKind.REPLY, letters.reply_text(locked, outcome, reason or ""), outcome=outcome
        )
        locked.decision_reason = (reason or "").strip()
        locked.save(update_fields=["decision_reason", "updated_at"])
        record_event("foi.reply_drafted", actor=actor, target=locked, organisation=locked.organisation,
                     data={"outcome": outcome, "letter_id": letter.pk})  # fmt: skip
    return letter


def edit_letter(letter: FOILetter, *, actor: Any, body: str, title: str | None = None) -> FOILetter:
    _officer(actor, letter.request, _("修改文书"))
    with transaction.atomic():
        locked = FOILetter.objects.select_for_update().get(pk=letter.pk)
        if locked.status != LetterStatus.DRAFT:
            raise ValidationError({"body": _("文书已出具，不能再修改。")})
        if not (body or "").strip():
            raise ValidationError({"body": _("文书正文不能为空。")})
        locked.body = body.replace("\r\n", "\n").strip()
        if title is not None:
            if not title.strip():
                raise ValidationError({"title": _("文书标题不能为空。")})
            locked.title = title.strip()[:200]
        locked.save()
        record_event("foi.letter_edited", actor=actor, target=locked.request, organisation=locked.request.organisation,
                     data={"letter_id": locked.pk, "body_sha256": hashlib.sha256(locked.body.encode()).hexdigest()})  # fmt: skip
    return locked


def issue_reply(letter: FOILetter, *, actor: Any, decided_date: Any) -> FOIRequest:
    """Issue the (possibly edited) 答复书: this is the decision; decided_date is the reply date."""
    _officer(actor, letter.request, _("出具答复书"))
    with transaction.atomic():
        locked = _locked(letter.request)
        draft = FOILetter.objects.select_for_update().get(pk=letter.pk)
        if draft.kind != LetterKind.REPLY or draft.status != LetterStatus.DRAFT:
            raise ValidationError({"letter": _("只有草稿状态的答复书可以出具。")})
        day = clean_date("decided_date", _("答复日期"), decided_date, today=_today())
        _step(locked, "reply", _("出具答复书"))
        _decide(locked, actor, draft.outcome, day, locked.decision_reason, letter=draft)
    return locked


def _notify_applicant(request_id: int, letter_id: int) -> None:
    from .tasks import notify_applicant_letter

    notify_applicant_letter.delay(request_id, letter_id)


# --- delivery, archive (条例 Art. 45; 国办公开办函〔2016〕235号) ----------------------------------------


def record_delivery(
    request: FOIRequest, *, actor: Any, method: str, delivery_date: Any, tracking_number: str = ""
) -> FOIRequest:
    _officer(actor, request, _("登记送达"))
    with transaction.atomic():
        locked = _locked(request)
        if method not in DeliveryMethod.values:
            raise ValidationError({"method": _("请选择送达方式。")})
        day = clean_date("delivery_date", _("送达日期"), delivery_date, today=_today())
        _not_before("delivery_date", _("送达日期"), day, locked.decided_date, _("答复日期"))
        if method == DeliveryMethod.POST and not (tracking_number or "").strip():
            # 国办公开办函〔2016〕235号: postal delivery through a 邮政企业, tracked
            raise ValidationError({"tracking_number": _("邮寄送达须填写邮件号码。")})
        _step(locked, "deliver", _("登记送达"))
        locked.delivered_by = method
        locked.delivery_date = day
        locked.tracking_number = (tracking_number or "").strip()
        locked.save()
        record_event("foi.delivered", actor=actor, target=locked, organisation=locked.organisation,
                     data={"method": method, "delivery_date": day, "tracking_number": locked.tracking_number})  # fmt: skip
    return locked


def archive_request(request: FOIRequest, *, actor: Any) -> FOIRequest:
    """办结归档: a zip of every letter (DOCX), every file and the timeline is stored after commit."""
    _officer(actor, request, _("归档"))
    with transaction.atomic():
        locked = _locked(request)
        if locked.letters.filter(status=LetterStatus.DRAFT).exists():
            raise ValidationError({"letters": _("仍有未出具的文书草稿，不能归档。")})
        _step(locked, "archive", _("归档"))
        locked.archived_at = timezone.now()
        locked.save()
        record_event("foi.archived", actor=actor, target=locked, organisation=locked.organisation,
                     data={"letters": locked.letters.count(), "attachments": locked.attachments.count()})  # fmt: skip
        pk = locked.pk
        transaction.on_commit(lambda: build_archive(pk))
    return locked


def build_archive(request_id: int) -> None:
    from gongkai.core.services import events_for

    request = FOIRequest.objects.select_related("organisation").get(pk=request_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for letter in request.letters.all():
            archive.writestr(
                f"文书/{letter.letter_number or letter.pk}-{letter.title}.docx", letters.render_docx(letter)
            )
        for attachment in request.attachments.all():
            with attachment.file.open("rb") as handle:
                archive.writestr(f"材料/{attachment.pk}-{attachment.title}", handle.read())
        timeline = [
            {"time": event.created_at.isoformat(), "actor": event.actor_label, "verb": event.verb,
             "data": event.data, "hash": event.hash}
            for event in events_for(request).order_by("id")
        ]  # fmt: skip
        archive.writestr("timeline.json", json.dumps(timeline, ensure_ascii=False, indent=1, default=str))
    request.archive_file.save(f"{request.number}.zip", ContentFile(buffer.getvalue()), save=False)
    FOIRequest.objects.filter(pk=request_id).update(archive_file=request.archive_file.name)


# --- reconsideration and litigation (条例 Art. 51; annual report Table 四) ------------------------------


def add_appeal(
    request: FOIRequest, *, actor: Any, kind: str, filed_date: Any, case_number: str = "", body: str = "",
    note: str = "",
) -> FOIAppeal:  # fmt: skip
    _officer(actor, request, _("登记复议诉讼"))
    with transaction.atomic():
        locked = _locked(request)
        if kind not in AppealKind.values:
            raise ValidationError({"kind": _("请选择行政复议或行政诉讼类型。")})
        if not locked.decided_date:
            raise ValidationError({"status": _("申请尚未答复，不能登记复议诉讼。")})
        day = clean_date("filed_date", _("立案或收到日期"), filed_date, today=_today())
        _not_before("filed_date", _("立案或收到日期"), day, locked.decided_date, _("答复日期"))
        appeal = FOIAppeal.objects.create(
            request=locked, organisation=locked.organisation, kind=kind, filed_date=day,
            case_number=(case_number or "").strip(), body=(body or "").strip(), note=(note or "").strip(),
        )  # fmt: skip
        record_event("foi.appeal_filed", actor=actor, target=locked, organisation=locked.organisation,
                     data={"appeal_id": appeal.pk, "kind": kind, "filed_date": day, "case_number": appeal.case_number})  # fmt: skip
    return appeal


def decide_appeal(appeal: FOIAppeal, *, actor: Any, result: str, decided_date: Any) -> FOIAppeal:
    _officer(actor, appeal.request, _("登记复议诉讼结果"))
    with transaction.atomic():
        locked = FOIAppeal.objects.select_for_update().select_related("request").get(pk=appeal.pk)
        if result not in AppealResult.values or result == AppealResult.PENDING:
            raise ValidationError({"result": _("请选择维持、纠正或其他结果。")})
        if locked.result != AppealResult.PENDING:
            raise ValidationError({"result": _("该案件已登记审结结果。")})
        day = clean_date("decided_date", _("审结日期"), decided_date, today=_today())
        _not_before("decided_date", _("审结日期"), day, locked.filed_date, _("立案或收到日期"))
        locked.result = result
        locked.decided_date = day
        locked.save()
        record_event("foi.appeal_decided", actor=actor, target=locked.request, organisation=locked.organisation,
                     data={"appeal_id": locked.pk, "result": result, "decided_date": day})  # fmt: skip
    return locked


def refresh_due_dates(organisation_id: int | None = None) -> int:
    """Recompute stored due dates (after staff edit the calendar); returns how many changed."""
    changed = 0
    queryset = FOIRequest.objects.still_open().prefetch_related("consultations")
    if organisation_id:
        queryset = queryset.filter(organisation_id=organisation_id)
    for request in queryset:
        try:
            due = clock.next_due_date(request)
        except CalendarMissing:
            continue
        if due != request.due_date:
            FOIRequest.objects.filter(pk=request.pk).update(due_date=due)
            changed += 1
    return changed
