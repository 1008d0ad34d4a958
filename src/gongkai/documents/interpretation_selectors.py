"""Read side of 政策解读: public lists, a document's interpretations, and the 应解读、尽解读 report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from gongkai.accounts.models import Organisation
from gongkai.taxonomy.constants import Dimension

from .constants import DocumentStatus, InterpretationKind
from .models import Document, Interpretation


def _public_document_ids() -> QuerySet:
    return Document.objects.published().values("pk")


def public_interpretations() -> QuerySet[Interpretation]:
    """Published interpretations of at least one public document, newest first."""
    return (
        Interpretation.objects.published()
        .filter(Exists(Document.objects.published().filter(interpretations=OuterRef("pk"))))
        .select_related("organisation")
        .order_by("-published_date", "-published_at", "-id")
    )


def public_interpretation(pk: int) -> Interpretation | None:
    return public_interpretations().filter(pk=pk).first()


def interpretations_visible_to(user: Any) -> QuerySet[Interpretation]:
    """Staff: their organisation's interpretations in any state and every published one."""
    return Interpretation.objects.visible_to(user).select_related("organisation")


def all_interpretations() -> QuerySet[Interpretation]:
    """Every interpretation in any state, for another app's service that scopes it itself (the review)."""
    return Interpretation.objects.all()


def lock_interpretation(pk: int) -> Interpretation:
    return Interpretation.objects.select_for_update().get(pk=pk)


def public_documents_of(interpretation: Interpretation) -> QuerySet[Document]:
    return interpretation.documents.filter(pk__in=_public_document_ids()).order_by("-published_date", "id")


def interpretations_of(document: Document) -> list[Interpretation]:
    """A document's published interpretations: those published with it first, then 动态解读 by date."""
    rows = public_interpretations().filter(documents=document)
    return sorted(rows, key=lambda i: (i.is_follow_up, i.published_date or dt.date.min, i.pk))


def bundled_interpretations(document: Document) -> list[Interpretation]:
    """The interpretations in review with this document (三同步): its review covers them too."""
    return list(Interpretation.objects.filter(submitted_with=document, status=DocumentStatus.IN_REVIEW))


def published_interpretations_of(document: Document) -> list[Interpretation]:
    return list(Interpretation.objects.published().filter(documents=document).order_by("id"))


def public_interpretations_prefetch(to_attr: str = "public_interpretations") -> Prefetch:
    """Prefetch of each document's published interpretations (search indexing, lists)."""
    return Prefetch(
        "interpretations", queryset=Interpretation.objects.published().order_by("id"), to_attr=to_attr
    )


def kind_choices() -> list[tuple[str, str]]:
    return list(InterpretationKind.choices)


# ---------------------------------------------------------------- 应解读、尽解读
def needs_interpretation_q() -> Q:
    """SQL form of `Document.needs_interpretation`: the mark, else 规范性文件 or an 对象 tag."""
    audience = Document.tags.through.objects.filter(
        document_id=OuterRef("pk"), tag__dimension=Dimension.AUDIENCE
    )
    default = Q(interpretation_required__isnull=True) & (Q(is_normative=True) | Exists(audience))
    return Q(interpretation_required=True) | default


def _row(document: Document) -> dict[str, Any]:
    return {
        "id": document.pk, "title": document.title, "doc_number": document.doc_number,
        "index_number": document.index_number, "published_date": document.published_date,
        "url": document.get_absolute_url(),
    }  # fmt: skip


def missing_interpretations(year: int, organisation: Organisation | None = None) -> list[dict[str, Any]]:
    """Per organisation, the year's published policies: 应解读 (needing one), 已解读, and the ones
    without a published interpretation (work plan item 十七: 应解读、尽解读); waived ones with reasons."""
    documents = Document.objects.published().filter(published_date__year=year).select_related("organisation")
    if organisation is not None:
        documents = documents.filter(organisation=organisation)
    interpreted = Interpretation.objects.published().filter(documents=OuterRef("pk"))
    documents = documents.annotate(interpreted=Exists(interpreted))
    by_org: dict[int, dict[str, Any]] = {}
    due = documents.filter(needs_interpretation_q()).order_by(
        "organisation__sort_order", "organisation_id", "published_date", "id"
    )
    for document in due:
        row = _org_row(by_org, document.organisation, year)
        row["required"] += 1
        if document.interpreted:
            row["interpreted"] += 1
        else:
            row["missing"].append(_row(document))
    waived = documents.filter(interpretation_required=False).order_by("published_date", "id")
    for document in waived:
        _org_row(by_org, document.organisation, year)["waived"].append(
            {**_row(document), "reason": document.interpretation_waiver_reason}
        )
    for row in by_org.values():
        row["missing_count"] = len(row["missing"])
        row["rate"] = round(row["interpreted"] / row["required"], 4) if row["required"] else None
    return sorted(by_org.values(), key=lambda r: (r["organisation_sort"], r["organisation"]))


def _org_row(by_org: dict[int, dict[str, Any]], organisation: Organisation, year: int) -> dict[str, Any]:
    return by_org.setdefault(organisation.pk, {
        "organisation": organisation.code, "organisation_name": organisation.name,
        "organisation_sort": organisation.sort_order, "year": year, "required": 0, "interpreted": 0,
        "missing": [], "waived": [],
    })  # fmt: skip
