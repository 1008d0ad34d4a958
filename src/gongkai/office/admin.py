"""Read-only back office for the office's records: every change goes through the services and the
staff pages at /office/staff/ (platform admins only see them here)."""

from __future__ import annotations

from django.contrib import admin

from .models import (
    AssessmentScheme,
    BudgetDisclosure,
    CatalogueItem,
    GazetteIssue,
    NormativeEvaluation,
    ProgressReport,
    SiteInspection,
    WorkPlan,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_platform_admin)

    def has_module_permission(self, request):
        return self.has_view_permission(request)


@admin.register(CatalogueItem)
class CatalogueItemAdmin(ReadOnlyAdmin):
    list_display = ("code", "matter", "time_limit", "subject", "level", "is_example")
    search_fields = ("code", "matter")


@admin.register(SiteInspection)
class SiteInspectionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "url", "score", "vetoed", "pages")


@admin.register(NormativeEvaluation)
class NormativeEvaluationAdmin(ReadOnlyAdmin):
    list_display = ("document", "year", "outcome", "evaluated_by", "created_at")
    list_filter = ("year", "outcome")


@admin.register(GazetteIssue)
class GazetteIssueAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "pages", "published_at")


@admin.register(BudgetDisclosure)
class BudgetDisclosureAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "year", "kind", "title", "amount_yuan", "is_secret", "is_example")
    list_filter = ("year", "kind")


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(ReadOnlyAdmin):
    list_display = ("year", "title")


@admin.register(WorkPlan)
class WorkPlanAdmin(ReadOnlyAdmin):
    list_display = ("year", "title", "is_example")


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ("item", "organisation", "status", "created_at", "is_example")
    list_filter = ("status",)
