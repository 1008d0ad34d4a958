"""Back office for topics, service items and projects; saves go through the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from gongkai.documents.selectors import documents_visible_to

from . import services
from .models import ExternalReference, ProgressRecord, ProgressUpdate, ServiceItem, Topic


def _service_error(exc: ValidationError | PermissionDenied) -> PermissionDenied:
    return PermissionDenied("；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))


class ScopedAdmin(admin.ModelAdmin):
    """Staff see and edit their organisation's rows; document choices are what they may see."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_platform_admin:
            return queryset
        return queryset.filter(organisation_id=request.user.organisation_id or -1)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model._meta.label == "documents.Document":
            kwargs["queryset"] = documents_visible_to(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "organisation" and not request.user.is_platform_admin:
            kwargs["queryset"] = db_field.related_model.objects.filter(pk=request.user.organisation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReferenceInline(admin.TabularInline):
    model = ExternalReference
    fields = ("level", "title", "doc_number", "issuer", "date", "url")
    extra = 1


@admin.register(Topic)
class TopicAdmin(ScopedAdmin):
    list_display = ("title", "code", "organisation", "is_published", "is_example")
    list_filter = ("is_published",)
    search_fields = ("title", "code")
    filter_horizontal = ("rule_tags", "rule_organisations", "pinned")
    inlines = [ReferenceInline]
    fields = ("code", "title", "summary", "organisation", "rule_tags", "rule_organisations", "rule_query",
              "pinned", "workplan_items", "is_published", "is_example", "sort_order")  # fmt: skip

    def save_model(self, request: HttpRequest, obj: Topic, form: Any, change: bool) -> None:
        data = form.cleaned_data
        try:
            topic = services.save_topic(
                actor=request.user, organisation=data["organisation"], code=data["code"], title=data["title"],
                topic=Topic.objects.get(pk=obj.pk) if change else None,
                tags=[tag.code for tag in data["rule_tags"]], organisations=data["rule_organisations"],
                pinned=[doc.pk for doc in data["pinned"]], summary=data["summary"], rule_query=data["rule_query"],
                workplan_items=data["workplan_items"], is_example=data["is_example"], sort_order=data["sort_order"],
            )  # fmt: skip
            if topic.is_published != data["is_published"]:
                services.set_topic_published(topic, actor=request.user, published=data["is_published"])
        except (ValidationError, PermissionDenied) as exc:
            raise _service_error(exc) from None
        obj.pk = topic.pk
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for formset in formsets:
            for inline in formset.forms:
                data = getattr(inline, "cleaned_data", None)
                if not data or inline.instance.pk or not inline.has_changed() or data.get("DELETE"):
                    continue
                try:
                    services.add_reference(form.instance, actor=request.user, title=data.get("title") or "",
                                           url=data.get("url") or "", level=data.get("level"),
                                           doc_number=data.get("doc_number") or "", issuer=data.get("issuer") or "",
                                           date=data.get("date"))  # fmt: skip
                except ValidationError as exc:
                    raise _service_error(exc) from None


@admin.register(ServiceItem)
class ServiceItemAdmin(ScopedAdmin):
    list_display = ("name", "organisation", "url", "is_example")
    search_fields = ("name",)
    filter_horizontal = ("documents", "topics")

    def save_model(self, request: HttpRequest, obj: ServiceItem, form: Any, change: bool) -> None:
        data = dict(form.cleaned_data)
        try:
            item = services.save_service_item(
                actor=request.user, organisation=data.pop("organisation"), name=data.pop("name"), url=data.pop("url"),
                item=ServiceItem.objects.get(pk=obj.pk) if change else None,
                documents=[doc.pk for doc in data.pop("documents")], topics=data.pop("topics"), **data,
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            raise _service_error(exc) from None
        obj.pk = item.pk
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The service saved the links."""


class UpdateForm(forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ("date", "text", "percent_complete", "photo", "photo_caption")


class UpdateInline(admin.StackedInline):
    model = ProgressUpdate
    form = UpdateForm
    extra = 1
    can_delete = False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # updates are a dated record: add a new one rather than rewrite an old one


@admin.register(ProgressRecord)
class ProgressRecordAdmin(ScopedAdmin):
    list_display = (
        "title",
        "organisation",
        "percent_complete",
        "budget_amount",
        "is_published",
        "is_example",
    )
    filter_horizontal = ("topics",)
    inlines = [UpdateInline]

    def save_model(self, request: HttpRequest, obj: ProgressRecord, form: Any, change: bool) -> None:
        data = dict(form.cleaned_data)
        published = data.pop("is_published")
        try:
            project = services.save_project(
                actor=request.user, organisation=data.pop("organisation"), title=data.pop("title"),
                project=ProgressRecord.objects.get(pk=obj.pk) if change else None, topics=data.pop("topics"),
                **data,
            )  # fmt: skip
            if project.is_published != published:
                services.set_project_published(project, actor=request.user, published=published)
        except (ValidationError, PermissionDenied) as exc:
            raise _service_error(exc) from None
        obj.pk = project.pk
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for formset in formsets:
            for inline in formset.forms:
                data = getattr(inline, "cleaned_data", None)
                if not data or inline.instance.pk or not inline.has_changed():
                    continue
                upload = data.get("photo")
                try:
                    services.add_progress_update(
                        form.instance, actor=request.user, date=data["date"], text=data.get("text") or "",
                        percent_complete=data.get("percent_complete"),
                        photo=(upload.name, upload.read()) if upload else None,
                        photo_caption=data.get("photo_caption") or "",
                    )  # fmt: skip
                except ValidationError as exc:
                    raise _service_error(exc) from None
