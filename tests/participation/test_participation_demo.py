"""The demo's 公众参与 content: what a new user finds (issue 17's done-when), loaded idempotently."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from gongkai.participation.models import Consultation, DecisionCatalogue, Event, Registration, Response

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_2023_catalogue_an_open_draft_an_open_day_and_a_survey(capsys):
    call_command("demo", "--no-serve", "--json")
    call_command("demo", "--no-serve", "--json")  # twice: nothing is added the second time
    capsys.readouterr()
    catalogue = DecisionCatalogue.objects.get(year=2023)
    assert (
        catalogue.is_published and catalogue.is_sample and catalogue.published_on.isoformat() <= "2023-03-31"
    )
    assert catalogue.changes.get().reason  # the item taken out, with its reason

    today = timezone.localdate()
    open_drafts = [c for c in Consultation.objects.filter(status="published") if c.phase(today) == "open"]
    assert len(open_drafts) == 1
    draft = open_drafts[0]
    assert draft.is_sample and draft.article(3)["label"] == "第三条" and draft.period_days >= 30
    page = Client().get(f"/participation/consultations/{draft.pk}/").content.decode()
    assert "示例" in page and "对第三条提出意见" in page

    archived = Consultation.objects.exclude(pk=draft.pk).get()
    assert archived.report.status == "published" and archived.report.published_on <= archived.report_due_on

    event = Event.objects.get(kind="open_day")
    assert event.capacity == 5 and Registration.objects.filter(event=event, status="confirmed").count() == 4
    assert Response.objects.count() == 12
