"""The five statutory steps of a major decision (国务院令第713号 Chapters 2–3), shown to the public."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.services import record_event

from ..constants import MANDATORY_STEPS, ItemStatus, StepKind, StepStatus
from ..models import DecisionItem, DecisionStep
from .base import clean_text, not_in_future, parse_date, require_editor


def _check_collective_decision(item: DecisionItem, done_on: Any) -> None:
    """What must be on record before the collective decision (Arts. 25, 29, 30; work plan 二十一)."""
    steps = {step.kind: step for step in item.steps.all()}
    legality = steps.get(StepKind.LEGALITY_REVIEW)
    # Art. 25: 决策草案未经合法性审查……不得提交决策机关讨论.
    if legality is None or legality.status != StepStatus.DONE or legality.done_on > done_on:
        raise ValidationError(
            {
                "status": _(
                    "决策草案未经合法性审查的，不得提交决策机关讨论（第二十五条）。请先记录合法性审查。"
                )
            }
        )
    open_steps = [
        str(StepKind(kind).label)
        for kind, step in steps.items()
        if kind != StepKind.COLLECTIVE_DECISION and step.status == StepStatus.PENDING
    ]
    if open_steps:
        raise ValidationError(
            {
                "status": _("以下程序尚未记录履行情况或不适用理由：%(steps)s。")
                % {"steps": "、".join(open_steps)}
            }
        )
    # Art. 29(二): the meeting receives how public opinions were studied and adopted; a 涉企 draft also
    # needs the invited enterprises' opinions (work plan 二十一). Both are what "ready for the meeting" checks.
    unready = [
        c.title for c in item.consultations.filter(status="published", ready_for_meeting_at__isnull=True)
    ]
    if unready:
        raise ValidationError(
            {
                "status": _("意见征集“%(title)s”尚未完成意见采纳记录，不能提请集体讨论。")
                % {"title": unready[0]}
            }
        )


def record_step(
    step: DecisionStep,
    *,
    actor: Any,
    status: str,
    done_on: Any = None,
    summary: str = "",
    record_title: str = "",
    record_url: str = "",
    omit_reason: str = "",
) -> DecisionStep:
    """Record a step as done (with its date and record), left out (with the reason) or back to pending."""
    with transaction.atomic(durable=True):
        step = DecisionStep.objects.select_for_update().select_related("item__catalogue").get(pk=step.pk)
        item = step.item
        require_editor(actor, item.catalogue.organisation_id, _("记录决策程序"))
        if item.status == ItemStatus.REMOVED:
            raise ValidationError({"status": _("该事项已调出目录。")})
        if status not in StepStatus.values:
            raise ValidationError({"status": _("请选择程序状态。")})
        values: dict[str, Any] = {"status": status, "done_on": None, "omit_reason": "", "summary": "",
                                  "record_title": "", "record_url": ""}  # fmt: skip
        if status == StepStatus.DONE:
            values["done_on"] = parse_date(done_on, "done_on", _("履行日期"))
            not_in_future(values["done_on"], "done_on", _("履行日期"))
            values["summary"] = clean_text(summary, "summary", _("履行情况"), max_chars=5000, required=False)
            values["record_title"] = clean_text(
                record_title, "record_title", _("相关材料"), max_chars=300, required=False
            )
            values["record_url"] = clean_text(
                record_url, "record_url", _("材料链接"), max_chars=200, required=False
            )
            if values["record_url"] and not values["record_url"].startswith(("https://", "http://", "/")):
                raise ValidationError({"record_url": _("材料链接应以 https:// 或 / 开头。")})
            if step.kind == StepKind.COLLECTIVE_DECISION:
                _check_collective_decision(item, values["done_on"])
        elif status == StepStatus.OMITTED:
            if step.kind in MANDATORY_STEPS:
                raise ValidationError({"status": _("%(step)s是法定必经程序，不能不履行（第二十五条、第三十条）。")
                                       % {"step": step.get_kind_display()}})  # fmt: skip
            values["omit_reason"] = clean_text(omit_reason, "omit_reason", _("未履行理由"), max_chars=2000)
        elif step.kind == StepKind.COLLECTIVE_DECISION and item.status == ItemStatus.DECIDED:
            raise ValidationError({"status": _("已作出决策的事项不能撤销集体讨论决定记录。")})
        for name, value in values.items():
            setattr(step, name, value)
        step.updated_by = actor
        step.save()
        if step.kind == StepKind.COLLECTIVE_DECISION and status == StepStatus.DONE:
            item.status = ItemStatus.DECIDED
            item.save(update_fields=["status", "updated_at"])
        elif status != StepStatus.PENDING and item.status == ItemStatus.PLANNED:
            item.status = ItemStatus.IN_PROGRESS
            item.save(update_fields=["status", "updated_at"])
        record_event("participation.step_recorded", actor=actor, target=item, organisation=item.catalogue.organisation,
                     data={"step": step.kind, "status": status, "done_on": values["done_on"],
                           "omit_reason": values["omit_reason"]})  # fmt: skip
        return step
