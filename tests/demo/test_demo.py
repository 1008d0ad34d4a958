"""The demo content: the work plan and at least 30 further real documents, loaded idempotently."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from demo_helpers import demo_database
from gongkai.documents.constants import RelationType, Validity
from gongkai.documents.models import Document

pytestmark = pytest.mark.django_db


def test_demo_loads_real_documents_once(capsys):
    call_command("demo", "--no-serve", "--json")
    first = json.loads(capsys.readouterr().out)  # one JSON document (README: --json)
    # every manifest document is created and published; one more (a 示例 policy for the push demo) waits in review
    assert first["documents_created"] + 1 == first["documents_total"] >= 32
    assert first["foi_requests_created"] == 7
    call_command("demo", "--no-serve", "--json")
    second = json.loads(capsys.readouterr().out)  # one JSON document (README: --json)
    assert second["documents_created"] == 0 and second["documents_total"] == first["documents_total"]
    assert second["foi_requests_created"] == 0

    notice = Document.objects.published().get(doc_number="静府办发〔2023〕5号")
    assert notice.organisation.name == "上海市静安区人民政府办公室"
    assert notice.written_date.isoformat() == "2023-04-23"
    relation = notice.outgoing_relations.get(relation_type=RelationType.ISSUES)
    assert relation.target.title == "2023年静安区政务公开工作要点"
    assert "先审查、后公开" in relation.target.body_text
    assert Document.objects.published().exclude(pk__in=[notice.pk, relation.target_id]).count() >= 30
    assert Document.objects.get(title__startswith="关于金融机构对境外资产").validity == Validity.REPEALED


@pytest.mark.django_db(transaction=True)
def test_demo_publishes_an_annual_report_whose_sums_hold(client):
    demo_database()  # what `gongkai demo` loads (the test above runs the command itself)
    from gongkai.reports.models import AnnualReport

    report = AnnualReport.objects.get(organisation__code="jingan-gov-office", year=2025)
    assert report.is_published and report.findings == []
    table3 = report.data["table3"]
    assert table3["一、本年新收政府信息公开申请数量"]["总计"] == 2
    assert table3["（一）予以公开"]["总计"] == 1
    assert table3["四、结转下年度继续办理"]["总计"] == 1  # received 2025-12-22, answered 2026-01-20
    page = client.get("/reports/jingan-gov-office/2025/")
    assert page.status_code == 200 and "结转下年度继续办理" in page.content.decode()
