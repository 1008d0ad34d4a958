"""The back office for the document library, scoped by organisation; every save calls a service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Organisation
from gongkai.taxonomy.selectors import active_tags

from . import services, tagging
from .models import Attachment, Document, DocumentRelation, Theme
from .validation import DATE_LABELS

FORM_FIELDS = (
    "title", "doc_number", "doc_type", "organisation", "written_date", "published_date", "effective_date",
    "expiry_date", "theme", "disclosure_mode", "withheld_reason", "is_normative", "registration_number",
    "summary", "body_html", "interpretation_required", "interpretation_waiver_reason",
)  # fmt: skip


class DocumentForm(forms.ModelForm):
    doc_number = forms.CharField(
        label=_("发文字号"), required=False, help_text=_("可按任意常见写法填写，保存时规范为〔〕格式。")
    )
    extra_issuers = forms.ModelMultipleChoiceField(
        label=_("联合发文机关"), queryset=Organisation.objects.all(), required=False,
        widget=admin.widgets.FilteredSelectMultiple(_("机构"), is_stacked=False),
    )  # fmt: skip
    tags = forms.ModelMultipleChoiceField(
        label=_("政策标签"), queryset=active_tags(), required=False, to_field_name="code",
        widget=admin.widgets.FilteredSelectMultiple(_("政策标签"), is_stacked=False),
        help_text=_("政策文件（规范性文件及政策类文种）提交审核前须至少有一个“对象”标签和一个“主题”标签。"),
    )  # fmt: skip
    accepted_suggestions = forms.MultipleChoiceField(
        label=_("建议标签"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("根据正文自动建议，括号内为触发词；勾选即采纳，不勾选即不采纳。"),
    )  # fmt: skip
    attachment_file = forms.FileField(label=_("上传附件"), required=False)
    attachment_title = forms.CharField(label=_("附件标题"), required=False)

    class Meta:
        model = Document
        fields = FORM_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.user = kwargs.pop("user", None)
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["extra_issuers"].initial = [
                link.organisation_id for link in self.instance.issuer_links.all()[1:]
            ]
            self.fields["tags"].initial = list(self.instance.tags.values_list("code", flat=True))
            self.fields["accepted_suggestions"].choices = [
                (
                    s["code"],
                    f"{s['dimension_label']}·{s['name']}（{'、'.join(s['words'])}；{s['score']:.0%}）",
                )
                for s in tagging.suggestions_for(self.instance)
            ]
        if not self.fields["accepted_suggestions"].choices:
            self.fields["accepted_suggestions"].widget = forms.MultipleHiddenInput()
        for name, label in DATE_LABELS.items():
            if name in self.fields:
                self.fields[name].error_messages["invalid"] = f"{label}不是有效日期，请按 YYYY-MM-DD 填写。"
        if self.user is not None and not self.user.is_platform_admin and "organisation" in self.fields:
            self.fields["organisation"].queryset = Organisation.objects.filter(pk=self.user.organisation_id)
            self.fields["organisation"].initial = self.user.organisation_id

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        fields = {key: data.get(key) for key in FORM_FIELDS if key != "organisation" and key in data}
        try:
            data["_service_fields"] = services.validate_document_fields(fields)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        upload = data.get("attachment_file")
        if upload:
            try:
                services.check_attachment(upload.name, upload.size)
            except ValidationError as exc:
                self.add_error("attachment_file", exc.message_dict["file"])
        return data

    def _post_clean(self) -> None:
        """Skip ModelForm's direct assignment to the protected FSM field; services do the writes."""


class ReasonActionForm(ActionForm):
    reason = forms.CharField(label=_("理由（退回、撤回时必填）"), required=False)
    tag_codes = forms.CharField(label=_("标签代码（逗号分隔，用于“添加标签”）"), required=False)


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ("title", "file", "size", "sha256")
    readonly_fields = ("title", "file", "size", "sha256")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RelationInline(admin.TabularInline):
    model = DocumentRelation
    fk_name = "source"
    fields = ("relation_type", "target", "target_title", "target_doc_number", "note")
    # An autocomplete over what the user may see: the stock raw-id widget looked the typed id up
    # through the default manager and showed any document's title, drafts and withheld ones included.
    autocomplete_fields = ("target",)
    extra = 1

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "target":
            kwargs["queryset"] = Document.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def is_relation_lookup(request: HttpRequest) -> bool:
    """The admin's autocomplete request for the target of a relation."""
    match = getattr(request, "resolver_match", None)
    return bool(
        match
        and match.url_name == "autocomplete"
        and request.GET.get("model_name") == "documentrelation"
        and request.GET.get("field_name") == "target"
    )


class OrganisationScopedAdmin(admin.ModelAdmin):
    """Staff see only their organisation's rows; platform admins see all."""

    organisation_field = "organisation"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_platform_admin:
            return queryset
        return queryset.filter(**{self.organisation_field: request.user.organisation_id or -1})

    #: How a count of the selected rows is written in an action's success message.
    count_unit = "份公文"

    def _run(self, request: HttpRequest, queryset: QuerySet, func: Any, label: str, **kwargs: Any) -> None:
        """Call a service on each selected row; one row's refusal does not stop the others."""
        done = 0
        for item in queryset:
            try:
                func(item, actor=request.user, **kwargs)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                messages.error(request, f"{item.title}：{text}")
        if done:
            messages.success(request, f"{label}：{done} {self.count_unit}")


@admin.register(Document)
class DocumentAdmin(OrganisationScopedAdmin):
    form = DocumentForm
    action_form = ReasonActionForm
    list_display = (
        "index_number",
        "title",
        "doc_number",
        "organisation",
        "status",
        "validity",
        "published_date",
    )
    list_filter = ("status", "validity", "doc_type", "is_normative", "disclosure_mode", "organisation")
    search_fields = ("title", "doc_number", "index_number")
    readonly_fields = ("index_number", "status", "validity", "published_at", "created_by", "reading_link")
    inlines = [AttachmentInline, RelationInline]
    actions = [
        "submit_selected", "publish_selected", "reject_selected", "withdraw_selected", "tag_selected",
        "tag_by_suggestions",
    ]  # fmt: skip
    fieldsets = (
        (None, {"fields": ("index_number", "status", "validity", "title", "doc_number", "doc_type")}),
        (_("发文机关与日期"), {"fields": ("organisation", "extra_issuers", "written_date", "published_date",
                                     "effective_date", "expiry_date")}),
        (_("分类与公开"), {"fields": ("theme", "tags", "accepted_suggestions", "disclosure_mode", "withheld_reason", "is_normative",
                                   "registration_number")}),
        (_("正文"), {"fields": ("summary", "body_html")}),
        (_("政策解读（三同步）"), {"fields": ("interpretation_required", "interpretation_waiver_reason", "reading_link")}),
        (_("附件"), {"fields": ("attachment_file", "attachment_title")}),
    )  # fmt: skip

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        if is_relation_lookup(request):
            # A relation may point at any public document, or at the user's own organisation's items.
            return Document.objects.visible_to(request.user).select_related("organisation")
        return super().get_queryset(request)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> type:
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class BoundUserForm(form_class):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kw: Any) -> None:
                kw["user"] = request.user
                super().__init__(*args, **kw)

        return BoundUserForm

    def save_model(self, request: HttpRequest, obj: Document, form: DocumentForm, change: bool) -> None:
        data = form.cleaned_data
        fields = dict(data["_service_fields"])
        for derived in ("organ_code", "doc_year", "doc_serial"):
            fields.pop(derived, None)
        tags = [tag.code for tag in data.get("tags") or []] + list(data.get("accepted_suggestions") or [])
        try:
            if change:
                document = services.update_document(obj, actor=request.user, issuers=data.get("extra_issuers") or [],
                                                    tags=tags, **fields)  # fmt: skip
            else:
                document = services.create_document(actor=request.user, organisation=data["organisation"],
                                                    issuers=data.get("extra_issuers") or [], tags=tags, **fields)  # fmt: skip
            upload = data.get("attachment_file")
            if upload:
                services.add_attachment(document, actor=request.user, filename=upload.name, content=upload.read(),
                                        title=data.get("attachment_title") or "")  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            raise PermissionDenied(exc) from None
        obj.pk = document.pk
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            if formset.model is not DocumentRelation:
                continue
            for inline_form in formset.forms:
                if not inline_form.has_changed() and not inline_form.cleaned_data.get("DELETE"):
                    continue
                data = inline_form.cleaned_data
                if data.get("DELETE") and inline_form.instance.pk:
                    services.remove_relation(inline_form.instance, actor=request.user)
                elif data and not inline_form.instance.pk and data.get("relation_type"):
                    try:
                        services.add_relation(form.instance, actor=request.user, relation_type=data["relation_type"],
                                              target=data.get("target"), target_title=data.get("target_title") or "",
                                              target_doc_number=data.get("target_doc_number") or "",
                                              note=data.get("note") or "")  # fmt: skip
                    except ValidationError as exc:
                        messages.error(request, "；".join(exc.messages))

    @admin.action(description=_("提交审核"))
    def submit_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, queryset, services.submit_for_review, "已提交审核")

    @admin.action(description=_("审核通过并发布"))
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, queryset, services.publish_document, "已发布")

    @admin.action(description=_("退回修改"))
    def reject_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(
            request, queryset, services.reject_document, "已退回", reason=request.POST.get("reason", "")
        )

    @admin.action(description=_("添加标签（填写标签代码）"))
    def tag_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        codes = [
            c.strip() for c in request.POST.get("tag_codes", "").replace("，", ",").split(",") if c.strip()
        ]
        if not codes:
            messages.error(request, _("请在“标签代码”中填写要添加的标签代码，例如 veterans,employment。"))
            return
        self._run(request, queryset, tagging.tag_document, "已添加标签", add=codes)

    @admin.action(description=_("按建议标注标签（置信度 60%% 以上）"))
    def tag_by_suggestions(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, queryset, tagging.tag_document, "已按建议标注", use_suggestions=True)

    @admin.action(description=_("撤回"))
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(
            request, queryset, services.withdraw_document, "已撤回", reason=request.POST.get("reason", "")
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # documents are withdrawn, never deleted: the audit trail refers to them

    @admin.display(description=_("解读辅助"))
    def reading_link(self, obj: Document) -> str:
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("documents:reading", args=[obj.pk]),
                           _("关键信息、新旧政策差异和解读草稿"))  # fmt: skip


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "sort_order")
    list_filter = ("parent",)
    search_fields = ("code", "name")


from .admin_interpretations import InterpretationAdmin  # noqa: E402, F401 (registers the admin)
