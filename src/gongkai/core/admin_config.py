"""Django's admin without autodiscovery at start-up (issue 20: command-line start-up).

`gongkai.urls` calls `admin.autodiscover()`, so every admin module loads with the URL conf (the web
process and the test client), never in a command that serves no page (`gongkai deadline`, `gongkai
search`...). The admin's system check discovers the modules itself, so `gongkai check` checks every
ModelAdmin whatever order the checks run in. Installed as "gongkai.core.admin_config.AdminConfig"
in place of "django.contrib.admin" (same app label, "admin").
"""

from __future__ import annotations

from django.contrib.admin.apps import SimpleAdminConfig
from django.core import checks


class AdminConfig(SimpleAdminConfig):
    def ready(self) -> None:
        from django.contrib.admin.checks import check_dependencies

        checks.register(check_dependencies, checks.Tags.admin)
        checks.register(check_admin_modules, checks.Tags.admin)


def check_admin_modules(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """Django's ModelAdmin checks, after loading every admin module."""
    from django.contrib import admin
    from django.contrib.admin.checks import check_admin_app

    admin.autodiscover()
    return check_admin_app(app_configs, **kwargs)
