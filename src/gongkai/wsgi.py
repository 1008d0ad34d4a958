import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.conf.production")
django_application = get_wsgi_application()

# Public pages cached for anonymous visitors are answered before the middleware stack (issue 20);
# what reaches Django has the request's data only, not the server process's environment variables.
from gongkai.core.serving import WithoutProcessEnvironment  # noqa: E402
from gongkai.portal.pagefront import PageCacheFront  # noqa: E402  (needs the settings configured)

application = PageCacheFront(WithoutProcessEnvironment(django_application))
