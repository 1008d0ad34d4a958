"""Profiles from other systems (一网通办) and the "政府+" relay: associations, parks, buildings and
chambers of commerce that forward policies to their member enterprises (rule 1: services)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.public import clean_credit_code
from gongkai.core.services import record_event
from gongkai.documents.selectors import public_documents
from gongkai.taxonomy.selectors import all_tags

from . import matching
from .constants import Channel, Frequency, ProfileKind, RelayKind
from .models import ForwardingTask, Profile, ProfileTag, RelayMember, RelayOrganisation
from .services import PROFILE_DIMENSIONS, validate_webhook_url


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "updated": self.updated, "errors": self.errors}


def _tag_map() -> dict[str, tuple[int, str]]:
    """code -> (id, dimension) of every tag, merged codes resolving to their target."""
    rows = list(all_tags().values_list("pk", "code", "dimension", "merged_into_id"))
    dimensions = {pk: dimension for pk, _code, dimension, _merged in rows}
    return {code: (merged or pk, dimensions[merged or pk]) for pk, code, _dimension, merged in rows}


def _parse_profile_line(raw: str, tag_map: dict[str, tuple[int, str]]) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(_("不是有效的 JSON：%(error)s") % {"error": exc.msg}) from None
    if not isinstance(data, dict):
        raise ValueError(_("每行应是一个 JSON 对象。"))
    external_id = data.get("external_id")
    if not isinstance(external_id, str) or not external_id.strip() or len(external_id) > 100:
        raise ValueError(_("external_id：必须是不超过100个字符的字符串。"))
    kind = data.get("kind")
    if kind not in ProfileKind.values:
        raise ValueError(_("kind：必须是 person 或 enterprise。"))
    codes = data.get("tags", [])
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        raise ValueError(_("tags：必须是标签代码的数组。"))
    unknown = [code for code in codes if code not in tag_map]
    if unknown:
        raise ValueError(_("tags：没有代码为 %(codes)s 的标签。") % {"codes": "、".join(unknown)})
    wrong = [code for code in codes if tag_map[code][1] not in PROFILE_DIMENSIONS]
    if wrong:
        raise ValueError(_("tags：%(codes)s 是主题标签，画像不能使用。") % {"codes": "、".join(wrong)})
    email = data.get("email") or ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValueError(
                _("email：%(email)s 不是有效的电子邮箱。") % {"email": str(email)[:100]}
            ) from None
    webhook = data.get("webhook") or ""
    if webhook:
        try:
            validate_webhook_url(str(webhook))
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from None
    return {"external_id": external_id.strip(), "kind": kind, "tag_ids": sorted({tag_map[c][0] for c in codes}),
            "email": email.strip().lower(), "webhook_url": webhook}  # fmt: skip


def import_profiles(lines: Any, *, actor: Any = None, batch: int = 2000) -> ImportResult:
    """`gongkai profiles import`: one JSON object a line, idempotent by external_id; a bad line is
    reported with its number and skipped, good ones kept (each batch is one transaction)."""
    if actor is not None and not getattr(actor, "is_platform_admin", False):
        raise PermissionDenied(_("导入画像需要“平台管理员”角色。"))
    result = ImportResult()
    tag_map = _tag_map()
    pending: list[dict[str, Any]] = []
    for number, raw in enumerate(lines, start=1):
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", errors="replace")
        if not raw.strip():
            continue
        try:
            pending.append(_parse_profile_line(raw, tag_map))
        except ValueError as exc:
            result.errors.append({"line": number, "error": str(exc)})
        if len(pending) >= batch:
            _store_profiles(pending, result)
            pending = []
    if pending:
        _store_profiles(pending, result)
    with transaction.atomic():
        record_event(
            "subscriptions.profiles_imported",
            actor=actor,
            data=result.as_dict() | {"errors": len(result.errors)},
        )
    return result


def _store_profiles(rows: list[dict[str, Any]], result: ImportResult) -> None:
    """Upsert one batch in plain SQL (the ORM's bulk paths spend most of an import assembling SQL):
    INSERT … ON CONFLICT (external_id) DO UPDATE … RETURNING id, then the tag rows."""
    by_id = {row["external_id"]: row for row in rows}  # a later line for the same id wins
    profile_table, tag_table = Profile._meta.db_table, ProfileTag._meta.db_table
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        existing = set(
            Profile.objects.filter(external_id__in=list(by_id)).values_list("external_id", flat=True)
        )
        ids: dict[str, int] = {}
        keys = list(by_id)
        for start in range(0, len(keys), 1000):
            chunk = keys[start : start + 1000]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, '', '', '', %s, %s, %s)"] * len(chunk))
            params: list[Any] = []
            for key in chunk:
                row = by_id[key]
                params += [key, row["kind"], row["email"], bool(row["email"]), row["webhook_url"], True,
                           Frequency.IMMEDIATE, now, now]  # fmt: skip
            cursor.execute(
                f"INSERT INTO {profile_table} (external_id, kind, email, email_confirmed, webhook_url, push_enabled, "
                f"name, phone, webhook_secret, frequency, created_at, updated_at) VALUES {values} "
                "ON CONFLICT (external_id) DO UPDATE SET kind = excluded.kind, email = excluded.email, "
                "email_confirmed = excluded.email_confirmed, webhook_url = excluded.webhook_url, "
                "updated_at = excluded.updated_at RETURNING id, external_id",
                params,
            )
            ids.update({external_id: pk for pk, external_id in cursor.fetchall()})
        if existing:
            ProfileTag.objects.filter(profile_id__in=[ids[key] for key in existing]).delete()
        pairs = [(ids[key], tag_id) for key, row in by_id.items() for tag_id in row["tag_ids"]]
        for start in range(0, len(pairs), 5000):  # multi-row VALUES: one round trip per 5,000 rows
            chunk = pairs[start : start + 5000]
            cursor.execute(
                f"INSERT INTO {tag_table} (profile_id, tag_id) VALUES {', '.join(['(%s, %s)'] * len(chunk))} "
                "ON CONFLICT DO NOTHING",
                [value for pair in chunk for value in pair],
            )
    result.created += len(by_id) - len(existing)
    result.updated += len(existing)


# ---- relay organisations ------------------------------------------------------------------------


def _staff(actor: Any) -> None:
    if actor is not None and not (
        getattr(actor, "is_staff", False) and getattr(actor, "kind", "staff") == "staff"
    ):
        raise PermissionDenied(_("管理接力组织需要工作人员账号。"))


def _operator(relay: RelayOrganisation, actor: Any) -> None:
    if actor is None:
        return
    if getattr(actor, "is_platform_admin", False) or relay.operators.filter(pk=actor.pk).exists():
        return
    raise PermissionDenied(_("只有该组织的运营账号可以操作。"))


def create_relay(
    *, actor: Any, name: str, kind: str, tag_codes: list[str] = (), operators: list[Any] = ()
) -> RelayOrganisation:
    _staff(actor)
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValidationError({"name": _("名称：请填写不超过120个字的名称。")})
    if kind not in RelayKind.values:
        raise ValidationError({"kind": _("类型：请选择行业协会、产业园区、楼宇或商会。")})
    from gongkai.taxonomy.selectors import tags_by_codes

    tags = tags_by_codes(tag_codes)
    with transaction.atomic():
        relay, _created = RelayOrganisation.objects.get_or_create(name=name, defaults={"kind": kind})
        relay.tags.set(tags)
        relay.operators.add(*operators)
        record_event("subscriptions.relay_saved", actor=actor, target=relay, data={"kind": kind})
    return relay


def import_members(relay: RelayOrganisation, content: str, *, actor: Any) -> ImportResult:
    """Member enterprises from CSV (名称/name, 统一社会信用代码/credit_code, 邮箱/email, 标签/tags):
    all or nothing; every bad line is named."""
    _operator(relay, actor)
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    aliases = {"名称": "name", "企业名称": "name", "统一社会信用代码": "credit_code", "邮箱": "email",
               "电子邮箱": "email", "标签": "tags"}  # fmt: skip
    tag_map = _tag_map()
    rows, errors = [], []
    for number, raw in enumerate(reader, start=2):
        row = {aliases.get((k or "").strip(), (k or "").strip()): (v or "").strip() for k, v in raw.items()}
        try:
            if not row.get("name"):
                raise ValueError(_("名称：不能为空。"))
            code = clean_credit_code(row.get("credit_code", ""))
            if not code:
                raise ValueError(_("统一社会信用代码：不能为空。"))
            validate_email(row.get("email", ""))
            codes = [c for c in row.get("tags", "").replace("；", ";").split(";") if c.strip()]
            unknown = [c for c in codes if c.strip() not in tag_map]
            if unknown:
                raise ValueError(_("标签：没有代码为 %(codes)s 的标签。") % {"codes": "、".join(unknown)})
        except ValidationError as exc:
            errors.append(
                {"line": number, "error": exc.messages[0] if exc.messages else _("电子邮箱：无效。")}
            )
            continue
        except ValueError as exc:
            errors.append({"line": number, "error": str(exc)})
            continue
        rows.append((row, code, [tag_map[c.strip()][0] for c in codes]))
    if errors:
        raise ValidationError({"file": [f"第{e['line']}行：{e['error']}" for e in errors]})
    result = ImportResult()
    with transaction.atomic(durable=True):
        for row, code, tag_ids in rows:
            profile, _created = Profile.objects.update_or_create(
                external_id=f"uscc-{code}",
                defaults={"kind": ProfileKind.ENTERPRISE, "name": row["name"][:120], "email": row["email"].lower(),
                          "email_confirmed": True},
                create_defaults={"kind": ProfileKind.ENTERPRISE, "name": row["name"][:120], "email": row["email"].lower(),
                                 "email_confirmed": True, "push_enabled": False},
            )  # fmt: skip
            ProfileTag.objects.bulk_create(
                [ProfileTag(profile=profile, tag_id=t) for t in tag_ids], ignore_conflicts=True
            )
            _member, member_created = RelayMember.objects.update_or_create(
                relay=relay, credit_code=code, defaults={"profile": profile, "name": row["name"][:120]}
            )
            result.created += member_created
            result.updated += not member_created
        record_event("subscriptions.members_imported", actor=actor, target=relay, data=result.as_dict())
    return result


def push_to_relay(document: Any, relay: RelayOrganisation, *, actor: Any) -> ForwardingTask:
    """Staff hand a published policy to a relay: a forwarding task for its operators."""
    _staff(actor)
    if not public_documents().filter(pk=document.pk).exists():
        raise ValidationError({"document": _("文件：只能转发已公开的文件。")})
    with transaction.atomic(durable=True):
        task, _created = ForwardingTask.objects.get_or_create(relay=relay, document=document)
        record_event(
            "subscriptions.relay_task",
            actor=actor,
            target=task,
            data={"relay": relay.pk, "document": document.pk},
        )
    return task


def forward(task: ForwardingTask, *, actor: Any, note: str = "") -> dict[str, int]:
    """The operator forwards the policy to every member through the platform channels (e-mail, and
    the inbox of members who have an account); each member's delivery has its own status."""
    _operator(task.relay, actor)
    with transaction.atomic(durable=True):
        task = ForwardingTask.objects.select_for_update().get(pk=task.pk)
        members = Profile.objects.filter(relay_memberships__relay_id=task.relay_id)
        counts = {}
        for channel in (Channel.EMAIL, Channel.INBOX):
            profiles = members.filter(matching._channel_condition(channel)).values_list("pk")
            counts[channel] = matching.insert_deliveries(
                profiles, document_id=task.document_id, occasion=task.occasion, channel=channel,
                frequency=Frequency.IMMEDIATE, reason={"by": "relay", "relay": task.relay_id}, relay_task_id=task.pk,
            )  # fmt: skip
        if task.forwarded_at is None:
            task.forwarded_at, task.forwarded_by, task.note = timezone.now(), actor, note[:300]
            task.save(update_fields=["forwarded_at", "forwarded_by", "note"])
        record_event("subscriptions.forwarded", actor=actor, target=task, data=counts)
        document_id = task.document_id

        def dispatch() -> None:
            from gongkai.core.tasks import run_task

            from . import tasks

            run_task(tasks.send_immediate, document_id)

        transaction.on_commit(dispatch)
    return counts
