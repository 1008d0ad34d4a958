from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from gongkai.accounts.forms import StaffAuthenticationForm

admin.autodiscover()  # here, not at start-up: commands never load the admin modules (core.admin_config)
admin.site.login_form = StaffAuthenticationForm  # password, then the one-time code (two-factor)
admin.site.site_header = "政府信息公开平台 · 工作人员后台"
admin.site.site_title = "政务公开后台"
admin.site.index_title = "工作台"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("gongkai.accounts.urls")),
    path("api/", include("gongkai.api_urls")),
    path("foi/", include("gongkai.foi.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("office/", include("gongkai.office.urls")),
    path("participation/", include("gongkai.participation.urls")),
    path("staff/ingest/", include("gongkai.ingest.urls")),
    path("staff/documents/", include("gongkai.documents.urls")),
    path("review/", include("gongkai.review.urls")),
    path("reports/", include("gongkai.reports.urls")),
    path("search/", include("gongkai.search.urls")),
    path("topics/", include("gongkai.topics.urls")),
    path("", include("gongkai.subscriptions.urls")),
    path("", include("gongkai.interaction.urls")),  # /interaction/… and the knowledge base /kb/
    path("", include("gongkai.portal.urls")),
]

# Media files are never served directly: attachments go through portal.views.attachment_download,
# which checks that their document is public.

# Chinese error pages in the site layout (with DEBUG off; see gongkai.portal.errors).
handler400 = "gongkai.portal.errors.bad_request"
handler403 = "gongkai.portal.errors.permission_denied"
handler404 = "gongkai.portal.errors.page_not_found"
handler500 = "gongkai.portal.errors.server_error"
