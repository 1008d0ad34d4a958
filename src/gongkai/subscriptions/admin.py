from django.contrib import admin

from .models import Delivery, ForwardingTask, Profile, RelayMember, RelayOrganisation, Subscription


@admin.register(RelayOrganisation)
class RelayOrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "created_at")
    filter_horizontal = ("operators", "tags")
    search_fields = ("name",)


@admin.register(RelayMember)
class RelayMemberAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "relay")
    list_filter = ("relay",)
    raw_id_fields = ("profile",)


@admin.register(ForwardingTask)
class ForwardingTaskAdmin(admin.ModelAdmin):
    list_display = ("relay", "document", "created_at", "forwarded_at")
    raw_id_fields = ("document", "forwarded_by")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: deliveries are written by the push services."""

    list_display = (
        "document",
        "channel",
        "status",
        "frequency",
        "occasion",
        "created_at",
        "sent_at",
        "last_error",
    )
    list_filter = ("channel", "status", "frequency")
    raw_id_fields = ("profile", "document", "relay_task")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "push_enabled", "frequency", "created_at")
    list_filter = ("kind", "push_enabled")
    search_fields = ("external_id", "name")
    raw_id_fields = ("user",)
    exclude = ("webhook_secret",)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "frequency", "confirmed", "created_at")
    list_filter = ("kind", "frequency", "confirmed")
    raw_id_fields = ("profile", "organisation", "theme", "tag", "topic", "document")

    def has_change_permission(self, request, obj=None):
        return False
