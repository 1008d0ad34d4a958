"""Reconsideration and litigation about the organ's 政府信息公开 work (条例 Art. 51; annual report Table 四).

A case is about a reply, about a request left unanswered (a request not decided when the case was
filed), about active disclosure (linked to no request), or about another act; every one counts in
Table 四 of the year it was filed (docs/foi-rules.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation
from gongkai.core.services import record_event
from gongkai.text.dates import clean_date

from ..constants import AppealGrounds, AppealKind, AppealResult
from ..models import FOIAppeal, FOIRequest
from .base import _locked, _not_before, _officer, _today

# --- reconsideration and litigation (条例 Art. 51; annual report Table 四) ------------------------------


def _check_grounds(locked: FOIRequest | None, grounds: str, day: dt.date, subject: str) -> None:
    if grounds not in AppealGrounds.values:
        raise ValidationError({"grounds": _("请选择复议诉讼的事由。")})
    if locked is None:
        if grounds in (AppealGrounds.REPLY, AppealGrounds.NO_REPLY):
            raise ValidationError({"request": _("对答复不服或逾期未答复的复议诉讼须关联所涉申请。")})
        if not subject:
            raise ValidationError(
                {"subject": _("未关联申请的复议诉讼须填写争议事项（如所涉主动公开的信息）。")}
            )
        return
    if grounds == AppealGrounds.ACTIVE_DISCLOSURE:
        raise ValidationError({"grounds": _("关于主动公开的复议诉讼不关联依申请公开申请。")})
    if grounds == AppealGrounds.REPLY:
        if not locked.decided_date:
            raise ValidationError({"grounds": _("申请尚未答复：请选择“逾期未答复”。")})
        _not_before("filed_date", _("立案或收到日期"), day, locked.decided_date, _("答复日期"))
        return
    _not_before("filed_date", _("立案或收到日期"), day, locked.received_date, _("收到申请日期"))
    if grounds == AppealGrounds.NO_REPLY and locked.decided_date and locked.decided_date <= day:
        raise ValidationError(
            {"grounds": _("申请已于%(date)s答复：请选择“对答复不服”。") % {"date": locked.decided_date}}
        )


def add_appeal(
    request: FOIRequest | None, *, actor: Any, kind: str, filed_date: Any, grounds: str = "",
    organisation: Organisation | None = None, subject: str = "", case_number: str = "", body: str = "",
    note: str = "",
) -> FOIAppeal:  # fmt: skip
    """Record a case. `request=None` with `organisation`: a case linked to no request (Art. 51, e.g. about
    active disclosure). Without `grounds`: about the reply when the request is answered, else about the
    failure to reply."""
    if request is None and organisation is None:
        raise ValidationError({"organisation": _("未关联申请的复议诉讼须指定被申请人或被告机关。")})
    organisation_id = request.organisation_id if request is not None else organisation.pk  # type: ignore[union-attr]
    _officer(actor, request, _("登记复议诉讼"), organisation_id)
    with transaction.atomic(durable=True):
        locked = _locked(request) if request is not None else None
        if kind not in AppealKind.values:
            raise ValidationError({"kind": _("请选择行政复议或行政诉讼类型。")})
        if not grounds and locked is not None:
            grounds = AppealGrounds.REPLY if locked.decided_date else AppealGrounds.NO_REPLY
        day = clean_date("filed_date", _("立案或收到日期"), filed_date, today=_today())
        subject = (subject or "").strip()[:300]
        _check_grounds(locked, grounds, day, subject)  # type: ignore[arg-type]
        appeal = FOIAppeal.objects.create(
            request=locked, organisation_id=organisation_id, kind=kind, grounds=grounds, subject=subject,
            filed_date=day, case_number=(case_number or "").strip(), body=(body or "").strip(),
            note=(note or "").strip(),
        )  # fmt: skip
        record_event("foi.appeal_filed", actor=actor, target=locked or appeal, organisation=appeal.organisation,
                     data={"appeal_id": appeal.pk, "kind": kind, "grounds": grounds, "filed_date": day,
                           "case_number": appeal.case_number, "subject": subject})  # fmt: skip
    return appeal


def decide_appeal(appeal: FOIAppeal, *, actor: Any, result: str, decided_date: Any) -> FOIAppeal:
    _officer(actor, None, _("登记复议诉讼结果"), appeal.organisation_id)
    with transaction.atomic(durable=True):
        # of=self: the request is the nullable side of an outer join, which PostgreSQL cannot lock
        locked = FOIAppeal.objects.select_for_update(of=("self",)).select_related("request").get(pk=appeal.pk)
        if result not in AppealResult.values or result == AppealResult.PENDING:
            raise ValidationError({"result": _("请选择维持、纠正或其他结果。")})
        if locked.result != AppealResult.PENDING:
            raise ValidationError({"result": _("该案件已登记审结结果。")})
        day = clean_date("decided_date", _("审结日期"), decided_date, today=_today())
        _not_before("decided_date", _("审结日期"), day, locked.filed_date, _("立案或收到日期"))
        locked.result = result
        locked.decided_date = day
        locked.save()
        record_event("foi.appeal_decided", actor=actor, target=locked.request or locked, organisation=locked.organisation,
                     data={"appeal_id": locked.pk, "result": result, "decided_date": day})  # fmt: skip
    return locked
