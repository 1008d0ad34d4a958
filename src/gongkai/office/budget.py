"""Budget disclosure (work plan item 十): per department and year, 部门预算/决算, projects of 1000万元
or more with their 预决算 (涉密 excluded with the reason), special funds' performance, government debt
limits and balances, the 财政资金直达基层 topic; and a completeness check per department."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation
from gongkai.core.services import record_event
from gongkai.documents import selectors as documents

from .constants import DISTRICT_ORGANISATION_KINDS, PROJECT_THRESHOLD_YUAN, BudgetKind
from .models import BudgetDisclosure
from .permissions import require_office

DEPARTMENT_KINDS = (BudgetKind.BUDGET, BudgetKind.FINAL)
DISTRICT_KINDS = (BudgetKind.DEBT, BudgetKind.DIRECT)


def record_disclosure(
    *, actor: Any, organisation: Organisation, year: Any, kind: str, title: str, amount_yuan: Any = None,
    budget_document_id: int | None = None, final_document_id: int | None = None, url: str = "",
    is_secret: bool = False, secret_reason: str = "", is_example: bool = False,
) -> BudgetDisclosure:  # fmt: skip
    require_office(actor, _("登记预决算公开"))
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("年度须为整数。")}) from None
    if kind not in BudgetKind.values:
        raise ValidationError({"kind": _("请选择类别。")})
    if not (title or "").strip():
        raise ValidationError({"title": _("请填写名称。")})
    amount = None
    if amount_yuan not in (None, ""):
        try:
            amount = Decimal(str(amount_yuan))
        except InvalidOperation:
            raise ValidationError({"amount_yuan": _("金额（元）须为数字。")}) from None
        if amount < 0:
            raise ValidationError({"amount_yuan": _("金额（元）不能为负数。")})
    if kind == BudgetKind.PROJECT and amount is None:
        raise ValidationError({"amount_yuan": _("项目须填写预算金额（元）。")})
    if is_secret and not (secret_reason or "").strip():
        # 工作要点 item 十: 涉密信息除外 — the exclusion is stated with its reason
        raise ValidationError({"secret_reason": _("涉密不公开须说明理由。")})
    public = documents.public_documents()
    linked = {}
    for field, pk in (("budget_document", budget_document_id), ("final_document", final_document_id)):
        if pk:
            document = public.filter(pk=pk).first()
            if document is None:
                raise ValidationError({field: _("关联的公开文件不存在或未公开。")})
            linked[field] = document
    with transaction.atomic(durable=True):
        row = BudgetDisclosure.objects.create(
            organisation=organisation, year=year, kind=kind, title=title.strip(), amount_yuan=amount, url=url,
            is_secret=is_secret, secret_reason=secret_reason.strip(), is_example=is_example, **linked,
        )  # fmt: skip
        record_event("office.budget_recorded", actor=actor, target=row, organisation=organisation,
                     data={"year": year, "kind": kind})  # fmt: skip
    return row


def _disclosed(row: BudgetDisclosure, which: str) -> bool:
    return bool(getattr(row, f"{which}_document_id") or row.url)


def completeness(organisation: Organisation, year: int, today: Any = None) -> dict[str, Any]:
    """What the department has not yet disclosed for the year (a 决算 is due only after the year)."""
    today = today or timezone.localdate()
    rows = list(BudgetDisclosure.objects.filter(organisation=organisation, year=year))
    kinds = {
        row.kind for row in rows if row.is_secret or _disclosed(row, "budget") or _disclosed(row, "final")
    }
    missing: list[str] = []
    if BudgetKind.BUDGET not in kinds:
        missing.append(_("%(year)d年部门预算未公开。") % {"year": year})
    if year < today.year and BudgetKind.FINAL not in kinds:
        missing.append(_("%(year)d年部门决算未公开。") % {"year": year})
    projects = [
        r for r in rows if r.kind == BudgetKind.PROJECT and (r.amount_yuan or 0) >= PROJECT_THRESHOLD_YUAN
    ]
    for project in projects:
        if project.is_secret:
            continue
        if not project.budget_document_id and not project.url:
            missing.append(_("项目“%(title)s”（1000万元以上）未公开项目预算。") % {"title": project.title})
        if year < today.year and not project.final_document_id:
            missing.append(_("项目“%(title)s”（1000万元以上）未公开项目决算。") % {"title": project.title})
    if any(r.kind == BudgetKind.PROJECT for r in rows) and BudgetKind.PERFORMANCE not in kinds:
        missing.append(_("未公开专项资金绩效信息。"))
    return {
        "organisation": organisation, "year": year, "rows": rows, "projects": projects,
        "secret": [p for p in projects if p.is_secret], "missing": missing, "complete": not missing,
    }  # fmt: skip


def district_completeness(year: int) -> list[str]:
    """政府债务限额和余额 and the 财政资金直达基层 topic are disclosed once for the district."""
    kinds = set(BudgetDisclosure.objects.filter(year=year).values_list("kind", flat=True))
    missing = []
    if BudgetKind.DEBT not in kinds:
        missing.append(_("%(year)d年政府债务限额、余额未公开。") % {"year": year})
    if BudgetKind.DIRECT not in kinds:
        missing.append(_("%(year)d年“财政资金直达基层”专栏未更新。") % {"year": year})
    return missing


def departments() -> list[Organisation]:
    """The district's own bodies (national and municipal ones excluded)."""
    return list(
        Organisation.objects.filter(kind__in=DISTRICT_ORGANISATION_KINDS).order_by("sort_order", "id")
    )


def departments_by_ids(ids: list[int]) -> list[Organisation]:
    return [o for o in departments() if o.pk in set(ids)]
