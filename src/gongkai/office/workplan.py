"""Work-plan tracker (work plan item 三十三): a yearly 工作要点 split into its items with responsible
organisations; each organisation reports progress per item, and its 落实情况 goes into the text of its
annual report (item 三十三: 本工作要点的落实情况应当纳入各单位政府信息公开工作年度报告予以公开)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation
from gongkai.core.services import record_event

from .constants import ProgressStatus
from .models import ProgressReport, WorkPlan, WorkPlanItem
from .permissions import is_office, require_office

DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CHAPTER = re.compile(r"^([一二三四五六七八九十]+)、\s*(.+)$")
ITEM = re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*(.+)$")
ANNUAL_REPORT_SECTION = "六、其他需要报告的事项"


def chinese_to_int(text: str) -> int:
    """一 … 九十九 (the numbering of a 工作要点)."""
    if "十" not in text:
        return DIGITS[text]
    tens, _sep, units = text.partition("十")
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[units] if units else 0)


@dataclass
class ParsedItem:
    number: int
    label: str
    chapter: str
    title: str
    text: str


def split_plan(text: str) -> list[ParsedItem]:
    """The numbered items of a 工作要点; a line that continues the previous item is joined to it."""
    items: list[ParsedItem] = []
    chapter = ""
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        if m := CHAPTER.match(line):
            chapter = f"{m[1]}、{m[2].strip()}"
            continue
        if m := ITEM.match(line):
            body = m[2].strip()
            title = body.split("。", 1)[0][:200]
            items.append(ParsedItem(chinese_to_int(m[1]), m[1], chapter, title, body))
        elif items:
            items[-1].text += line
    numbers = [item.number for item in items]
    if numbers != list(range(1, len(items) + 1)):
        raise ValidationError(
            {"document": _("工作要点的条目编号不连续，无法拆分（识别到：%(n)s）。") % {"n": numbers}}
        )
    return items


def create_plan(*, actor: Any, year: Any, title: str, text: str, document: Any = None,
                organisation: Organisation, is_example: bool = False) -> WorkPlan:  # fmt: skip
    """Split the plan into items, each first assigned to `organisation` (the office reassigns)."""
    require_office(actor, _("建立工作要点台账"))
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("年度须为整数。")}) from None
    if not (title or "").strip():
        raise ValidationError({"title": _("请填写名称。")})
    parsed = split_plan(text)
    if not parsed:
        raise ValidationError({"document": _("文本中没有找到“（一）……”形式的条目。")})
    if WorkPlan.objects.filter(year=year).exists():
        raise ValidationError({"year": _("%(year)d年度的工作要点台账已存在。") % {"year": year}})
    with transaction.atomic(durable=True):
        plan = WorkPlan.objects.create(
            year=year, title=title.strip(), document=document, is_example=is_example
        )
        for row in parsed:
            item = WorkPlanItem.objects.create(plan=plan, number=row.number, label=row.label, chapter=row.chapter,
                                               title=row.title, text=row.text)  # fmt: skip
            item.organisations.add(organisation)
        record_event(
            "office.workplan_created", actor=actor, target=plan, data={"year": year, "items": len(parsed)}
        )
    return plan


def assign(*, actor: Any, item: WorkPlanItem, organisations: list[Organisation]) -> WorkPlanItem:
    require_office(actor, _("分配责任单位"))
    if not organisations:
        raise ValidationError({"organisations": _("每项任务至少须有一个责任单位。")})
    with transaction.atomic(durable=True):
        item.organisations.set(organisations)
        record_event("office.workplan_assigned", actor=actor, target=item.plan,
                     data={"item": item.number, "organisations": [o.code for o in organisations]})  # fmt: skip
    return item


def report_progress(*, actor: Any, item: WorkPlanItem, status: str, text: str,
                    organisation: Organisation | None = None, is_example: bool = False) -> ProgressReport:  # fmt: skip
    """An organisation reports on an item it is responsible for (the office may report for any)."""
    organisation = organisation or getattr(actor, "organisation", None)
    if actor is not None:
        if not getattr(actor, "is_staff", False):
            raise PermissionDenied(_("无权填报落实情况。"))
        if not is_office(actor) and getattr(actor, "organisation_id", None) != getattr(
            organisation, "pk", None
        ):
            raise PermissionDenied(_("只能填报本单位的落实情况。"))
    if organisation is None or not item.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": _("本单位不是该项任务的责任单位。")})
    if status not in ProgressStatus.values:
        raise ValidationError({"status": _("请选择进展状态。")})
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写落实情况。")})
    with transaction.atomic(durable=True):
        report = ProgressReport.objects.create(item=item, organisation=organisation, status=status, text=text.strip(),
                                               reported_by=actor, is_example=is_example)  # fmt: skip
        record_event("office.progress_reported", actor=actor, target=item.plan, organisation=organisation,
                     data={"item": item.number, "status": status})  # fmt: skip
    return report


def latest_reports(
    plan: WorkPlan, organisation: Organisation | None = None
) -> dict[tuple[int, int], ProgressReport]:
    """The latest report per (item, organisation)."""
    reports = (
        ProgressReport.objects.filter(item__plan=plan)
        .select_related("organisation")
        .order_by("created_at", "id")
    )
    if organisation is not None:
        reports = reports.filter(organisation=organisation)
    return {(r.item_id, r.organisation_id): r for r in reports}


def plan_status(plan: WorkPlan) -> list[dict[str, Any]]:
    """Every item with each responsible organisation's latest status (the office's overview)."""
    latest = latest_reports(plan)
    rows = []
    for item in plan.items.prefetch_related("organisations"):
        cells = []
        for organisation in item.organisations.all():
            report = latest.get((item.pk, organisation.pk))
            cells.append({"organisation": organisation, "report": report,
                          "status": report.status if report else ProgressStatus.NOT_STARTED,
                          "status_label": report.get_status_display() if report else ProgressStatus.NOT_STARTED.label})  # fmt: skip
        rows.append({"item": item, "cells": cells})
    return rows


def workplan_paragraphs(organisation: Organisation, year: int) -> dict[str, list[str]]:
    """Hook for the annual report (reports.sections.TEXT_SECTION_PROVIDERS): the organisation's
    落实情况 of the year's work plan, one paragraph per item it reported on."""
    plan = WorkPlan.objects.filter(year=year).first()
    if plan is None:
        return {}
    latest = latest_reports(plan, organisation)
    if not latest:
        return {}
    paragraphs = [f"本单位落实《{plan.title}》情况如下。"]
    for item in plan.items.all():
        report = latest.get((item.pk, organisation.pk))
        if report:
            paragraphs.append(f"（{item.label}）{item.title}：{report.get_status_display()}。{report.text}")
    return {ANNUAL_REPORT_SECTION: paragraphs}
