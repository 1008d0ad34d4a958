from django.contrib import admin

from .models import FAQEntry, InteractionSettings, KnowledgeEntry


class ReadOnly(admin.ModelAdmin):
    """Rows change only through interaction.services and interaction.kb (rule 1)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(InteractionSettings)
class InteractionSettingsAdmin(ReadOnly):
    list_display = ("organisation", "reply_days")


@admin.register(FAQEntry)
class FAQEntryAdmin(ReadOnly):
    list_display = ("question", "organisation", "document", "is_published")
    readonly_fields = ("organisation", "document", "created_by")


@admin.register(KnowledgeEntry)
class KnowledgeEntryAdmin(ReadOnly):
    list_display = ("__str__", "unit", "category", "status")
    list_filter = ("status", "unit")
    search_fields = ("answer",)
    readonly_fields = ("answer_hash", "status")
