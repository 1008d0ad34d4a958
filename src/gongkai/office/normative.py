"""行政规范性文件 清理评估 (work plan item 十三): 有效期, warnings before expiry, evaluation records
whose outcome changes the document's validity through the documents services, and the yearly
清理 result list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.constants import OrganisationKind, Role
from gongkai.accounts.models import User
from gongkai.core.services import record_event
from gongkai.documents import selectors as documents
from gongkai.documents import services as document_services
from gongkai.documents.constants import Validity

from .constants import DEFAULT_VALIDITY_YEARS, WARNING_MONTHS, Outcome
from .models import CleanupList, ExpiryWarning, NormativeEvaluation
from .permissions import require_office

ENDED = (Validity.REPEALED, Validity.EXPIRED)


@dataclass
class Term:
    document: Any
    expiry: dt.date | None
    presumed: bool  # no 有效期 in the document: five years from 施行 (Shanghai rule)
    stage: int | None  # 6, 2 or 1: the nearest warning reached; None before 6 months

    @property
    def warning(self) -> str:
        if self.stage is None:
            return ""
        return _("%(n)d个月内到期") % {"n": self.stage}


def expiry_of(document: Any) -> tuple[dt.date | None, bool]:
    """The document's 有效期至, or five years after it took effect when it states none."""
    if document.expiry_date:
        return document.expiry_date, False
    start = document.effective_date or document.published_date or document.written_date
    if start is None:
        return None, True
    return start + relativedelta(years=DEFAULT_VALIDITY_YEARS) - dt.timedelta(days=1), True


def warning_stage(expiry: dt.date | None, today: dt.date) -> int | None:
    """The smallest of 6/2/1 months whose window the expiry date is in (None: not yet, or expired)."""
    if expiry is None or expiry < today:
        return None
    stage = None
    for months in WARNING_MONTHS:  # 6, 2, 1
        if expiry <= today + relativedelta(months=months):
            stage = months
    return stage


def normative_documents(organisation: Any = None) -> QuerySet:
    # the district's own 规范性文件 (national and municipal ones are cleaned up by their issuers)
    queryset = (
        documents.published_documents()
        .filter(is_normative=True)
        .exclude(validity__in=ENDED)
        .exclude(organisation__kind=OrganisationKind.NATIONAL)
    )
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return queryset.select_related("organisation").order_by("expiry_date", "-published_date")


def terms(organisation: Any = None, today: dt.date | None = None) -> list[Term]:
    today = today or timezone.localdate()
    out = []
    for document in normative_documents(organisation):
        expiry, presumed = expiry_of(document)
        out.append(Term(document, expiry, presumed, warning_stage(expiry, today)))
    return sorted(out, key=lambda t: (t.expiry is None, t.expiry or dt.date.max))


def send_expiry_warnings(today: dt.date | None = None) -> int:
    """Mail each issuing organisation's editors once per stage (6, 2, 1 months before expiry)."""
    today = today or timezone.localdate()
    sent = 0
    for term in terms(today=today):
        if term.stage is None:
            continue
        document = term.document
        with transaction.atomic(durable=True):
            _warning, created = ExpiryWarning.objects.get_or_create(
                document=document, months=term.stage, expiry_date=term.expiry
            )
            if not created:
                continue
            record_event("office.expiry_warning", target=document, organisation=document.organisation,
                         data={"months": term.stage, "expiry": term.expiry})  # fmt: skip
            recipients = list(
                User.objects.filter(organisation_id=document.organisation_id, is_active=True, groups__name=Role.EDITOR)
                .exclude(email="").values_list("email", flat=True).distinct()
            )  # fmt: skip
            if recipients:
                subject = _("【规范性文件到期预警】%(title)s 将于%(date)s到期") % {
                    "title": document.title[:40],
                    "date": term.expiry,
                }
                body = _("%(title)s（%(number)s）有效期至%(date)s，请在到期前完成清理评估（继续有效、修改、废止或延期）。") % {
                    "title": document.title, "number": document.doc_number or document.index_number, "date": term.expiry}  # fmt: skip
                transaction.on_commit(
                    lambda s=subject, b=body, r=recipients: send_mail(s, b, settings.DEFAULT_FROM_EMAIL, r)
                )
            sent += 1
    return sent


def evaluate(
    *, actor: Any, document: Any, outcome: str, reason: str, year: Any = None,
    new_expiry_date: Any = None, ended_on: Any = None,
) -> NormativeEvaluation:  # fmt: skip
    """Record a 清理评估 decision; 废止, 修改 and 延期 change the document through its services."""
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("请选择评估结论（继续有效、修改、废止或延期）。")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写评估理由。")})
    if not document.is_normative or not documents.published_documents().filter(pk=document.pk).exists():
        raise ValidationError({"document": _("只能评估已发布的规范性文件。")})
    today = timezone.localdate()
    try:
        year = int(year or today.year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("清理年度须为整数。")}) from None
    if outcome == Outcome.EXTEND and not new_expiry_date:
        raise ValidationError({"new_expiry_date": _("延期须填写新的有效期至。")})
    with transaction.atomic(durable=True):
        if outcome == Outcome.REPEAL:
            document = document_services.set_validity(
                document, actor=actor, validity=Validity.REPEALED, validity_date=ended_on or today
            )
        elif outcome == Outcome.AMEND:
            document = document_services.set_validity(document, actor=actor, validity=Validity.AMENDED)
        elif outcome == Outcome.EXTEND:
            try:
                document = document_services.extend_expiry(
                    document, actor=actor, expiry_date=new_expiry_date, reason=reason
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "expiry_date" in exc.error_dict:
                    raise ValidationError({"new_expiry_date": exc.error_dict["expiry_date"]}) from None
                raise
        else:
            # 继续有效 keeps the document as it is; only the record is kept
            from gongkai.accounts.permissions import require_role

            require_role(actor, Role.EDITOR, document.organisation_id, _("评估规范性文件"))
        evaluation = NormativeEvaluation.objects.create(
            document=document, year=year, outcome=outcome, reason=reason.strip(),
            new_expiry_date=document.expiry_date if outcome == Outcome.EXTEND else None,
            evaluated_by=actor if getattr(actor, "pk", None) else None,
        )  # fmt: skip
        record_event("office.normative_evaluated", actor=actor, target=document, organisation=document.organisation,
                     data={"outcome": outcome, "year": year})  # fmt: skip
    return evaluation


def publish_cleanup_list(*, actor: Any, year: Any) -> CleanupList:
    """The yearly 清理 result list becomes public (only with at least one evaluation of that year)."""
    require_office(actor, _("发布清理结果"))
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("年度须为整数。")}) from None
    if not NormativeEvaluation.objects.filter(year=year).exists():
        raise ValidationError(
            {"year": _("%(year)d年没有任何清理评估记录，不能发布清理结果。") % {"year": year}}
        )
    with transaction.atomic(durable=True):
        cleanup, _created = CleanupList.objects.get_or_create(year=year)
        cleanup.published_at = timezone.now()
        cleanup.save()
        record_event("office.cleanup_published", actor=actor, target=cleanup, data={"year": year})
    return cleanup


def published_cleanup(year: int) -> tuple[CleanupList | None, QuerySet[NormativeEvaluation]]:
    cleanup = CleanupList.objects.filter(year=year, published_at__isnull=False).first()
    rows = NormativeEvaluation.objects.none()
    if cleanup:
        rows = NormativeEvaluation.objects.filter(year=year).select_related(
            "document", "document__organisation"
        )
    return cleanup, rows
