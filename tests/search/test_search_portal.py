"""The portal results page and the public API."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def many(make_document):
    return [make_document(f"第{i}份托育工作通知", published_date=f"2023-01-{i + 1:02d}", body_text="托育服务" * (i + 1))
            for i in range(13)]  # fmt: skip


def test_results_page_paginates_and_highlights(client, many):
    response = client.get(reverse("search:search"), {"q": "托育"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "找到 13 份文件" in body
    assert body.count('class="doc-row"') == 10
    assert "<mark>托育</mark>" in body
    assert "第 1 页，共 2 页" in body
    page2 = client.get(reverse("search:search"), {"q": "托育", "page": 2}).content.decode()
    assert page2.count('class="doc-row"') == 3


def test_facets_with_counts_and_filter_links(client, many):
    body = client.get(reverse("search:search"), {"q": "托育"}).content.decode()
    assert "发布年份" in body and "2023年" in body and '<span class="count">13</span>' in body


def test_zero_result_page_helps(client, many):
    body = client.get(reverse("search:search"), {"q": "托育点位"}).content.decode()
    assert "没有找到包含“托育点位”的公开文件" in body
    assert "托育" in body  # a suggestion sharing a two-character piece
    assert "政府信息公开申请" in body


def test_doc_number_query_redirects_to_the_document(client, make_document):
    document = make_document("2023年政务公开工作要点", doc_number="静府办发〔2023〕5号")
    response = client.get(reverse("search:search"), {"q": "静府办发[2023]5号"})
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()


@pytest.mark.parametrize("stored", ["国家税务总局公告2018年第32号", "国家税务总局2018年第32号"])
def test_either_announcement_form_opens_the_document_from_search_and_list(client, make_document, stored):
    # issue 12: 机关公告YYYY年第N号 and 机关YYYY年第N号 are the same number, whichever form was stored
    document = make_document("国家税务总局关于个人所得税自行纳税申报有关问题的公告", doc_number=stored)
    make_document("国家税务总局关于另一事项的公告", doc_number="国家税务总局公告2018年第33号")
    for typed in (
        "国家税务总局公告2018年第32号",
        "国家税务总局2018年第32号",
        "国家税务总局 公告 2018年第32号",
    ):
        response = client.get(reverse("search:search"), {"q": typed})
        assert response.status_code == 302 and response["Location"] == document.get_absolute_url(), typed
        # the list box opens the one document the number names (issue 19)
        listed = client.get(reverse("portal:document-list"), {"q": typed})
        assert listed.status_code == 302 and listed["Location"] == document.get_absolute_url(), typed


def test_api_search(client, many):
    data = client.get("/api/search/", {"q": "托育", "page_size": 5, "order": "date"}).json()
    assert data["count"] == 13 and len(data["results"]) == 5
    assert data["results"][0]["id"] == many[-1].pk  # newest first
    assert {"id", "title", "doc_number", "score", "snippet", "url"} <= set(data["results"][0])
    assert data["facets"]["year"][0]["count"] == 13


def test_api_doc_number(client, make_document):
    document = make_document("2023年政务公开工作要点", doc_number="静府办发〔2023〕5号")
    data = client.get("/api/search/", {"q": "静府办发 〔2023〕 5 号"}).json()
    assert data["document"]["id"] == document.pk


def test_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/search/" in schema and "全文检索" in schema


def test_attachment_text_is_searchable(make_document, editor, reviewer):
    from django.core.exceptions import ValidationError

    from gongkai.documents import services
    from gongkai.search import selectors

    document = make_document("关于开展政府开放月活动的通知", publish=False)
    services.add_attachment(document, actor=editor, filename="活动安排.txt",
                            content="活动安排：苏州河游览、建筑可阅读。".encode())  # fmt: skip
    document = services.publish_document(services.submit_for_review(document, actor=editor), actor=reviewer)
    assert [hit.document.pk for hit in selectors.search("苏州河游览").results] == [document.pk]
    with pytest.raises(ValidationError):  # nothing is added to a public document without a new review
        services.add_attachment(document, actor=editor, filename="补充.txt", content="补充材料".encode())
