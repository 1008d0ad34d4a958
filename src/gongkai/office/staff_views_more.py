"""Staff pages of the budget disclosure check and the assessment: /office/staff/budget/, /assessment/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation

from . import assessment, budget
from .constants import BudgetKind, IndicatorSource
from .models import AssessmentScheme, Indicator
from .staff_views import _office, _run


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and len(value) == 4 else timezone.localdate().year


@login_required
def budget_page(request: HttpRequest) -> HttpResponse:
    _office(request)
    year = _year(request)
    if request.method == "POST":
        data = request.POST
        organisation = Organisation.objects.filter(
            pk=data.get("organisation") if data.get("organisation", "").isdigit() else None
        ).first()
        if organisation is None:
            messages.error(request, _("请选择单位。"))
        else:
            _run(request, lambda: budget.record_disclosure(
                actor=request.user, organisation=organisation, year=data.get("year", ""), kind=data.get("kind", ""),
                title=data.get("title", ""), amount_yuan=data.get("amount_yuan") or None, url=data.get("url", ""),
                is_secret=data.get("is_secret") == "on", secret_reason=data.get("secret_reason", ""),
            ), _("已登记。"))  # fmt: skip
            return redirect(f"{request.path}?year={data.get('year', year)}")
    rows = [budget.completeness(org, year) for org in budget.departments()]
    return render(request, "office/budget.html", {
        "year": year, "rows": rows, "district_missing": budget.district_completeness(year), "office": True,
        "kinds": BudgetKind.choices, "organisations": budget.departments(),
    })  # fmt: skip


@login_required
def assessment_page(request: HttpRequest) -> HttpResponse:
    _office(request)
    year = _year(request)
    scheme = AssessmentScheme.objects.filter(year=year).first()
    if request.method == "POST" and request.POST.get("action") == "define":
        lines = [line.split(",") for line in request.POST.get("indicators", "").splitlines() if line.strip()]
        indicators = [{"name": parts[0].strip(), "weight": parts[1].strip() if len(parts) > 1 else "",
                       "source": parts[2].strip() if len(parts) > 2 else IndicatorSource.MANUAL} for parts in lines]  # fmt: skip
        if _run(request, lambda: assessment.define_scheme(actor=request.user, year=year, title=request.POST.get("title", ""),
                                                           indicators=indicators), _("考核指标已保存。")):  # fmt: skip
            return redirect(f"{request.path}?year={year}")
    elif request.method == "POST" and request.POST.get("action") == "score":
        indicator = get_object_or_404(
            Indicator, pk=request.POST.get("indicator") if request.POST.get("indicator", "").isdigit() else 0
        )
        organisation = get_object_or_404(
            Organisation,
            pk=request.POST.get("organisation") if request.POST.get("organisation", "").isdigit() else 0,
        )
        _run(request, lambda: assessment.enter_score(actor=request.user, indicator=indicator, organisation=organisation,
                                                     score=request.POST.get("score", ""), note=request.POST.get("note", "")),
             _("得分已录入。"))  # fmt: skip
        return redirect(f"{request.path}?year={year}")
    rows = assessment.scores(scheme) if scheme else []
    return render(request, "office/assessment.html", {
        "year": year, "scheme": scheme, "rows": rows, "chart": assessment.bar_chart(rows), "office": True,
        "sources": IndicatorSource.choices, "organisations": budget.departments(),
        "manual_indicators": [i for i in scheme.indicators.all() if i.source not in assessment.INDICATOR_PROVIDERS] if scheme else [],
    })  # fmt: skip


@login_required
def assessment_export(request: HttpRequest) -> HttpResponse:
    _office(request)
    scheme = get_object_or_404(AssessmentScheme, year=_year(request))
    response = HttpResponse(assessment.export_scores(scheme),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="assessment-{scheme.year}.xlsx"'
    return response
