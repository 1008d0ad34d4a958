"""Public 公众参与 pages: the hub, the decision catalogue, decisions with their steps, drafts for comment."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.core.http import rate_limited

from . import selectors, services, tokens
from .constants import STEP_ARTICLES, ItemStatus, Phase, ReportStatus
from .forms import CommentForm, PartyCommentForm
from .models import DecisionItem


def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    consultations = list(selectors.public_consultations()[:50])
    return render(request, "participation/index.html", {
        "open_consultations": [c for c in consultations if c.phase(today) == Phase.OPEN],
        "closed_consultations": [c for c in consultations if c.phase(today) == Phase.CLOSED][:5],
        "events": selectors.public_events().filter(ends_at__gte=timezone.now())[:5],
        "surveys": [s for s in selectors.public_surveys()[:20] if s.phase(today) == Phase.OPEN],
        "solicitations": [s for s in selectors.public_solicitations()[:20] if s.phase(today) == Phase.OPEN],
        "catalogues": selectors.public_catalogues()[:5],
        "attendance": selectors.attendance_counts(today.year),
        "year": today.year,
    })  # fmt: skip


def catalogue_list(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/catalogue_list.html", {"catalogues": selectors.public_catalogues()})


def catalogue_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    catalogue = get_object_or_404(selectors.public_catalogues(), organisation__code=code, year=year)
    items = catalogue.items.select_related("lead_organisation").prefetch_related("steps")
    return render(request, "participation/catalogue_detail.html", {
        "catalogue": catalogue, "items": items, "changes": catalogue.changes.select_related("item"),
    })  # fmt: skip


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        DecisionItem.objects.select_related("catalogue__organisation", "lead_organisation", "decision_document"),
        pk=pk, catalogue__status="published",
    )  # fmt: skip
    steps = [
        (step, STEP_ARTICLES[step.kind]) for step in sorted(item.steps.all(), key=lambda step: step.order)
    ]
    attendances = item.attendances.filter(attended=True)
    return render(request, "participation/decision_detail.html", {
        "item": item, "steps": steps, "consultations": selectors.public_consultations().filter(item=item),
        "attendances": attendances, "removed": item.status == ItemStatus.REMOVED,
    })  # fmt: skip


def consultation_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = [(c, c.phase(today)) for c in selectors.public_consultations()]
    return render(request, "participation/consultation_list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(selectors.public_consultations(), pk=pk)
    today = timezone.localdate()
    phase = consultation.phase(today)
    initial = {"article_number": request.GET.get("article")} if request.GET.get("article") else None
    form = CommentForm(request.POST or None, initial=initial, consultation=consultation)
    status = 200
    if request.method == "POST":
        if rate_limited(request, f"comment:{consultation.pk}", settings.PARTICIPATION_COMMENT_RATE_PER_HOUR):
            form.add_error(None, _("提交过于频繁，请一小时后再试。"))
            status = 429
        elif form.is_valid():
            try:
                services.submit_comment(
                    consultation, actor=tokens.logged_in_user(request), participant_key=tokens.participant_key(request),
                    **form.cleaned_data,
                )  # fmt: skip
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("您的意见已提交，经审核后公开显示。感谢参与！"))
                return tokens.remember(
                    request, redirect("participation:consultation-detail", pk=consultation.pk)
                )
        if status == 200 and form.errors:
            status = 400
    counts = selectors.article_comment_counts(consultation)
    articles = [
        {**article, "comments": counts.get(article.get("number"), 0)} for article in consultation.articles
    ]
    report = getattr(consultation, "report", None)
    return render(request, "participation/consultation_detail.html", {
        "c": consultation, "phase": phase, "form": form, "articles": articles,
        "whole_draft_comments": counts.get(None, 0),
        "comments": selectors.published_comments(consultation),
        "report": report if report is not None and report.status == ReportStatus.PUBLISHED else None,
    }, status=status)  # fmt: skip


@require_http_methods(["GET", "POST"])
def party_comment(request: HttpRequest, token: str) -> HttpResponse:
    """An invited enterprise or association gives its opinion through its own link (no account)."""
    if rate_limited(request, "party-link", settings.PARTICIPATION_COMMENT_RATE_PER_HOUR * 3):
        raise Http404
    party = services.party_for_token(token)
    if party is None:
        raise Http404
    consultation = party.consultation
    form = PartyCommentForm(request.POST or None, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_party_comment(party, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("意见已收到，感谢贵单位的参与。"))
            return redirect("participation:party-comment", token=token)
    return render(request, "participation/party_comment.html", {
        "party": party, "c": consultation, "form": form, "sent": party.comments.order_by("created_at"),
    })  # fmt: skip
