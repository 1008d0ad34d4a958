"""Writes of the office's tools that are not in a module of their own (site inspection runs)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.services import record_event

from .inspect import inspect_site
from .models import SiteInspection
from .permissions import require_office


def run_inspection(*, actor: Any, url: str = "", **options: Any) -> SiteInspection:
    """Crawl, score and keep the score sheet (history for the chart). Nothing is stored when the site
    cannot be reached: the ValidationError names the address."""
    require_office(actor, _("运行网站自查"))
    url = url or settings.SITE_URL.rstrip("/") + "/"
    sheet = inspect_site(url, **options)
    with transaction.atomic(durable=True):
        run = SiteInspection.objects.create(
            url=url, score=sheet["score"], vetoed=sheet["vetoed"], pages=sheet["pages"], sheet=sheet,
            started_by=actor if getattr(actor, "pk", None) else None,
        )  # fmt: skip
        record_event(
            "office.site_inspected",
            actor=actor,
            target=run,
            data={"score": sheet["score"], "vetoed": sheet["vetoed"]},
        )
    return run
