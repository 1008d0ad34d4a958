from django.contrib import admin

from .models import ActiveDisclosureFigures, AnnualReport


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    list_display = ("organisation", "year", "scope", "source", "status", "published_at")
    list_filter = ("status", "year", "scope")
    readonly_fields = ("data", "findings", "status", "published_at", "published_by", "processing_fee")

    def has_add_permission(self, request):
        return False  # written through services (rule 1)


@admin.register(ActiveDisclosureFigures)
class ActiveDisclosureFiguresAdmin(admin.ModelAdmin):
    list_display = (
        "organisation",
        "year",
        "licensing_decisions",
        "penalty_decisions",
        "enforcement_decisions",
        "fees_amount",
    )
    list_filter = ("year",)

    def has_change_permission(self, request, obj=None):
        return False  # use the figures form or CSV import (services)

    def has_add_permission(self, request):
        return False
