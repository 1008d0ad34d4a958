from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gongkai.documents.interpretation_selectors import public_interpretations
from gongkai.documents.selectors import public_documents


class DocumentSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return public_documents().order_by("id")

    def lastmod(self, item):
        return item.updated_at


class InterpretationSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return public_interpretations().order_by("id")

    def lastmod(self, item):
        return item.updated_at


class StaticSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["portal:home", "portal:document-list", "portal:interpretation-list"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {"documents": DocumentSitemap, "interpretations": InterpretationSitemap, "pages": StaticSitemap}
