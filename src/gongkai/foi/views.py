"""Public FOI screens: the application form and the tracking page (number + code, no login)."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.core.http import rate_limited

from . import clock, services
from .constants import CHANNEL_RECEIPT_RULE, LetterStatus
from .forms import ApplicationForm, TrackForm
from .letters import render_docx
from .models import FOILetter, FOIRequest

SESSION_CONFIRMATION = "foi_confirmation"
SESSION_TRACKED = "foi_tracked"


def docx_response(letter: FOILetter) -> HttpResponse:
    response = HttpResponse(
        render_docx(letter),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    filename = f"{letter.letter_number or letter.pk}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if rate_limited(request, "apply", settings.FOI_APPLY_RATE_PER_HOUR):
            form.add_error(None, _("提交过于频繁，请一小时后再试。"))
            return render(request, "foi/apply.html", {"form": form}, status=429)
        if form.is_valid():
            files = [(f.name, f.read()) for f in form.cleaned_data["attachments"]]
            try:
                foi_request, code = services.register_request(
                    actor=None,
                    organisation=form.cleaned_data["organisation"],
                    channel="online",
                    files=files,
                    **form.service_fields(),
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                request.session[SESSION_CONFIRMATION] = {"id": foi_request.pk, "code": code}
                request.session[SESSION_TRACKED] = foi_request.pk
                return redirect("foi:confirmation")
    return render(request, "foi/apply.html", {"form": form, "receipt_rule": CHANNEL_RECEIPT_RULE["online"]})


def confirmation(request: HttpRequest) -> HttpResponse:
    data = request.session.get(SESSION_CONFIRMATION)
    if not data:
        return redirect("foi:track")
    foi_request = get_object_or_404(FOIRequest.objects.select_related("organisation"), pk=data["id"])
    return render(request, "foi/confirmation.html", {"foi_request": foi_request, "code": data["code"]})


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    foi_request = None
    if request.method == "POST":
        if rate_limited(request, "track", settings.FOI_TRACK_RATE_PER_HOUR):
            form.add_error(None, _("查询过于频繁，请稍后再试。"))
            return render(request, "foi/track.html", {"form": form}, status=429)
        if form.is_valid():
            number = form.cleaned_data["number"].strip()
            expected = services.access_code_hash(form.cleaned_data["code"])
            candidates = FOIRequest.objects.filter(number=number)
            foi_request = next(
                (r for r in candidates if hmac.compare_digest(r.access_code_hash, expected)), None
            )
            if foi_request is None:
                form.add_error(None, _("申请编号或查询码不正确。"))
            else:
                request.session[SESSION_TRACKED] = foi_request.pk
    elif request.session.get(SESSION_TRACKED):
        foi_request = FOIRequest.objects.filter(pk=request.session[SESSION_TRACKED]).first()
    context: dict = {"form": form, "foi_request": foi_request}
    if foi_request is not None:
        context.update(
            letters=foi_request.letters.filter(to_applicant=True, status=LetterStatus.ISSUED).order_by(
                "issued_date", "id"
            ),
            reply_due=_safe_reply_due(foi_request),
        )
    return render(request, "foi/track.html", context)


def _safe_reply_due(foi_request: FOIRequest):
    try:
        return clock.reply_due_date(foi_request) if foi_request.is_open else None
    except ValidationError:
        return None


def track_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """Only letters addressed to the applicant whose number and code were given in this session."""
    tracked = request.session.get(SESSION_TRACKED)
    letter = (
        FOILetter.objects.select_related("request__organisation")
        .filter(pk=pk, request_id=tracked, to_applicant=True, status=LetterStatus.ISSUED)
        .first()
    )
    if tracked is None or letter is None:
        raise Http404
    return docx_response(letter)
