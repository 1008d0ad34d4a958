from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .constants import Role
from .models import Organisation, User
from .twofactor import confirmed_device

# django-otp's own device admin shows every authenticator's secret key; staff reset a lost one with
# the user list's action below instead (audited), and nobody reads another member's secret.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "organ_code", "kind", "parent", "code", "accepts_requests")
    list_filter = ("kind", "accepts_requests")
    search_fields = ("name", "short_name", "organ_code", "code")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Organisation admins manage their own organisation's staff and cannot grant platform powers."""

    list_display = ("username", "display_name", "organisation", "is_active", "is_staff", "two_factor")
    actions = ["reset_two_factor"]
    list_filter = ("organisation", "groups", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("单位与角色"), {"fields": ("display_name", "organisation")}),
    )
    limited_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("display_name", "first_name", "last_name", "email")}),
        (_("单位与角色"), {"fields": ("organisation", "is_active", "is_staff", "groups")}),
    )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and not request.user.is_platform_admin:
            return self.limited_fieldsets
        return super().get_fieldsets(request, obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_platform_admin:
            return queryset
        return queryset.filter(
            organisation_id=request.user.organisation_id or -1, is_superuser=False
        ).exclude(groups__name=Role.PLATFORM_ADMIN)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> type:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if "groups" not in form_class.base_fields:
            return form_class

        class RoleCheckedForm(form_class):  # type: ignore[misc, valid-type]
            def clean_groups(self) -> Any:
                groups = self.cleaned_data["groups"]
                try:
                    services.check_roles(self.instance, actor=request.user, roles=[g.name for g in groups])
                except ValidationError as exc:
                    raise ValidationError(exc.message_dict["groups"]) from None
                except PermissionDenied as exc:
                    raise ValidationError(str(exc)) from None
                return groups

        return RoleCheckedForm

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Roles go through the service (separation of duties, audit event); the rest as usual."""
        groups = form.cleaned_data.pop("groups", None)
        super().save_related(request, form, formsets, change)
        if groups is not None:
            services.set_roles(form.instance, actor=request.user, roles=[group.name for group in groups])

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "organisation" and not request.user.is_platform_admin:
            kwargs["queryset"] = Organisation.objects.filter(pk=request.user.organisation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups" and not request.user.is_platform_admin:
            kwargs["queryset"] = Group.objects.exclude(name=Role.PLATFORM_ADMIN)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not request.user.is_platform_admin:
            obj.organisation_id = request.user.organisation_id
            obj.is_superuser = False
        super().save_model(request, obj, form, change)

    @admin.display(description=_("两步验证"), boolean=True)
    def two_factor(self, obj: User) -> bool:
        return confirmed_device(obj) is not None

    @admin.action(description=_("重置两步验证（手机丢失或更换）"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet) -> None:
        try:
            count = sum(services.reset_two_factor(user, actor=request.user) for user in queryset)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已重置两步验证：删除 %(count)d 个身份验证器。") % {"count": count})

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        if not request.user.is_platform_admin:
            actions.pop("reset_two_factor", None)
        return actions
