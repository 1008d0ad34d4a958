"""Public event pages: the calendar, an event with its sign-up form, cancelling, ICS, materials."""

from __future__ import annotations

import itertools

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.core.http import rate_limited
from gongkai.documents.selectors import public_documents

from . import ics, selectors, services, tokens
from .forms import CancelForm, RegistrationForm

SESSION_REGISTRATION = "participation_registration"


def event_list(request: HttpRequest) -> HttpResponse:
    """The calendar: coming events by month, then past events with their attendance figures."""
    now = timezone.now()
    events = selectors.public_events()
    coming = list(events.filter(ends_at__gte=now))
    months = [
        (month, list(rows))
        for month, rows in itertools.groupby(
            coming, key=lambda e: timezone.localtime(e.starts_at).strftime("%Y-%m")
        )
    ]
    past = [
        (event, selectors.event_figures(event))
        for event in events.filter(ends_at__lt=now).order_by("-starts_at")[:20]
    ]
    return render(request, "participation/event_list.html", {"months": months, "past": past})


@require_http_methods(["GET", "POST"])
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(selectors.public_events().prefetch_related("materials"), pk=pk)
    form = RegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if rate_limited(request, "signup", settings.PARTICIPATION_SIGNUP_RATE_PER_HOUR):
            form.add_error(None, _("提交过于频繁，请一小时后再试。"))
            status = 429
        elif form.is_valid():
            try:
                registration = services.register(
                    event, user=tokens.logged_in_user(request), **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                request.session[SESSION_REGISTRATION] = registration.pk
                return redirect("participation:registration-done", pk=event.pk)
        if status == 200 and form.errors:
            status = 400
    now = timezone.now()
    context = {
        "event": event, "form": form, "cancel_form": CancelForm(), "figures": selectors.event_figures(event),
        "signup_open": event.capacity > 0 and now < (event.signup_closes_at or event.starts_at),
        "ended": event.ends_at < now,
        "documents": public_documents().filter(pk__in=event.linked_documents.values("pk")),
    }  # fmt: skip
    return render(request, "participation/event_detail.html", context, status=status)


def registration_done(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(selectors.public_events(), pk=pk)
    registration = event.registrations.filter(pk=request.session.get(SESSION_REGISTRATION)).first()
    if registration is None:
        return redirect("participation:event-detail", pk=event.pk)
    return render(request, "participation/registration_done.html", {
        "event": event, "registration": registration, "position": services.waitlist_position(registration),
    })  # fmt: skip


@require_POST
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(selectors.public_events(), pk=pk)
    form = CancelForm(request.POST)
    if rate_limited(request, "signup-cancel", settings.PARTICIPATION_SIGNUP_RATE_PER_HOUR):
        messages.error(request, _("操作过于频繁，请一小时后再试。"))
    elif form.is_valid():
        registration = services.registration_for(
            event, form.cleaned_data["code"], form.cleaned_data["contact"]
        )
        if registration is None:
            messages.error(request, _("签到码或联系方式不正确。"))
        else:
            try:
                services.cancel_registration(registration)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, _("报名已取消。"))
    else:
        messages.error(request, _("请填写签到码和报名时的联系方式。"))
    return redirect("participation:event-detail", pk=event.pk)


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(selectors.public_events(), pk=pk)
    return _ics_response(ics.calendar([event]), f"event-{event.pk}.ics")


def calendar_ics(request: HttpRequest) -> HttpResponse:
    events = selectors.public_events().filter(ends_at__gte=timezone.now() - timezone.timedelta(days=90))
    return _ics_response(ics.calendar(events, name=str(settings.SITE_NAME)), "events.ics")


def material_download(request: HttpRequest, pk: int, material_pk: int) -> FileResponse:
    event = get_object_or_404(selectors.public_events(), pk=pk)
    material = get_object_or_404(event.materials, pk=material_pk)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=material.file.name.rsplit("/", 1)[-1])
