"""Staff screens of 政民互动: the queue per organisation with urgency colours, one message with its
moderation, assignment, reply and review, FAQ promotion, knowledge-base review and unanswered questions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.constants import Role

from . import classify, kb, selectors, services
from .forms import (
    AssignForm,
    DispatchForm,
    FAQForm,
    FieldForm,
    ModerateForm,
    ReplyForm,
    ReturnForm,
    ReviewForm,
)
from .models import Message


def _require_staff(user: Any) -> None:
    if not (
        user.is_platform_admin or any(user.has_role(r) for r in (Role.EDITOR, Role.REVIEWER, Role.ORG_ADMIN))
    ):
        raise PermissionDenied(_("处理留言需要“编辑”或“审核人”角色。"))


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require_staff(request.user)
    status = request.GET.get("status", "open")
    return render(request, "interaction/staff/queue.html", {
        "rows": selectors.queue(request.user, status=status), "status": status,
        "to_review": selectors.to_review(request.user),
        "groups": selectors.faq_candidates(request.user),
        "unanswered": selectors.unanswered_of(request.user)[:50],
        "by_organisation": selectors.unanswered_by_organisation() if request.user.is_platform_admin else [],
        "entries_to_review": selectors.entries_to_review(request.user)[:50],
        "faq_form": FAQForm(),
    })  # fmt: skip


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_staff(request.user)
    return render(request, "interaction/staff/dashboard.html", selectors.dashboard(request.user))


def _message(request: HttpRequest, pk: int) -> Message:
    _require_staff(request.user)
    return get_object_or_404(selectors.messages_of(request.user), pk=pk)


@login_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = _message(request, pk)
    reply = getattr(message, "reply", None) if hasattr(message, "reply") else None
    suggestion, fields = classify.suggest(message.subject, message.body), classify.categories()
    suggested_org = selectors.suggested_organisation(message.handling_field or suggestion[0])
    forms = {
        "assign_form": AssignForm(organisation_id=message.organisation_id),
        "moderate_form": ModerateForm(),
        "reply_form": ReplyForm(initial={"body": reply.body if reply else ""}),
        "review_form": ReviewForm(),
        "dispatch_form": DispatchForm(
            prefix="dispatch",
            fields=fields,
            initial={
                "handling_field": message.handling_field or suggestion[0],
                "organisation": suggested_org,
            },
        ),
        "field_form": FieldForm(
            prefix="field", fields=fields, initial={"handling_field": message.handling_field or suggestion[0]}
        ),
        "return_form": ReturnForm(prefix="return"),
        "reopen_form": ReturnForm(prefix="reopen"),
    }
    return render(request, "interaction/staff/message.html", {
        "message": message, "reply": reply, "urgency": selectors.urgency(message, timezone.localdate()), **forms,
        "suggestion": suggestion, "suggested_org": suggested_org,
    })  # fmt: skip


def _act(
    request: HttpRequest, pk: int, form_class: type, action: Callable[[Message, dict], Any]
) -> HttpResponse:
    message = _message(request, pk)
    kwargs = {"organisation_id": message.organisation_id} if form_class is AssignForm else {}
    if form_class in (DispatchForm, FieldForm):
        kwargs["fields"] = classify.categories()
    if form_class is FieldForm:
        kwargs["prefix"] = "field"
    if form_class in (DispatchForm, ReturnForm):
        kwargs["prefix"] = "dispatch" if form_class is DispatchForm else "return"
        if request.resolver_match.url_name == "staff-reopen":
            kwargs["prefix"] = "reopen"
    form = form_class(request.POST, **kwargs)
    try:
        if not form.is_valid():
            raise ValidationError(next(iter(form.errors.values())))
        action(message, form.cleaned_data)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已保存。"))
        if not selectors.messages_of(request.user).filter(pk=pk).exists():  # dispatched or returned away
            return redirect("interaction:staff")
    return redirect("interaction:staff-message", pk=pk)


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, AssignForm,
                lambda m, d: services.assign_message(m, actor=request.user, assignee=d["assignee"]))  # fmt: skip


@login_required
@require_POST
def dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, DispatchForm, lambda m, d: services.dispatch_message(
        m, actor=request.user, organisation=d["organisation"], reason=d["reason"],
        handling_field=d["handling_field"]))  # fmt: skip


@login_required
@require_POST
def confirm_field(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, FieldForm, lambda m, d: services.confirm_field(
        m, actor=request.user, handling_field=d["handling_field"]))  # fmt: skip


@login_required
@require_POST
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        ReturnForm,
        lambda m, d: services.return_message(m, actor=request.user, reason=d["reason"]),
    )


@login_required
@require_POST
def publication(request: HttpRequest, pk: int) -> HttpResponse:
    message = _message(request, pk)
    try:
        services.select_for_publication(message, actor=request.user, public=request.POST.get("public") == "1")
    except (ValidationError, PermissionDenied) as exc:
        for text in getattr(exc, "messages", [str(exc)]):
            messages.error(request, text)
    return redirect("interaction:staff-message", pk=pk)


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        ReturnForm,
        lambda m, d: services.reopen_message(m, actor=request.user, reason=d["reason"]),
    )


@login_required
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, ModerateForm,
                lambda m, d: services.moderate_message(m, actor=request.user, outcome=d["outcome"], note=d["note"]))  # fmt: skip


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, ReplyForm, lambda m, d: services.draft_reply(m, actor=request.user, body=d["body"])
    )


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    def decide(message: Message, data: dict) -> None:
        if not hasattr(message, "reply"):
            raise ValidationError({"reply": _("尚无答复草稿。")})
        services.review_reply(message.reply, actor=request.user, approve=data["decision"] == "approve",
                              note=data["note"])  # fmt: skip

    return _act(request, pk, ReviewForm, decide)


@login_required
@require_POST
def promote(request: HttpRequest) -> HttpResponse:
    _require_staff(request.user)
    form = FAQForm(request.POST)
    if form.is_valid():
        ids = [int(v) for v in form.cleaned_data["messages"].split(",") if v.strip().isdigit()]
        chosen = list(selectors.messages_of(request.user).filter(pk__in=ids))
        try:
            services.promote_to_faq(chosen, actor=request.user, question=form.cleaned_data["question"],
                                    answer=form.cleaned_data["answer"])  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            for text in getattr(exc, "messages", [str(exc)]):
                messages.error(request, text)
        else:
            messages.success(request, _("已整理为常见问题，显示在政策页面和专题页面。"))
    else:
        messages.error(request, _("请填写常见问题和回答。"))
    return redirect("interaction:staff")


@login_required
@require_POST
def learn_question(request: HttpRequest, pk: int) -> HttpResponse:
    """A question the knowledge base could not answer: staff name the entry that answers it."""
    _require_staff(request.user)
    unanswered = get_object_or_404(selectors.unanswered_of(request.user), pk=pk)
    try:
        entry = kb.learn_question(unanswered, request.POST.get("entry", ""), actor=request.user)
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已将该问题归入知识库条目 %(id)s。") % {"id": entry.pk})
    return redirect("interaction:staff")


@login_required
@require_POST
def confirm_entry(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request.user)
    entry = get_object_or_404(selectors.entries_to_review(request.user), pk=pk)
    try:
        kb.confirm_entry(entry, actor=request.user, keep=request.POST.get("keep") == "1")
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("interaction:staff")
