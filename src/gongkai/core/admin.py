from django.contrib import admin
from django.http import HttpRequest

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The audit log is read-only: rows are only ever appended by services."""

    list_display = ("created_at", "actor_label", "verb", "target_label", "organisation")
    list_filter = ("verb",)
    search_fields = ("target_label", "actor_label", "verb")
    readonly_fields = [f.name for f in Event._meta.fields]

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        if request.user.is_platform_admin:
            return queryset
        return queryset.filter(organisation_id=request.user.organisation_id or -1)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
