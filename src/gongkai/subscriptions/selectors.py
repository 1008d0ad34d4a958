"""Reading push data: audience sizes, 我的政策 with reasons, the policy calculator, staff counts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from gongkai.documents.constants import POLICY_DOC_TYPES
from gongkai.documents.selectors import public_documents
from gongkai.taxonomy.constants import AUDIENCE_DIMENSIONS
from gongkai.taxonomy.selectors import active_tags, all_tags, tags_by_codes

from . import matching
from .constants import Channel, DeliveryStatus
from .models import Delivery, ForwardingTask, Profile, RelayMember, RelayOrganisation, Subscription


def preview_tags(codes: list[str]) -> dict[str, Any]:
    """`gongkai push preview`: the audience size of a tag set, sending nothing."""
    tags = tags_by_codes(codes)
    return {"tags": [tag.code for tag in tags], "matched": matching.audience_size([tag.pk for tag in tags])}


def audience_preview(document: Any) -> list[tuple[str, str]]:
    """PUBLISH_PREVIEWS hook: the publish screen shows how many profiles the policy will reach."""
    tag_ids = list(document.tags.values_list("pk", flat=True))
    groups = matching.audience_groups(tag_ids)
    if not groups:
        return [
            (
                _("精准推送"),
                _("未标注对象、行业、生命周期或地域标签：面向所有人，不按画像推送（订阅者仍会收到）。"),
            )
        ]
    names = "；".join(
        f"{tag.get_dimension_display()}·{tag.name}"
        for tag in all_tags().filter(pk__in=tag_ids, dimension__in=[str(d) for d in AUDIENCE_DIMENSIONS])
    )
    count = matching.matching_profiles(groups).count()
    return [(_("精准推送画像数"), _("%(count)s 个画像（%(tags)s）") % {"count": count, "tags": names})]


@dataclass
class InboxRow:
    delivery: Delivery
    reasons: list[str] = field(default_factory=list)


def _tag_reasons(profile_tag_ids: set[int], document_tag_rows: list[tuple[int, str, str]]) -> list[str]:
    """The policy's audience tags that the profile has (or has a tag below)."""
    mine = matching.ancestor_ids(profile_tag_ids)
    labels = {str(d): str(d.label) for d in AUDIENCE_DIMENSIONS}
    return [f"{labels[dimension]}·{name}" for tag_id, name, dimension in document_tag_rows
            if tag_id in mine and dimension in labels]  # fmt: skip


def inbox(user: Any, *, saved_only: bool = False, unread_only: bool = False) -> list[InboxRow]:
    """我的政策 (千人千面): newest first, each with the reasons it is there."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return []
    queryset = Delivery.objects.filter(profile=profile, channel=Channel.INBOX).select_related(
        "document", "relay_task__relay"
    )
    if saved_only:
        queryset = queryset.filter(saved=True)
    if unread_only:
        queryset = queryset.filter(opened_at__isnull=True)
    rows = [InboxRow(delivery) for delivery in queryset.order_by("-created_at", "-id")[:200]]
    profile_tags = set(profile.tag_links.values_list("tag_id", flat=True))
    document_ids = [row.delivery.document_id for row in rows]
    tag_rows: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    through = public_documents().model.tags.through
    for document_id, tag_id, name, dimension in through.objects.filter(
        document_id__in=document_ids
    ).values_list("document_id", "tag_id", "tag__name", "tag__dimension"):
        tag_rows[document_id].append((tag_id, name, dimension))
    subscriptions = list(
        profile.subscriptions.select_related("organisation", "theme", "tag", "topic", "document")
    )
    for row in rows:
        document = row.delivery.document
        matched = _tag_reasons(profile_tags, tag_rows[document.pk])
        if matched:
            row.reasons.append(_("画像匹配：%(tags)s") % {"tags": "、".join(matched)})
        for subscription in subscriptions:
            if _subscription_covers(subscription, document, tag_rows[document.pk]):
                row.reasons.append(_("订阅：%(label)s") % {"label": str(subscription)})
        if row.delivery.relay_task_id:
            row.reasons.append(_("经“%(relay)s”转发") % {"relay": row.delivery.relay_task.relay.name})
        if row.delivery.occasion.startswith("interpretation-"):
            row.reasons.append(_("新发布了政策解读"))
        if row.delivery.occasion.startswith("validity-"):
            row.reasons.append(_("关注的文件有效性变更：%(v)s") % {"v": document.get_validity_display()})
    return rows


def _subscription_covers(
    subscription: Subscription, document: Any, tag_rows: list[tuple[int, str, str]]
) -> bool:
    if subscription.organisation_id:
        return subscription.organisation_id == document.organisation_id
    if subscription.theme_id:
        return subscription.theme_id in {document.theme_id, getattr(document.theme, "parent_id", None)}
    if subscription.tag_id:
        return subscription.tag_id in matching.ancestor_ids([tag_id for tag_id, _n, _d in tag_rows])
    if subscription.document_id:
        return subscription.document_id == document.pk
    return False


def my_subscriptions(user: Any) -> QuerySet[Subscription]:
    return Subscription.objects.filter(profile__user=user).select_related(
        "organisation", "theme", "tag", "topic", "document"
    )


# ---- the policy calculator (政策计算器 / 政策找人) ---------------------------------------------------


def calculator_tags() -> dict[str, list[Any]]:
    """The tags a visitor picks from, by dimension (主题 excluded: it is not who one is)."""
    grouped: dict[str, list[Any]] = {}
    for tag in (
        active_tags()
        .filter(dimension__in=[str(d) for d in AUDIENCE_DIMENSIONS])
        .order_by("dimension", "sort_order", "code")
    ):
        grouped.setdefault(tag.dimension, []).append(tag)
    return grouped


def calculate(codes: list[str]) -> list[dict[str, Any]]:
    """Public policies whose audience the chosen attributes satisfy, as a profile with these tags
    would be matched: for each audience dimension a policy has tags in, one chosen tag at or below."""
    tags = tags_by_codes(codes, field="tags")
    if not tags:
        return []
    mine = matching.ancestor_ids([tag.pk for tag in tags])
    through = public_documents().model.tags.through
    queryset = public_documents().filter(Q(is_normative=True) | Q(doc_type__in=POLICY_DOC_TYPES))
    any_audience = Q()
    for dimension in AUDIENCE_DIMENSIONS:
        in_dimension = through.objects.filter(document_id=OuterRef("pk"), tag__dimension=dimension)
        queryset = queryset.filter(~Exists(in_dimension) | Exists(in_dimension.filter(tag_id__in=mine)))
        any_audience |= Q(Exists(in_dimension))
    queryset = queryset.filter(any_audience).order_by("-published_date", "-id")[:100]
    documents = list(queryset)
    reasons: dict[int, list[str]] = defaultdict(list)
    for document_id, name, dimension in through.objects.filter(
        document_id__in=[d.pk for d in documents], tag_id__in=mine,
        tag__dimension__in=[str(d) for d in AUDIENCE_DIMENSIONS],
    ).values_list("document_id", "tag__name", "tag__dimension"):  # fmt: skip
        reasons[document_id].append(
            f"{dict((str(d), str(d.label)) for d in AUDIENCE_DIMENSIONS)[dimension]}·{name}"
        )
    return [{"document": document, "reasons": reasons[document.pk]} for document in documents]


# ---- staff: delivery status, relays -------------------------------------------------------------


def delivery_counts(user: Any) -> list[dict[str, Any]]:
    """Per policy and channel: queued, sent, failed, opened (staff see their organisation's policies)."""
    queryset = Delivery.objects.all()
    if not getattr(user, "is_platform_admin", False):
        queryset = queryset.filter(document__organisation_id=getattr(user, "organisation_id", None) or -1)
    rows = (
        queryset.values("document_id", "document__title", "channel")
        .annotate(
            total=Count("id"),
            queued=Count("id", filter=Q(status=DeliveryStatus.QUEUED)),
            sent=Count("id", filter=Q(status=DeliveryStatus.SENT)),
            failed=Count("id", filter=Q(status=DeliveryStatus.FAILED)),
            opened=Count("id", filter=Q(status=DeliveryStatus.OPENED)),
        )
        .order_by("-document_id", "channel")
    )
    labels = dict(Channel.choices)
    return [{**row, "channel_label": labels.get(row["channel"], row["channel"])} for row in rows[:500]]


def failed_deliveries(user: Any, document_id: int) -> QuerySet[Delivery]:
    queryset = Delivery.objects.filter(document_id=document_id, status=DeliveryStatus.FAILED)
    if not getattr(user, "is_platform_admin", False):
        queryset = queryset.filter(document__organisation_id=getattr(user, "organisation_id", None) or -1)
    return queryset.select_related("profile")[:200]


def relay_stats() -> list[dict[str, Any]]:
    """Per relay: tasks, forwarded or not, hours to forward, member reach."""
    result = []
    for relay in RelayOrganisation.objects.annotate(member_count=Count("members")).order_by("name"):
        tasks = list(relay.tasks.select_related("document"))
        forwarded = [task for task in tasks if task.forwarded_at]
        hours = [(task.forwarded_at - task.created_at).total_seconds() / 3600 for task in forwarded]
        reached = (
            Delivery.objects.filter(relay_task__relay=relay, status__in=[DeliveryStatus.SENT, DeliveryStatus.OPENED])
            .values("profile_id").distinct().count()
        )  # fmt: skip
        result.append({"relay": relay, "tasks": len(tasks), "forwarded": len(forwarded),
                       "hours": round(sum(hours) / len(hours), 1) if hours else None,
                       "members": relay.member_count, "reached": reached})  # fmt: skip
    return result


def task_member_status(task: ForwardingTask) -> list[dict[str, Any]]:
    """Each member of the relay with the status of the forwarded policy on each channel."""
    statuses: dict[int, dict[str, Delivery]] = defaultdict(dict)
    for delivery in task.deliveries.all():
        statuses[delivery.profile_id][delivery.channel] = delivery
    return [{"member": member, "deliveries": statuses.get(member.profile_id, {})}
            for member in RelayMember.objects.filter(relay=task.relay).select_related("profile")]  # fmt: skip


def relays_operated_by(user: Any) -> QuerySet[RelayOrganisation]:
    return (
        RelayOrganisation.objects.filter(operators=user)
        if getattr(user, "is_authenticated", False)
        else RelayOrganisation.objects.none()
    )
