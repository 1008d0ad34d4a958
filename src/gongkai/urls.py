from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("gongkai.api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("search/", include("gongkai.search.urls")),
    path("", include("gongkai.portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
