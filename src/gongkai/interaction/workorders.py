"""Messages that arrive from other systems (issue 16): 12345 work orders and 中国政府网 转办留言, from a
JSONL or XLSX file (`gongkai messages import`) or the API; idempotent on the external id."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation

from . import services
from .constants import Category, Channel
from .models import Message

IMPORT_CHANNELS = (Channel.HOTLINE_12345, Channel.GOV_CN)
_CATEGORY_BY_LABEL = {str(label): value for value, label in Category.choices}


@dataclass
class WorkOrderResult:
    created: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"created": len(self.created), "duplicates": self.duplicates, "errors": self.errors}


def _organisation(value: Any) -> Organisation:
    value = str(value or "").strip()
    found = Organisation.objects.filter(code=value).first() or Organisation.objects.filter(name=value).first()
    if found is None:
        raise ValidationError({"organisation": _("办理单位“%(value)s”不存在。") % {"value": value[:50]}})
    return found


def clean_work_order(row: Any, *, default_channel: str = Channel.HOTLINE_12345) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise ValidationError({"line": _("每行须为一个 JSON 对象。")})
    external_id = str(row.get("external_id") or "").strip()
    if not external_id or len(external_id) > 64:
        raise ValidationError({"external_id": _("缺少外部编号（external_id），或超过64个字符。")})
    channel = row.get("channel") or default_channel
    if channel not in IMPORT_CHANNELS:
        raise ValidationError({"channel": _("渠道须为 hotline_12345 或 gov_cn。")})
    category = row.get("category") or Category.CONSULT
    category = _CATEGORY_BY_LABEL.get(category, category)
    if category not in Category.values:
        raise ValidationError(
            {
                "category": _("类别“%(value)s”不正确（咨询、求助、投诉、举报、建议、表扬）。")
                % {"value": str(category)[:20]}
            }
        )
    received = row.get("received_on")
    try:
        received_on = dt.date.fromisoformat(str(received)[:10]) if received else None
    except ValueError:
        raise ValidationError({"received_on": _("收到日期须为 YYYY-MM-DD。")}) from None
    return {
        "external_id": external_id, "channel": channel, "category": category,
        "organisation": _organisation(row.get("organisation")), "subject": str(row.get("subject") or ""),
        "body": str(row.get("body") or ""), "contact": str(row.get("contact") or ""), "name": str(row.get("name") or ""),
        "today": received_on,
    }  # fmt: skip


def receive_work_order(row: Any, *, actor: Any = None) -> tuple[Message, bool]:
    """Register one work order; (message, created). The same external id never makes a second message."""
    cleaned = clean_work_order(row)
    existing = Message.objects.filter(channel=cleaned["channel"], external_id=cleaned["external_id"]).first()
    if existing:
        return existing, False
    return services.submit_message(actor=actor, **cleaned), True


def import_work_orders(rows: Iterable[Any], *, actor: Any = None) -> WorkOrderResult:
    result = WorkOrderResult()
    for number, row in enumerate(rows, start=1):
        try:
            message, created = receive_work_order(row, actor=actor)
        except ValidationError as exc:
            messages = [f"{k}: {m}" for k, ms in exc.message_dict.items() for m in ms] if hasattr(exc, "error_dict") else exc.messages  # fmt: skip
            result.errors.append({"line": number, "errors": messages})
            continue
        (result.created if created else result.duplicates).append(message.external_id)
    return result


def read_rows(name: str, data: bytes) -> list[Any]:
    """JSONL (one object a line; a bad line becomes a row the import reports) or XLSX (first row: keys)."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        if not rows:
            return []
        keys = [str(k or "").strip() for k in rows[0]]
        return [{k: ("" if v is None else v) for k, v in zip(keys, row, strict=False) if k} for row in rows[1:]
                if any(v not in (None, "") for v in row)]  # fmt: skip
    out: list[Any] = []
    for line in data.decode("utf-8-sig").splitlines():
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                out.append(None)
    return out
