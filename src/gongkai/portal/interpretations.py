"""Public pages of 政策解读: the list, one interpretation, and its feeds (thin views over selectors)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.documents.interpretation_selectors import (
    kind_choices,
    public_documents_of,
    public_interpretation,
    public_interpretations,
)

PAGE_SIZE = 20


def interpretation_list(request: HttpRequest) -> HttpResponse:
    kinds = dict(kind_choices())
    kind = request.GET.get("kind", "")
    queryset = public_interpretations().prefetch_related("documents")
    if kind in kinds:
        queryset = queryset.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    params = {"kind": kind} if kind else {}
    return render(request, "portal/interpretation_list.html",
                  {"page": page, "kinds": kind_choices(), "kind": kind, "params": params})  # fmt: skip


def interpretation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    interpretation = public_interpretation(pk)
    if interpretation is None:
        raise Http404("解读不存在或未公开")
    return render(request, "portal/interpretation_detail.html", {
        "interpretation": interpretation, "documents": public_documents_of(interpretation),
        "sections": interpretation.section_paragraphs(),
    })  # fmt: skip
