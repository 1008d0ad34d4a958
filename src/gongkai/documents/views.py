"""Staff screens for interpretations (rule 2: thin views over services and selectors).

解读辅助 (key facts and drafts from the text), the 新旧政策差异 comparison, the 需解读 mark, and the
应解读、尽解读 report.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.models import Organisation
from gongkai.accounts.permissions import same_organisation

from . import interpretation_selectors, reading
from .forms import InterpretationDraftForm, RequirementForm
from .interpretation_sync import set_interpretation_requirement
from .interpretations import create_interpretation
from .keyfacts import group_facts
from .models import Document


def _staff_document(request: HttpRequest, pk: int) -> Document:
    if not request.user.is_staff:
        raise PermissionDenied(_("只有工作人员可以使用解读辅助。"))
    return get_object_or_404(Document.objects.visible_to(request.user), pk=pk)


def _errors(exc: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(exc, ValidationError):
        return (
            [m for ms in exc.message_dict.values() for m in ms]
            if hasattr(exc, "error_dict")
            else exc.messages
        )
    return [str(exc)]


@login_required
def reading_page(request: HttpRequest, pk: int) -> HttpResponse:
    """解读辅助: key facts highlighted in the text, comparisons, and a draft interpretation to edit."""
    document = _staff_document(request, pk)
    form = InterpretationDraftForm(initial=reading.draft_interpretation(document, request.user))
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        form = InterpretationDraftForm(request.POST)
        if form.is_valid():
            try:
                item = create_interpretation(actor=request.user, organisation=document.organisation,
                                             documents=[document], **form.service_fields())  # fmt: skip
            except (ValidationError, PermissionDenied) as exc:
                errors, status = _errors(exc), 400
            else:
                messages.success(request, _("已保存解读草稿“%(title)s”，可继续编辑；文件提交审核时解读随之提交（三同步）。")
                                 % {"title": item.title})  # fmt: skip
                return redirect(reverse("admin:documents_interpretation_change", args=[item.pk]))
        else:
            status = 400
    facts = reading.key_facts(document)
    return render(request, "documents/reading.html", {
        "document": document, "facts": group_facts(facts), "fact_count": len(facts),
        "highlighted": reading.highlight_facts(document.body_text, facts),
        "pairs": reading.comparisons_for(document, request.user), "form": form, "errors": errors,
        "interpretations": document.interpretations.order_by("-id"),
        "requirement": RequirementForm(initial={
            "required": {None: "default", True: "yes", False: "no"}[document.interpretation_required],
            "reason": document.interpretation_waiver_reason}),
        "can_edit": same_organisation(request.user, document.organisation_id),
    }, status=status)  # fmt: skip


@login_required
def compare_page(request: HttpRequest, pk: int, old_pk: int) -> HttpResponse:
    """新旧政策差异 of two documents, article by article, with character diffs."""
    new = _staff_document(request, pk)
    old = _staff_document(request, old_pk)
    relation = dict((target.pk, kind) for target, kind in reading.older_versions(new, request.user)).get(
        old.pk, ""
    )
    pair = reading.compare_documents(new, old, relation or "amends")
    return render(request, "documents/compare.html", {"pair": pair, "related": bool(relation)})


@login_required
@require_POST
def requirement(request: HttpRequest, pk: int) -> HttpResponse:
    document = _staff_document(request, pk)
    form = RequirementForm(request.POST)
    if form.is_valid():
        try:
            set_interpretation_requirement(document, actor=request.user, required=form.value(),
                                           reason=form.cleaned_data["reason"])  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            for error in _errors(exc):
                messages.error(request, error)
        else:
            messages.success(request, _("“需解读”标记已保存。"))
    return redirect("documents:reading", pk=document.pk)


@login_required
def missing_report(request: HttpRequest) -> HttpResponse:
    """应解读、尽解读: per organisation and year, published policies without interpretation."""
    if not request.user.is_staff:
        raise PermissionDenied(_("只有工作人员可以查看此报表。"))
    year_text = request.GET.get("year", "")
    year = (
        int(year_text)
        if year_text.isdigit() and 1949 <= int(year_text) <= 2100
        else timezone.localdate().year
    )
    code = request.GET.get("organisation", "")
    organisation = Organisation.objects.filter(code=code).first() if code else None
    if not request.user.is_platform_admin:  # staff see their own organisation's row
        organisation = request.user.organisation
    rows = (
        interpretation_selectors.missing_interpretations(year, organisation)
        if organisation or request.user.is_platform_admin
        else []
    )
    return render(request, "documents/missing.html", {
        "rows": rows, "year": year, "organisation": organisation,
        "organisations": Organisation.objects.order_by("sort_order", "id") if request.user.is_platform_admin else [],
    })  # fmt: skip
