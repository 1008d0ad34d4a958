"""The annual report's key figures as charts (SVG bars, each with its data table for screen readers
and for anyone who wants the numbers): applications by applicant type, outcomes, reviews and
lawsuits, and the trend of new applications over the years the platform holds (条例 Art. 50). The drawing is
`gongkai.core.charts`, shared with the 政民互动 dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from gongkai.core.charts import Bar, Chart

from .selectors import published_reports, report_data

if TYPE_CHECKING:
    from .models import AnnualReport

NEW = "一、本年新收政府信息公开申请数量"
OUTCOME_GROUPS = (
    "（一）予以公开",
    "（二）部分公开",
    "（三）不予公开",
    "（四）无法提供",
    "（五）不予处理",
    "（六）其他处理",
)


def report_charts(report: AnnualReport, data: dict[str, Any]) -> list[Chart]:
    table3 = data.get("table3") or {}
    charts: list[Chart] = []
    new = table3.get(NEW) or {}
    if new:
        charts.append(Chart("applicants", _("本年新收申请：按申请人类型"), _("件"),
                            [Bar(kind, value) for kind, value in new.items() if kind != "总计"]).layout())  # fmt: skip
    outcomes = []
    for group in OUTCOME_GROUPS:
        total = sum(row.get("总计", 0) for key, row in table3.items() if key.startswith(group))
        outcomes.append(Bar(group, total))
    if table3:
        charts.append(Chart("outcomes", _("本年申请的办理结果"), _("件"), outcomes).layout())
    table4 = data.get("table4") or {}
    if table4:
        charts.append(Chart("appeals", _("行政复议和行政诉讼"), _("件"),
                            [Bar(key.replace("/", "："), row.get("总计", 0)) for key, row in table4.items()]).layout())  # fmt: skip
    trend = []
    earlier = published_reports().filter(
        organisation=report.organisation, year__lte=report.year, scope=report.scope
    )
    for other in earlier.order_by("year"):
        values = data if other.pk == report.pk else report_data(other)
        trend.append(
            Bar(
                _("%(year)s年") % {"year": other.year},
                ((values.get("table3") or {}).get(NEW) or {}).get("总计", 0),
            )
        )
    if trend:
        charts.append(Chart("trend", _("历年新收申请数量"), _("件"), trend).layout())
    return charts
