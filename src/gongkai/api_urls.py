"""The project's API router: each app's viewsets are registered here.

It lives at the top of the project (beside `urls.py`), not in `gongkai.api`, so that `gongkai.api`
(error handling and pagination shared by every app's `api.py`) stays a leaf that imports no app.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from gongkai.documents.api import DocumentViewSet
from gongkai.documents.api_interpretations import InterpretationViewSet
from gongkai.foi.api import FOIRequestViewSet
from gongkai.search.api import SearchViewSet

router = DefaultRouter()
router.register("documents", DocumentViewSet, basename="document")
router.register("interpretations", InterpretationViewSet, basename="interpretation")
router.register("search", SearchViewSet, basename="search")
router.register("foi/requests", FOIRequestViewSet, basename="foi-request")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("", include(router.urls)),
]
