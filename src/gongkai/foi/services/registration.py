"""Registration of 依申请公开 applications and their attachments (条例 Arts. 29, 31), and the
recomputation of stored due dates."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation
from gongkai.core.calendar import CalendarMissing, add_working_days
from gongkai.core.services import record_event
from gongkai.text.dates import clean_date

from .. import clock
from ..constants import Channel, DeliveryMethod, RequestStatus
from ..models import FOIAttachment, FOIRequest, FOISequence
from ..receipts import send_receipt
from ..validation import (
    APPLICANT_FIELDS,
    CONTENT_FIELDS,
    clean_applicant,
    clean_channel,
    clean_content,
)
from .base import _calendar, _locked, _officer, _refresh_clock, _today

PUBLIC_ACTOR = "公众申请人"  # actor label of applications submitted on the portal


def access_code_hash(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.strip().upper().encode(), hashlib.sha256).hexdigest()


def _new_access_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O/1/I
    return "".join(secrets.choice(alphabet) for _ in range(8))


def _token_access_code(token: str) -> str:
    """The access code of a public submission, derived from its form token (kept secret by the
    applicant's browser): a retried submission shows the same code without it being stored."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"foi-submission:{token}".encode(), hashlib.sha256
    ).digest()
    return "".join(alphabet[byte % len(alphabet)] for byte in digest[:8])


def submitted_request(token: str) -> tuple[FOIRequest, str] | None:
    """The application a public form with this token created, and its access code; None if none did."""
    request = FOIRequest.objects.filter(submission_token=token).first() if token else None
    return (request, _token_access_code(token)) if request else None


def _allocate_number(organisation: Organisation, year: int) -> tuple[int, str]:
    """Next serial for (organisation, year); the sequence row is locked, so concurrent registrations
    on PostgreSQL queue here instead of taking the same number."""
    FOISequence.objects.get_or_create(organisation=organisation, year=year)
    sequence = FOISequence.objects.select_for_update().get(organisation=organisation, year=year)
    sequence.last_serial += 1
    sequence.save(update_fields=["last_serial"])
    prefix = organisation.index_prefix or organisation.code.upper()
    return sequence.last_serial, f"{prefix}-YSQ-{year}-{sequence.last_serial:04d}"


# --- registration (条例 Arts. 29, 31) --------------------------------------------------------------


def check_register_request(
    *,
    actor: Any,
    channel: str,
    received_date: Any = None,
    files: list[tuple[str, bytes | File]] | None = None,
    today: dt.date | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """Validate an application without writing anything: the cleaned FOIRequest fields, or one
    ValidationError keyed by field that names every bad field (条例 Art. 29: the required contents).

    `register_request` calls it before writing; on its own it shows every error without saving.
    """
    today = today or _today()
    staff = getattr(actor, "pk", None) is not None
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
            _collect(errors, exc)
    try:
        received = clean_date(
            "received_date", _("收到申请日期"), received_date if staff else today, today=today
        )
        if not staff:
            received = clock.online_receipt_date(received)  # 条例 Art. 31: confirmed on a working day
        cleaned["received_date"] = received
        _calendar("received_date", add_working_days, received, 0)  # the receipt year itself must be known
    except ValidationError as exc:
        _collect(errors, exc)
    if (
        cleaned.get("delivery_method") == DeliveryMethod.EMAIL
        and "email" not in errors
        and not fields.get("email")
    ):
        errors.setdefault("email", []).append(_("选择以电子邮件获取信息时，电子邮箱不能为空。"))
    if cleaned.get("delivery_method") == DeliveryMethod.POST and not (fields.get("address") or "").strip():
        errors.setdefault("address", []).append(_("选择邮寄获取信息时，通信地址不能为空。"))
    for name, content in files or []:
        if message := _file_problem(name, content):
            errors.setdefault("attachments", []).append(message)
    unknown = set(fields) - set(APPLICANT_FIELDS) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _collect(errors: dict[str, list[str]], exc: ValidationError) -> None:
    for key, messages in exc.message_dict.items():
        errors.setdefault(key, []).extend(messages)


def register_request(
    *,
    actor: Any,
    organisation: Organisation,
    channel: str,
    received_date: Any = None,
    files: list[tuple[str, bytes | File]] | None = None,
    today: dt.date | None = None,
    submission_token: str = "",
    **fields: Any,
) -> tuple[FOIRequest, str]:
    """Register an application; returns the request and its verification code (shown once).

    `actor=None` is an applicant on the public portal: channel 网络, receipt date today, or the next
    working day when today is a holiday or weekend (Art. 31: the date both sides confirm; see
    clock.online_receipt_date). Staff record the receipt date of
    every other channel as Art. 31 defines it (signed-for date, confirmed date, day of submission).
    """
    staff = getattr(actor, "pk", None) is not None
    if staff:
        _officer(actor, None, _("登记政府信息公开申请"), organisation.pk)
    elif not organisation.accepts_requests:
        raise ValidationError(
            {"organisation": _("该机关不在本平台受理政府信息公开申请，请向该机关直接提出申请。")}
        )
    cleaned = check_register_request(
        actor=actor, channel=channel, received_date=received_date, files=files, today=today, **fields
    )
    # A public submission's code derives from its idempotency token, so a retry shows the same receipt.
    code = _token_access_code(submission_token) if submission_token else _new_access_code()
    with transaction.atomic(durable=True):
        year = cleaned["received_date"].year
        serial, number = _allocate_number(organisation, year)
        request = FOIRequest(
            organisation=organisation,
            number=number,
            year=year,
            serial=serial,
            access_code_hash=access_code_hash(code),
            registered_by=actor if staff else None,
            submission_token=submission_token or None,  # unique: a retry cannot register twice
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
        if not staff:  # the receipt by e-mail and SMS, only once the request is committed (rule 3)
            transaction.on_commit(lambda: send_receipt(request.pk, code))
    return request, code


def _file_problem(name: str, content: bytes | File) -> str | None:
    """Why an applicant's or officer's file may not be stored, or None."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in settings.ATTACHMENT_EXTENSIONS:
        return _("附件“%(name)s”的文件类型不允许。") % {"name": name}
    size = len(content) if isinstance(content, bytes) else content.size
    if size > settings.ATTACHMENT_MAX_BYTES:
        return _("附件“%(name)s”超过大小限制。") % {"name": name}
    return None


def _add_file(
    request: FOIRequest, name: str, content: bytes | File, *, from_applicant: bool
) -> FOIAttachment:
    """Store one file; an uploaded file is hashed and stored in chunks, never read whole."""
    if message := _file_problem(name, content):
        raise ValidationError({"attachments": message})
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    upload = ContentFile(content) if isinstance(content, bytes) else content
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    attachment = FOIAttachment(
        request=request,
        title=name[:200],
        from_applicant=from_applicant,
        size=upload.size,
        sha256=digest.hexdigest(),
    )
    # The file is written at save time inside the transaction: a rollback leaves an orphan file at
    # worst, never a row without its file.
    attachment.file.save(f"{secrets.token_hex(8)}.{extension}", upload, save=False)
    attachment.save()
    return attachment


def add_attachment(
    request: FOIRequest, *, actor: Any, name: str, content: bytes, from_applicant: bool = False
) -> FOIAttachment:
    _officer(actor, request, _("上传申请材料"))
    with transaction.atomic(durable=True):
        locked = _locked(request)
        if locked.status == RequestStatus.ARCHIVED:
            raise ValidationError({"status": _("已归档的申请不能再添加材料。")})
        attachment = _add_file(locked, name, content, from_applicant=from_applicant)
        record_event("foi.attachment_added", actor=actor, target=locked, organisation=locked.organisation,
                     data={"title": attachment.title, "sha256": attachment.sha256})  # fmt: skip
    return attachment


# --- the reply clock ------------------------------------------------------------------------------


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
