"""Staff screens of events (registrations, check-in, figures, materials), surveys and solicitations."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .constants import QuestionKind
from .forms import EventForm, SolicitationForm, SurveyCreateForm
from .models import Event, Solicitation, Survey
from .results import export_csv, export_xlsx, search_text_answers, survey_results
from .staff_views import post, post_id, require_staff, run_action


def _create(request: HttpRequest, form_class: type, service: object, title: str, target: str) -> HttpResponse:
    require_staff(request.user)
    form = form_class(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if "documents" in data:
            data["linked_documents"] = data.pop("documents")
        try:
            created = service(actor=request.user, **data)  # type: ignore[operator]
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return redirect(target, pk=created.pk)
    return render(request, "participation/staff/form.html", {"form": form, "title": title})


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    return _create(request, EventForm, services.create_event, _("发布活动"), "participation:staff-event")


@login_required
def survey_new(request: HttpRequest) -> HttpResponse:
    return _create(
        request, SurveyCreateForm, services.create_survey, _("发起问卷调查"), "participation:staff-survey"
    )


@login_required
def solicitation_new(request: HttpRequest) -> HttpResponse:
    return _create(
        request,
        SolicitationForm,
        services.create_solicitation,
        _("发起征集"),
        "participation:staff-solicitation",
    )


def _own_event(request: HttpRequest, pk: int) -> Event:
    require_staff(request.user)
    return get_object_or_404(selectors.staff_events(request.user), pk=pk)


@login_required
def event(request: HttpRequest, pk: int) -> HttpResponse:
    ev = _own_event(request, pk)
    return render(request, "participation/staff/event.html", {
        "event": ev, "figures": selectors.event_figures(ev), "registrations": ev.registrations.order_by("created_at", "id"),
        "materials": ev.materials.all(),
    })  # fmt: skip


@login_required
@require_POST
def event_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    ev = _own_event(request, pk)
    if name == "checkin":
        run_action(
            request,
            lambda: services.check_in(ev, actor=request.user, code=post(request, "code")),
            _("签到成功。"),
        )
    elif name == "material":
        upload = request.FILES.get("file")
        run_action(request, lambda: services.add_material(
            ev, actor=request.user, title=post(request, "title"), filename=upload.name if upload else "",
            content=upload.read() if upload else b""), _("已上传资料。"))  # fmt: skip
    elif name == "publish":
        run_action(request, lambda: services.publish_event(ev, actor=request.user), _("活动已发布。"))
    elif name == "cancel":
        registration = get_object_or_404(ev.registrations, pk=post_id(request, "registration"))
        run_action(
            request,
            lambda: services.cancel_registration(registration, actor=request.user),
            _("已取消该报名。"),
        )
    else:
        raise PermissionDenied(_("未知操作。"))
    return redirect("participation:staff-event", pk=ev.pk)


def _own_survey(request: HttpRequest, pk: int) -> Survey:
    require_staff(request.user)
    return get_object_or_404(selectors.staff_surveys(request.user), pk=pk)


@login_required
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    sv = _own_survey(request, pk)
    responses, results = survey_results(sv)
    query = request.GET.get("q", "").strip()[:100]
    return render(request, "participation/staff/survey.html", {
        "survey": sv, "responses": responses, "results": results, "kinds": QuestionKind.choices, "q": query,
        "texts": search_text_answers(sv, query)[:200],
    })  # fmt: skip


@login_required
@require_POST
def survey_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    sv = _own_survey(request, pk)
    if name == "question":
        run_action(request, lambda: services.add_question(
            sv, actor=request.user, kind=post(request, "kind"), text=post(request, "text"),
            options=post(request, "options"), required=request.POST.get("required") == "1",
            scale_min=post(request, "scale_min") or 1, scale_max=post(request, "scale_max") or 5,
            scale_labels=post(request, "scale_labels")), _("已增加题目。"))  # fmt: skip
    elif name == "publish":
        run_action(request, lambda: services.publish_survey(sv, actor=request.user), _("问卷已发布。"))
    else:
        raise PermissionDenied(_("未知操作。"))
    return redirect("participation:staff-survey", pk=sv.pk)


@login_required
def survey_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    sv = _own_survey(request, pk)
    if fmt == "csv":
        response = HttpResponse(export_csv(sv), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            export_xlsx(sv), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise PermissionDenied(_("未知格式。"))
    response["Content-Disposition"] = f'attachment; filename="survey-{sv.pk}.{fmt}"'
    return response


def _own_solicitation(request: HttpRequest, pk: int) -> Solicitation:
    require_staff(request.user)
    return get_object_or_404(selectors.staff_solicitations(request.user), pk=pk)


@login_required
def solicitation(request: HttpRequest, pk: int) -> HttpResponse:
    sol = _own_solicitation(request, pk)
    return render(request, "participation/staff/solicitation.html",
                  {"s": sol, "proposals": sol.proposals.order_by("moderation", "-vote_count", "id")})  # fmt: skip


@login_required
@require_POST
def solicitation_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    sol = _own_solicitation(request, pk)
    proposal = get_object_or_404(sol.proposals, pk=post_id(request, "proposal"))
    if name == "moderate":
        run_action(request, lambda: services.moderate_proposal(
            proposal, actor=request.user, publish=post(request, "publish") == "1", note=post(request, "note")), _("已审核。"))  # fmt: skip
    elif name == "answer":
        run_action(request, lambda: services.answer_proposal(proposal, actor=request.user, answer=post(request, "answer")),
                   _("已答复。"))  # fmt: skip
    else:
        raise PermissionDenied(_("未知操作。"))
    return redirect("participation:staff-solicitation", pk=sol.pk)
