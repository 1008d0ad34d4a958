"""Signed links in mails (django.core.signing): unsubscribe (one click, RFC 8058), confirm a
subscription (double opt-in), open a pushed policy (the delivery is marked opened)."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai.core.http import site_url

UNSUBSCRIBE_SALT = "gongkai.subscriptions.unsubscribe"
CONFIRM_SALT = "gongkai.subscriptions.confirm"
OPEN_SALT = "gongkai.subscriptions.open"
UNSUBSCRIBE_MAX_AGE = 400 * 24 * 3600  # a mail read a year later still unsubscribes
CONFIRM_MAX_AGE = 7 * 24 * 3600


def make(payload: dict[str, Any], salt: str) -> str:
    return signing.dumps(payload, salt=salt, compress=True)


def read(token: str, salt: str, max_age: int | None, field: str = "token") -> dict[str, Any]:
    """The payload, or a field error (forged, altered or expired links change nothing)."""
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationError({field: _("链接：链接已过期。")}) from None
    except signing.BadSignature:
        raise ValidationError({field: _("链接：链接无效（签名不符）。")}) from None
    if not isinstance(payload, dict):
        raise ValidationError({field: _("链接：链接无效。")})
    return payload


def unsubscribe_url(profile_id: int, subscription_id: int | None = None) -> str:
    token = make({"p": profile_id, "s": subscription_id or 0}, UNSUBSCRIBE_SALT)
    return site_url(reverse("subscriptions:unsubscribe", args=[token]))


def confirm_url(profile_id: int, subscription_id: int) -> str:
    token = make({"p": profile_id, "s": subscription_id}, CONFIRM_SALT)
    return site_url(reverse("subscriptions:confirm", args=[token]))


def open_url(delivery_id: int) -> str:
    return site_url(reverse("subscriptions:open", args=[make({"d": delivery_id}, OPEN_SALT)]))
