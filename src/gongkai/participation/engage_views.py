"""Public surveys (answer once, see the results as charts) and solicitations (propose, support)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.core.http import rate_limited

from . import selectors, services, tokens
from .forms import ProposalForm, SurveyForm
from .results import survey_results


def survey_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "participation/survey_list.html",
                  {"rows": [(s, s.phase(today)) for s in selectors.public_surveys()]})  # fmt: skip


@require_http_methods(["GET", "POST"])
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(selectors.public_surveys(), pk=pk)
    phase = survey.phase(timezone.localdate())
    key = tokens.participant_key(request)
    form = SurveyForm(request.POST or None, survey=survey)
    status = 200
    if request.method == "POST":
        if rate_limited(request, "survey", settings.PARTICIPATION_SURVEY_RATE_PER_HOUR):
            form.add_error(None, _("提交过于频繁，请一小时后再试。"))
            status = 429
        elif form.is_valid():
            try:
                services.submit_response(survey, participant_key=key, answers=form.cleaned_data,
                                         user=tokens.logged_in_user(request))  # fmt: skip
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("问卷已提交，感谢您的参与！"))
                target = (
                    "participation:survey-results" if survey.results_public else "participation:survey-detail"
                )
                return tokens.remember(request, redirect(target, pk=survey.pk))
        if status == 200 and form.errors:
            status = 400
    context = {"survey": survey, "phase": phase, "form": form, "answered": services.has_responded(survey, key),
               "login_needed": survey.requires_login and not request.user.is_authenticated}  # fmt: skip
    return tokens.remember(
        request, render(request, "participation/survey_detail.html", context, status=status)
    )


def survey_results_page(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(selectors.public_surveys(), pk=pk)
    if not survey.results_public:
        raise Http404
    responses, results = survey_results(survey)
    return render(request, "participation/survey_results.html",
                  {"survey": survey, "responses": responses, "results": results})  # fmt: skip


def solicitation_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "participation/solicitation_list.html",
                  {"rows": [(s, s.phase(today)) for s in selectors.public_solicitations()]})  # fmt: skip


@require_http_methods(["GET", "POST"])
def solicitation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    solicitation = get_object_or_404(selectors.public_solicitations(), pk=pk)
    form = ProposalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if rate_limited(request, "proposal", settings.PARTICIPATION_COMMENT_RATE_PER_HOUR):
            form.add_error(None, _("提交过于频繁，请一小时后再试。"))
            status = 429
        elif form.is_valid():
            try:
                services.submit_proposal(solicitation, user=tokens.logged_in_user(request),
                                         participant_key=tokens.participant_key(request), **form.cleaned_data)  # fmt: skip
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("建议已提交，经审核后公开显示。"))
                return tokens.remember(
                    request, redirect("participation:solicitation-detail", pk=solicitation.pk)
                )
        if status == 200 and form.errors:
            status = 400
    context = {"s": solicitation, "phase": solicitation.phase(timezone.localdate()), "form": form,
               "proposals": selectors.published_proposals(solicitation)}  # fmt: skip
    return tokens.remember(
        request, render(request, "participation/solicitation_detail.html", context, status=status)
    )


@require_POST
def proposal_vote(request: HttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    solicitation = get_object_or_404(selectors.public_solicitations(), pk=pk)
    proposal = get_object_or_404(selectors.published_proposals(solicitation), pk=proposal_pk)
    if rate_limited(request, "vote", settings.PARTICIPATION_VOTE_RATE_PER_HOUR):
        messages.error(request, _("操作过于频繁，请稍后再试。"))
    else:
        try:
            services.vote(proposal, participant_key=tokens.participant_key(request))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已支持“%(title)s”。") % {"title": proposal.title})
    response = redirect("participation:solicitation-detail", pk=solicitation.pk)
    response["Location"] += f"#proposal-{proposal.pk}"
    return tokens.remember(request, response)
