"""Read side of search: one function the portal page, the API and `gongkai search` all call."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.utils import DatabaseError

from gongkai.documents.interpretation_selectors import public_interpretations_prefetch
from gongkai.documents.selectors import (
    DocumentFilters,
    apply_filters,
    facet_counts,
    facet_counts_of_rows,
    facet_counts_of_values,
    facet_table,
    filters_are_empty,
    public_documents,
)
from gongkai.text.docno import doc_number_variants

from . import segmenter
from .backends import get_backend
from .highlight import mark, snippet
from .query import ParsedQuery, parse
from .services import synonym_map

if TYPE_CHECKING:
    from gongkai.documents.models import Document

ORDERS = ("relevance", "date")
MAX_PAGE = 500


@dataclass
class Result:
    document: Document
    score: float
    title_html: str
    snippet: str
    snippet_html: str


@dataclass
class SearchOutcome:
    query: ParsedQuery
    order: str = "relevance"
    filters: DocumentFilters = field(default_factory=DocumentFilters)
    total: int = 0
    offset: int = 0
    limit: int = 10
    results: list[Result] = field(default_factory=list)
    facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    redirect: Document | None = None  # the one document a 文号 query names
    suggestions: list[str] = field(default_factory=list)
    suggested_titles: list[Document] = field(default_factory=list)
    error: str = ""

    @property
    def notices(self) -> list[str]:
        return self.query.notices


def parse_query(text: str | None) -> ParsedQuery:
    segmenter.ensure_database_terms()
    return parse(text, synonym_map())


def document_number_match(query: ParsedQuery) -> Document | None:
    """The published document whose 文号 the query is (in any messy form), if exactly one."""
    if query.doc_number is None:
        return None
    forms = doc_number_variants(query.doc_number)  # 国家税务总局2018年第32号 = …公告2018年第32号
    matches = list(public_documents().filter(doc_number__in=forms)[:2])
    return matches[0] if len(matches) == 1 else None


def _restrict(queryset: QuerySet[Document]) -> tuple[str, list]:
    """A correlated EXISTS on the entry's document: a primary-key probe per candidate row.

    (An `IN (SELECT id …)` makes SQLite materialise every published id, ~200 ms at 100k documents.)
    """
    correlated = queryset.order_by().filter(pk=RawSQL("e.document_id", [])).values("pk")
    sql, params = correlated.query.sql_with_params()
    return f"EXISTS ({sql})", list(params)


def search(
    text: str | None, *, filters: DocumentFilters | None = None, order: str = "relevance", offset: int = 0,
    limit: int = 10, with_facets: bool = True, follow_doc_number: bool = True,
) -> SearchOutcome:  # fmt: skip
    """Published documents matching `text`; never raises on user input."""
    query = parse_query(text)
    filters = filters or DocumentFilters()
    filters.q = ""  # the title box of the document list is not used here: `text` is the query
    order = order if order in ORDERS else "relevance"
    outcome = SearchOutcome(query=query, order=order, filters=filters, offset=max(0, offset), limit=limit)
    if follow_doc_number:
        outcome.redirect = document_number_match(query)
    if query.is_empty:
        return outcome
    base = apply_filters(public_documents(), filters)
    backend = get_backend()
    restrict = _restrict(base)
    table = facet_table() if with_facets else None
    # tantivy counts the page with its aggregations, made exact by the facet table (docs/search.md)
    aggregated = (
        table is not None and not backend.uses_sql and settings.SEARCH_TANTIVY_FACETS == "aggregations"
    )
    narrowed = None if filters_are_empty(filters) else base  # the tantivy backend filters by ids
    try:
        counted = backend.count_and_facets(query, narrowed, table) if aggregated else None
        if counted is not None:
            outcome.total, found = counted
            outcome.facets = facet_counts_of_values(found)
        elif table is None and not backend.uses_sql:
            outcome.total = backend.count(query, documents=narrowed)
        elif table is None:
            outcome.total = backend.count(query, restrict)
        else:  # one pass over the index for the total and every facet (issue 20)
            rows = _matching_rows(table, backend, query, base, filters)
            outcome.total = int(rows.size)
            outcome.facets = facet_counts_of_rows(table, rows)
        extra = {} if backend.uses_sql else {"documents": narrowed}
        hits = backend.search(
            query, restrict=restrict, order=order, offset=outcome.offset, limit=limit, **extra
        )
    except (DatabaseError, ValueError):  # a query the index cannot run: a message, never a raw error
        outcome.error = "检索暂时无法完成，请换个说法再试。"
        return outcome
    documents = {
        d.pk: d
        for d in public_documents()
        .prefetch_related("issuer_links__organisation", "attachments", public_interpretations_prefetch())
        .filter(pk__in=[h.document_id for h in hits])
    }
    for hit in hits:
        document = documents.get(hit.document_id)
        if document is None:
            continue
        texts = [
            document.summary,
            document.body_text,
            *[a.extracted_text for a in document.attachments.all()],
            *[text for item in document.public_interpretations for _part, text in item.texts()],
        ]
        plain, html = snippet(texts, query.highlight)
        outcome.results.append(
            Result(document, hit.score, mark(document.title, query.highlight), plain, html)
        )
    for annotate in RESULT_ANNOTATORS:
        annotate(outcome.results)
    if with_facets and table is None:
        outcome.facets = facet_counts(base.filter(matches_condition(backend, query)))
    if outcome.total == 0:
        outcome.suggestions, outcome.suggested_titles = suggestions(query)
    return outcome


def _matching_rows(
    table: Any, backend: Any, query: ParsedQuery, base: QuerySet, filters: DocumentFilters
) -> Any:
    """Rows of the facet table (public documents) that match the query and the filters."""
    import numpy as np

    rows = table.rows_of(backend.match_document_ids(query))
    if not filters_are_empty(filters):
        allowed = table.rows_of(np.fromiter(base.order_by().values_list("pk", flat=True), dtype=np.int64))
        rows = np.intersect1d(rows, allowed, assume_unique=True)
    return rows


# Higher apps annotate result documents (topics adds the 办 mark): each takes the list of results.
RESULT_ANNOTATORS: list = []


def matching_condition(text: str) -> Q | None:
    """A filter for the documents a saved search matches (e.g. a topic's rule); None when empty."""
    query = parse_query(text)
    if query.is_empty:
        return None
    return matches_condition(get_backend(), query)


def matches_condition(backend: Any, query: ParsedQuery) -> Q:
    """The documents matching a parsed query, as a queryset filter (SQL, or ids from tantivy)."""
    if not backend.uses_sql:
        return Q(pk__in=backend.match_document_ids(query).tolist())
    sql, params = backend.match_subquery(query)
    return Q(pk__in=RawSQL(sql, params))


def suggestions(query: ParsedQuery, limit: int = 8) -> tuple[list[str], list[Document]]:
    """For a zero-result page: dictionary words and published titles sharing a two-character piece."""
    pieces: list[str] = []
    for word in query.highlight:
        pieces.extend(segmenter.bigrams(word) or ([word] if len(word) >= 2 else []))
    pieces = list(dict.fromkeys(pieces))[:12]
    if not pieces:
        return [], []
    words = sorted(
        {w for w in segmenter.dictionary_words() if any(p in w for p in pieces) and w not in query.highlight},
        key=lambda w: (-sum(p in w for p in pieces), len(w), w),
    )[:limit]
    backend = get_backend()
    if backend.uses_sql:
        condition = Q()
        for piece in pieces:
            condition |= Q(title__icontains=piece)
    else:  # the title tokens hold every two-character piece: no scan of every title
        condition = Q(pk__in=backend.newest_with_title_words(pieces, 5))
    titles = list(public_documents().filter(condition).order_by("-published_date", "-id")[:5])
    return words, titles


def page_count(total: int, limit: int) -> int:
    return max(1, math.ceil(total / limit)) if limit else 1


# 搜问一体: higher apps answer a question typed in the search box (the knowledge base and policy
# articles of the message board) without search importing them. Each provider takes the query text
# and returns None or a dict: `answer`, `source_title`, `source_url`, `article` (第X条, may be empty),
# `confidence` in [0, 1]. The most confident answer stands above the hits.
ANSWER_PROVIDERS: list = []


def answer_for(text: str) -> dict[str, Any] | None:
    """The most confident answer any provider gives to the query, or None."""
    text = " ".join((text or "").split())
    if len(text) < 2:
        return None
    best = None
    for provider in ANSWER_PROVIDERS:
        answer = provider(text)
        if answer and (best is None or answer["confidence"] > best["confidence"]):
            best = answer
    return best
