"""The tag catalogue in the back office: platform administrators edit it through the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Tag
from .selectors import all_tags, usage_count


class MergeActionForm(ActionForm):
    target_code = forms.CharField(label=_("合并到（标签代码）"), required=False)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "dimension", "parent", "is_active", "merged_into", "uses")
    list_filter = ("dimension", "is_active")
    search_fields = ("code", "name")
    fields = ("code", "name", "dimension", "parent", "keywords", "sort_order", "is_active", "merged_into")
    readonly_fields = ("merged_into",)
    action_form = MergeActionForm
    actions = ["merge_selected"]

    @admin.display(description=_("使用次数"))
    def uses(self, obj: Tag) -> int:
        return usage_count(obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_platform_admin

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_platform_admin or (obj is None and request.user.is_staff)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_platform_admin and (obj is None or usage_count(obj) == 0)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_staff

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a tag in use is merged, never deleted in bulk
        return actions

    def save_model(self, request: HttpRequest, obj: Tag, form: Any, change: bool) -> None:
        data = {
            key: form.cleaned_data.get(key) for key in ("code", "name", "dimension", "parent", "keywords")
        }
        try:
            if change:
                extra = {key: form.cleaned_data.get(key) for key in ("sort_order", "is_active")}
                tag = services.update_tag(Tag.objects.get(pk=obj.pk), actor=request.user, **data, **extra)
            else:
                tag = services.create_tag(actor=request.user, **data)
        except ValidationError as exc:
            raise PermissionDenied("；".join(exc.messages)) from None
        obj.pk = tag.pk
        obj.refresh_from_db()

    def delete_model(self, request: HttpRequest, obj: Tag) -> None:
        try:
            services.delete_tag(obj, actor=request.user)
        except ValidationError as exc:
            raise PermissionDenied("；".join(exc.messages)) from None

    @admin.action(description=_("合并到指定标签（填写目标代码）"))
    def merge_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        target = all_tags().filter(code=request.POST.get("target_code", "").strip()).first()
        if target is None:
            messages.error(request, _("请在“合并到”中填写一个已有标签的代码。"))
            return
        for tag in queryset:
            try:
                moved = services.merge_tags(tag, target, actor=request.user)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, f"{tag.name}：{'；'.join(getattr(exc, 'messages', [str(exc)]))}")
            else:
                messages.success(request, f"{tag.name} → {target.name}：转移 {moved} 处使用。")
