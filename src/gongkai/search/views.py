"""The portal search page (thin: parse, call selectors.search, render or redirect)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gongkai.core.http import allows_long_query
from gongkai.documents.selectors import FACET_TITLES, DocumentFilters

from . import selectors

PAGE_SIZE = 10


def _page_number(raw: str | None) -> int:
    try:
        return min(max(1, int(raw or 1)), selectors.MAX_PAGE)
    except (TypeError, ValueError):
        return 1


@allows_long_query  # an over-long query is cut to MAX_QUERY_CHARS with a notice, not a 414
def search_page(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")
    filters = DocumentFilters.from_params(request.GET)
    order = request.GET.get("order", "relevance")
    page = _page_number(request.GET.get("page"))
    outcome = selectors.search(
        text, filters=filters, order=order, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    if outcome.redirect is not None and not filters.as_params() and request.GET.get("page") is None:
        return redirect(outcome.redirect.get_absolute_url())
    num_pages = selectors.page_count(outcome.total, PAGE_SIZE)
    params = {**filters.as_params(), "q": " ".join(text.split())[:200]}
    if outcome.order != "relevance":
        params["order"] = outcome.order
    params = {key: value for key, value in params.items() if value}
    return render(
        request,
        "search/results.html",
        {
            "outcome": outcome,
            "answer": selectors.answer_for(text) if page == 1 and not outcome.query.is_empty else None,
            "q": params.get("q", ""),
            "params": params,
            "page_number": page,
            "num_pages": num_pages,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if page < num_pages else None,
            "facet_titles": FACET_TITLES,
        },
    )
