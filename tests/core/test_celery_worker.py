"""The periodic validity job run by a real Celery worker over a real Redis broker."""

from __future__ import annotations

import time

import pytest

from gongkai.documents.constants import Validity
from gongkai.documents.models import Document
from worker_helpers import BROKER, QUEUE

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_expires_a_document(worker, make_document, settings):
    document = make_document("已过有效期的办法", effective_date="2020-01-01", expiry_date="2021-01-01")
    Document.objects.filter(pk=document.pk).update(validity=Validity.VALID)  # as if the date just passed

    from celery import Celery

    client = Celery("gongkai-test-client", broker=BROKER, backend=BROKER, set_as_current=False)
    result = client.send_task("gongkai.documents.tasks.refresh_all_validity", queue=QUEUE)
    assert result.get(timeout=120) == 1
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and Document.objects.get(pk=document.pk).validity != Validity.EXPIRED:
        time.sleep(0.2)
    assert Document.objects.get(pk=document.pk).validity == Validity.EXPIRED
