"""Staff screens of the disclosure review and the recipients' view of 定向公开 (rule 2: thin views)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.models import User
from gongkai.accounts.permissions import same_organisation
from gongkai.core.http import client_ip, site_url
from gongkai.documents.constants import WithheldReason
from gongkai.documents.interpretation_selectors import all_interpretations
from gongkai.documents.selectors import all_documents
from gongkai.documents.services import publish_previews

from . import interpretations, selectors, services
from .constants import FindingKind
from .models import Rereview, ReviewTask, TargetedDisclosure


def _staff_of(request: HttpRequest, organisation_id: int) -> None:
    if not request.user.is_staff or not same_organisation(request.user, organisation_id):
        raise PermissionDenied(_("只能查看本单位的审查事项。"))


def _errors(exc: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(exc, ValidationError):
        return (
            [message for messages_ in exc.message_dict.values() for message in messages_]
            if hasattr(exc, "error_dict")
            else exc.messages
        )
    return [str(exc)]


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "review/queue.html", {
        "tasks": selectors.open_tasks(request.user),
        "pending": selectors.documents_without_task(request.user),
        "decided": selectors.recent_decisions(request.user),
        "others": selectors.other_review_items(request.user),
    })  # fmt: skip


@login_required
def task_for_document(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(all_documents(), pk=pk)
    _staff_of(request, document.organisation_id)
    try:
        task = services.open_task(document, actor=request.user)
    except ValidationError:
        latest = document.review_tasks.filter(interpretation=None).order_by("-created_at").first()
        if latest is None:
            messages.error(request, _("该公文不在审核中，没有审查任务。"))
            return redirect("review:queue")
        task = latest
    return redirect(task)


def _task_context(request: HttpRequest, task: ReviewTask, errors: list[str] | None = None) -> dict:
    body_findings = [f for f in task.findings if f["source"] == "body" and f["confidence"] >= 0.5]
    text = task.original_body_text or task.document.body_text
    if task.interpretation_id:  # a 动态解读: its own text is what is reviewed
        text = task.interpretation.body
    return {
        "interpretation": task.interpretation,
        "bundled": selectors.bundled_interpretations(task),
        "task": task,
        "document": task.document,
        "findings": [
            {**f, "label": FindingKind(f["kind"]).label} for f in task.findings if f["confidence"] >= 0.5
        ],
        "highlighted": selectors.highlight(text, body_findings),
        "reasons": WithheldReason.choices,
        "errors": errors or [],
        "masked": bool(task.original_body_text),
        # what publishing would set off (e.g. how many profiles a policy is pushed to)
        "publish_previews": publish_previews(task.document)
        if task.is_open and not task.interpretation_id
        else [],
    }


@login_required
def task_detail(request: HttpRequest, pk: str) -> HttpResponse:
    task = get_object_or_404(
        ReviewTask.objects.select_related("document", "interpretation", "assignee", "decided_by"), pk=pk
    )
    _staff_of(request, task.organisation_id)
    return render(request, "review/task.html", _task_context(request, task))


@login_required
@require_POST
def decide(request: HttpRequest, pk: str) -> HttpResponse:
    task = get_object_or_404(ReviewTask.objects.select_related("document"), pk=pk)
    _staff_of(request, task.organisation_id)
    action = request.POST.get("decision", "")
    note = request.POST.get("note", "")
    try:
        if task.interpretation_id:
            _decide_interpretation(request, task, action, note)
        elif action == "approve":
            services.approve_review(task, actor=request.user, note=note)
        elif action == "approve_masked":
            services.approve_review(
                task, actor=request.user, mask=request.POST.getlist("kinds") or True, note=note
            )
        elif action == "refuse":
            services.refuse_review(task, actor=request.user, reason=request.POST.get("reason", ""), note=note)
        else:
            raise ValidationError({"decision": _("请选择审查决定。")})
    except (ValidationError, PermissionDenied) as exc:
        task.refresh_from_db()
        return render(request, "review/task.html", _task_context(request, task, _errors(exc)), status=400)
    messages.success(request, _("审查决定已记录并签名。"))
    task.refresh_from_db()
    return redirect(task)


def _decide_interpretation(request: HttpRequest, task: ReviewTask, action: str, note: str) -> None:
    if action == "approve":
        interpretations.approve_interpretation_review(task, actor=request.user, note=note)
    elif action == "refuse":
        interpretations.refuse_interpretation_review(
            task, actor=request.user, reason=request.POST.get("reason", ""), note=note
        )
    else:
        raise ValidationError(
            {"decision": _("政策解读不提供遮蔽后公开：请选择“同意公开”或“不予公开”（退回起草人修改）。")}
        )


@login_required
def task_for_interpretation(request: HttpRequest, pk: int) -> HttpResponse:
    interpretation = get_object_or_404(all_interpretations(), pk=pk)
    _staff_of(request, interpretation.organisation_id)
    if interpretation.submitted_with_id:  # 三同步: reviewed in its policy's task
        return redirect("review:task-for-document", interpretation.submitted_with_id)
    try:
        task = interpretations.open_interpretation_task(interpretation, actor=request.user)
    except ValidationError:
        task = interpretation.review_tasks.order_by("-created_at").first()
        if task is None:
            messages.error(request, _("该解读不在审核中，没有审查任务。"))
            return redirect("review:queue")
    return redirect(task)


@login_required
@require_POST
def targeted_create(request: HttpRequest, pk: str) -> HttpResponse:
    task = get_object_or_404(ReviewTask.objects.select_related("document"), pk=pk)
    _staff_of(request, task.organisation_id)
    usernames = [
        name.strip()
        for name in request.POST.get("usernames", "").replace("，", ",").split(",")
        if name.strip()
    ]
    users = list(User.objects.filter(username__in=usernames))
    missing = sorted(set(usernames) - {u.username for u in users})
    if missing:
        return render(
            request,
            "review/task.html",
            _task_context(request, task, [_("账号不存在：%(names)s") % {"names": "、".join(missing)}]),
            status=400,
        )
    try:
        disclosure, tokens = services.create_targeted_disclosure(
            task.document, actor=request.user, users=users, links=request.POST.get("links", "").splitlines(),
            note=request.POST.get("note", ""),
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        return render(request, "review/task.html", _task_context(request, task, _errors(exc)), status=400)
    links = [site_url(reverse("review:targeted-link", args=[token])) for token in tokens]
    return render(request, "review/targeted_created.html", {"disclosure": disclosure, "links": links})


@login_required
def rereview_list(request: HttpRequest) -> HttpResponse:
    return render(request, "review/rereviews.html", {"rereviews": selectors.active_rereviews(request.user)})


@login_required
@require_POST
def rereview_decide(request: HttpRequest, pk: int) -> HttpResponse:
    rereview = get_object_or_404(Rereview, pk=pk)
    _staff_of(request, rereview.organisation_id)
    try:
        services.decide_rereview(rereview, actor=request.user, release=request.POST.get("release") == "1",
                                 note=request.POST.get("note", ""))  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        for error in _errors(exc):
            messages.error(request, error)
    else:
        messages.success(request, _("评估结果已记录。"))
    return redirect("review:rereviews")


@login_required
def targeted_detail(request: HttpRequest, pk: str) -> HttpResponse:
    disclosure = get_object_or_404(TargetedDisclosure, pk=pk)
    try:
        services.open_targeted(disclosure, user=request.user, ip=client_ip(request))
    except PermissionDenied as exc:
        return HttpResponseForbidden(
            render(request, "review/targeted_denied.html", {"message": str(exc)}).content
        )
    return render(request, "review/targeted.html", {"disclosure": disclosure})


def targeted_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        disclosure = services.open_targeted(None, user=request.user, token=token, ip=client_ip(request))
    except PermissionDenied as exc:
        return HttpResponseForbidden(
            render(request, "review/targeted_denied.html", {"message": str(exc)}).content
        )
    response = render(request, "review/targeted.html", {"disclosure": disclosure})
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
