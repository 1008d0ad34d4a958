"""Who must use two-factor authentication, and the authenticator (TOTP device) of an account."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from .constants import Role


def two_factor_required(user: Any) -> bool:
    """True when the account holds a role listed in OTP_REQUIRED_ROLES (superusers count as
    platform admins)."""
    required = set(settings.OTP_REQUIRED_ROLES)
    if not required or not getattr(user, "is_authenticated", False):
        return False
    names = set(user.groups.values_list("name", flat=True))
    if user.is_superuser:
        names.add(Role.PLATFORM_ADMIN.value)
    return bool(names & required)


def confirmed_device(user: Any) -> TOTPDevice | None:
    if not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("id").first()


def pending_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("-id").first()
