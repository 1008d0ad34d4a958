"""Who a policy is for, in SQL (never loading the profiles into Python).

A policy's audience is its tags in the audience dimensions (对象, 行业, 生命周期, 地域; 主题 is not one).
A profile matches when, for every audience dimension the policy has tags in, the profile has a tag
equal to or below one of them (OR inside a dimension, AND across dimensions). The descendant sets of
the policy's tags are small and computed in Python; each dimension becomes one semi-join over
`ProfileTag` (`tag_id = ANY(array)` on PostgreSQL, served by the (tag, profile) index). A policy's
profile deliveries are queued with ONE INSERT … SELECT that matches and crosses the matches with the
channels each profile can receive, skipping the (profile, document, occasion, channel) rows already
there (the unique constraint guarantees it): a profile gets at most one delivery per policy however
many rules match it, and a retried task queues nothing twice. Figures: docs/performance.md ("Profile push").
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from gongkai.taxonomy.constants import AUDIENCE_DIMENSIONS
from gongkai.taxonomy.selectors import all_tags, descendant_ids

from .constants import FREQUENCY_ORDER, Channel, DeliveryStatus
from .models import Delivery, Profile, ProfileTag, Subscription


def audience_groups(tag_ids: Iterable[int]) -> dict[str, set[int]]:
    """{dimension: the policy's tags in it and every tag below them} for the audience dimensions."""
    ids = list(tag_ids)
    dimensions = {str(d) for d in AUDIENCE_DIMENSIONS}
    by_dimension: dict[str, list[int]] = {}
    for tag_id, dimension in all_tags().filter(pk__in=ids).values_list("pk", "dimension"):
        if dimension in dimensions:
            by_dimension.setdefault(dimension, []).append(tag_id)
    return {dimension: descendant_ids(roots) for dimension, roots in by_dimension.items()}


def matching_profiles(groups: dict[str, set[int]]) -> QuerySet[Profile]:
    """Profiles that match every dimension of `groups`; none when the policy has no audience tags
    (a policy for everyone is not pushed by profile)."""
    queryset = Profile.objects.filter(push_enabled=True)
    if not groups:
        return queryset.none()
    for ids in groups.values():
        queryset = queryset.filter(
            Exists(ProfileTag.objects.filter(profile_id=OuterRef("pk"), tag_id__in=sorted(ids)))
        )
    return queryset


def audience_size(tag_ids: Iterable[int]) -> int:
    return matching_profiles(audience_groups(tag_ids)).count()


def ancestor_ids(tag_ids: Iterable[int]) -> set[int]:
    """The tags and every tag above them (a subscription to 个人 wants 退役军人 policies)."""
    parents = dict(all_tags().values_list("pk", "parent_id"))
    result: set[int] = set()
    for tag_id in tag_ids:
        current: int | None = tag_id
        while current is not None and current not in result:
            result.add(current)
            current = parents.get(current)
    return result


def _channel_condition(channel: str) -> Q:
    if channel == Channel.INBOX:
        return Q(user__isnull=False)
    if channel == Channel.EMAIL:
        return ~Q(email="") & Q(email_confirmed=True)
    if channel == Channel.WEBHOOK:
        return ~Q(webhook_url="")
    return ~Q(phone="")


def insert_deliveries(
    profile_ids: QuerySet[Any], *, document_id: int, occasion: str, channel: str, frequency: str | None,
    reason: dict[str, Any], relay_task_id: int | None = None,
) -> int:  # fmt: skip
    """INSERT … SELECT the profiles of `profile_ids` (a values_list("pk") queryset); returns how many
    rows were inserted (rows that already existed are skipped). `frequency` None: each profile's own."""
    select_sql, select_params = profile_ids.query.sql_with_params()
    now = timezone.now()
    inbox = channel == Channel.INBOX  # the site inbox is delivered as soon as it is written
    status = DeliveryStatus.SENT if inbox else DeliveryStatus.QUEUED
    table = Delivery._meta.db_table
    json_value = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    sql = (
        f"INSERT INTO {table} (profile_id, document_id, occasion, channel, status, frequency, reason, "
        "relay_task_id, attempts, last_error, created_at, sent_at, saved) "
        f"SELECT matched.id, %s, %s, %s, %s, {'matched.frequency' if frequency is None else '%s'}, {json_value}, "
        "%s, 0, '', %s, %s, %s "
        f"FROM {Profile._meta.db_table} matched WHERE matched.id IN ({select_sql}) "
        "ON CONFLICT (profile_id, document_id, occasion, channel) DO NOTHING"
    )
    params = [document_id, occasion, channel, status, *([] if frequency is None else [frequency]),
              json.dumps(reason, ensure_ascii=False),
              relay_task_id, now, now if inbox else None, False]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *select_params])
        return max(cursor.rowcount, 0)


def _channel_sql(alias: str) -> str:
    """The SQL of `_channel_condition` for each channel, over the `channels` derived table."""
    return (
        f"(channels.channel = '{Channel.INBOX}' AND {alias}.user_id IS NOT NULL)"
        f" OR (channels.channel = '{Channel.EMAIL}' AND {alias}.email <> '' AND {alias}.email_confirmed)"
        f" OR (channels.channel = '{Channel.WEBHOOK}' AND {alias}.webhook_url <> '')"
        f" OR (channels.channel = '{Channel.SMS}' AND {alias}.phone <> '')"
    )


def queue_profile_deliveries(document: Any, occasion: str, tag_ids: Iterable[int]) -> dict[str, int]:
    """Queue the deliveries of one policy to every matching profile on every channel it can receive,
    each at its profile's own frequency: ONE set-based INSERT … SELECT (the profiles matched with one
    semi-join on `ProfileTag` per audience dimension, crossed with the four channels). At most one
    row per (profile, document, occasion, channel), the unique constraint guaranteeing it: the first
    push of a policy on an occasion (nothing queued for it yet) is a plain INSERT, without ON
    CONFLICT's speculative insertion of every row (a sixth of the broad push's CPU time); a retried
    task, or a concurrent push whose rows make the unique constraint refuse the plain INSERT (rolled
    back to a savepoint), runs it with ON CONFLICT DO NOTHING. Returns {channel: rows inserted}."""
    tag_ids = list(tag_ids)
    groups = audience_groups(tag_ids)
    if not groups:
        return {}
    audience = sorted(set(tag_ids) & {i for ids in groups.values() for i in ids})  # the policy's own
    profile_table, tag_table = Profile._meta.db_table, ProfileTag._meta.db_table
    table = Delivery._meta.db_table
    postgres = connection.vendor == "postgresql"
    conditions, params = [], []
    for ids in groups.values():
        if postgres:  # one array parameter a dimension, however many descendants
            conditions.append(
                f"p.id IN (SELECT profile_id FROM {tag_table} WHERE tag_id = ANY(%s::bigint[]))"
            )
            params.append(sorted(ids))
        else:
            placeholders = ", ".join(["%s"] * len(ids))
            conditions.append(
                f"p.id IN (SELECT profile_id FROM {tag_table} WHERE tag_id IN ({placeholders}))"
            )
            params.extend(sorted(ids))
    now = timezone.now()
    channels = " UNION ALL ".join(f"SELECT '{channel}' AS channel" for channel in Channel.values)
    insert = (
        f"INSERT INTO {table} (profile_id, document_id, occasion, channel, status, frequency, "
        "reason, relay_task_id, attempts, last_error, created_at, sent_at, saved) "
        f"SELECT p.id, %s, %s, channels.channel, "
        f"CASE WHEN channels.channel = '{Channel.INBOX}' THEN '{DeliveryStatus.SENT}' "
        f"ELSE '{DeliveryStatus.QUEUED}' END, p.frequency, "
        f"{'CAST(%s AS jsonb)' if postgres else '%s'}, NULL, 0, '', %s, "
        f"CASE WHEN channels.channel = '{Channel.INBOX}' THEN %s END, %s "
        f"FROM {profile_table} p CROSS JOIN ({channels}) channels "
        f"WHERE p.push_enabled AND ({_channel_sql('p')}) AND {' AND '.join(conditions)} "
    )  # the site inbox is delivered as soon as it is written; the other channels are queued
    reason = json.dumps({"by": "profile", "tags": audience}, ensure_ascii=False)
    params = [document.pk, occasion, reason, now, now, False, *params]
    on_conflict = "ON CONFLICT (profile_id, document_id, occasion, channel) DO NOTHING RETURNING channel"
    with connection.cursor() as cursor:
        if postgres:
            # this transaction only: the semi-join's hash of ~1,000,000 ids stays in memory, and the
            # statement is not JIT-compiled (compiling costs more than it saves here)
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE document_id = %s AND occasion = %s LIMIT 1", [document.pk, occasion]
        )
        rows = None
        if cursor.fetchone() is None:  # the first push of this policy on this occasion
            try:
                with transaction.atomic():  # a savepoint: a refused statement leaves the push usable
                    rows = _insert_counted(cursor, insert + "RETURNING channel", params)
            except IntegrityError:  # a concurrent push inserted some of the same rows meanwhile
                rows = None
        if rows is None:  # a retried task, or that race: skip the rows already there
            rows = _insert_counted(cursor, insert + on_conflict, params)
    return {channel: rows.get(channel, 0) for channel in Channel.values}


def _insert_counted(cursor: Any, sql: str, params: list[Any]) -> dict[str, int]:
    """Run an INSERT … RETURNING channel; {channel: rows inserted}, counted in the server on
    PostgreSQL (a broad policy inserts hundreds of thousands of rows)."""
    if connection.vendor == "postgresql":
        cursor.execute(
            f"WITH inserted AS ({sql}) SELECT channel, count(*) FROM inserted GROUP BY channel", params
        )
        return dict(cursor.fetchall())
    cursor.execute(sql, params)
    counts: dict[str, int] = {}
    for (channel,) in cursor.fetchall():
        counts[channel] = counts.get(channel, 0) + 1
    return counts


def queue_subscription_deliveries(
    subscriptions: QuerySet[Subscription], document: Any, occasion: str
) -> dict[str, int]:
    """Queue the deliveries of the matched subscriptions: immediate ones first, so a profile whose
    subscriptions overlap gets the most frequent of them and still one mail."""
    counts: dict[str, int] = {}
    for channel in (Channel.INBOX, Channel.EMAIL):
        for frequency in FREQUENCY_ORDER:
            profiles = Profile.objects.filter(
                pk__in=subscriptions.filter(frequency=frequency).values("profile_id")
            ).filter(_channel_condition(channel))
            counts[channel] = counts.get(channel, 0) + insert_deliveries(
                profiles.values_list("pk"), document_id=document.pk, occasion=occasion, channel=channel,
                frequency=frequency, reason={"by": "subscription"},
            )  # fmt: skip
    return counts
