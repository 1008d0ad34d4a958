"""The public portal: thin views over documents.selectors (rule 2)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Organisation
from gongkai.core.http import content_disposition, site_url
from gongkai.documents.constants import DocType, Validity
from gongkai.documents.interpretation_selectors import interpretations_of
from gongkai.documents.selectors import (
    FACET_TITLES,
    DocumentFilters,
    apply_filters,
    detail_sections,
    facet_counts,
    public_documents,
    superseding_relations,
    top_themes,
)
from gongkai.portal.display import body_layout, validity_notice
from gongkai.text.docno import DocNumberError, doc_number_variants, parse_doc_number
from gongkai.topics.selectors import service_items_by_document

from .pagecache import cached_page

if TYPE_CHECKING:
    from gongkai.documents.models import Document

PAGE_SIZE = 20


@cached_page
def home(request: HttpRequest) -> HttpResponse:
    documents = public_documents()
    organisations = (
        Organisation.objects.annotate(
            count=Count(
                "issued_documents", filter=Q(issued_documents__in=documents.values("pk")), distinct=True
            )
        )
        .filter(count__gt=0)
        .order_by("sort_order", "id")
    )
    return render(
        request,
        "portal/home.html",
        {
            "latest": documents.order_by("-published_date", "-id")[:10],
            "normative": documents.filter(is_normative=True).order_by("-published_date", "-id")[:6],
            "organisations": organisations,
            "themes": [theme for theme in top_themes() if theme.count],
            "total": documents.count(),
        },
    )


# The list's sort orders: newest first (the default), oldest first, by title (Chinese collation is
# not portable across SQLite and PostgreSQL, so titles sort by code point, which is stable).
ORDERS = {
    "date": (_("发布日期（新→旧）"), ("-published_date", "-id")),
    "date_asc": (_("发布日期（旧→新）"), ("published_date", "id")),
    "title": (_("标题"), ("title", "id")),
}


@cached_page
def document_list(request: HttpRequest) -> HttpResponse:
    filters = DocumentFilters.from_params(request.GET)
    queryset = apply_filters(public_documents().prefetch_related("issuer_links__organisation"), filters)
    if filters.q and not filters.errors and "page" not in request.GET:
        # a 文号 in any messy form the normaliser accepts opens its document when it names exactly one
        opened = _single_by_number(queryset, filters.q)
        if opened is not None:
            return redirect(opened.get_absolute_url())
    order = request.GET.get("order", "date")
    if order not in ORDERS:
        order = "date"
    queryset = queryset.order_by(*ORDERS[order][1])
    paginator = Paginator(queryset, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    _mark_service_items(page.object_list)
    params = filters.as_params()
    if order != "date":
        params["order"] = order
    return render(
        request,
        "portal/document_list.html",
        {
            "page": page,
            "filters": filters,
            "params": params,
            "facets": facet_counts(queryset),
            "facet_titles": FACET_TITLES,
            "doc_types": DocType.choices,
            "validity_choices": Validity.choices,
            "orders": [(key, label) for key, (label, _fields) in ORDERS.items()],
            "order": order,
        },
    )


def _single_by_number(queryset: Any, text: str) -> Document | None:
    try:
        variants = doc_number_variants(parse_doc_number(text))
    except DocNumberError:
        return None
    matches = list(queryset.filter(doc_number__in=variants)[:2])
    return matches[0] if len(matches) == 1 else None


def _mark_service_items(documents: Any) -> None:
    """The 办 mark of the rows (阅办联动, work plan item 十九)."""
    documents = list(documents)
    by_document = service_items_by_document([document.pk for document in documents])
    for document in documents:
        document.service_item_list = by_document.get(document.pk, [])


def _public_document(pk: int) -> Document:
    return get_object_or_404(
        public_documents().prefetch_related("issuer_links__organisation", "attachments", "tags"), pk=pk
    )


def _detail_context(document: Document) -> dict:
    public_ids = public_documents().values("pk")
    outgoing = document.outgoing_relations.select_related("target").order_by("relation_type", "id")
    incoming = (
        document.incoming_relations.filter(source__in=public_ids)
        .select_related("source")
        .order_by("relation_type", "id")
    )
    superseded_by = superseding_relations(document)
    return {
        "document": document,
        "layout": body_layout(document),
        "validity_notice": validity_notice(document, superseded_by),
        "interpretations": interpretations_of(document),
        "issuers": [link.organisation for link in document.issuer_links.all()],
        "superseded_by": superseded_by,
        # Relations to documents that are not public are left out entirely, titles included.
        "outgoing": [(rel, rel.target) for rel in outgoing if rel.target_id is None or rel.target.is_public],
        "incoming": incoming,
        "service_items": service_items_by_document([document.pk]).get(document.pk, []),
    }


@cached_page
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _public_document(pk)
    context = _detail_context(document)
    context["detail_sections"] = detail_sections(request, document)  # e.g. the message board
    return render(request, "portal/document_detail.html", context)


def document_print(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "portal/document_print.html", _detail_context(_public_document(pk)))


def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    document = _public_document(pk)
    attachment = get_object_or_404(document.attachments, pk=attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件不存在") from None
    stored = attachment.file.name.rsplit("/", 1)[-1]
    extension = stored.rsplit(".", 1)[-1] if "." in stored else ""
    # the name it was uploaded with; before that was kept, the title with the stored extension (the
    # stored name may have been cut to fit the file system)
    filename = attachment.original_name or (
        f"{attachment.title}.{extension}" if extension and attachment.title else stored
    )
    response = FileResponse(handle, as_attachment=True, filename=filename)
    # filename*=UTF-8''… (RFC 5987) with an ASCII fallback; a text file also names its charset, so a
    # browser that opens it does not guess (GBK files stay GBK, UTF-8 stays UTF-8).
    response.headers["Content-Disposition"] = content_disposition(
        filename, fallback=f"attachment-{attachment.pk}"
    )
    if response.headers.get("Content-Type", "").startswith("text/"):
        response.headers["Content-Type"] += f"; charset={_text_charset(attachment.file)}"
    return response


def _text_charset(file: Any) -> str:
    with file.storage.open(file.name, "rb") as handle:
        head = handle.read(64 * 1024)
    for charset in ("utf-8", "gb18030"):
        try:
            head.decode(charset)
        except UnicodeDecodeError as error:
            if error.start >= len(head) - 4:  # a character cut by the 64 KiB window
                return charset
            continue
        return charset
    return "utf-8"


def robots_txt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        f"User-agent: *\nDisallow: /admin/\nSitemap: {site_url(reverse('portal:sitemap'))}\n",
        content_type="text/plain",
    )
