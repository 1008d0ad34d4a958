"""The annual report as a query over the platform's data (architecture: “a query, not a form”).

Table 二 counts the document library plus the figures staff enter; Table 三 and 四 lay out the
counts of disclosure requests and appeals that `foi.selectors.annual_counts` returns. Every count
is a grouped aggregate, so a year with 100,000 requests is a handful of queries.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from gongkai.accounts.models import Organisation
from gongkai.documents.statistics import annual_document_counts
from gongkai.foi.selectors import AnnualCounts, annual_counts, fees_collected

from .constants import (
    APPEAL_KIND_GROUP,
    APPEAL_RESULT_COLUMN,
    APPLICANT_COLUMNS,
    APPLICANT_KIND_COLUMN,
    CARRIED_IN_ROW,
    CARRIED_OUT_ROW,
    DECISIONS,
    ENFORCEMENT_ROW,
    FEE_AMOUNT,
    FEES_ROW,
    IN_FORCE,
    ISSUED,
    LICENSING_ROW,
    NEW_ROW,
    NORMATIVE_ROW,
    OUTCOME_ROW_KEYS,
    PENALTY_ROW,
    REPEALED,
    RESULTS_TOTAL,
    RULES_ROW,
    TABLE4_RESULTS,
    TOTAL_COL,
    ReportScope,
    ReportStatus,
)
from .models import ActiveDisclosureFigures, AnnualReport
from .rules import empty_table2, empty_table3, empty_table4


def organisation_ids(organisation: Organisation, scope: str) -> set[int]:
    """The organisation alone, or with every department and street below it (district report)."""
    return organisation.descendant_ids() if scope == ReportScope.AGGREGATE else {organisation.pk}


# --- Table 二 -----------------------------------------------------------------------------------


def table2(org_ids: set[int], year: int) -> dict[str, dict[str, Any]]:
    table = empty_table2()
    counts = annual_document_counts(org_ids, year)
    for row, kind in ((RULES_ROW, "rules"), (NORMATIVE_ROW, "normative")):
        figures = counts[kind]
        table[row] = {ISSUED: figures["issued"], REPEALED: figures["repealed"], IN_FORCE: figures["in_force"]}
    sums = ActiveDisclosureFigures.objects.filter(organisation_id__in=org_ids, year=year).aggregate(
        licensing=Sum("licensing_decisions"),
        penalty=Sum("penalty_decisions"),
        enforcement=Sum("enforcement_decisions"),
        fees=Sum("fees_amount"),
    )
    table[LICENSING_ROW] = {DECISIONS: sums["licensing"] or 0}
    table[PENALTY_ROW] = {DECISIONS: sums["penalty"] or 0}
    table[ENFORCEMENT_ROW] = {DECISIONS: sums["enforcement"] or 0}
    table[FEES_ROW] = {FEE_AMOUNT: float(round(sums["fees"] or Decimal(0), 4))}
    return table


# --- Table 三 and 四 (figures of foi.selectors) ------------------------------------------------


def _add(row: dict[str, int], kind: str, n: int) -> None:
    column = APPLICANT_KIND_COLUMN.get(kind, "其他")
    row[column] += n
    row[TOTAL_COL] += n


def table3(counts: AnnualCounts) -> dict[str, dict[str, int]]:
    table = empty_table3()
    for row, by_kind in (
        (NEW_ROW, counts.new),
        (CARRIED_IN_ROW, counts.carried_in),
        (CARRIED_OUT_ROW, counts.carried_out),
    ):
        for kind, n in by_kind.items():
            _add(table[row], kind, n)
    for (key, kind), n in counts.decided.items():
        if key not in table:
            key = "（六）其他处理/3.其他"
        _add(table[key], kind, n)
        _add(table[RESULTS_TOTAL], kind, n)
    return table


def table4(counts: AnnualCounts) -> dict[str, dict[str, int]]:
    table = empty_table4()
    cells = [((kind, "尚未审结"), n) for kind, n in counts.appeals_pending.items()]
    cells += [
        ((kind, APPEAL_RESULT_COLUMN.get(result, "其他结果")), n)
        for (kind, result), n in counts.appeals_decided.items()
    ]
    for (kind, column), n in cells:
        group = APPEAL_KIND_GROUP.get(kind)
        if group is None:
            continue
        table[group][column] += n
        table[group][TOTAL_COL] += n
    return table


def notes(counts: AnnualCounts) -> dict[str, Any]:
    """Figures the generated text reports beside the tables (frozen with them at publication):

    - `appeals_decided_from_earlier_years`: cases filed in an earlier year and decided in this one, laid
      out like Table 四 (the table counts a case in its filing year only; docs/foi-rules.md);
    - `late_replies`, `late_after_correction`: requests decided in the year after their reply deadline,
      and those whose 补正 notice came after it (条例 Arts. 30, 33).
    """
    earlier = empty_table4()
    for (kind, result), n in counts.appeals_decided_from_earlier.items():
        group = APPEAL_KIND_GROUP.get(kind)
        if group is None:
            continue
        earlier[group][APPEAL_RESULT_COLUMN.get(result, "其他结果")] += n
        earlier[group][TOTAL_COL] += n
    return {
        "appeals_decided_from_earlier_years": earlier,
        "late_replies": counts.late_replies,
        "late_after_correction": counts.late_after_correction,
    }


def processing_fees(org_ids: set[int], year: int) -> Decimal:
    """信息处理费 actually collected in the year (条例 Art. 42; 国办函〔2020〕109号), for section 六."""
    return fees_collected(org_ids, year)


# --- The whole report --------------------------------------------------------------------------


def build_report_data(organisation: Organisation, year: int, scope: str = ReportScope.OWN) -> dict[str, Any]:
    """The report JSON (the shape shared with `report check`), computed now from the data."""
    ids = organisation_ids(organisation, scope)
    counts = annual_counts(ids, year)
    return {
        "organisation": organisation.name,
        "year": year,
        "table2": table2(ids, year),
        "table3": table3(counts),
        "table4": table4(counts),
        "notes": notes(counts),
        "findings": [],
    }


def report_data(report: AnnualReport) -> dict[str, Any]:
    """Frozen tables of a published or hand-entered report, else the live computation."""
    from .constants import ReportSource

    if report.is_published or report.source == ReportSource.MANUAL:
        data = dict(report.data)
        data.setdefault("organisation", report.organisation.name)
        data.setdefault("year", report.year)
        data["findings"] = list(report.findings or [])
        return data
    return build_report_data(report.organisation, report.year, report.scope)


def published_reports() -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(status=ReportStatus.PUBLISHED).select_related("organisation")


def reports_by_year() -> list[tuple[int, list[AnnualReport]]]:
    grouped: dict[int, list[AnnualReport]] = {}
    for report in published_reports().order_by("-year", "organisation__sort_order", "organisation_id"):
        grouped.setdefault(report.year, []).append(report)
    return list(grouped.items())


def staff_reports(user: Any) -> QuerySet[AnnualReport]:
    qs = AnnualReport.objects.select_related("organisation")
    if getattr(user, "is_platform_admin", False):
        return qs
    return qs.filter(organisation_id=getattr(user, "organisation_id", None) or -1)


__all__ = ["APPLICANT_COLUMNS", "OUTCOME_ROW_KEYS", "TABLE4_RESULTS", "build_report_data", "report_data"]


def report_with_sections(report: AnnualReport) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The report's tables and its prose paragraphs, as shown, exported and published."""
    from .sections import provided_sections, sections

    data = report_data(report)
    provided = (
        data.get("provided_sections") or {}
        if report.is_published
        else provided_sections(report.organisation, report.year)
    )
    fees = (
        report.processing_fee
        if report.is_published
        else processing_fees(organisation_ids(report.organisation, report.scope), report.year)
    )
    paragraphs = sections(
        data,
        overview_text=report.overview_text,
        problems_text=report.problems_text,
        other_text=report.other_text,
        fees=fees,
        provided=provided,
    )
    return data, paragraphs
