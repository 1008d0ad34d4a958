import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.conf.production")
django_application = get_wsgi_application()

# Public pages cached for anonymous visitors are answered before the middleware stack (issue 20).
from gongkai.portal.pagefront import PageCacheFront  # noqa: E402  (needs the settings configured)

application = PageCacheFront(django_application)
