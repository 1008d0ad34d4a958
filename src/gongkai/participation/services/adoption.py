"""What became of the opinions: adoption decisions, ready for the meeting, the decision, the adoption report.

Rules (docs/participation-rules.md):
- 国务院令第713号 Art. 18: the sponsor studies every opinion and adopts the reasonable ones; Art. 29(二): the
  meeting receives how they were adopted, so no draft is ready for the meeting before every counted opinion
  has its adoption decision — and, for a 涉企 draft, every invited enterprise or association has its
  opinion recorded (work plan 二十一).
- Work plan 二十二: within 10 working days of the decision's publication the adoption of opinions is
  published, with the reasons for not adopting opinions raised by many (较为集中意见).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.calendar import add_working_days
from gongkai.core.services import record_event

from ..constants import (
    ADOPTION_REPORT_WORKING_DAYS,
    Adoption,
    ConsultationStatus,
    ItemStatus,
    Phase,
    ReportStatus,
)
from ..models import AdoptionReport, Comment, ConcentratedOpinion, Consultation
from ..selectors import adoption_counts, counted_comments
from .base import clean_text, not_in_future, parse_date, require_editor, today


def decide_adoption(comment: Comment, *, actor: Any, adoption: str, reason: str = "") -> Comment:
    """采纳 / 部分采纳 / 未采纳; partly and not adopting need the reason (it goes into the report)."""
    with transaction.atomic(durable=True):
        comment = Comment.objects.select_for_update().select_related("consultation").get(pk=comment.pk)
        consultation = comment.consultation
        require_editor(actor, consultation.organisation_id, _("记录意见采纳情况"))
        if comment.moderation == "rejected":
            raise ValidationError({"adoption": _("不予公开的无效意见不计入采纳情况。")})
        if adoption not in Adoption.values:
            raise ValidationError({"adoption": _("请选择采纳情况。")})
        if consultation.ready_for_meeting_at:
            raise ValidationError({"adoption": _("草案已提请上会，采纳情况不能再修改。")})
        reason = clean_text(reason, "adoption_reason", _("采纳说明或不予采纳理由"), max_chars=2000,
                            required=adoption != Adoption.ADOPTED)  # fmt: skip
        comment.adoption, comment.adoption_reason = adoption, reason
        comment.decided_by, comment.decided_at = actor, timezone.now()
        comment.save(update_fields=["adoption", "adoption_reason", "decided_by", "decided_at", "updated_at"])
        record_event("participation.adoption_decided", actor=actor, target=comment, organisation=consultation.organisation,
                     data={"adoption": adoption, "reason": reason})  # fmt: skip
        return comment


def readiness_problems(consultation: Consultation) -> list[str]:
    """Why the draft cannot go to the meeting yet (empty when it can)."""
    problems = []
    if consultation.status != ConsultationStatus.PUBLISHED:
        problems.append(_("草案尚未发布征求意见。"))
    elif consultation.phase(today()) != Phase.CLOSED:
        problems.append(_("意见征集期限尚未届满（%(date)s截止）。") % {"date": consultation.closes_on})
    undecided = counted_comments(consultation).filter(adoption="").count()
    if undecided:
        problems.append(_("还有%(n)d条意见未记录采纳情况（第十八条、第二十九条）。") % {"n": undecided})
    if consultation.concerns_enterprises:
        parties = list(consultation.parties.all())
        if not parties:
            problems.append(_("涉企政策草案须定向征求企业和行业协会商会意见，尚未邀请任何单位。"))
        silent = [
            party.name for party in parties if not party.comments.exclude(moderation="rejected").exists()
        ]
        if silent:
            problems.append(_("以下单位的意见尚未记录：%(names)s。") % {"names": "、".join(silent)})
    return problems


def mark_ready_for_meeting(consultation: Consultation, *, actor: Any) -> Consultation:
    with transaction.atomic(durable=True):
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        require_editor(actor, consultation.organisation_id, _("提请上会"))
        if consultation.ready_for_meeting_at:
            raise ValidationError({"status": _("草案已提请上会。")})
        problems = readiness_problems(consultation)
        if problems:
            raise ValidationError({"status": problems})
        consultation.ready_for_meeting_at = timezone.now()
        consultation.save(update_fields=["ready_for_meeting_at", "updated_at"])
        record_event("participation.ready_for_meeting", actor=actor, target=consultation,
                     organisation=consultation.organisation, data=adoption_counts(consultation))  # fmt: skip
        return consultation


def record_decision_publication(
    consultation: Consultation,
    *,
    actor: Any,
    published_on: Any,
    decision_title: str,
    decision_document: Any = None,
) -> Consultation:
    """The decision was published (Art. 32): the adoption report is due 10 working days later (二十二)."""
    with transaction.atomic(durable=True):
        consultation = (
            Consultation.objects.select_for_update(of=("self",))
            .select_related("item")
            .get(pk=consultation.pk)
        )
        require_editor(actor, consultation.organisation_id, _("记录决策公布"))
        if consultation.status != ConsultationStatus.PUBLISHED:
            raise ValidationError({"published_on": _("草案尚未发布征求意见。")})
        day = parse_date(published_on, "published_on", _("决策公布日期"))
        not_in_future(day, "published_on", _("决策公布日期"))
        if day <= consultation.closes_on:
            raise ValidationError({"published_on": _("决策公布日期应在意见征集截止（%(date)s）之后。")
                                   % {"date": consultation.closes_on}})  # fmt: skip
        if hasattr(consultation, "report") and consultation.report.status == ReportStatus.PUBLISHED:
            raise ValidationError({"published_on": _("意见采纳情况已公布，决策公布日期不能再修改。")})
        consultation.decision_title = clean_text(
            decision_title, "decision_title", _("决策文件"), max_chars=300
        )
        consultation.decision_published_on = day
        consultation.decision_document = decision_document
        # Work plan 二十二, on the work calendar (holidays and 调休 counted; the day of publication is not).
        consultation.report_due_on = add_working_days(day, ADOPTION_REPORT_WORKING_DAYS)
        consultation.save()
        item = consultation.item
        if item is not None and item.status != ItemStatus.REMOVED:
            item.decision_title, item.decision_published_on = consultation.decision_title, day
            item.decision_document = decision_document
            item.save(
                update_fields=["decision_title", "decision_published_on", "decision_document", "updated_at"]
            )
        record_event("participation.decision_published", actor=actor, target=consultation,
                     organisation=consultation.organisation,
                     data={"published_on": day, "report_due_on": consultation.report_due_on})  # fmt: skip
        return consultation


def _concentrated(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for index, row in enumerate(rows, start=1):
        field = f"concentrated_{index}"
        summary = clean_text(
            row.get("summary"), field, _("较为集中意见%(n)d的概述") % {"n": index}, max_chars=1000
        )
        try:
            count = int(row.get("count") or 0)
        except (TypeError, ValueError):
            count = 0
        if count < 2:
            raise ValidationError({field: _("较为集中意见%(n)d的提出次数应至少为2。") % {"n": index}})
        adoption = row.get("adoption")
        if adoption not in Adoption.values:
            raise ValidationError({field: _("请选择较为集中意见%(n)d的采纳情况。") % {"n": index}})
        # Work plan 二十二: the reasons for not adopting concentrated opinions are published.
        reason = clean_text(row.get("reason"), field, _("较为集中意见%(n)d未予采纳的理由") % {"n": index},
                            max_chars=2000, required=adoption != Adoption.ADOPTED)  # fmt: skip
        cleaned.append({"summary": summary, "count": count, "adoption": adoption, "reason": reason})
    return cleaned


def _counts(values: dict[str, Any], recorded: dict[str, int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    labels = {
        "received": _("收到意见"),
        "adopted": _("采纳"),
        "partly": _("部分采纳"),
        "not_adopted": _("未采纳"),
    }
    for name, label in labels.items():
        try:
            counts[name] = int(values.get(name))
        except (TypeError, ValueError):
            raise ValidationError({name: _("请填写%(label)s条数。") % {"label": label}}) from None
        if counts[name] < 0:
            raise ValidationError({name: _("%(label)s条数不能为负数。") % {"label": label}})
        if counts[name] < recorded[name]:
            raise ValidationError(
                {name: _("%(label)s条数少于平台已记录的%(n)d条。") % {"label": label, "n": recorded[name]}}
            )
    total = counts["adopted"] + counts["partly"] + counts["not_adopted"]
    if total != counts["received"]:
        raise ValidationError({"received": _(
            "收到意见%(received)d条，但采纳、部分采纳、未采纳合计%(total)d条：数字应当相符。"
        ) % {"received": counts["received"], "total": total}})  # fmt: skip
    return counts


def save_report(
    consultation: Consultation,
    *,
    actor: Any,
    summary: str,
    concentrated: list[dict[str, Any]] = (),
    **counts: Any,
) -> AdoptionReport:
    """Write (or rewrite, until published) the adoption report; counts must add up and cover what is recorded."""
    with transaction.atomic(durable=True):
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        require_editor(actor, consultation.organisation_id, _("编写意见采纳情况"))
        if consultation.status != ConsultationStatus.PUBLISHED or consultation.phase(today()) != Phase.CLOSED:
            raise ValidationError({"received": _("意见征集结束后才能编写采纳情况。")})
        report = AdoptionReport.objects.filter(consultation=consultation).first()
        if report is not None and report.status == ReportStatus.PUBLISHED:
            raise ValidationError({"status": _("采纳情况已公布，不能修改。")})
        values = _counts(counts, adoption_counts(consultation))
        rows = _concentrated(list(concentrated))
        summary = clean_text(summary, "summary", _("征集和采纳情况说明"), max_chars=20_000)
        if report is None:
            report = AdoptionReport(consultation=consultation)
        for name, value in values.items():
            setattr(report, name, value)
        report.summary, report.updated_by = summary, actor
        report.save()
        report.concentrated.all().delete()
        ConcentratedOpinion.objects.bulk_create(
            [
                ConcentratedOpinion(report=report, position=index, **row)
                for index, row in enumerate(rows, start=1)
            ]
        )
        record_event("participation.report_saved", actor=actor, target=report, organisation=consultation.organisation,
                     data={**values, "concentrated": len(rows)})  # fmt: skip
        return report


def publish_report(report: AdoptionReport, *, actor: Any, published_on: Any = None) -> AdoptionReport:
    """Publish the adoption report; publication after the due date is allowed and shown as late.

    `published_on` (default today) records a publication made earlier, e.g. on the old site.
    """
    with transaction.atomic(durable=True):
        report = AdoptionReport.objects.select_for_update().select_related("consultation").get(pk=report.pk)
        consultation = report.consultation
        require_editor(actor, consultation.organisation_id, _("公布意见采纳情况"))
        if report.status == ReportStatus.PUBLISHED:
            raise ValidationError({"status": _("采纳情况已公布。")})
        if consultation.decision_published_on is None:
            raise ValidationError(
                {"status": _("请先记录决策公布日期：采纳情况在决策公布后10个工作日内公布。")}
            )
        _counts({name: getattr(report, name) for name in ("received", "adopted", "partly", "not_adopted")},
                adoption_counts(consultation))  # fmt: skip
        day = parse_date(published_on, "published_on", _("公布日期"), required=False) or today()
        not_in_future(day, "published_on", _("公布日期"))
        if day < consultation.decision_published_on:
            raise ValidationError({"published_on": _("采纳情况的公布日期不能早于决策公布日期。")})
        report.status, report.published_on = ReportStatus.PUBLISHED, day
        report.save(update_fields=["status", "published_on", "updated_at"])
        record_event("participation.report_published", actor=actor, target=report, organisation=consultation.organisation,
                     data={"published_on": report.published_on, "due_on": consultation.report_due_on,
                           "late": report.published_on > consultation.report_due_on})  # fmt: skip
        return report
