"""Public FOI screens: the application form and the tracking page (number + code, no login)."""

from __future__ import annotations

import hmac
import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from gongkai.core.http import rate_limited
from gongkai.core.uploads import limit_uploads, upload_limit_exceeded

from . import clock, services
from .constants import CHANNEL_RECEIPT_RULE, LetterStatus
from .forms import TOKEN_PATTERN, ApplicationForm, TrackForm, attachment_limits
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


@csrf_exempt  # CSRF is checked by _apply, after the upload limit is in place
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    max_files, max_bytes = attachment_limits()
    # a little room over the attachments' total for the other fields of the form
    limit_uploads(request, max_files=max_files, max_bytes=max_bytes + 64 * 1024)
    return _apply(request)


def _remember(request: HttpRequest, foi_request: FOIRequest) -> None:
    """The request this browser may see without typing the code again: until the browser closes
    (a session cookie for visitors who are not signed in) or FOI_TRACK_IDLE_SECONDS without a visit."""
    request.session[SESSION_TRACKED] = {"id": foi_request.pk, "seen": int(time.time())}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        request.session.set_expiry(0)


def _tracked_id(request: HttpRequest) -> int | None:
    data = request.session.get(SESSION_TRACKED)
    if not isinstance(data, dict):
        return None
    if time.time() - data.get("seen", 0) > settings.FOI_TRACK_IDLE_SECONDS:
        _forget(request)
        return None
    data["seen"] = int(time.time())
    request.session[SESSION_TRACKED] = data
    return data.get("id")


def _forget(request: HttpRequest) -> None:
    request.session.pop(SESSION_TRACKED, None)
    request.session.pop(SESSION_CONFIRMATION, None)


def _receipt(request: HttpRequest, foi_request: FOIRequest, code: str) -> HttpResponse:
    request.session[SESSION_CONFIRMATION] = {"id": foi_request.pk, "code": code}
    _remember(request, foi_request)
    return redirect("foi:confirmation")


@csrf_protect
def _apply(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None, request.FILES or None)
    context = {"form": form, "receipt_rule": CHANNEL_RECEIPT_RULE["online"]}
    if request.method == "POST":
        token = request.POST.get("submission_token", "")
        token = token if TOKEN_PATTERN.fullmatch(token) else ""
        if token and (earlier := services.submitted_request(token)):  # a retry: the first receipt again
            return _receipt(request, *earlier)
        if rate_limited(request, "apply", settings.FOI_APPLY_RATE_PER_HOUR):
            form.add_error(None, _("提交过于频繁，请一小时后再试。"))
            return render(request, "foi/apply.html", context, status=429)
        if upload_limit_exceeded(request):
            max_files, max_bytes = attachment_limits()
            form.add_error("attachments", _("附件最多%(count)s个，总大小不能超过%(mb)s MB，超出部分未接收。")
                           % {"count": max_files, "mb": max_bytes // (1024 * 1024)})  # fmt: skip
        elif form.is_valid():
            files = [(f.name, f) for f in form.cleaned_data["attachments"]]  # streamed, never read whole
            try:
                foi_request, code = services.register_request(
                    actor=None, organisation=form.cleaned_data["organisation"], channel="online", files=files,
                    submission_token=token, **form.service_fields(),
                )  # fmt: skip
            except ValidationError as exc:
                form.add_service_errors(exc)
            except IntegrityError:  # the same token committed by a concurrent retry
                earlier = services.submitted_request(token) if token else None
                if earlier is None:
                    raise
                return _receipt(request, *earlier)
            else:
                return _receipt(request, foi_request, code)
    return render(request, "foi/apply.html", context)


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
            candidates = FOIRequest.objects.filter(number__iexact=number)  # codes and numbers in any case
            foi_request = next(
                (r for r in candidates if hmac.compare_digest(r.access_code_hash, expected)), None
            )
            if foi_request is None:
                form.add_error(None, _("申请编号或查询码不正确。"))
            else:
                _remember(request, foi_request)
    elif (tracked := _tracked_id(request)) is not None:
        foi_request = FOIRequest.objects.filter(pk=tracked).first()
    context: dict = {"form": form, "foi_request": foi_request}
    if foi_request is not None:
        context.update(
            letters=foi_request.letters.filter(to_applicant=True, status=LetterStatus.ISSUED).order_by(
                "issued_date", "id"
            ),
            reply_due=_safe_reply_due(foi_request),
        )
    return render(request, "foi/track.html", context)


@require_http_methods(["POST"])
def track_exit(request: HttpRequest) -> HttpResponse:
    """退出: this browser forgets the tracked request (a shared computer in a library or 政务大厅)."""
    _forget(request)
    messages.success(request, _("已退出查询。再次查看需要重新输入申请编号和查询码。"))
    return redirect("foi:track")


def _safe_reply_due(foi_request: FOIRequest):
    try:
        return clock.reply_due_date(foi_request)  # stays visible after the reply is issued
    except ValidationError:
        return None


def track_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """Only letters addressed to the applicant whose number and code were given in this session."""
    tracked = _tracked_id(request)
    letter = (
        FOILetter.objects.select_related("request__organisation")
        .filter(pk=pk, request_id=tracked, to_applicant=True, status=LetterStatus.ISSUED)
        .first()
    )
    if tracked is None or letter is None:
        raise Http404
    return docx_response(letter)
