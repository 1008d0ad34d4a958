"""`gongkai profiles import`: profiles from another system (一网通办), one JSON object a line.

Idempotent by `external_id`; a bad line is reported with its number, the JSON key at fault and a
Chinese message naming it, and skipped; good lines are kept. Lines are parsed against a tag map read
once, then stored batch by batch (each batch one transaction): on PostgreSQL one
`INSERT … SELECT FROM unnest(arrays) ON CONFLICT (external_id) DO UPDATE … RETURNING` for the profiles
and one `INSERT … SELECT FROM unnest(arrays)` for their tags (a handful of parameters a batch, so
neither the driver nor the server parses a statement with thousands of placeholders); elsewhere
(SQLite) multi-row VALUES.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.services import record_event
from gongkai.taxonomy.selectors import all_tags

from .constants import Frequency, ProfileKind
from .models import Profile, ProfileTag
from .services import PROFILE_DIMENSIONS, validate_webhook_url

PROFILE_KINDS = frozenset(ProfileKind.values)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "updated": self.updated, "errors": self.errors}


class LineError(ValueError):
    """A bad line: `field` is the JSON key at fault (None when the line is not a JSON object)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field


def tag_map() -> dict[str, tuple[int, str]]:
    """code -> (id, dimension) of every tag, merged codes resolving to their target."""
    rows = list(all_tags().values_list("pk", "code", "dimension", "merged_into_id"))
    dimensions = {pk: dimension for pk, _code, dimension, _merged in rows}
    return {code: (merged or pk, dimensions[merged or pk]) for pk, code, _dimension, merged in rows}


def parse_profile_line(raw: str, tags: dict[str, tuple[int, str]]) -> dict[str, Any]:
    """One line as a row to store; LineError(field, message) when it is bad."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise LineError(None, _("不是有效的 JSON：%(error)s") % {"error": exc.msg}) from None
    if not isinstance(data, dict):
        raise LineError(None, _("每行应是一个 JSON 对象。"))
    external_id = data.get("external_id")
    if not isinstance(external_id, str) or not external_id.strip() or len(external_id) > 100:
        raise LineError("external_id", _("external_id：必须是不超过100个字符的字符串。"))
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in PROFILE_KINDS:
        raise LineError("kind", _("kind：必须是 person 或 enterprise。"))
    codes = data.get("tags", [])
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        raise LineError("tags", _("tags：必须是标签代码的数组。"))
    unknown = [code for code in codes if code not in tags]
    if unknown:
        raise LineError("tags", _("tags：没有代码为 %(codes)s 的标签。") % {"codes": "、".join(unknown)})
    wrong = [code for code in codes if tags[code][1] not in PROFILE_DIMENSIONS]
    if wrong:
        raise LineError("tags", _("tags：%(codes)s 是主题标签，画像不能使用。") % {"codes": "、".join(wrong)})
    email = data.get("email") or ""
    if email:
        try:
            if not isinstance(email, str):
                raise ValidationError("")
            validate_email(email)
        except ValidationError:
            raise LineError(
                "email", _("email：%(email)s 不是有效的电子邮箱。") % {"email": str(email)[:100]}
            ) from None
    webhook = data.get("webhook") or ""
    if webhook:
        try:
            validate_webhook_url(str(webhook))
        except ValidationError:
            raise LineError(
                "webhook", _("webhook：%(url)s 不是有效的 http(s) 地址。") % {"url": str(webhook)[:100]}
            ) from None
    return {"external_id": external_id.strip(), "kind": kind, "tag_ids": sorted({tags[c][0] for c in codes}),
            "email": email.strip().lower(), "webhook_url": str(webhook)}  # fmt: skip


def import_profiles(lines: Any, *, actor: Any = None, batch: int = 10_000) -> ImportResult:
    """Read `lines` (str or bytes), store the good ones batch by batch, report the bad ones."""
    if actor is not None and not getattr(actor, "is_platform_admin", False):
        raise PermissionDenied(_("导入画像需要“平台管理员”角色。"))
    result = ImportResult()
    tags = tag_map()
    pending: list[dict[str, Any]] = []
    for number, raw in enumerate(lines, start=1):
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", errors="replace")
        if not raw.strip():
            continue
        try:
            pending.append(parse_profile_line(raw, tags))
        except LineError as exc:
            result.errors.append({"line": number, "field": exc.field, "error": str(exc)})
        if len(pending) >= batch:
            store_profiles(pending, result)
            pending = []
    if pending:
        store_profiles(pending, result)
    with transaction.atomic():
        record_event(
            "subscriptions.profiles_imported",
            actor=actor,
            data=result.as_dict() | {"errors": len(result.errors)},
        )
    return result


def store_profiles(rows: list[dict[str, Any]], result: ImportResult) -> None:
    """Upsert one batch (one transaction): the profiles by external_id, then their tag rows (an
    updated profile's tags are replaced by the line's)."""
    by_id = {row["external_id"]: row for row in rows}  # a later line for the same id wins
    with transaction.atomic():
        if connection.vendor == "postgresql":
            ids, existing = _upsert_postgresql(by_id)
        else:
            ids, existing = _upsert_values(by_id)
        if existing:
            ProfileTag.objects.filter(profile_id__in=[ids[key] for key in existing]).delete()
        pairs = [(ids[key], tag_id) for key, row in by_id.items() for tag_id in row["tag_ids"]]
        _insert_tags(pairs)
    result.created += len(by_id) - len(existing)
    result.updated += len(existing)


_COLUMNS = (
    "external_id, kind, email, email_confirmed, webhook_url, push_enabled, name, phone, webhook_secret, "
    "frequency, created_at, updated_at"
)
_ON_CONFLICT = (
    "ON CONFLICT (external_id) DO UPDATE SET kind = excluded.kind, email = excluded.email, "
    "email_confirmed = excluded.email_confirmed, webhook_url = excluded.webhook_url, "
    "updated_at = excluded.updated_at"
)  # push_enabled is the person's consent: an update never gives it back


def _upsert_postgresql(by_id: dict[str, dict[str, Any]]) -> tuple[dict[str, int], set[str]]:
    """One statement for the batch; `xmax = 0` tells a row just inserted from one updated."""
    rows = list(by_id.values())
    now = timezone.now()
    sql = (
        f"INSERT INTO {Profile._meta.db_table} ({_COLUMNS}) "
        "SELECT e, k, m, m <> '', w, TRUE, '', '', '', %s, %s, %s "
        "FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[]) AS t(e, k, m, w) "
        f"{_ON_CONFLICT} RETURNING id, external_id, xmax = 0"
    )
    params = [Frequency.IMMEDIATE, now, now, [r["external_id"] for r in rows], [r["kind"] for r in rows],
              [r["email"] for r in rows], [r["webhook_url"] for r in rows]]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        returned = cursor.fetchall()
    return {key: pk for pk, key, _new in returned}, {key for _pk, key, new in returned if not new}


def _upsert_values(by_id: dict[str, dict[str, Any]]) -> tuple[dict[str, int], set[str]]:
    existing = set(Profile.objects.filter(external_id__in=list(by_id)).values_list("external_id", flat=True))
    ids: dict[str, int] = {}
    keys = list(by_id)
    now = timezone.now()
    with connection.cursor() as cursor:
        for start in range(0, len(keys), 1000):  # SQLite: at most 32,766 parameters a statement
            chunk = keys[start : start + 1000]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, '', '', '', %s, %s, %s)"] * len(chunk))
            params: list[Any] = []
            for key in chunk:
                row = by_id[key]
                params += [key, row["kind"], row["email"], bool(row["email"]), row["webhook_url"], True,
                           Frequency.IMMEDIATE, now, now]  # fmt: skip
            cursor.execute(
                f"INSERT INTO {Profile._meta.db_table} ({_COLUMNS}) VALUES {values} {_ON_CONFLICT} "
                "RETURNING id, external_id",
                params,
            )
            ids.update({external_id: pk for pk, external_id in cursor.fetchall()})
    return ids, existing


def _insert_tags(pairs: list[tuple[int, int]]) -> None:
    table = ProfileTag._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} (profile_id, tag_id) SELECT * FROM unnest(%s::bigint[], %s::bigint[]) "
                "ON CONFLICT DO NOTHING",
                [[p for p, _t in pairs], [t for _p, t in pairs]],
            )
            return
        for start in range(0, len(pairs), 5000):  # multi-row VALUES: one round trip per 5,000 rows
            chunk = pairs[start : start + 5000]
            cursor.execute(
                f"INSERT INTO {table} (profile_id, tag_id) VALUES {', '.join(['(%s, %s)'] * len(chunk))} "
                "ON CONFLICT DO NOTHING",
                [value for pair in chunk for value in pair],
            )
