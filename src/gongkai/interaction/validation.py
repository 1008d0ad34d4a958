"""Checks of what a citizen types: every error keyed by field, in Chinese, naming the field."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .constants import MAX_NAME_CHARS, MAX_QUESTION_CHARS

_PHONE = re.compile(r"^(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}[- ]?\d{7,8})$")
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|javascript:", re.I)


def clean_text(value: str, *, field: str, label: str, limit: int, required: bool = True) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if required and not value:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    if len(value) > limit:
        raise ValidationError(
            {field: _("%(label)s不能超过%(limit)d个字。") % {"label": label, "limit": limit}}
        )
    if _MARKUP.search(value):
        raise ValidationError({field: _("%(label)s不能包含网页代码或脚本。") % {"label": label}})
    return value


def clean_contact(value: str) -> str:
    """An e-mail address or a Chinese phone number (mobile or landline)."""
    value = (value or "").strip().replace("（", "(").replace("）", ")")
    if not value:
        raise ValidationError({"contact": _("请填写联系方式（电子邮箱或电话号码）。")})
    compact = re.sub(r"[\s()]", "", value)
    if _PHONE.match(compact):
        return compact
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError({"contact": _("联系方式须为电子邮箱或电话号码。")}) from None
    return value.lower()


def clean_message(*, body: str, contact: str, name: str = "") -> dict[str, str]:
    """The cleaned fields of a question; all errors together, keyed by field."""
    errors: dict[str, list] = {}
    out: dict[str, str] = {}
    for key, call in (
        ("body", lambda: clean_text(body, field="body", label=_("留言内容"), limit=MAX_QUESTION_CHARS)),
        ("contact", lambda: clean_contact(contact)),
        (
            "name",
            lambda: clean_text(name, field="name", label=_("称呼"), limit=MAX_NAME_CHARS, required=False),
        ),
    ):
        try:
            out[key] = call()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return out
