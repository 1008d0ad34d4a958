"""Staff screens: delivery status per policy and channel, relay organisations and their forwarding.
Public accounts are turned away (they are never staff)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.constants import UserKind
from gongkai.documents.selectors import public_documents

from . import relay, selectors
from .models import RelayOrganisation


def _require_staff(request: HttpRequest) -> None:
    user = request.user
    if not user.is_staff or getattr(user, "kind", UserKind.STAFF) != UserKind.STAFF:
        raise PermissionDenied(_("推送统计仅供工作人员查看。"))


@login_required
def status(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    return render(
        request, "subscriptions/staff_status.html", {"rows": selectors.delivery_counts(request.user)}
    )


@login_required
def relays(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    return render(request, "subscriptions/staff_relays.html", {"stats": selectors.relay_stats()})


@login_required
def relay_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    organisation = get_object_or_404(RelayOrganisation, pk=pk)
    tasks = [{"task": task, "members": selectors.task_member_status(task)}
             for task in organisation.tasks.select_related("document", "forwarded_by")]  # fmt: skip
    return render(request, "subscriptions/staff_relay.html", {"relay": organisation, "tasks": tasks})


@login_required
@require_POST
def relay_push(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    organisation = get_object_or_404(RelayOrganisation, pk=pk)
    raw = request.POST.get("document", "")
    document = public_documents().filter(pk=int(raw) if raw.isdigit() else -1).first()
    if document is None:
        messages.error(request, _("文件：请填写已公开文件的编号。"))
        return redirect(organisation)
    try:
        relay.push_to_relay(document, organisation, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已下达转发任务。"))
    return redirect(organisation)
