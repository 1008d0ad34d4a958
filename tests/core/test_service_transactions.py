"""Services that views, the API, admin actions, tasks and commands call run in a durable transaction
(CONTRIBUTING rule 1): called inside someone else's transaction they refuse at once and write nothing,
so an accidental nesting cannot delay their commit and on_commit effects. Services that others compose
(documents' create/publish…) join the caller's transaction instead."""

from __future__ import annotations

import pytest
from django.db import transaction

from gongkai.core import calendar
from gongkai.core.models import Event
from gongkai.documents import services as documents
from gongkai.documents.constants import DocumentStatus
from gongkai.documents.models import Document
from gongkai.foi import services as foi
from gongkai.foi.constants import ApplicantKind, Channel, IdType
from gongkai.foi.models import FOIRequest
from gongkai.ingest import services as ingest
from gongkai.ingest.models import ImportRecord
from gongkai.reports import services as reports
from gongkai.reports.models import ActiveDisclosureFigures

PERSON = {
    "applicant_kind": ApplicantKind.PERSON,
    "applicant_name": "李四",
    "id_type": IdType.RESIDENT_ID,
    "id_number": "11010519491231002X",
    "email": "lisi@example.com",
    "description": "静安区2024年度道路养护经费预算",
}
NOTICE = "关于做好2025年政务公开工作的通知\n各街道办事处：\n现将有关事项通知如下。\n".encode()


@pytest.fixture
def top_level_calls(office, foi_officer, editor):
    calendar.clear_cache()
    return {
        "foi.register_request": lambda: foi.register_request(
            actor=foi_officer,
            organisation=office,
            channel=Channel.IN_PERSON,
            received_date="2025-03-03",
            **PERSON,
        ),
        "reports.save_figures": lambda: reports.save_figures(
            actor=editor, organisation=office, year=2025, licensing_decisions=3
        ),
        "ingest.stage_file": lambda: ingest.stage_file(
            actor=editor, organisation=office, filename="通知.txt", content=NOTICE
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["foi.register_request", "reports.save_figures", "ingest.stage_file"])
def test_a_top_level_service_inside_an_outer_transaction_raises_and_writes_nothing(top_level_calls, name):
    with transaction.atomic():
        with pytest.raises(RuntimeError, match="durable"):
            top_level_calls[name]()
    assert not FOIRequest.objects.exists()
    assert not ActiveDisclosureFigures.objects.exists()
    assert not ImportRecord.objects.exists()
    assert not Event.objects.exists()
    top_level_calls[name]()  # on its own (the test's transaction is Django's, which durable blocks accept)
    assert Event.objects.count() == 1


@pytest.mark.django_db
def test_a_building_block_service_joins_the_callers_transaction(editor, office):
    with transaction.atomic():
        document = documents.create_document(
            actor=editor, organisation=office, title="关于做好2025年政务公开工作的通知"
        )
        documents.submit_for_review(document, actor=editor)
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.IN_REVIEW
