"""The Celery application; eager (in-process) when CELERY_BROKER_URL is not set.

Importing this module (every import of `gongkai` does) never chooses the settings: the entry points
do (`gongkai.cli` and manage.py by command, `gongkai.wsgi` production). A worker or beat started
without DJANGO_SETTINGS_MODULE gets the development settings when the app configures itself.
"""

import os

from celery import Celery
from celery.fixups.django import DjangoFixup


def django_fixup(app: Celery) -> DjangoFixup:
    """Celery's Django integration, installed whatever the environment holds at import time."""
    return DjangoFixup(app).install()


def default_settings(sender: Celery, **kwargs: object) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.conf.dev")


app = Celery("gongkai", fixups=[django_fixup])
app.on_configure.connect(default_settings)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
