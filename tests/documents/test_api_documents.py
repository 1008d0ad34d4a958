"""The public read API and the staff write endpoints."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gongkai.documents.constants import DocumentStatus
from gongkai.documents.models import Document

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_public_list_is_paginated_and_filtered(make_document):
    for number in range(3):
        make_document(f"规范性文件{number}", is_normative=True, published_date="2023-03-01")
    make_document("普通通知", published_date="2022-03-01")
    make_document("草稿", publish=False)
    data = APIClient().get("/api/documents/", {"page_size": 2}).json()
    assert data["count"] == 4 and len(data["results"]) == 2 and data["next"]
    data = APIClient().get("/api/documents/", {"normative": "true"}).json()
    assert data["count"] == 3
    data = APIClient().get("/api/documents/", {"year": 2022}).json()
    assert [row["title"] for row in data["results"]] == ["普通通知"]
    assert APIClient().get("/api/documents/", {"page_size": 1000}).json()["count"] == 4
    assert APIClient().get("/api/documents/", {"year": "x"}).status_code == 400


def test_detail_has_elements_attachments_and_relations(make_document):
    document = make_document("关于印发的通知", doc_number="静府办发〔2023〕5号", written_date="2023-04-23")
    data = APIClient().get(f"/api/documents/{document.pk}/").json()
    assert data["doc_number"] == "静府办发〔2023〕5号"
    assert data["written_date"] == "2023-04-23"
    assert data["index_number"] == document.index_number
    assert data["issuers"] == ["上海市静安区人民政府办公室"]


def test_anonymous_cannot_write():
    response = APIClient().post("/api/documents/", {"title": "x"}, format="json")
    assert response.status_code in (401, 403)


def test_staff_token_workflow(editor, reviewer, other_org, make_user):
    client = token_client(editor)
    response = client.post("/api/documents/", {"title": "接口起草的通知", "doc_number": "静府办发（2024）3号",
                                               "written_date": "2024-01-10", "tags": ["theme-0203", "enterprise"]}, format="json")  # fmt: skip
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["doc_number"] == "静府办发〔2024〕3号"
    assert APIClient().get(f"/api/documents/{pk}/").status_code == 404  # draft invisible to the public
    assert client.get(f"/api/documents/{pk}/").status_code == 200  # visible to its own organisation
    outsider = token_client(make_user("outsider", other_org, "editor"))
    assert outsider.get(f"/api/documents/{pk}/").status_code == 404
    assert outsider.post(f"/api/documents/{pk}/submit/").status_code == 404
    refused = client.post(f"/api/documents/{pk}/submit/")  # 三同步: an 对象 tag makes it 需解读
    assert refused.status_code == 400 and "三同步" in refused.json()["interpretation"][0]
    waived = client.patch(f"/api/documents/{pk}/", {"interpretation_required": False,
                                                     "interpretation_waiver_reason": "内部工作通知"}, format="json")  # fmt: skip
    assert waived.status_code == 200, waived.content
    assert client.post(f"/api/documents/{pk}/submit/").status_code == 200
    assert client.post(f"/api/documents/{pk}/publish/").status_code == 403  # editors cannot approve
    response = token_client(reviewer).post(f"/api/documents/{pk}/publish/")
    assert response.status_code == 200 and response.json()["status"] == DocumentStatus.PUBLISHED
    assert APIClient().get(f"/api/documents/{pk}/").status_code == 200


def test_staff_bad_input_is_a_chinese_field_error_and_saves_nothing(editor):
    client = token_client(editor)
    before = Document.objects.count()
    response = client.post("/api/documents/", {"title": "坏日期", "written_date": "2023-13-01",
                                               "doc_number": "不是文号"}, format="json")  # fmt: skip
    assert response.status_code == 400
    body = response.json()
    assert "成文日期" in body["written_date"][0] and "发文字号" in body["doc_number"][0]
    assert Document.objects.count() == before


def test_openapi_schema_and_docs(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/documents/" in schema.content
    assert client.get("/api/docs/").status_code == 200
