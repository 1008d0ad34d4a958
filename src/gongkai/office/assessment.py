"""考核评估 (work plan items 三十–三十二): a yearly indicator system with weights summing to 100;
scores per department computed from the platform's data where it has them, entered by staff where
it does not; ranking, chart and export."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from gongkai.accounts.models import Organisation
from gongkai.core.services import record_event
from gongkai.documents.interpretation_selectors import missing_interpretations
from gongkai.foi.selectors import annual_counts

from . import catalogue
from .budget import departments
from .constants import IndicatorSource
from .models import AssessmentScheme, Indicator, ManualScore, SiteInspection
from .permissions import require_office


def _catalogue(organisation: Organisation, year: int) -> float | None:
    rate = catalogue.timeliness_rate(organisation)
    return None if rate is None else rate * 100


def _foi(organisation: Organisation, year: int) -> float | None:
    counts = annual_counts({organisation.pk}, year)
    decided = sum(counts.decided.values())
    if not decided:
        return None
    return (1 - counts.late_replies / decided) * 100  # 条例 Art. 33: answered within the statutory period


def _interpretation(organisation: Organisation, year: int) -> float | None:
    rows = missing_interpretations(year, organisation)
    required = sum(r["required"] for r in rows)
    return None if not required else sum(r["interpreted"] for r in rows) / required * 100


def _site(organisation: Organisation, year: int) -> float | None:
    run = SiteInspection.objects.filter(created_at__year=year).first()
    if run is None:
        return None
    return 0.0 if run.vetoed else float(run.score)


# Pluggable: an app that has the data adds its source here (the message board: IndicatorSource.MESSAGES
# with the share of messages answered on time). A source without a provider is entered by staff.
INDICATOR_PROVIDERS: dict[str, Callable[[Organisation, int], float | None]] = {
    IndicatorSource.CATALOGUE: _catalogue,
    IndicatorSource.FOI_ON_TIME: _foi,
    IndicatorSource.INTERPRETATION: _interpretation,
    IndicatorSource.SITE: _site,
}


def define_scheme(*, actor: Any, year: Any, title: str, indicators: list[dict[str, Any]]) -> AssessmentScheme:
    """Create or replace the year's indicators; the weights must add up to 100."""
    require_office(actor, _("设置考核指标"))
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("年度须为整数。")}) from None
    if not indicators:
        raise ValidationError({"indicators": _("请至少设置一项指标。")})
    cleaned = []
    for number, row in enumerate(indicators, start=1):
        name = str(row.get("name") or "").strip()
        source = row.get("source") or IndicatorSource.MANUAL
        try:
            weight = Decimal(str(row.get("weight")))
        except (InvalidOperation, TypeError):
            raise ValidationError(
                {"indicators": _("第%(n)d项指标的权重须为数字。") % {"n": number}}
            ) from None
        if not name or weight <= 0 or source not in IndicatorSource.values:
            raise ValidationError(
                {"indicators": _("第%(n)d项指标须有名称、正的权重和有效的数据来源。") % {"n": number}}
            )
        cleaned.append((name, weight, source))
    total = sum(weight for _name, weight, _source in cleaned)
    if total != 100:
        raise ValidationError(
            {
                "indicators": _("各项指标权重之和须为100，现为%(total)s。")
                % {"total": format(total.normalize(), "f")}
            }
        )
    with transaction.atomic(durable=True):
        scheme, _created = AssessmentScheme.objects.update_or_create(
            year=year, defaults={"title": title or f"{year}年度政务公开考核"}
        )
        scheme.indicators.all().delete()
        for position, (name, weight, source) in enumerate(cleaned):
            Indicator.objects.create(
                scheme=scheme, position=position, name=name, weight=weight, source=source
            )
        record_event(
            "office.assessment_defined",
            actor=actor,
            target=scheme,
            data={"year": year, "indicators": len(cleaned)},
        )
    return scheme


def enter_score(
    *, actor: Any, indicator: Indicator, organisation: Organisation, score: Any, note: str = ""
) -> ManualScore:
    require_office(actor, _("录入考核得分"))
    try:
        value = Decimal(str(score))
    except (InvalidOperation, TypeError):
        raise ValidationError({"score": _("得分须为0到100之间的数字。")}) from None
    if not 0 <= value <= 100:
        raise ValidationError({"score": _("得分须为0到100之间的数字。")})
    with transaction.atomic(durable=True):
        row, _created = ManualScore.objects.update_or_create(
            indicator=indicator, organisation=organisation, defaults={"score": value, "note": note}
        )
        record_event("office.assessment_scored", actor=actor, target=indicator.scheme, organisation=organisation,
                     data={"indicator": indicator.name, "score": value})  # fmt: skip
    return row


def scores(scheme: AssessmentScheme) -> list[dict[str, Any]]:
    """Each department's score per indicator (0–100; None: no data) and the weighted total, ranked."""
    indicators = list(scheme.indicators.all())
    manual = {
        (m.indicator_id, m.organisation_id): float(m.score)
        for m in ManualScore.objects.filter(indicator__scheme=scheme)
    }
    rows = []
    for organisation in departments():
        cells = []
        total = 0.0
        for indicator in indicators:
            provider = INDICATOR_PROVIDERS.get(indicator.source)
            value = provider(organisation, scheme.year) if provider else None
            if value is None:
                value = manual.get((indicator.pk, organisation.pk))
            cells.append({"indicator": indicator, "value": None if value is None else round(value, 1)})
            total += float(indicator.weight) * (value or 0) / 100
        rows.append({"organisation": organisation, "cells": cells, "total": round(total, 1)})
    rows.sort(key=lambda r: (-r["total"], r["organisation"].sort_order))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


def bar_chart(rows: list[dict[str, Any]], width: int = 600) -> dict[str, Any]:
    """Horizontal bars of the totals (SVG geometry)."""
    label, bar = 200, 22
    bars = [{"y": 10 + i * (bar + 6), "width": round((width - label - 50) * row["total"] / 100, 1),
             "label": row["organisation"].short_name or row["organisation"].name, "total": row["total"]}
            for i, row in enumerate(rows)]  # fmt: skip
    return {"bars": bars, "x0": label, "height": 20 + len(rows) * (bar + 6), "width": width, "bar": bar}


def export_scores(scheme: AssessmentScheme) -> bytes:
    rows = scores(scheme)
    book = Workbook()
    sheet = book.active
    sheet.title = f"{scheme.year}年度考核"
    indicators = list(scheme.indicators.all())
    sheet.append(
        [
            "排名",
            "单位",
            *[f"{i.name}（权重{format(i.weight.normalize(), 'f')}）" for i in indicators],
            "总分",
        ]
    )
    for row in rows:
        sheet.append([row["rank"], row["organisation"].name,
                      *[c["value"] if c["value"] is not None else "无数据" for c in row["cells"]], row["total"]])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
