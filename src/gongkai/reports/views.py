"""Portal pages for published reports and the back office for compiling them (thin views, rule 2)."""

from __future__ import annotations

import base64
import hashlib
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.models import Organisation

from . import render as rendering
from . import selectors, services
from .charts import report_charts
from .forms import FiguresForm, FiguresImportForm, NewReportForm, ReportTextForm
from .models import ActiveDisclosureFigures, AnnualReport

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
    "html": "text/html; charset=utf-8",
}


def _style_hashes(html: str) -> list[str]:
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()}'"
        for style in re.findall(r"<style>(.*?)</style>", html, flags=re.DOTALL)
    ]


def export_response(report: AnnualReport, fmt: str) -> HttpResponse:
    data, paragraphs = selectors.report_with_sections(report)
    if fmt == "docx":
        body: bytes | str = rendering.to_docx(data, paragraphs)
    elif fmt == "xlsx":
        body = rendering.to_xlsx(data)
    elif fmt == "json":
        body = rendering.to_json(data)
    elif fmt == "html":
        body = rendering.to_html(data, paragraphs)
    else:
        raise Http404(_("不支持的格式。"))
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    if fmt == "html":
        # The standalone file keeps its <style> inline; the CSP allows exactly that style by its hash.
        response._csp_update = {"style-src": _style_hashes(str(body))}
    if fmt in {"docx", "xlsx"}:
        filename = f"{report.organisation.code}-{report.year}-annual-report.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- public --------------------------------------------------------------------------------------


def report_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/list.html", {"years": selectors.reports_by_year()})


def report_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    report = get_object_or_404(selectors.published_reports(), organisation__code=code, year=year)
    fmt = request.GET.get("format")
    if fmt:
        return export_response(report, fmt)
    data, paragraphs = selectors.report_with_sections(report)
    context = rendering.html_context(data, paragraphs)
    context["charts"] = report_charts(report, data)
    return render(request, "reports/detail.html", context)


# --- back office ----------------------------------------------------------------------------------


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/manage_list.html",
        {"reports": selectors.staff_reports(request.user), "form": NewReportForm(user=request.user)},
    )


@login_required
@require_POST
def manage_create(request: HttpRequest) -> HttpResponse:
    form = NewReportForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, "；".join(m for errs in form.errors.values() for m in errs))
        return redirect("reports:manage")
    try:
        report = services.get_or_create_report(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("reports:manage")
    return redirect("reports:manage-detail", report.pk)


def _staff_report(request: HttpRequest, pk: int) -> AnnualReport:
    return get_object_or_404(selectors.staff_reports(request.user), pk=pk)


@login_required
def manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _staff_report(request, pk)
    form = ReportTextForm(instance=report)
    if request.method == "POST":
        form = ReportTextForm(request.POST, instance=AnnualReport.objects.get(pk=report.pk))
        if form.is_valid():
            try:
                report = services.update_report(actor=request.user, report=report, **form.cleaned_data)
                if request.POST.get("action") == "publish":
                    services.publish_report(actor=request.user, report=report)
                    messages.success(request, _("年度报告已发布。"))
                else:
                    messages.success(request, _("已保存。"))
                return redirect("reports:manage-detail", report.pk)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
                report.refresh_from_db()
    data, paragraphs = selectors.report_with_sections(report)
    findings = report.findings if not report.is_published else []
    context = {
        "report": report,
        "form": form,
        "findings": findings,
        **rendering.html_context(data, paragraphs),
    }
    return render(request, "reports/manage_detail.html", context)


@login_required
def manage_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return export_response(_staff_report(request, pk), fmt)


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    form = FiguresForm(user=request.user)
    import_form = FiguresImportForm()
    import_errors: list[str] = []
    if request.method == "POST":
        try:
            if request.POST.get("action") == "import":
                import_form = FiguresImportForm(request.POST, request.FILES)
                if import_form.is_valid():
                    saved = services.import_figures_csv(
                        actor=request.user, content=request.FILES["file"].read()
                    )
                    messages.success(request, _("已导入%(n)d条。") % {"n": len(saved)})
                    return redirect("reports:figures")
            else:
                form = FiguresForm(request.POST, user=request.user)
                if form.is_valid():
                    services.save_figures(actor=request.user, **form.cleaned_data)
                    messages.success(request, _("已保存。"))
                    return redirect("reports:figures")
        except ValidationError as exc:
            import_errors = exc.messages
        except PermissionDenied as exc:
            import_errors = [str(exc)]
    user = request.user
    rows = ActiveDisclosureFigures.objects.select_related("organisation").order_by(
        "-year", "organisation__sort_order"
    )
    if not getattr(user, "is_platform_admin", False):
        rows = rows.filter(organisation_id=user.organisation_id or -1)
    return render(
        request,
        "reports/figures.html",
        {"form": form, "import_form": import_form, "import_errors": import_errors, "figures": rows[:200]},
    )


__all__ = ["Organisation", "figures", "manage", "report_detail", "report_list"]
