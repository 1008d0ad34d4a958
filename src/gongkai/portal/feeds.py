"""RSS and Atom feeds of published documents: all, per organisation, per theme.

Every link in a feed (the site, the feed itself, each item) is on SITE_URL: a feed is read far from the
request that produced it, so the request's host and scheme (an internal proxy address) never appear.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Organisation
from gongkai.core.http import site_url
from gongkai.documents.interpretation_selectors import public_interpretations
from gongkai.documents.selectors import public_documents, theme_by_code, theme_with_children

if TYPE_CHECKING:
    from gongkai.documents.models import Document, Theme

FEED_SIZE = 50


class LatestDocumentsFeed(Feed):
    title = "最新公开文件"
    description = "政府信息公开平台最新发布的公文"
    url_name = "portal:feed-rss"

    def link(self) -> str:
        return site_url(reverse("portal:document-list"))

    def feed_url(self, obj: Organisation | Theme | None) -> str:
        return site_url(reverse(self.url_name, args=[obj.code] if obj is not None else []))

    def item_link(self, item: Document) -> str:
        return site_url(item.get_absolute_url())

    def items(self):
        return public_documents().order_by("-published_at", "-id")[:FEED_SIZE]

    def item_title(self, item: Document) -> str:
        return f"{item.title}（{item.doc_number}）" if item.doc_number else item.title

    def item_description(self, item: Document) -> str:
        return (item.summary or item.body_text)[:300]

    def item_pubdate(self, item: Document) -> dt.datetime | None:
        if item.published_at:
            return item.published_at
        if item.published_date:
            return timezone.make_aware(dt.datetime.combine(item.published_date, dt.time()))
        return None

    def item_categories(self, item: Document) -> list[str]:
        return [item.get_doc_type_display(), *([str(item.theme)] if item.theme else [])]


class LatestDocumentsAtom(LatestDocumentsFeed):
    feed_type = Atom1Feed
    url_name = "portal:feed-atom"
    subtitle = LatestDocumentsFeed.description


class OrganisationFeed(LatestDocumentsFeed):
    url_name = "portal:feed-organisation-rss"

    def get_object(self, request, code: str) -> Organisation:
        return get_object_or_404(Organisation, code=code)

    def title(self, obj: Organisation) -> str:
        return f"{obj.name}：最新公开文件"

    def link(self, obj: Organisation) -> str:
        return site_url(reverse("portal:document-list") + f"?organisation={obj.code}")

    def items(self, obj: Organisation):
        return (
            public_documents()
            .filter(issuer_links__organisation=obj)
            .order_by("-published_at", "-id")[:FEED_SIZE]
        )


class ThemeFeed(LatestDocumentsFeed):
    url_name = "portal:feed-theme-rss"

    def get_object(self, request, code: str) -> Theme:
        theme = theme_by_code(code)
        if theme is None:
            raise Http404
        return theme

    def title(self, obj: Theme) -> str:
        return f"{obj}：最新公开文件"

    def link(self, obj: Theme) -> str:
        return site_url(reverse("portal:document-list") + f"?theme={obj.code}")

    def items(self, obj: Theme):
        return (
            public_documents()
            .filter(theme__in=theme_with_children(obj))
            .order_by("-published_at", "-id")[:FEED_SIZE]
        )


class OrganisationAtom(OrganisationFeed):
    feed_type = Atom1Feed
    url_name = "portal:feed-organisation-atom"


class ThemeAtom(ThemeFeed):
    feed_type = Atom1Feed
    url_name = "portal:feed-theme-atom"


class LatestInterpretationsFeed(Feed):
    title = _("最新政策解读")
    description = _("政府信息公开平台最新发布的政策解读")
    url_name = "portal:feed-interpretations-rss"

    def link(self) -> str:
        return site_url(reverse("portal:interpretation-list"))

    def feed_url(self) -> str:
        return site_url(reverse(self.url_name))

    def item_link(self, item) -> str:
        return site_url(item.get_absolute_url())

    def items(self):
        return public_interpretations()[:FEED_SIZE]

    def item_title(self, item) -> str:
        label = f"【{item.get_kind_display()}】{item.title}"
        return f"{label}（{_('示例')}）" if item.is_example else label

    def item_description(self, item) -> str:
        parts = [item.summary, item.body, *(text for _name, _heading, text in item.sections())]
        return "\n".join(part for part in parts if part)[:300]

    def item_pubdate(self, item) -> dt.datetime | None:
        if item.published_at:
            return item.published_at
        if item.published_date:
            return timezone.make_aware(dt.datetime.combine(item.published_date, dt.time()))
        return None

    def item_categories(self, item) -> list[str]:
        return [
            str(_("政策解读")),
            item.get_kind_display(),
            *([str(_("动态解读"))] if item.is_follow_up else []),
        ]


class LatestInterpretationsAtom(LatestInterpretationsFeed):
    feed_type = Atom1Feed
    url_name = "portal:feed-interpretations-atom"
    subtitle = LatestInterpretationsFeed.description
