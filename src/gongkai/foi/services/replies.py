"""The reply letter (条例 Arts. 35–39), delivery and archive (Art. 45; 国办公开办函〔2016〕235号)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.services import record_event
from gongkai.text.clean import strip_controls
from gongkai.text.dates import clean_date

from .. import letters
from ..constants import (
    SERVICE_ONLY_OUTCOMES,
    DeliveryMethod,
    LetterKind,
    LetterStatus,
    Outcome,
    RequestStatus,
)
from ..models import FOILetter, FOIRequest
from .base import _decide, _letter, _locked, _not_before, _officer, _step, _today
from .letter_review import reset_review

# --- decision and reply letter (条例 Arts. 35–39) -----------------------------------------------------


def prepare_reply(request: FOIRequest, *, actor: Any, outcome: str, reason: str = "") -> FOILetter:
    """Draft the 答复书 from the outcome's template (citing its article and the remedies) for editing."""
    _officer(actor, request, _("起草答复书"))
    with transaction.atomic(durable=True):
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
        letter.edited_by = actor  # the drafter may not review it (一事一审)
        letter.save(update_fields=["edited_by", "updated_at"])
        locked.decision_reason = (reason or "").strip()
        locked.save(update_fields=["decision_reason", "updated_at"])
        record_event("foi.reply_drafted", actor=actor, target=locked, organisation=locked.organisation,
                     data={"outcome": outcome, "letter_id": letter.pk})  # fmt: skip
    return letter


def edit_letter(letter: FOILetter, *, actor: Any, body: str, title: str | None = None) -> FOILetter:
    _officer(actor, letter.request, _("修改文书"))
    with transaction.atomic(durable=True):
        locked = FOILetter.objects.select_for_update().get(pk=letter.pk)
        if locked.status != LetterStatus.DRAFT:
            raise ValidationError({"body": _("文书已出具，不能再修改。")})
        if not (body or "").strip():
            raise ValidationError({"body": _("文书正文不能为空。")})
        before = (locked.body, locked.title)
        locked.body = strip_controls(body.replace("\r\n", "\n")).strip()
        if title is not None:
            if not title.strip():
                raise ValidationError({"title": _("文书标题不能为空。")})
            locked.title = strip_controls(title).strip()[:200]
        if (locked.body, locked.title) != before:
            # 先审查、后公开: a changed letter needs a new review (saving it unchanged keeps the review)
            reset_review(locked)
            locked.edited_by = actor
        locked.save()
        record_event("foi.letter_edited", actor=actor, target=locked.request, organisation=locked.request.organisation,
                     data={"letter_id": locked.pk, "body_sha256": hashlib.sha256(locked.body.encode()).hexdigest()})  # fmt: skip
    return locked


def issue_reply(letter: FOILetter, *, actor: Any, decided_date: Any) -> FOIRequest:
    """Issue the (possibly edited) 答复书: this is the decision; decided_date is the reply date."""
    _officer(actor, letter.request, _("出具答复书"))
    with transaction.atomic(durable=True):
        locked = _locked(letter.request)
        draft = FOILetter.objects.select_for_update().get(pk=letter.pk)
        if draft.kind != LetterKind.REPLY or draft.status != LetterStatus.DRAFT:
            raise ValidationError({"letter": _("只有草稿状态的答复书可以出具。")})
        if not draft.review_current:
            # 条例 Arts. 14–17: nothing is issued to the applicant without an approved review of this body
            raise ValidationError({"letter": _("答复书须经公开审查通过后才能出具（先审查、后公开）。")})
        day = clean_date("decided_date", _("答复日期"), decided_date, today=_today())
        _step(locked, "reply", _("出具答复书"))
        _decide(locked, actor, draft.outcome, day, locked.decision_reason, letter=draft)
    return locked


# --- delivery, archive (条例 Art. 45; 国办公开办函〔2016〕235号) ----------------------------------------


def record_delivery(
    request: FOIRequest, *, actor: Any, method: str, delivery_date: Any, tracking_number: str = ""
) -> FOIRequest:
    _officer(actor, request, _("登记送达"))
    with transaction.atomic(durable=True):
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
    with transaction.atomic(durable=True):
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
