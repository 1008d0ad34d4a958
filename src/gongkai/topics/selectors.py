"""Reading topic pages: which documents a topic gathers, grouped by level and kind; 办 marks;
projects that owe their budget disclosure. Only public content reaches the public pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from gongkai.accounts.constants import OrganisationKind
from gongkai.documents.selectors import has_tag_or_below, public_documents
from gongkai.search.selectors import matching_condition

from .constants import BUDGET_DISCLOSURE_THRESHOLD_WAN, Level
from .models import ExternalReference, ProgressRecord, ServiceItem, Topic

if TYPE_CHECKING:
    from gongkai.documents.models import Document

# Higher apps add sections to topic pages (the message board adds its FAQ): each provider takes the
# topic and the ids of its public documents and returns a list of items to show, or an empty list.
SECTION_PROVIDERS: dict[str, Callable[[Topic, list[int]], list[Any]]] = {}


def topic_interpretations(topic: Topic, document_ids: list[int]) -> list[Any]:
    """The published interpretations of the topic's public documents (政策解读 section)."""
    from gongkai.documents.interpretation_selectors import public_interpretations

    return list(public_interpretations().filter(documents__in=document_ids).distinct()[:30])


SECTION_PROVIDERS["interpretations"] = topic_interpretations


def published_topics() -> QuerySet[Topic]:
    return Topic.objects.filter(is_published=True).select_related("organisation")


def topics_of(user: Any) -> QuerySet[Topic]:
    """Staff see their organisation's topics (platform admins all)."""
    queryset = Topic.objects.select_related("organisation")
    if getattr(user, "is_platform_admin", False):
        return queryset
    return queryset.filter(organisation_id=getattr(user, "organisation_id", None) or -1)


def topic_documents(topic: Topic) -> QuerySet[Document]:
    """Public documents gathered by the topic's rules, plus the pinned ones that are public."""
    condition = Q(pk__in=topic.pinned.values("pk"))
    for tag in topic.rule_tags.all():
        condition |= has_tag_or_below(tag.code)
    organisation_ids = list(topic.rule_organisations.values_list("pk", flat=True))
    if organisation_ids:
        condition |= Q(issuer_links__organisation_id__in=organisation_ids)
    if topic.rule_query:
        searched = matching_condition(topic.rule_query)
        if searched is not None:
            condition |= searched
    ids = public_documents().filter(condition).values("pk")
    return public_documents().filter(pk__in=ids).order_by("-published_date", "-id")


def document_level(document: Document) -> str:
    organisation = document.organisation
    if organisation.kind == OrganisationKind.NATIONAL:
        return (
            Level.CITY
            if organisation.name.startswith(("上海市", "北京市", "天津市", "重庆市"))
            and "区" not in organisation.name
            else Level.NATIONAL
        )
    return Level.DISTRICT


@dataclass
class TopicPage:
    topic: Topic
    documents_by_level: list[tuple[str, str, list[Any]]] = field(default_factory=list)
    references_by_level: list[tuple[str, str, list[ExternalReference]]] = field(default_factory=list)
    service_items: list[ServiceItem] = field(default_factory=list)
    projects: list[ProgressRecord] = field(default_factory=list)
    sections: dict[str, list[Any]] = field(default_factory=dict)
    total_documents: int = 0


def topic_page(topic: Topic, *, level: str = "", year: int | None = None) -> TopicPage:
    documents = list(topic_documents(topic).select_related("organisation"))
    if year:
        documents = [d for d in documents if d.published_date and d.published_date.year == year]
    page = TopicPage(topic=topic, total_documents=len(documents))
    for value, label in Level.choices:
        if level and level != value:
            continue
        in_level = [d for d in documents if document_level(d) == value]
        if in_level:
            page.documents_by_level.append((value, str(label), in_level))
        references = [
            r
            for r in topic.references.all()
            if r.level == value and (not year or (r.date and r.date.year == year))
        ]
        if references:
            page.references_by_level.append((value, str(label), references))
    ids = [d.pk for d in documents]
    page.service_items = list(
        ServiceItem.objects.filter(Q(topics=topic) | Q(documents__in=ids))
        .distinct()
        .select_related("organisation")
    )
    page.projects = list(topic.projects.filter(is_published=True).prefetch_related("updates"))
    for name, provider in SECTION_PROVIDERS.items():
        page.sections[name] = list(provider(topic, ids))
    return page


def service_items_by_document(document_ids: list[int]) -> dict[int, list[ServiceItem]]:
    """For the 办 mark: the service items of each document (阅办联动, work plan item 十九)."""
    result: dict[int, list[ServiceItem]] = {}
    links = ServiceItem.documents.through.objects.filter(document_id__in=document_ids).select_related(
        "serviceitem"
    )
    for link in links:
        result.setdefault(link.document_id, []).append(link.serviceitem)
    return result


def service_items() -> QuerySet[ServiceItem]:
    return ServiceItem.objects.select_related("organisation").prefetch_related("documents")


def published_projects() -> QuerySet[ProgressRecord]:
    return ProgressRecord.objects.filter(is_published=True).select_related("organisation")


def projects_missing_budget_disclosure(user: Any = None) -> QuerySet[ProgressRecord]:
    """Projects of 1000万元 or more without their 预决算 disclosure (work plan item 十)."""
    queryset = ProgressRecord.objects.filter(
        budget_amount__gte=BUDGET_DISCLOSURE_THRESHOLD_WAN, budget_disclosure_url=""
    ).select_related("organisation")
    if user is not None and not getattr(user, "is_platform_admin", False):
        queryset = queryset.filter(organisation_id=getattr(user, "organisation_id", None) or -1)
    return queryset
