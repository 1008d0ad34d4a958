"""The pages every government site links from its footer: 联系我们, 网站地图, 隐私声明, 无障碍声明, 纠错."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from gongkai.accounts.selectors import organisation_tree
from gongkai.documents.selectors import top_themes


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/about/contact.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/about/privacy.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/about/accessibility.html")


def site_map(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/about/site_map.html",
        {"organisations": organisation_tree(), "themes": [theme for theme in top_themes() if theme.count]},
    )


def correction(request: HttpRequest) -> HttpResponse:
    """纠错 (找错): where to report a mistake, with the page the visitor came from."""
    page = request.GET.get("page", "")
    if not url_has_allowed_host_and_scheme(page, allowed_hosts=None) or not page.startswith("/"):
        page = ""
    return render(request, "portal/about/correction.html", {"page": page})
