"""Reconsideration and litigation about a reply (条例 Art. 51; annual report Table 四)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.services import record_event

from ..constants import AppealKind, AppealResult
from ..models import FOIAppeal, FOIRequest
from ..validation import clean_date
from .base import _locked, _not_before, _officer, _today

# --- reconsideration and litigation (条例 Art. 51; annual report Table 四) ------------------------------


def add_appeal(
    request: FOIRequest, *, actor: Any, kind: str, filed_date: Any, case_number: str = "", body: str = "",
    note: str = "",
) -> FOIAppeal:  # fmt: skip
    _officer(actor, request, _("登记复议诉讼"))
    with transaction.atomic(durable=True):
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
    with transaction.atomic(durable=True):
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
