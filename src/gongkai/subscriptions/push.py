"""What happens when a policy is published, interpreted or changes validity (run in Celery).

Each entry point is a service (one durable transaction, an audit event): it queues deliveries in SQL
(`matching`) and, after commit, hands the immediate ones to the senders (`delivery`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from gongkai.core.services import record_event
from gongkai.documents.interpretation_selectors import all_interpretations
from gongkai.documents.selectors import all_documents, public_documents
from gongkai.search.selectors import matching_condition
from gongkai.topics.selectors import published_topics, topic_documents

from . import matching
from .constants import OCCASION_PUBLISHED, SubscriptionKind
from .models import ForwardingTask, RelayOrganisation, Subscription

FOLLOWED_VALIDITIES = ("amended", "repealed", "expired")  # 已修改, 已废止, 已失效


def matching_subscriptions(document: Any, *, followers_only: bool = False) -> QuerySet[Subscription]:
    """Confirmed subscriptions whose rule takes in `document` (a public one)."""
    confirmed = Subscription.objects.filter(confirmed=True)
    condition = Q(kind=SubscriptionKind.DOCUMENT, document_id=document.pk)
    if not followers_only:
        organisation_ids = {document.organisation_id, *document.issuers.values_list("pk", flat=True)}
        condition |= Q(kind=SubscriptionKind.ORGANISATION, organisation_id__in=organisation_ids)
        if document.theme_id:
            theme_ids = [document.theme_id] + ([document.theme.parent_id] if document.theme.parent_id else [])
            condition |= Q(kind=SubscriptionKind.THEME, theme_id__in=theme_ids)
        tag_ids = matching.ancestor_ids(document.tags.values_list("pk", flat=True))
        if tag_ids:
            condition |= Q(kind=SubscriptionKind.TAG, tag_id__in=tag_ids)
        topic_ids = set(confirmed.filter(kind=SubscriptionKind.TOPIC).values_list("topic_id", flat=True))
        hits = [topic.pk for topic in published_topics().filter(pk__in=topic_ids)
                if topic_documents(topic).filter(pk=document.pk).exists()]  # fmt: skip
        if hits:
            condition |= Q(kind=SubscriptionKind.TOPIC, topic_id__in=hits)
        queries = set(confirmed.filter(kind=SubscriptionKind.SEARCH).values_list("query", flat=True))
        found = [query for query in queries if _search_hits(query, document.pk)]
        if found:
            condition |= Q(kind=SubscriptionKind.SEARCH, query__in=found)
    return confirmed.filter(condition)


def _search_hits(query: str, document_id: int) -> bool:
    condition = matching_condition(query)
    return condition is not None and public_documents().filter(pk=document_id).filter(condition).exists()


def matching_relays(tag_ids: list[int]) -> list[RelayOrganisation]:
    """Relays whose member profile (their 服务对象 tags) matches the policy's audience, as a profile would."""
    groups = matching.audience_groups(tag_ids)
    if not groups:
        return []
    result = []
    for relay in RelayOrganisation.objects.prefetch_related("tags"):
        mine = {tag.pk for tag in relay.tags.all()}
        if mine and all(mine & ids for ids in groups.values()):
            result.append(relay)
    return result


def push_published(document_id: int) -> dict[str, Any]:
    """A policy was published: profiles whose 画像 matches, subscriptions whose rule takes it in,
    and relay organisations that serve its audience (a forwarding task each)."""
    document = public_documents().filter(pk=document_id).first()
    if document is None:  # withdrawn since, or not proactive: never pushed
        return {"document": document_id, "pushed": False}
    with transaction.atomic(durable=True):
        tag_ids = list(document.tags.values_list("pk", flat=True))
        by_profile = matching.queue_profile_deliveries(document, OCCASION_PUBLISHED, tag_ids)
        by_subscription = matching.queue_subscription_deliveries(
            matching_subscriptions(document), document, OCCASION_PUBLISHED
        )
        relays = matching_relays(tag_ids)
        for relay in relays:
            ForwardingTask.objects.get_or_create(relay=relay, document=document)
        result = {"document": document.pk, "pushed": True, "profiles": by_profile, "subscriptions": by_subscription,
                  "relays": [relay.pk for relay in relays]}  # fmt: skip
        record_event("subscriptions.pushed", target=document, organisation=document.organisation, data=result)
        transaction.on_commit(lambda: _dispatch(document.pk))
    return result


def push_interpretation(interpretation_id: int) -> list[dict[str, Any]]:
    """An interpretation published after its policy: the policy's audience, subscribers and followers
    hear of it once (an interpretation published with its policy under 三同步 rides on the policy's push)."""
    interpretation = all_interpretations().filter(pk=interpretation_id).first()
    if interpretation is None or interpretation.submitted_with_id:
        return []
    results = []
    occasion = f"interpretation-{interpretation.pk}"
    for document in public_documents().filter(pk__in=interpretation.documents.values("pk")):
        with transaction.atomic(durable=True):
            tag_ids = list(document.tags.values_list("pk", flat=True))
            by_profile = matching.queue_profile_deliveries(document, occasion, tag_ids)
            by_subscription = matching.queue_subscription_deliveries(
                matching_subscriptions(document), document, occasion
            )
            result = {
                "document": document.pk,
                "occasion": occasion,
                "profiles": by_profile,
                "subscriptions": by_subscription,
            }
            record_event(
                "subscriptions.pushed", target=document, organisation=document.organisation, data=result
            )
            transaction.on_commit(lambda pk=document.pk: _dispatch(pk))
        results.append(result)
    return results


def push_change(document_id: int) -> dict[str, Any]:
    """A followed document was amended, repealed or expired: its followers hear of it once per state."""
    document = all_documents().filter(pk=document_id).first()
    if document is None or document.validity not in FOLLOWED_VALIDITIES or not document.is_public:
        return {"document": document_id, "pushed": False}
    occasion = f"validity-{document.validity}"
    with transaction.atomic(durable=True):
        counts = matching.queue_subscription_deliveries(
            matching_subscriptions(document, followers_only=True), document, occasion
        )
        result = {"document": document.pk, "occasion": occasion, "subscriptions": counts, "pushed": True}
        record_event("subscriptions.pushed", target=document, organisation=document.organisation, data=result)
        transaction.on_commit(lambda: _dispatch(document.pk))
    return result


def _dispatch(document_id: int) -> None:
    from gongkai.core.tasks import run_task

    from . import tasks

    run_task(tasks.send_immediate, document_id)
