"""Who a policy is for, in SQL (never loading the profiles into Python).

A policy's audience is its tags in the audience dimensions (对象, 行业, 生命周期, 地域; 主题 is not one).
A profile matches when, for every audience dimension the policy has tags in, the profile has a tag
equal to or below one of them (OR inside a dimension, AND across dimensions). The descendant sets of
the policy's tags are small and computed in Python; each dimension becomes one EXISTS over
`ProfileTag` with `tag_id IN (...)`. Deliveries are queued with one INSERT … SELECT per channel and
frequency, ON CONFLICT DO NOTHING on (profile, document, occasion, channel): a profile gets at most one
delivery per policy however many rules match it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import connection
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


def queue_profile_deliveries(document: Any, occasion: str, tag_ids: Iterable[int]) -> dict[str, int]:
    """Queue the deliveries of one policy to every matching profile: one INSERT … SELECT per channel,
    each delivery with its profile's frequency."""
    groups = audience_groups(tag_ids)
    counts: dict[str, int] = {}
    if not groups:
        return counts
    reason = {"by": "profile", "tags": sorted({i for ids in groups.values() for i in ids})[:50]}
    base = matching_profiles(groups)
    for channel in (Channel.INBOX, Channel.EMAIL, Channel.WEBHOOK, Channel.SMS):
        ids = base.filter(_channel_condition(channel)).values_list("pk")
        counts[channel] = insert_deliveries(
            ids, document_id=document.pk, occasion=occasion, channel=channel, frequency=None, reason=reason
        )
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
