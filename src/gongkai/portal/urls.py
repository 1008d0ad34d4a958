from django.contrib.sitemaps.views import sitemap
from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from . import about, feeds, interpretations, views
from .sitemaps import SITEMAPS

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("documents/", views.document_list, name="document-list"),
    path("documents/<int:pk>/", views.document_detail, name="document-detail"),
    path("documents/<int:pk>/print/", views.document_print, name="document-print"),
    path(
        "documents/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment-download",
    ),
    path("interpretations/", interpretations.interpretation_list, name="interpretation-list"),
    path("interpretations/<int:pk>/", interpretations.interpretation_detail, name="interpretation-detail"),
    path("feeds/interpretations.rss", feeds.LatestInterpretationsFeed(), name="feed-interpretations-rss"),
    path("feeds/interpretations.atom", feeds.LatestInterpretationsAtom(), name="feed-interpretations-atom"),
    path("feeds/documents.rss", feeds.LatestDocumentsFeed(), name="feed-rss"),
    path("feeds/documents.atom", feeds.LatestDocumentsAtom(), name="feed-atom"),
    path("feeds/organisations/<slug:code>.rss", feeds.OrganisationFeed(), name="feed-organisation-rss"),
    path("feeds/organisations/<slug:code>.atom", feeds.OrganisationAtom(), name="feed-organisation-atom"),
    path("feeds/themes/<str:code>.rss", feeds.ThemeFeed(), name="feed-theme-rss"),
    path("feeds/themes/<str:code>.atom", feeds.ThemeAtom(), name="feed-theme-atom"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("about/contact/", about.contact, name="about-contact"),
    path("about/privacy/", about.privacy, name="about-privacy"),
    path("about/accessibility/", about.accessibility, name="about-accessibility"),
    path("about/sitemap/", about.site_map, name="about-sitemap"),
    path("about/correction/", about.correction, name="about-correction"),
    path("favicon.ico", RedirectView.as_view(url=static("gongkai/favicon.svg"), permanent=True)),
]
