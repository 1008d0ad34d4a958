from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "organ_code", "kind", "parent", "code")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "organ_code", "code")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "organisation", "is_active", "is_staff")
    list_filter = ("organisation", "groups", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("单位与角色"), {"fields": ("display_name", "organisation")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_platform_admin:
            return queryset
        return queryset.filter(organisation_id=request.user.organisation_id or -1)
