"""Public topic pages (集成式发布), service items, project progress; the staff dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from .constants import Level
from .models import ProgressUpdate
from .selectors import (
    projects_missing_budget_disclosure,
    published_projects,
    published_topics,
    service_items,
    topic_page,
    topics_of,
)


def topic_list(request: HttpRequest) -> HttpResponse:
    return render(request, "topics/list.html", {"topics": published_topics()})


def topic_detail(request: HttpRequest, code: str) -> HttpResponse:
    topic = get_object_or_404(published_topics(), code=code)
    level = request.GET.get("level", "")
    level = level if level in Level.values else ""
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 1949 <= int(year_text) <= 2100 else None
    page = topic_page(topic, level=level, year=year)
    return render(
        request,
        "topics/detail.html",
        {"page": page, "topic": topic, "levels": Level.choices, "level": level, "year": year or ""},
    )


def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(service_items(), pk=pk)
    documents = [d for d in item.documents.all() if d.is_public]
    return render(request, "topics/service.html", {"item": item, "documents": documents})


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(published_projects(), pk=pk)
    return render(request, "topics/project.html", {"project": project, "updates": project.updates.all()})


def progress_photo(request: HttpRequest, pk: int) -> FileResponse:
    """Photos are served only for published projects (media is never served directly)."""
    update = get_object_or_404(
        ProgressUpdate.objects.select_related("record"), pk=pk, record__is_published=True
    )
    if not update.photo:
        raise Http404
    return FileResponse(update.photo.open("rb"), filename=update.photo.name.rsplit("/", 1)[-1])


@login_required
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied(_("专题与项目进展管理需要工作人员账号。"))
    return render(
        request,
        "topics/staff.html",
        {
            "topics": topics_of(request.user),
            "missing_disclosure": projects_missing_budget_disclosure(request.user),
        },
    )
