"""Periodic validity refresh and expiry warnings, run through a real Celery app (eager here)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from gongkai.documents.constants import Validity
from gongkai.documents.tasks import refresh_all_validity, warn_expiring_documents

pytestmark = pytest.mark.django_db


def test_documents_expire_when_their_date_passes(make_document):
    document = make_document("有效期五年的规范性文件", effective_date="2021-01-01", expiry_date="2026-12-31")
    assert document.validity == Validity.VALID
    with time_machine.travel(dt.datetime(2027, 1, 2, 9, 0), tick=False):
        assert refresh_all_validity.delay().get() == 1
    document.refresh_from_db()
    assert document.validity == Validity.EXPIRED


def test_owners_are_warned_before_expiry(make_document, editor):
    editor.email = "editor@jingan.example"
    editor.save()
    make_document("即将到期的办法", effective_date="2021-01-01", expiry_date="2026-12-20")
    make_document("远未到期的办法", effective_date="2021-01-01", expiry_date="2030-12-20")
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0), tick=False):
        assert warn_expiring_documents.delay().get() == 1
    assert len(mail.outbox) == 1
    assert "即将到期的办法" in mail.outbox[0].body and "远未到期" not in mail.outbox[0].body
    assert mail.outbox[0].to == ["editor@jingan.example"]
