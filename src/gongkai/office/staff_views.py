"""Staff pages of the openness office: /office/staff/…"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.documents import selectors as documents

from . import budget, catalogue, gazette, normative, selectors, workplan
from .constants import Light
from .forms import CatalogueUploadForm, EvaluationForm, GazetteForm, ProgressForm
from .gazette_render import render_docx, render_pdf
from .models import GazetteIssue, WorkPlanItem
from .permissions import is_office


def _staff(request: HttpRequest) -> None:
    if not request.user.is_staff:
        raise PermissionDenied(_("政务公开工作台需要工作人员账号。"))


def _office(request: HttpRequest) -> None:
    if not is_office(request.user):
        raise PermissionDenied(_("仅政务公开主管部门（平台管理员）可以使用此页面。"))


def _run(request: HttpRequest, func: Callable[[], Any], done: str) -> Any:
    try:
        result = func()
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        for problems in errors.values():
            for problem in problems:
                messages.error(request, problem)
        return None
    messages.success(request, done)
    return result


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _staff(request)
    office = is_office(request.user)
    organisation = None if office else request.user.organisation
    rows = catalogue.monitor(organisation=organisation)
    terms = [t for t in normative.terms(selectors.normative_scope(request.user)) if t.stage]
    runs = selectors.inspections(1)
    return render(request, "office/dashboard.html", {
        "office": office, "red": sum(r.light == Light.RED for r in rows), "amber": sum(r.light == Light.AMBER for r in rows),
        "green": sum(r.light == Light.GREEN for r in rows), "warnings": terms, "latest_run": runs[0] if runs else None,
        "plan": selectors.current_plan(),
    })  # fmt: skip


@login_required
def catalogue_page(request: HttpRequest) -> HttpResponse:
    _staff(request)
    office = is_office(request.user)
    form = CatalogueUploadForm()
    if request.method == "POST":
        _office(request)
        form = CatalogueUploadForm(request.POST, request.FILES)
        if form.is_valid():
            content = form.cleaned_data["file"].read()
            items = _run(request, lambda: catalogue.import_catalogue(actor=request.user, content=content),
                         _("标准目录已导入。"))  # fmt: skip
            if items is not None:
                return redirect("office:catalogue")
    rows = catalogue.monitor(organisation=None if office else request.user.organisation)
    return render(request, "office/catalogue.html", {"rows": rows, "form": form, "office": office})


@login_required
def catalogue_export(request: HttpRequest) -> HttpResponse:
    _staff(request)
    response = HttpResponse(
        catalogue.export_catalogue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="catalogue.xlsx"'
    return response


@login_required
def site_page(request: HttpRequest) -> HttpResponse:
    _office(request)
    runs = selectors.inspections(20)
    return render(request, "office/site.html", {"runs": runs, "latest": runs[0] if runs else None,
                                                "chart": selectors.score_chart(runs)})  # fmt: skip


@login_required
def normative_page(request: HttpRequest) -> HttpResponse:
    _staff(request)
    scope = selectors.normative_scope(request.user)
    return render(request, "office/normative.html", {
        "terms": normative.terms(scope), "form": EvaluationForm(), "office": is_office(request.user),
        "year": timezone.localdate().year,
    })  # fmt: skip


@login_required
@require_POST
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    document = documents.published_documents().filter(pk=pk).first()
    if document is None:
        raise Http404
    form = EvaluationForm(request.POST)
    data = form.data
    _run(request, lambda: normative.evaluate(
        actor=request.user, document=document, outcome=data.get("outcome", ""), reason=data.get("reason", ""),
        new_expiry_date=data.get("new_expiry_date") or None,
    ), _("评估结论已记录。"))  # fmt: skip
    return redirect("office:normative")


@login_required
@require_POST
def publish_cleanup(request: HttpRequest) -> HttpResponse:
    _office(request)
    year = request.POST.get("year", "")
    if _run(
        request, lambda: normative.publish_cleanup_list(actor=request.user, year=year), _("清理结果已发布。")
    ):
        return redirect("office:cleanup", year=int(year))
    return redirect("office:normative")


@login_required
def gazette_page(request: HttpRequest) -> HttpResponse:
    _office(request)
    candidates = list(selectors.gazette_candidates())
    form = GazetteForm(candidates=candidates, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        form = GazetteForm(request.POST, candidates=candidates)
        if form.is_valid():
            ids = [int(pk) for pk in form.cleaned_data["documents"]]
            issue = _run(request, lambda: gazette.compile_issue(
                actor=request.user, year=form.cleaned_data["year"], number=form.cleaned_data["number"], document_ids=ids,
            ), _("公报已编排。"))  # fmt: skip
            if issue is not None:
                return redirect("office:gazette")
    return render(request, "office/gazette.html", {"issues": GazetteIssue.objects.all(), "form": form})


@login_required
@require_POST
def gazette_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    issue = get_object_or_404(GazetteIssue, pk=pk)
    _run(request, lambda: gazette.publish_issue(actor=request.user, issue=issue), _("公报已出版。"))
    return redirect("office:gazette")


@login_required
def gazette_draft_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Staff preview of any issue (drafts included) as PDF or DOCX."""
    _office(request)
    issue = get_object_or_404(GazetteIssue, pk=pk)
    return gazette_response(issue, kind)


def gazette_response(issue: GazetteIssue, kind: str) -> HttpResponse:
    if kind == "pdf":
        response = HttpResponse(render_pdf(issue), content_type="application/pdf")
    elif kind == "docx":
        response = HttpResponse(
            render_docx(issue),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="gazette-{issue.year}-{issue.number}.{kind}"'
    return response


@login_required
def workplan_page(request: HttpRequest) -> HttpResponse:
    _staff(request)
    plan = selectors.current_plan()
    rows = workplan.plan_status(plan) if plan else []
    own = request.user.organisation_id
    return render(request, "office/workplan.html", {"plan": plan, "rows": rows, "own": own})


@login_required
def workplan_item(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    item = get_object_or_404(WorkPlanItem.objects.select_related("plan"), pk=pk)
    form = ProgressForm()
    responsible = item.organisations.filter(pk=request.user.organisation_id).exists()
    office = is_office(request.user)
    if request.method == "POST" and request.POST.get("action") == "assign":
        _office(request)
        ids = [int(v) for v in request.POST.getlist("organisations") if v.isdigit()]
        chosen = list(budget.departments_by_ids(ids))
        _run(
            request,
            lambda: workplan.assign(actor=request.user, item=item, organisations=chosen),
            _("责任单位已更新。"),
        )
        return redirect("office:workplan-item", pk=item.pk)
    if request.method == "POST":
        form = ProgressForm(request.POST)
        try:
            workplan.report_progress(actor=request.user, item=item, status=form.data.get("status", ""),
                                     text=form.data.get("text", ""))  # fmt: skip
        except ValidationError as exc:
            for problem in exc.messages:
                messages.error(request, problem)
        else:
            messages.success(request, _("落实情况已填报。"))
            return redirect("office:workplan-item", pk=item.pk)
    return render(request, "office/workplan_item.html", {
        "item": item, "form": form, "responsible": responsible, "office": office,
        "departments": budget.departments() if office else [],
        "assigned": set(item.organisations.values_list("pk", flat=True)),
        "reports": item.reports.select_related("organisation").order_by("-created_at", "-id"),
    })  # fmt: skip
