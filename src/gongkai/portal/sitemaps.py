from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gongkai.documents.interpretation_selectors import public_interpretations
from gongkai.documents.selectors import public_documents


class SiteURLSitemap(Sitemap):
    """Locations on SITE_URL, not on the host and scheme of the request that asked for the sitemap."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class DocumentSitemap(SiteURLSitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return public_documents().order_by("id")

    def lastmod(self, item):
        return item.updated_at


class InterpretationSitemap(SiteURLSitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return public_interpretations().order_by("id")

    def lastmod(self, item):
        return item.updated_at


class StaticSitemap(SiteURLSitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["portal:home", "portal:document-list", "portal:interpretation-list"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {"documents": DocumentSitemap, "interpretations": InterpretationSitemap, "pages": StaticSitemap}
