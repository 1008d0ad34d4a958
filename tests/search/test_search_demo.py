"""Done-when checks on the demo content (36 real documents published through the services)."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from demo_helpers import demo_database
from gongkai.documents.models import Document
from gongkai.search import selectors

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    demo_database()
    return Document.objects.get(doc_number="静府办发〔2023〕5号")


def _contains(document: Document, word: str) -> bool:
    texts = [document.title, document.doc_number, document.summary, document.body_text,
             *[a.extracted_text for a in document.attachments.all()], *[t.name for t in document.tags.all()]]  # fmt: skip
    return any(word in "".join(text.split()) for text in texts)


def work_plan_ids(notice: Document) -> set[int]:
    """The work plan is the 印发 notice (静府办发〔2023〕5号) and the 工作要点 it issues."""
    return {notice.pk, notice.outgoing_relations.get(relation_type="issues").target_id}


def test_zhengwu_gongkai_ranks_the_work_plan_first(demo):
    results = selectors.search("政务公开").results
    assert {hit.document.pk for hit in results[:2]} == work_plan_ids(demo)


@pytest.mark.parametrize("word", ["托育", "养老", "政务公开", "规范性文件", "纳税信用"])
def test_every_demo_document_containing_the_word_is_found(demo, word):
    truth = {d.pk for d in Document.objects.published() if _contains(d, word)}
    assert truth, word
    found = {r.document.pk for r in selectors.search(f'"{word}"', limit=100).results}
    assert truth <= found
    found_plain = {r.document.pk for r in selectors.search(word, limit=100).results}
    assert truth <= found_plain


def test_doc_number_opens_the_work_plan(demo, client):
    response = client.get("/search/", {"q": "静府办发[2023]5号"})
    assert response.status_code == 302 and response["Location"] == demo.get_absolute_url()


def test_cli_search(demo, capsys):
    call_command("search", "政务公开", "--limit", "3", "--json")
    data = json.loads(capsys.readouterr().out)
    assert {hit["id"] for hit in data["hits"][:2]} == work_plan_ids(demo)
    assert {"id", "title", "doc_number", "score", "snippet"} <= set(data["hits"][0])
    call_command("search", "静府办发[2023]5号", "--json")
    assert json.loads(capsys.readouterr().out)["document"]["id"] == demo.pk
