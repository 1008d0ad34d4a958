"""The back office for 政策解读: every save and workflow step calls `documents.interpretations`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Organisation

from . import interpretations as services
from .admin import OrganisationScopedAdmin, ReasonActionForm
from .constants import SECTION_FIELDS, DocumentStatus
from .models import Document, Interpretation

CONTENT_FIELDS = ("kind", "title", "summary", "body", *SECTION_FIELDS, "author", "media_url", "is_example")


class InterpretationForm(forms.ModelForm):
    documents = forms.ModelMultipleChoiceField(
        label=_("所解读的文件"), queryset=Document.objects.none(),
        widget=admin.widgets.FilteredSelectMultiple(_("文件"), is_stacked=False),
        help_text=_("文件尚未发布时，解读随文件一并提交审核、一并发布（三同步）；文件已发布后新增的解读为动态解读。"),
    )  # fmt: skip

    media_url = forms.CharField(label=_("视频、图解或课件地址"), required=False, max_length=500)

    class Meta:
        model = Interpretation
        fields = ("documents", "organisation", *CONTENT_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.user = kwargs.pop("user", None)
        super().__init__(*args, **kwargs)
        if self.user is not None:
            self.fields["documents"].queryset = Document.objects.visible_to(self.user).exclude(
                status=DocumentStatus.WITHDRAWN
            )
            if not self.user.is_platform_admin:
                self.fields["organisation"].queryset = Organisation.objects.filter(
                    pk=self.user.organisation_id
                )
                self.fields["organisation"].initial = self.user.organisation_id

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            data["_service_fields"] = services.clean_fields(
                {key: data.get(key) for key in CONTENT_FIELDS if key in data}
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return data

    def _post_clean(self) -> None:
        """Skip ModelForm's assignment to the protected FSM field; the services write."""


@admin.register(Interpretation)
class InterpretationAdmin(OrganisationScopedAdmin):
    count_unit = "篇解读"
    form = InterpretationForm
    action_form = ReasonActionForm
    list_display = ("title", "kind", "status", "is_follow_up", "is_example", "published_date", "organisation")
    list_filter = ("status", "kind", "is_follow_up", "is_example", "organisation")
    search_fields = ("title", "documents__title", "documents__doc_number")
    readonly_fields = ("status", "is_follow_up", "submitted_with", "published_date", "published_at", "created_by",
                       "review_link", "public_link")  # fmt: skip
    actions = [
        "submit_selected",
        "publish_selected",
        "reject_selected",
        "withdraw_selected",
        "reopen_selected",
    ]
    fieldsets = (
        (None, {"fields": ("status", "is_follow_up", "submitted_with", "documents", "organisation", "kind", "title",
                           "is_example", "author", "media_url", "summary", "body")}),
        (_("解读栏目（空栏目不显示）"), {"fields": SECTION_FIELDS}),
        (_("审核与发布"), {"fields": ("published_date", "published_at", "created_by", "review_link", "public_link")}),
    )  # fmt: skip

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> type:
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class BoundUserForm(form_class):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kw: Any) -> None:
                kw["user"] = request.user
                super().__init__(*args, **kw)

        return BoundUserForm

    def save_model(
        self, request: HttpRequest, obj: Interpretation, form: InterpretationForm, change: bool
    ) -> None:
        data = form.cleaned_data
        try:
            if change:
                item = services.update_interpretation(obj, actor=request.user, documents=data["documents"],
                                                      **data["_service_fields"])  # fmt: skip
            else:
                item = services.create_interpretation(actor=request.user, organisation=data["organisation"],
                                                      documents=data["documents"], **data["_service_fields"])  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            raise PermissionDenied(exc) from None
        obj.pk = item.pk
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The documents were set by the service."""

    @admin.action(description=_("提交审核（动态解读）"))
    def submit_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, queryset, services.submit_interpretation, "已提交审核")

    @admin.action(description=_("审核通过并发布（动态解读）"))
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, queryset, services.publish_interpretation, "已发布")

    @admin.action(description=_("退回修改"))
    def reject_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(
            request, queryset, services.reject_interpretation, "已退回", reason=request.POST.get("reason", "")
        )

    @admin.action(description=_("撤回"))
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(
            request,
            queryset,
            services.withdraw_interpretation,
            "已撤回",
            reason=request.POST.get("reason", ""),
        )

    @admin.action(description=_("重新编辑（已撤回的）"))
    def reopen_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, queryset, services.reopen_interpretation, "已转为草稿")

    @admin.display(description=_("公开审查"))
    def review_link(self, obj: Interpretation) -> str:
        if not obj.pk or obj.status != DocumentStatus.IN_REVIEW:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("review:task-for-interpretation", args=[obj.pk]), _("审查任务")
        )

    @admin.display(description=_("公开页面"))
    def public_link(self, obj: Interpretation) -> str:
        if not obj.pk or not obj.is_public:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # withdrawn, never deleted: the audit trail refers to them
