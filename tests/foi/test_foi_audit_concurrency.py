"""Tamper evidence of the audit trail (`gongkai audit verify`) and concurrent registration numbers."""

from __future__ import annotations

import json
import os
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from gongkai.core.models import Event
from gongkai.foi import services
from gongkai.foi.constants import ApplicantKind, Channel, IdType
from gongkai.foi.models import FOIRequest

PERSON = {
    "applicant_kind": ApplicantKind.PERSON,
    "applicant_name": "王五",
    "id_type": IdType.RESIDENT_ID,
    "id_number": "11010519491231002X",
    "email": "wangwu@example.com",
    "description": "静安区2025年公共停车场建设计划",
}


@pytest.mark.django_db
def test_audit_verify_reports_first_broken_link(office, foi_officer):
    for _ in range(3):
        services.register_request(
            actor=foi_officer,
            organisation=office,
            channel=Channel.EMAIL,
            received_date="2025-05-06",
            **PERSON,
        )
    out = StringIO()
    call_command("audit", "verify", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["ok"] is True and report["checked"] == Event.objects.count() >= 3

    events = list(Event.objects.order_by("id"))
    # someone edits the second event directly in the database
    Event.objects.filter(pk=events[1].pk).update(data={"channel": "in_person"})
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["ok"] is False and report["broken"]["event_id"] == events[1].pk
    assert report["broken"]["reason"] == "content does not match its hash"

    # deleting a row breaks the link of its successor
    Event.objects.filter(pk=events[1].pk).update(data=events[1].data)
    Event.objects.filter(pk=events[1].pk).delete()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=out)
    assert f"id={events[2].pk}" in out.getvalue()


@pytest.mark.skipif(
    os.environ.get("GONGKAI_TEST_DB") != "postgres", reason="row locking is tested on PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_numbers(office, foi_officer):
    assert connection.vendor == "postgresql"
    workers = 8
    barrier = threading.Barrier(workers)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def register() -> None:
        try:
            barrier.wait()
            request, _code = services.register_request(
                actor=foi_officer,
                organisation=office,
                channel=Channel.IN_PERSON,
                received_date="2025-05-06",
                **PERSON,
            )
            numbers.append(request.number)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(numbers) == [f"JA-GOVOFFICE-YSQ-2025-{n:04d}" for n in range(1, workers + 1)]
    assert FOIRequest.objects.count() == workers
