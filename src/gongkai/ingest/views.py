"""Back office: upload official documents, check the extracted elements, save them as drafts (rule 2: thin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.accounts.constants import Role
from gongkai.accounts.permissions import require_role
from gongkai.core.files import display_name
from gongkai.documents.selectors import documents_visible_to
from gongkai.documents.tagging import suggest_tags
from gongkai.text.readers import max_bytes

from . import services
from .extract import ELEMENT_KEYS, ELEMENT_LABELS
from .forms import ConfirmForm
from .highlight import segments
from .models import ImportRecord, ImportStatus


def _require_editor(request: HttpRequest) -> None:
    if request.user.organisation_id is None and not request.user.is_platform_admin:
        raise PermissionDenied(_("您的账号没有所属机构，不能导入公文。"))
    require_role(request.user, Role.EDITOR, request.user.organisation_id, _("导入公文"))


def _records_for(user) -> object:
    records = ImportRecord.objects.select_related("organisation", "document")
    if user.is_platform_admin:
        return records
    return records.filter(organisation_id=user.organisation_id)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Store the files and queue their reading; the status page follows each until it is ready."""
    _require_editor(request)
    results: list[dict] = []
    if request.method == "POST":
        files = request.FILES.getlist("files")
        if not files:
            messages.error(request, _("请选择要上传的文件。"))
        organisation = request.user.organisation
        for upload in files:
            row = {"name": display_name(upload.name or ""), "record": None, "error": ""}
            try:
                row["record"], _queued = services.queue_upload(
                    actor=request.user, organisation=organisation, upload=upload
                )
            except ValidationError as exc:
                row["error"] = "；".join(m for ms in exc.message_dict.values() for m in ms)
            results.append(row)
        if len(results) == 1 and results[0]["record"] is not None:
            return redirect("ingest:record-status", pk=results[0]["record"].pk)
        for row in results:
            if row["record"] is not None:
                row["record"].refresh_from_db()
    return render(
        request, "ingest/upload.html", {"results": results, "limit_mb": max_bytes() // (1024 * 1024)}
    )


@login_required
def record_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Where an upload waits while a worker reads it: refreshes itself until the file is read."""
    _require_editor(request)
    record = get_object_or_404(_records_for(request.user), pk=pk)
    if record.status in (ImportStatus.PENDING, ImportStatus.IMPORTED):
        return redirect("ingest:record-confirm", pk=record.pk)
    context = {"record": record, "refresh_seconds": 2 if record.status == ImportStatus.QUEUED else None}
    return render(request, "ingest/record_status.html", context)


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    records = _records_for(request.user)[:200]
    return render(request, "ingest/record_list.html", {"records": records})


@login_required
@require_http_methods(["GET", "POST"])
def record_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    record = get_object_or_404(_records_for(request.user), pk=pk)
    if record.status in (ImportStatus.QUEUED, ImportStatus.FAILED):
        return redirect("ingest:record-status", pk=record.pk)
    data = record.extraction
    visible = documents_visible_to(request.user)
    services.match_relations(data, visible)
    relations = data.get("relations", [])
    initial = {
        "title": data.get("title") or "", "doc_number": data.get("doc_number_normalized") or data.get("doc_number") or "",
        "doc_type": data.get("doc_type") or "other", "written_date": data.get("written_date"),
        "effective_date": data.get("effective_date"), "expiry_date": data.get("expiry_date"),
    }  # fmt: skip
    suggestions = [
        s.as_dict() for s in suggest_tags(data.get("title") or "", record.text)
    ]  # work plan item 十二: staff accept or reject each suggested tag
    form = ConfirmForm(request.POST or None, initial=initial, suggestions=suggestions)
    if request.method == "POST":
        if record.status == ImportStatus.IMPORTED:
            raise Http404
        if form.is_valid():
            kept = [rel for i, rel in enumerate(relations) if request.POST.get(f"relation_{i}")]
            fields = services.fields_from_extraction({**data, "text": record.text})
            fields.update(
                {
                    key: value
                    for key, value in form.cleaned_data.items()
                    if key not in ("tags", "suggested_tags")
                }
            )
            fields["tags"] = form.tag_codes()
            if fields.get("theme") is not None:
                fields["theme"] = fields["theme"].code
            try:
                document = services.confirm_record(record, actor=request.user, fields=fields, relations=kept)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("已保存为草稿：%(index)s %(title)s。检查无误后，可在“我的文件”中提交审核。")
                    % {"index": document.index_number, "title": document.title},
                )
                return redirect("documents:mine")  # the draft, its state and 提交审核
    elements = [
        {
            "key": key,
            "label": ELEMENT_LABELS[key],
            "value": "、".join(data[key]) if isinstance(data.get(key), list) else data.get(key),
            "confidence": data.get("confidence", {}).get(key),
        }
        for key in ELEMENT_KEYS
        if key != "body" and data.get(key) not in (None, "", [])
    ]
    context = {
        "record": record, "form": form, "elements": elements, "relations": relations, "data": data,
        "segments": segments(record.text, data.get("spans", {})), "issuers": data.get("issuers", []),
    }  # fmt: skip
    return render(request, "ingest/record_confirm.html", context)
