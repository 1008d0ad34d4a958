"""The "政府+" relay: associations, parks, buildings and chambers of commerce that forward policies
to their member enterprises (rule 1: services). Profiles from other systems: `profile_import`."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.public import clean_credit_code
from gongkai.core.services import record_event
from gongkai.documents.selectors import public_documents

from . import matching
from .constants import Channel, Frequency, ProfileKind, RelayKind
from .models import ForwardingTask, Profile, ProfileTag, RelayMember, RelayOrganisation
from .profile_import import ImportResult, tag_map

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
    tags = tag_map()
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
            unknown = [c for c in codes if c.strip() not in tags]
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
        rows.append((row, code, [tags[c.strip()][0] for c in codes]))
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
