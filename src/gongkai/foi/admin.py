"""Read-only back-office view of FOI requests; the workflow runs through /foi/staff/ and the API."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import FOIAppeal, FOIRequest


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest):
        return FOIRequest.objects.of_organisation(request.user)


@admin.register(FOIRequest)
class FOIRequestAdmin(ReadOnly):
    list_display = [
        "number",
        "organisation",
        "received_date",
        "applicant_kind",
        "status",
        "due_date",
        "outcome",
        "decided_date",
    ]
    list_filter = ["status", "applicant_kind", "channel", "outcome"]
    search_fields = ["number", "applicant_name"]


@admin.register(FOIAppeal)
class FOIAppealAdmin(ReadOnly):
    list_display = ["request", "kind", "result", "filed_date", "decided_date"]
    list_filter = ["kind", "result"]

    def get_queryset(self, request: HttpRequest):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser or getattr(request.user, "is_platform_admin", False):
            return queryset
        return queryset.filter(organisation_id=request.user.organisation_id or -1)
