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
from .edit_forms import DocumentEditForm
from .models import Document
from .validation import require_editable

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
    document = _own_document(request, pk)
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


def _own_document(request: HttpRequest, pk: int) -> Document:
    """A document of the editor's own organisation (any organisation for a platform administrator)."""
    documents = Document.objects.visible_to(request.user)
    if not request.user.is_platform_admin:
        documents = documents.filter(organisation_id=request.user.organisation_id)
    return get_object_or_404(documents.select_related("theme", "organisation"), pk=pk)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft's fields and save it, or save and 提交审核, through documents.services."""
    _editor(request)
    document = _own_document(request, pk)
    try:
        require_editable(document)
    except ValidationError as exc:
        # published documents change through withdrawal or an amending document, not here
        messages.error(request, "；".join(exc.messages))
        return redirect("documents:mine")
    form = DocumentEditForm(request.POST or None, initial=DocumentEditForm.initial_for(document))
    summary_title = ""
    if request.method == "POST" and form.is_valid():
        try:
            document = services.update_document(
                document, actor=request.user, tags=form.tag_codes(), **form.service_fields()
            )
        except ValidationError as exc:
            _add_errors(form, exc)  # nothing was saved
        else:
            if request.POST.get("action") != "submit":
                messages.success(request, _("《%(title)s》已保存。") % {"title": document.title})
                return redirect("documents:edit", pk=document.pk)
            try:
                services.submit_for_review(document, actor=request.user)
            except ValidationError as exc:
                _add_errors(form, exc)
                summary_title = _("修改已保存，但未能提交审核，请修改以下内容：")
            else:
                messages.success(request, _("《%(title)s》已提交审核。") % {"title": document.title})
                return redirect("documents:mine")
    context = {"document": document, "form": form, "summary_title": summary_title}
    return render(request, "documents/edit.html", context)


def _add_errors(form: DocumentEditForm, exc: ValidationError) -> None:
    """A service's errors beside the fields they name; the others at the top of the form."""
    if not hasattr(exc, "error_dict"):
        for error in exc.messages:
            form.add_error(None, error)
        return
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
