"""我的文件: an editor's drafts, their state and 提交审核, without the Django admin (rule 2: thin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.constants import Role

from . import services
from .constants import DocumentStatus
from .models import Document

NOT_PUBLISHED = (DocumentStatus.DRAFT, DocumentStatus.IN_REVIEW, DocumentStatus.WITHDRAWN)


def _editor(request: HttpRequest) -> None:
    user = request.user
    if not (user.has_role(Role.EDITOR) or user.has_role(Role.ORG_ADMIN)):
        raise PermissionDenied(_("查看“我的文件”需要“%(role)s”角色。") % {"role": Role.EDITOR.label})


@login_required
def my_documents(request: HttpRequest) -> HttpResponse:
    _editor(request)
    documents = (
        Document.objects.visible_to(request.user)
        .filter(status__in=NOT_PUBLISHED)
        .select_related("organisation", "created_by", "last_edited_by")
        .order_by("status", "-updated_at")
    )
    if not request.user.is_platform_admin:
        documents = documents.filter(organisation_id=request.user.organisation_id)
    return render(request, "documents/mine.html", {"documents": documents[:200]})


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    _editor(request)
    document = get_object_or_404(Document.objects.visible_to(request.user), pk=pk)
    try:
        services.submit_for_review(document, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        text = "；".join(
            m for ms in exc.message_dict.values() for m in ms
        ) if isinstance(exc, ValidationError) and hasattr(exc, "error_dict") else "；".join(
            exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        )  # fmt: skip
        messages.error(
            request, _("《%(title)s》未能提交审核：%(reason)s") % {"title": document.title, "reason": text}
        )
    else:
        messages.success(request, _("《%(title)s》已提交审核。") % {"title": document.title})
    return redirect("documents:mine")
