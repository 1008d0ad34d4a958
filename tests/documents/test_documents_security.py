"""Findings of the security review, kept fixed: what a published page shows went through review,
and one organisation cannot speak for another."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gongkai.documents import services
from gongkai.documents.constants import RelationType, Validity

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_published_documents_cannot_be_changed_without_a_new_review(make_document, editor):
    document = make_document("已发布的通知", body_html="<p>原文</p>")
    response = token_client(editor).patch(
        f"/api/documents/{document.pk}/",
        {"body_html": "<p>申请人身份证110101199003077777</p>"},
        format="json",
    )
    assert response.status_code == 400 and "先撤回" in response.json()["status"][0]
    document.refresh_from_db()
    assert "110101199003077777" not in document.body_text
    with pytest.raises(ValidationError):
        services.add_attachment(document, actor=editor, filename="新增.txt", content="补充".encode())


def test_another_organisations_document_cannot_be_repealed(make_document, make_user, other_org, office):
    target = make_document("区府办的办法")
    foreign_editor = make_user("edu-editor", other_org, "editor")
    repealer = services.create_document(actor=foreign_editor, organisation=other_org, title="教育局的新办法")
    with pytest.raises(ValidationError) as excinfo:
        services.add_relation(
            repealer, actor=foreign_editor, relation_type=RelationType.REPEALS, target=target
        )
    assert "relation_type" in excinfo.value.message_dict
    services.add_relation(repealer, actor=foreign_editor, relation_type=RelationType.BASED_ON, target=target)
    target.refresh_from_db()
    assert target.validity == Validity.VALID


def test_titles_of_unpublished_documents_never_reach_public_pages(client, make_document, editor):
    secret = make_document("草稿蓝鲸计划", publish=False)
    source = make_document("关于某事项的通知", publish=False)
    services.add_relation(source, actor=editor, relation_type=RelationType.BASED_ON, target=secret)
    from gongkai.accounts.models import User

    reviewer = User.objects.get(username="reviewer")
    source = services.publish_document(services.submit_for_review(source, actor=editor), actor=reviewer)
    for url in (source.get_absolute_url(), f"/api/documents/{source.pk}/"):
        assert "蓝鲸" not in client.get(url).content.decode(), url


def test_a_body_cannot_name_another_as_joint_issuer(editor, other_org):
    with pytest.raises(ValidationError) as excinfo:
        services.create_document(
            actor=editor, organisation=editor.organisation, title="联合发文", issuers=[other_org]
        )
    assert "联合发文机关" in excinfo.value.message_dict["issuers"][0]


def test_malformed_api_input_is_a_400_or_404_never_a_500(make_document, editor, reviewer):
    document = make_document("待退回", publish=False)
    client = token_client(editor)
    client.post(f"/api/documents/{document.pk}/submit/")
    reviewer_client = token_client(reviewer)
    assert (
        reviewer_client.post(
            f"/api/documents/{document.pk}/reject/", {"reason": ["a"]}, format="json"
        ).status_code
        == 400
    )
    assert (
        reviewer_client.post(
            f"/api/documents/{document.pk}/withdraw/", {"reason": {}}, format="json"
        ).status_code
        == 400
    )
    assert client.post("/api/documents/abc/submit/").status_code == 404
    response = client.post("/api/documents/", "{not json", content_type="application/json")
    assert response.status_code == 400 and "JSON" in response.json()["detail"]
    response = client.post(
        "/api/documents/", {"title": "长登记号", "registration_number": "号" * 500}, format="json"
    )
    assert response.status_code == 400 and "registration_number" in response.json()
    response = client.post("/api/documents/", {"title": "理由", "disclosure_mode": "withheld", "withheld_reason": "zzz"},
                           format="json")  # fmt: skip
    assert response.status_code == 400 and "withheld_reason" in response.json()


def test_media_files_are_not_served_directly(client, make_document, editor):
    draft = make_document("带附件的草稿", publish=False)
    attachment = services.add_attachment(
        draft, actor=editor, filename="草稿.txt", content="草稿附件内容".encode()
    )
    assert client.get(f"/media/{attachment.file.name}").status_code == 404


def test_forwarded_for_is_trusted_only_through_configured_proxies(rf, settings):
    from gongkai.core.http import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7", REMOTE_ADDR="10.0.0.1")
    settings.NUM_PROXIES = 0
    assert client_ip(request) == "10.0.0.1"
    settings.NUM_PROXIES = 1
    assert client_ip(request) == "198.51.100.7"


def test_relations_of_a_published_document_change_only_through_review(make_document, editor):
    published = make_document("已发布的新办法")
    old = make_document("旧办法")
    with pytest.raises(ValidationError):
        services.add_relation(published, actor=editor, relation_type=RelationType.REPEALS, target=old)
    old.refresh_from_db()
    assert old.validity == Validity.VALID
