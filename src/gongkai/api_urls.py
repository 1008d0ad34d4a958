"""The project's API router: each app's viewsets are registered here.

It lives at the top of the project (beside `urls.py`), not in `gongkai.api`, so that `gongkai.api`
(error handling and pagination shared by every app's `api.py`) stays a leaf that imports no app.
"""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from gongkai.documents.api import DocumentViewSet
from gongkai.documents.api_interpretations import InterpretationViewSet
from gongkai.foi.api import FOIAppealViewSet, FOIRequestViewSet
from gongkai.interaction.views import kb_ask_api, work_order_api
from gongkai.search.api import SearchViewSet
from gongkai.topics.api import ServiceItemViewSet, TopicViewSet

router = DefaultRouter()
router.register("documents", DocumentViewSet, basename="document")
router.register("interpretations", InterpretationViewSet, basename="interpretation")
router.register("search", SearchViewSet, basename="search")
router.register("topics", TopicViewSet, basename="topic")
router.register("service-items", ServiceItemViewSet, basename="service-item")
router.register("foi/requests", FOIRequestViewSet, basename="foi-request")
router.register("foi/appeals", FOIAppealViewSet, basename="foi-appeal")

# Redoc styles its page with <style> elements it creates at run time (styled-components) and searches
# in a worker it starts from a blob: URL; scripts stay limited to the site's own files. Its sidebar
# logo from the vendor's CDN stays blocked (the page hides it): no visitor is sent to a third party.
REDOC_CSP = {"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]}

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file (?script), not inline (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", csp_update(REDOC_CSP)(SpectacularRedocView.as_view(url_name="schema")), name="redoc"),
    path("kb/ask/", kb_ask_api, name="kb-ask"),
    path("interaction/work-orders/", work_order_api, name="work-orders"),
    path("", include(router.urls)),
]
