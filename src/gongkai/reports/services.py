"""Every write in the reports app (rule 1: one transaction, an actor, an Event)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.constants import Role
from gongkai.accounts.models import Organisation
from gongkai.accounts.permissions import require_role
from gongkai.core.services import record_event

from .constants import TABLE2_ROWS, TABLE3_COLUMNS, TABLE4_COLUMNS, ReportScope, ReportSource, ReportStatus
from .models import ActiveDisclosureFigures, AnnualReport
from .pdfcheck import check_text
from .rules import Finding, check_carry_over, check_report
from .sections import overview_figures, provided_sections
from .selectors import build_report_data, organisation_ids, processing_fees

FIGURE_FIELDS = {
    "licensing_decisions": "行政许可本年处理决定数量",
    "penalty_decisions": "行政处罚本年处理决定数量",
    "enforcement_decisions": "行政强制本年处理决定数量",
    "fees_amount": "行政事业性收费本年收费金额（万元）",
}
# CSV headers accepted for each field (the Chinese table labels or the field names).
CSV_HEADERS = {
    "organisation": ["机构代码", "organisation"],
    "year": ["年度", "year"],
    "licensing_decisions": ["行政许可", "licensing_decisions"],
    "penalty_decisions": ["行政处罚", "penalty_decisions"],
    "enforcement_decisions": ["行政强制", "enforcement_decisions"],
    "fees_amount": ["行政事业性收费（万元）", "行政事业性收费", "fees_amount"],
}


def clean_year(value: Any, field: str = "year") -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: "年度必须是四位数字年份。"}) from None
    if not 2008 <= year <= 2100:  # the first 条例 took effect on 2008-05-01
        raise ValidationError({field: "年度应在2008年至2100年之间。"})
    return year


def _clean_figures(values: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field, label in FIGURE_FIELDS.items():
        raw = values.get(field, 0)
        raw = "0" if raw is None or str(raw).strip() == "" else str(raw).strip().replace(",", "")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            errors[field] = f"“{label}”必须是数字。"
            continue
        if number < 0:
            errors[field] = f"“{label}”不能为负数。"
        elif field != "fees_amount" and number != number.to_integral_value():
            errors[field] = f"“{label}”必须是整数。"
        elif field == "fees_amount" and number.as_tuple().exponent < -4:  # type: ignore[operator]
            errors[field] = f"“{label}”最多保留四位小数。"
        else:
            cleaned[field] = number if field == "fees_amount" else int(number)
    if errors:
        raise ValidationError(errors)
    return cleaned


def save_figures(
    *, actor: Any, organisation: Organisation, year: Any, **values: Any
) -> ActiveDisclosureFigures:
    """Enter the Table 二 figures that come from other systems (条例 Art. 20 (五)(六)(八))."""
    require_role(actor, Role.EDITOR, organisation.pk, "填报主动公开数据")
    year = clean_year(year)
    cleaned = _clean_figures(values)
    with transaction.atomic(durable=True):
        return _store_figures(actor=actor, organisation=organisation, year=year, cleaned=cleaned)


def _store_figures(
    *, actor: Any, organisation: Organisation, year: int, cleaned: dict[str, Any]
) -> ActiveDisclosureFigures:
    """The write of `save_figures`, in the caller's transaction (also one row of `import_figures_csv`)."""
    figures, created = ActiveDisclosureFigures.objects.select_for_update().get_or_create(
        organisation=organisation, year=year, defaults={**cleaned, "updated_by": actor}
    )
    if not created:
        for field, value in cleaned.items():
            setattr(figures, field, value)
        figures.updated_by = actor
        figures.save()
    record_event(
        "report.figures_saved",
        actor=actor,
        target=figures,
        organisation=organisation,
        data={"year": year, **{k: str(v) for k, v in cleaned.items()}},
    )
    return figures


def import_figures_csv(*, actor: Any, content: str | bytes) -> list[ActiveDisclosureFigures]:
    """Import figures for several organisations/years; every row is checked before any is saved."""
    if isinstance(content, bytes):
        content = content.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    headers = {h.strip(): h for h in (reader.fieldnames or [])}
    column: dict[str, str] = {}
    for field, names in CSV_HEADERS.items():
        found = next((headers[n] for n in names if n in headers), None)
        if found is None and field in {"organisation", "year"}:
            raise ValidationError({"file": f"CSV缺少“{names[0]}”列。"})
        if found is not None:
            column[field] = found
    rows: list[tuple[Organisation, int, dict[str, Any]]] = []
    errors: list[str] = []
    seen: set[tuple[int, int]] = set()
    for number, row in enumerate(reader, start=2):
        code = (row.get(column["organisation"]) or "").strip()
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            errors.append(f"第{number}行：机构代码“{code}”不存在。")
            continue
        try:
            year = clean_year(row.get(column["year"]))
            values = _clean_figures({f: row.get(c) for f, c in column.items() if f in FIGURE_FIELDS})
            require_role(actor, Role.EDITOR, organisation.pk, "填报主动公开数据")
        except ValidationError as exc:
            errors += [f"第{number}行：{m}" for m in exc.messages]
            continue
        except Exception as exc:  # PermissionDenied
            errors.append(f"第{number}行：{exc}")
            continue
        if (organisation.pk, year) in seen:
            errors.append(f"第{number}行：{organisation.name}{year}年重复出现。")
            continue
        seen.add((organisation.pk, year))
        rows.append((organisation, year, values))
    if errors:
        raise ValidationError({"file": errors})
    if not rows:
        raise ValidationError({"file": "CSV没有数据行。"})
    with transaction.atomic(durable=True):
        return [_store_figures(actor=actor, organisation=o, year=y, cleaned=v) for o, y, v in rows]


def get_or_create_report(
    *, actor: Any, organisation: Organisation, year: Any, scope: str = ReportScope.OWN
) -> AnnualReport:
    require_role(actor, Role.EDITOR, organisation.pk, "编制年度报告")
    year = clean_year(year)
    if scope not in ReportScope.values:
        raise ValidationError({"scope": "统计范围无效。"})
    with transaction.atomic(durable=True):
        report, created = AnnualReport.objects.get_or_create(
            organisation=organisation, year=year, defaults={"scope": scope}
        )
        if created:
            record_event(
                "report.created", actor=actor, target=report, organisation=organisation, data={"year": year}
            )
    return report


def _require_draft(report: AnnualReport) -> None:
    if report.is_published:
        raise ValidationError({"status": "年度报告已发布，不能修改。"})


def update_report(*, actor: Any, report: AnnualReport, **fields: Any) -> AnnualReport:
    """Edit the staff-written sections (一 beyond the generated figures, 五, 六) and the scope."""
    require_role(actor, Role.EDITOR, report.organisation_id, "编辑年度报告")
    allowed = {"overview_text", "problems_text", "other_text", "scope"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not editable: {unknown}")
    if "scope" in fields and fields["scope"] not in ReportScope.values:
        raise ValidationError({"scope": "统计范围无效。"})
    with transaction.atomic(durable=True):
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        _require_draft(report)
        for key, value in fields.items():
            setattr(report, key, (value or "").strip() if key != "scope" else value)
        report.save()
        record_event(
            "report.updated",
            actor=actor,
            target=report,
            organisation=report.organisation,
            data={"fields": sorted(fields)},
        )
    return report


def _clean_manual_data(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationError({"data": "表格数据必须是JSON对象。"})
    out: dict[str, Any] = {}
    errors: list[str] = []
    for table_key in ("table2", "table3", "table4"):
        table = data.get(table_key) or {}
        if not isinstance(table, dict):
            errors.append(f"“{table_key}”必须是对象。")
            continue
        cleaned: dict[str, dict[str, Any]] = {}
        for row, cells in table.items():
            if not isinstance(cells, dict):
                errors.append(f"“{table_key}”的“{row}”必须是对象。")
                continue
            allowed = (
                TABLE2_ROWS.get(row, [])
                if table_key == "table2"
                else TABLE3_COLUMNS
                if table_key == "table3"
                else TABLE4_COLUMNS
            )
            cleaned[row] = {}
            for col, value in cells.items():
                if col not in allowed:
                    errors.append(f"“{table_key}”的“{row}”没有“{col}”栏。")
                    continue
                if isinstance(value, bool) or not isinstance(value, int | float):
                    errors.append(f"“{table_key}”的“{row}/{col}”必须是数字。")
                    continue
                cleaned[row][col] = value
        out[table_key] = cleaned
    if errors:
        raise ValidationError({"data": errors})
    return out


def save_manual_report(*, actor: Any, organisation: Organisation, year: Any, data: Any) -> AnnualReport:
    """Tables entered by hand (e.g. an organisation not yet handling requests on the platform)."""
    require_role(actor, Role.EDITOR, organisation.pk, "编制年度报告")
    year = clean_year(year)
    cleaned = _clean_manual_data(data)
    with transaction.atomic(durable=True):
        report, _created = AnnualReport.objects.select_for_update().get_or_create(
            organisation=organisation, year=year
        )
        _require_draft(report)
        report.source = ReportSource.MANUAL
        report.data = {"organisation": organisation.name, "year": year, **cleaned}
        report.findings = check_report(report.data)
        report.save()
        record_event(
            "report.manual_saved", actor=actor, target=report, organisation=organisation, data={"year": year}
        )
    return report


def report_findings(report: AnnualReport, data: dict[str, Any]) -> list[Finding]:
    """Every rule a report must pass before publication."""
    findings = check_report(data)
    prose = "\n".join(
        [*overview_figures(data), report.overview_text, report.problems_text, report.other_text]
    )
    findings += check_text(prose, data)
    previous = AnnualReport.objects.filter(
        organisation=report.organisation,
        year=report.year - 1,
        status=ReportStatus.PUBLISHED,
        scope=report.scope,
    ).first()
    if previous is not None:
        findings += check_carry_over({**previous.data, "year": previous.year}, data)
    return findings


def publish_report(*, actor: Any, report: AnnualReport) -> AnnualReport:
    """Freeze the tables and publish (条例 Art. 49). A report that breaks any rule is refused."""
    require_role(actor, Role.APPROVER, report.organisation_id, "发布年度报告")
    with transaction.atomic(durable=True):
        report = AnnualReport.objects.select_for_update().select_related("organisation").get(pk=report.pk)
        _require_draft(report)
        if report.source == ReportSource.MANUAL:
            data = {k: report.data.get(k) or {} for k in ("table2", "table3", "table4")}
        else:
            data = build_report_data(report.organisation, report.year, report.scope)
            data.pop("findings", None)
        data = {"organisation": report.organisation.name, "year": report.year, **data}
        findings = report_findings(report, data)
        report.findings = findings
        if findings:
            report.save(update_fields=["findings", "updated_at"])
            record_event(
                "report.publish_refused",
                actor=actor,
                target=report,
                organisation=report.organisation,
                data={"rules": sorted({f["rule"] for f in findings})},
            )
        else:
            # paragraphs offered by higher apps (TEXT_SECTION_PROVIDERS) are frozen with the tables
            report.data = {**data, "provided_sections": provided_sections(report.organisation, report.year)}
            report.processing_fee = processing_fees(
                organisation_ids(report.organisation, report.scope), report.year
            )
            report.status = ReportStatus.PUBLISHED
            report.published_at = timezone.now()
            report.published_by = actor
            report.save()
            record_event(
                "report.published",
                actor=actor,
                target=report,
                organisation=report.organisation,
                data={"year": report.year},
            )
    if findings:
        names = "；".join(dict.fromkeys(f"{f['rule_name']}：{f['detail']}" for f in findings))
        raise ValidationError({"status": f"年度报告未通过核查，不能发布。{names}"})
    return report


def withdraw_report(*, actor: Any, report: AnnualReport, reason: str) -> AnnualReport:
    """Take a published report back to draft to correct it; the reason is kept in the audit log."""
    require_role(actor, Role.APPROVER, report.organisation_id, "撤回年度报告")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写撤回原因。"})
    with transaction.atomic(durable=True):
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if not report.is_published:
            raise ValidationError({"status": "年度报告尚未发布。"})
        report.status = ReportStatus.DRAFT
        report.published_at = None
        report.save()
        record_event(
            "report.withdrawn",
            actor=actor,
            target=report,
            organisation=report.organisation,
            data={"reason": reason.strip()},
        )
    return report
