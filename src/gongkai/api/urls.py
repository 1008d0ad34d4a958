"""The one DRF router; apps register their viewsets in `ROUTES` below."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from gongkai.documents.api import DocumentViewSet
from gongkai.search.api import SearchViewSet

router = DefaultRouter()
router.register("documents", DocumentViewSet, basename="document")
router.register("search", SearchViewSet, basename="search")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("", include(router.urls)),
]
