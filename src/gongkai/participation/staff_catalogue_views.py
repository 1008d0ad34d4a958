"""Staff screens of the decision catalogue, a decision's statutory steps, and 列席 records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.models import Organisation

from . import selectors, services
from .constants import STEP_ARTICLES, ItemStatus, RepresentativeKind, StepStatus
from .forms import CatalogueForm, own_organisations
from .models import DecisionCatalogue, DecisionItem
from .permissions import acting_for
from .staff_views import post, post_id, require_staff, run_action


@login_required
def catalogue_new(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = CatalogueForm(request.POST or None, user=request.user, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            catalogue = services.create_catalogue(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return redirect("participation:staff-catalogue", pk=catalogue.pk)
    return render(
        request, "participation/staff/form.html", {"form": form, "title": _("编制重大行政决策事项目录")}
    )


def _own_catalogue(request: HttpRequest, pk: int) -> DecisionCatalogue:
    require_staff(request.user)
    return get_object_or_404(selectors.staff_catalogues(request.user), pk=pk)


@login_required
def catalogue(request: HttpRequest, pk: int) -> HttpResponse:
    cat = _own_catalogue(request, pk)
    return render(request, "participation/staff/catalogue.html", {
        "cat": cat, "items": cat.items.select_related("lead_organisation").prefetch_related("steps"),
        "changes": cat.changes.select_related("item"), "organisations": Organisation.objects.order_by("sort_order", "id"),
        "alert": selectors.catalogue_alert(cat.organisation) if cat.year == timezone.localdate().year else None,
    })  # fmt: skip


def _lead(request: HttpRequest) -> Organisation | None:
    return Organisation.objects.filter(pk=post_id(request, "lead_organisation")).first()


def _item(cat: DecisionCatalogue, request: HttpRequest) -> DecisionItem:
    return get_object_or_404(cat.items, pk=post_id(request, "item"))


CATALOGUE_ACTIONS: dict[str, tuple[Callable[[DecisionCatalogue, HttpRequest], Any], str]] = {
    "add": (
        lambda cat, q: services.add_item(
            cat,
            actor=q.user,
            title=post(q, "title"),
            description=post(q, "description"),
            planned_time=post(q, "planned_time"),
            lead_organisation=_lead(q),
            reason=post(q, "reason"),
        ),
        _("已增加决策事项。"),
    ),
    "change": (
        lambda cat, q: services.change_item(
            _item(cat, q),
            actor=q.user,
            title=post(q, "title"),
            planned_time=post(q, "planned_time"),
            lead_organisation=_lead(q),
            reason=post(q, "reason"),
        ),
        _("已调整决策事项。"),
    ),
    "remove": (
        lambda cat, q: services.remove_item(_item(cat, q), actor=q.user, reason=post(q, "reason")),
        _("已调出目录。"),
    ),
    "status": (
        lambda cat, q: services.set_item_status(_item(cat, q), actor=q.user, status=post(q, "status")),
        _("已更新事项进度。"),
    ),
    "publish": (
        lambda cat, q: services.publish_catalogue(
            cat, actor=q.user, published_on=post(q, "published_on") or None
        ),
        _("目录已公布。"),
    ),
}


@login_required
@require_POST
def catalogue_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    cat = _own_catalogue(request, pk)
    if name not in CATALOGUE_ACTIONS:
        raise PermissionDenied(_("未知操作。"))
    func, done = CATALOGUE_ACTIONS[name]
    run_action(request, lambda: func(cat, request), done)
    if name == "status":
        return redirect("participation:staff-item", pk=post_id(request, "item"))
    return redirect("participation:staff-catalogue", pk=cat.pk)


def _own_item(request: HttpRequest, pk: int) -> DecisionItem:
    require_staff(request.user)
    catalogues = selectors.staff_catalogues(request.user)
    return get_object_or_404(DecisionItem.objects.select_related("catalogue__organisation", "lead_organisation"),
                             pk=pk, catalogue__in=catalogues)  # fmt: skip


@login_required
def item(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _own_item(request, pk)
    steps = [(step, STEP_ARTICLES[step.kind]) for step in sorted(decision.steps.all(), key=lambda s: s.order)]
    return render(request, "participation/staff/item.html", {
        "item": decision, "steps": steps, "statuses": StepStatus.choices,
        "consultations": decision.consultations.all(), "progress": [ItemStatus.PLANNED, ItemStatus.IN_PROGRESS],
    })  # fmt: skip


@login_required
@require_POST
def item_step(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _own_item(request, pk)
    step = get_object_or_404(decision.steps, pk=post_id(request, "step"))
    run_action(request, lambda: services.record_step(
        step, actor=request.user, status=post(request, "status"), done_on=post(request, "done_on") or None,
        summary=post(request, "summary"), record_title=post(request, "record_title"),
        record_url=post(request, "record_url"), omit_reason=post(request, "omit_reason"),
    ), _("已记录%(step)s。") % {"step": step.get_kind_display()})  # fmt: skip
    return redirect(reverse("participation:staff-item", args=[decision.pk]) + f"#step-{step.kind}")


@login_required
def attendance(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    year = int(request.GET.get("year") or timezone.localdate().year)
    organisation_ids = None if request.user.is_platform_admin else acting_for(request.user)
    return render(request, "participation/staff/attendance.html", {
        "rows": selectors.staff_attendances(request.user).filter(meeting_date__year=year), "year": year,
        "counts": selectors.attendance_counts(year, organisation_ids), "kinds": RepresentativeKind.choices,
        "organisations": own_organisations(request.user), "today": timezone.localdate(),
    })  # fmt: skip


@login_required
@require_POST
def attendance_action(request: HttpRequest, name: str) -> HttpResponse:
    require_staff(request.user)
    if name == "invite":
        organisation = own_organisations(request.user).filter(pk=post_id(request, "organisation")).first()
        if organisation is None:
            messages.error(request, _("请选择会议召开单位。"))
        else:
            run_action(request, lambda: services.invite_representative(
                actor=request.user, organisation=organisation, meeting_title=post(request, "meeting_title"),
                meeting_date=post(request, "meeting_date"), representative_name=post(request, "representative_name"),
                representative_kind=post(request, "representative_kind"), invited_on=post(request, "invited_on"),
            ), _("已登记邀请。"))  # fmt: skip
    elif name == "record":
        row = get_object_or_404(selectors.staff_attendances(request.user), pk=post_id(request, "attendance"))
        run_action(request, lambda: services.record_attendance(
            row, actor=request.user, attended=post(request, "attended") == "1", remarks=post(request, "remarks")
        ), _("已记录列席情况。"))  # fmt: skip
    else:
        raise PermissionDenied(_("未知操作。"))
    return redirect("participation:staff-attendance")
