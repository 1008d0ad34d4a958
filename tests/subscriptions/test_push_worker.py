"""Matching and queuing run in a real Celery worker over a real Redis broker."""

from __future__ import annotations

import pytest

from gongkai.documents.constants import DocType
from gongkai.subscriptions.constants import Channel
from gongkai.subscriptions.models import Delivery, Profile, ProfileTag
from gongkai.taxonomy.models import Tag
from worker_helpers import BROKER, QUEUE

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_matches_and_queues_a_published_policy(worker, make_document):
    profile = Profile.objects.create(email="w@example.com", email_confirmed=True)
    for code in ("veterans", "employment"):
        ProfileTag.objects.create(profile=profile, tag=Tag.objects.get(code=code))
    policy = make_document(
        "退役军人就业政策", doc_type=DocType.MEASURES, tags=["veterans", "employment", "theme-1502"]
    )
    Delivery.objects.all().delete()  # published in-process (eager) above; now the worker does it

    from celery import Celery

    client = Celery("gongkai-test-client", broker=BROKER, backend=BROKER, set_as_current=False)
    result = client.send_task("gongkai.subscriptions.tasks.push_published", args=[policy.pk], queue=QUEUE)
    assert result.get(timeout=120)["profiles"][Channel.EMAIL] == 1
    assert Delivery.objects.filter(profile=profile, channel=Channel.EMAIL).count() == 1
