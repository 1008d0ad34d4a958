"""Public pages of the office's tools: the gazette database and the yearly 清理 result list."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from . import gazette, normative
from .staff_views import gazette_response


def gazette_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    year = request.GET.get("year", "")
    year_value = int(year) if year.isdigit() and len(year) == 4 else None
    entries = Paginator(gazette.search_entries(query, year_value), 20).get_page(request.GET.get("page"))
    return render(request, "office/gazette_list.html", {
        "issues": gazette.published_issues(), "entries": entries, "q": query, "year": year_value,
        "searched": bool(query or year_value),
    })  # fmt: skip


def gazette_issue(request: HttpRequest, year: int, number: int) -> HttpResponse:
    issue = get_object_or_404(gazette.published_issues(), year=year, number=number)
    return render(
        request,
        "office/gazette_issue.html",
        {"issue": issue, "entries": gazette.public_entries().filter(issue=issue)},
    )


def gazette_file(request: HttpRequest, year: int, number: int, kind: str) -> HttpResponse:
    issue = get_object_or_404(gazette.published_issues(), year=year, number=number)
    return gazette_response(issue, kind)


def gazette_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(gazette.public_entries().select_related("issue"), pk=pk)
    return render(request, "office/gazette_entry.html", {"entry": entry, "paragraphs": [
        p.strip() for p in entry.body_text.splitlines() if p.strip()]})  # fmt: skip


def cleanup_list(request: HttpRequest, year: int) -> HttpResponse:
    cleanup, rows = normative.published_cleanup(year)
    if cleanup is None:
        from django.http import Http404

        raise Http404
    return render(request, "office/cleanup.html", {"cleanup": cleanup, "rows": rows, "year": year})
