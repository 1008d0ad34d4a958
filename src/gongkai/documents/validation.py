"""Field checks shared by forms, the admin, the API and the importers.

Each check raises a ValidationError keyed by the field, with a Chinese message for users.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongkai.text.docno import DocNumberError, parse_doc_number

from .constants import DocumentStatus

DATE_FIELDS = ("written_date", "published_date", "effective_date", "expiry_date")
DATE_LABELS = {
    "written_date": "成文日期",
    "published_date": "发布日期",
    "effective_date": "施行日期",
    "expiry_date": "有效期至",
}


def clean_date(field: str, value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        parsed = dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            {
                field: _("%(label)s“%(value)s”不是有效日期，请按 YYYY-MM-DD 填写。")
                % {"label": DATE_LABELS[field], "value": value}
            }
        ) from None
    if not 1949 <= parsed.year <= 2100:
        raise ValidationError(
            {field: _("%(label)s的年份不合理：%(value)s") % {"label": DATE_LABELS[field], "value": value}}
        )
    return parsed


def check_date_order(values: dict[str, dt.date | None]) -> None:
    effective, expiry = values.get("effective_date"), values.get("expiry_date")
    if effective and expiry and expiry < effective:
        raise ValidationError({"expiry_date": _("有效期至不能早于施行日期。")})
    written, published = values.get("written_date"), values.get("published_date")
    if written and published and published < written:
        raise ValidationError({"published_date": _("发布日期不能早于成文日期。")})


def clean_doc_number(value: str) -> tuple[str, str, int | None, int | None]:
    """Return (normalised 文号, 机关代字, year, serial); empty input is allowed (no 文号)."""
    if not value or not str(value).strip():
        return "", "", None, None
    try:
        parsed = parse_doc_number(value)
    except DocNumberError as exc:
        raise ValidationError(
            {
                "doc_number": _("发文字号“%(value)s”无法识别：%(reason)s")
                % {"value": value, "reason": exc.reason}
            }
        ) from None
    return parsed.normalized, parsed.organ_code, parsed.year, parsed.serial


def check_attachment(name: str, size: int) -> None:
    extension = PurePath(name).suffix.lower().lstrip(".")
    allowed = settings.ATTACHMENT_EXTENSIONS
    if extension not in allowed:
        raise ValidationError(
            {
                "file": _("附件“%(name)s”的类型不允许上传；允许的类型：%(allowed)s")
                % {"name": name, "allowed": "、".join(allowed)}
            }
        )
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            {
                "file": _("附件“%(name)s”超过大小上限 %(limit)s MB。")
                % {"name": name, "limit": limit // (1024 * 1024)}
            }
        )
    if size == 0:
        raise ValidationError({"file": _("附件“%(name)s”是空文件。") % {"name": name}})


def require_editable(document: Any) -> None:
    """Content changes only on drafts: what is public went through review (先审查、后公开, 条例 Art. 17)."""
    if document.status == DocumentStatus.IN_REVIEW:
        raise ValidationError({"status": _("公文正在审核中，不能修改；请先退回。")})
    if document.status == DocumentStatus.PUBLISHED:
        raise ValidationError({"status": _("已发布的公文不能直接修改：请先撤回，修改后重新提交审核。")})
