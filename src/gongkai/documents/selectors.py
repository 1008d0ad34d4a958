"""Read-side queries for the document library: filters and facet counts shared by portal and API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Organisation
from gongkai.core.i18n import localized_name
from gongkai.taxonomy.constants import Dimension
from gongkai.taxonomy.selectors import all_tags, descendant_ids
from gongkai.text.docno import DocNumberError, doc_number_variants, parse_doc_number

from .constants import DocType, Validity
from .models import Attachment, Document, DocumentIssuer, DocumentQuerySet, DocumentRelation, Theme

FILTER_KEYS = ("organisation", "year", "doc_type", "theme", "tag", "validity", "normative", "q")


@dataclass
class DocumentFilters:
    organisation: str = ""
    year: int | None = None
    doc_type: str = ""
    theme: str = ""
    validity: str = ""
    normative: bool | None = None
    q: str = ""
    tags: list[str] = field(default_factory=list)  # tag codes, ANDed; each also matches its sub-tags
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: Any) -> DocumentFilters:
        """Parse query parameters; unknown or malformed values are dropped and reported, never a 500."""
        filters = cls()
        filters.organisation = (params.get("organisation") or "").strip()[:40]
        year = (params.get("year") or "").strip()
        if year:
            if year.isdigit() and 1949 <= int(year) <= 2100:
                filters.year = int(year)
            else:
                filters.errors["year"] = "年份应为四位数字"
        doc_type = (params.get("doc_type") or "").strip()
        if doc_type in DocType.values:
            filters.doc_type = doc_type
        elif doc_type:
            filters.errors["doc_type"] = "文种不存在"
        filters.theme = (params.get("theme") or "").strip()[:20]
        validity = (params.get("validity") or "").strip()
        if validity in Validity.values:
            filters.validity = validity
        elif validity:
            filters.errors["validity"] = "有效性取值不存在"
        normative = (params.get("normative") or "").strip().lower()
        if normative in {"1", "true", "yes"}:
            filters.normative = True
        elif normative in {"0", "false", "no"}:
            filters.normative = False
        filters.q = " ".join((params.get("q") or "").split())[:200]
        filters.tags, unknown = _tag_codes(params)
        if unknown:
            filters.errors["tag"] = "标签不存在：" + "、".join(unknown)
        return filters

    def as_params(self) -> dict[str, str]:
        values = {
            "organisation": self.organisation,
            "year": str(self.year or ""),
            "doc_type": self.doc_type,
            "theme": self.theme,
            "validity": self.validity,
            "normative": "" if self.normative is None else ("1" if self.normative else "0"),
            "tag": ",".join(self.tags),
            "q": self.q,
        }
        return {key: value for key, value in values.items() if value}


def _tag_codes(params: Any) -> tuple[list[str], list[str]]:
    """`tag` repeated (`?tag=a&tag=b`) or comma-separated (`?tag=a,b`): (known codes, unknown ones)."""
    values = params.getlist("tag") if hasattr(params, "getlist") else [params.get("tag") or ""]
    codes: list[str] = []
    for value in values:
        for code in str(value).replace("，", ",").split(","):
            code = code.strip()[:64]
            if code and code not in codes:
                codes.append(code)
    codes = codes[:10]
    known = set(all_tags().filter(code__in=codes).values_list("code", flat=True))
    return [code for code in codes if code in known], [code for code in codes if code not in known]


def all_documents() -> DocumentQuerySet:
    """Every document in any state, for another app's service or selector that scopes it itself
    (the disclosure review, relation matching on import, the annual report's counts)."""
    return Document.objects.all()


def published_documents() -> DocumentQuerySet:
    """Published documents, proactive or not (the search index decides what it shows)."""
    return Document.objects.published()


def documents_visible_to(user: Any) -> DocumentQuerySet:
    """What a staff member may see: their organisation's documents and every published one."""
    return Document.objects.visible_to(user)


def lock_document(pk: int) -> Document:
    """The row, locked until the caller's transaction ends (one decision at a time)."""
    return Document.objects.select_for_update().get(pk=pk)


def relations() -> QuerySet[DocumentRelation]:
    return DocumentRelation.objects.all()


def theme_by_code(code: str) -> Theme | None:
    return Theme.objects.filter(code=code).first()


def theme_with_children(theme: Theme) -> QuerySet[Theme]:
    return Theme.objects.filter(pk=theme.pk) | theme.children.all()


def public_documents() -> QuerySet[Document]:
    return Document.objects.published().select_related("organisation", "theme", "theme__parent")


def apply_filters(queryset: QuerySet[Document], filters: DocumentFilters) -> QuerySet[Document]:
    if filters.organisation:
        queryset = queryset.filter(issuer_links__organisation__code=filters.organisation).distinct()
    if filters.year:
        queryset = queryset.filter(published_date__year=filters.year)
    if filters.doc_type:
        queryset = queryset.filter(doc_type=filters.doc_type)
    if filters.theme:
        queryset = queryset.filter(Q(theme__code=filters.theme) | Q(theme__parent__code=filters.theme))
    if filters.validity:
        queryset = queryset.filter(validity=filters.validity)
    if filters.normative is not None:
        queryset = queryset.filter(is_normative=filters.normative)
    if filters.q:
        queryset = queryset.filter(title_or_number_q(filters.q))
    for code in filters.tags:
        queryset = queryset.filter(has_tag_or_below(code))
    return queryset


def has_tag_or_below(code: str) -> Exists:
    """Tagged with `code` or any tag under it (a filter on 个人 finds 退役军人 policies)."""
    root = all_tags().filter(code=code).values_list("pk", flat=True)
    ids = descendant_ids(list(root))
    return Exists(Document.tags.through.objects.filter(document_id=OuterRef("pk"), tag_id__in=ids))


def title_or_number_q(text: str) -> Q:
    """Every word in the title, or the 文号 in any messy form (either form of a 公告 number)."""
    try:
        return Q(doc_number__in=doc_number_variants(parse_doc_number(text)))
    except DocNumberError:
        pass
    condition = Q()
    for word in text.split():
        condition &= Q(title__icontains=word) | Q(doc_number__icontains=word)
    return condition


# The headings of the facets `facet_counts` computes, shown by the portal list and the search page.
FACET_TITLES = {
    "organisation": _("发文机关"),
    "year": _("发布年份"),
    "doc_type": _("文种"),
    "theme": _("主题分类"),
    "validity": _("有效性"),
    "normative": _("规范性文件"),
    "tag": _("政策标签"),
}
TAG_FACET_SIZE = 20


def facet_counts(queryset: QuerySet[Document]) -> dict[str, list[dict[str, Any]]]:
    """Counts per facet value within the current result set, labelled for display."""
    base = queryset.order_by()
    ids = base.values("pk")
    organisations = (
        Organisation.objects.filter(issued_documents__in=ids)
        .annotate(count=Count("issued_documents", distinct=True))
        .order_by("sort_order", "id")
    )
    years = (
        base.exclude(published_date=None)
        .annotate(y=ExtractYear("published_date"))
        .values("y")
        .annotate(count=Count("pk"))
        .order_by("-y")
    )
    doc_types = base.values("doc_type").annotate(count=Count("pk")).order_by("-count")
    validity = base.values("validity").annotate(count=Count("pk")).order_by("-count")
    normative = base.values("is_normative").annotate(count=Count("pk"))
    theme_rows = base.exclude(theme=None).values(
        "theme__parent__code", "theme__parent__name", "theme__parent__name_en", "theme__code", "theme__name",
        "theme__name_en",
    )  # fmt: skip
    themes: dict[str, dict[str, Any]] = {}
    for row in theme_rows.annotate(count=Count("pk")):
        code = row["theme__parent__code"] or row["theme__code"]
        if row["theme__parent__code"]:
            name = localized_name(row["theme__parent__name"], row["theme__parent__name_en"])
        else:
            name = localized_name(row["theme__name"], row["theme__name_en"])
        entry = themes.setdefault(code, {"value": code, "label": name, "count": 0})
        entry["count"] += row["count"]
    doc_type_labels = dict(DocType.choices)
    validity_labels = dict(Validity.choices)
    return {
        "organisation": [{"value": o.code, "label": o.name, "count": o.count} for o in organisations],
        "year": [
            {"value": str(r["y"]), "label": _("%(year)s年") % {"year": r["y"]}, "count": r["count"]}
            for r in years
        ],
        "doc_type": [
            {
                "value": r["doc_type"],
                "label": str(doc_type_labels.get(r["doc_type"], r["doc_type"])),
                "count": r["count"],
            }
            for r in doc_types
        ],
        "theme": sorted(themes.values(), key=lambda entry: -entry["count"]),
        "validity": [
            {
                "value": r["validity"],
                "label": str(validity_labels.get(r["validity"], r["validity"])),
                "count": r["count"],
            }
            for r in validity
        ],
        "normative": [
            {
                "value": "1" if r["is_normative"] else "0",
                "label": str(_("规范性文件") if r["is_normative"] else _("非规范性文件")),
                "count": r["count"],
            }
            for r in normative
        ],
        "tag": _tag_facet(ids),
    }


def facet_table() -> Any:
    """The per-process facet table (`facet_index`), or None where facets are counted in SQL."""
    from . import facet_index  # numpy is imported only by pages that count facets

    return facet_index.facet_table()


def data_version() -> int | None:
    """The token triggers replace on every write of documents, issuers, tags and index entries
    (SQLite); None on PostgreSQL. Equal tokens mean equal data, so per-process tables key on it."""
    from . import facet_index

    return facet_index.current_token()


def facet_counts_of_values(found: dict[str, dict[Any, int]]) -> dict[str, list[dict[str, Any]]]:
    """Facets from counts per value (the tantivy index's aggregations), labelled from the database."""
    from . import facet_index

    return facet_index.counts_of_values(found)


def facet_counts_of_rows(table: Any, rows: Any) -> dict[str, list[dict[str, Any]]]:
    """`facet_counts` of the documents at `rows` of `table` (`FacetTable.rows_of`)."""
    from . import facet_index

    return facet_index.counts(table, rows)


def filters_are_empty(filters: DocumentFilters) -> bool:
    return not (
        filters.organisation or filters.year or filters.doc_type or filters.theme or filters.validity
        or filters.normative is not None or filters.q or filters.tags
    )  # fmt: skip


def _tag_facet(ids: Any) -> list[dict[str, Any]]:
    """The demand-side tags of the results (主题 has its own facet), most used first."""
    rows = (
        Document.tags.through.objects.filter(document_id__in=ids)
        .exclude(tag__dimension=Dimension.THEME)
        .values("tag__code", "tag__name", "tag__name_en", "tag__dimension")
        .annotate(count=Count("document_id", distinct=True))
        .order_by("-count", "tag__code")[:TAG_FACET_SIZE]
    )
    return [
        {
            "value": row["tag__code"],
            "label": f"{Dimension(row['tag__dimension']).label}·{localized_name(row['tag__name'], row['tag__name_en'])}",
            "count": row["count"],
        }
        for row in rows
    ]


def themes() -> QuerySet[Theme]:
    return Theme.objects.select_related("parent").order_by("sort_order", "code")


def top_themes() -> QuerySet[Theme]:
    return Theme.objects.filter(parent=None).annotate(
        count=Count(
            "children__documents",
            filter=Q(children__documents__in=public_documents().values("pk")),
            distinct=True,
        )
        + Count("documents", filter=Q(documents__in=public_documents().values("pk")), distinct=True)
    )


def superseding_relations(document: Document) -> list[Any]:
    """Published documents that repealed or amended this one: the banner on a superseded page."""
    return list(
        document.incoming_relations.filter(
            relation_type__in=["repeals", "amends"], source__in=public_documents()
        )
        .select_related("source")
        .order_by("-source__published_date")
    )


# Higher apps add sections to a public document's page (the message board adds its Q&A, FAQ and
# question form) without the portal importing them: each provider takes the request and the public
# document and returns None or a dict with the `template` to include and its context.
DETAIL_SECTION_PROVIDERS: list = []


def detail_sections(request: Any, document: Document) -> list[dict[str, Any]]:
    """The extra sections of a public document's page, in the order the providers registered."""
    sections = []
    for provider in DETAIL_SECTION_PROVIDERS:
        section = provider(request, document)
        if section:
            sections.append(section)
    return sections


@dataclass
class IndexedRelations:
    """What a search index reads of a document's relations, in their display order."""

    issuers: list[Organisation] = field(default_factory=list)  # lead organ first
    tags: list[tuple[int, str]] = field(default_factory=list)  # (id, name)
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (title, extracted text)


def indexed_relations_of(document: Document) -> IndexedRelations:
    """One document's relations through the ORM (prefetched ones included)."""
    return IndexedRelations(
        issuers=[link.organisation for link in document.issuer_links.all()],
        tags=[(tag.pk, tag.name) for tag in document.tags.all()],
        attachments=[(item.title, item.extracted_text) for item in document.attachments.all()],
    )


def indexed_relations(document_ids: list[int]) -> dict[int, IndexedRelations]:
    """The relations of many documents in four queries (a search index rebuild, issue 20).

    Same rows and order as `indexed_relations_of`; Django's prefetch builds a related manager and a
    queryset per document and relation, which was about 40 % of a rebuild's main-process CPU.
    """
    found = {pk: IndexedRelations() for pk in document_ids}
    links = list(
        DocumentIssuer.objects.filter(document_id__in=document_ids).values_list(
            "document_id", "organisation_id"
        )
    )
    organisations = Organisation.objects.in_bulk({organisation for _document, organisation in links})
    for document_id, organisation_id in links:
        found[document_id].issuers.append(organisations[organisation_id])
    tagged = all_tags().filter(documents__in=document_ids).values_list("documents", "pk", "name")
    for document_id, tag_id, name in tagged:
        found[document_id].tags.append((tag_id, name))
    attached = Attachment.objects.filter(document_id__in=document_ids)
    for document_id, title, text in attached.values_list("document_id", "title", "extracted_text"):
        found[document_id].attachments.append((title, text))
    return found
