"""The back office: organisation scoping, form errors in Chinese, actions through the services."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.core.models import Event
from gongkai.documents.constants import DocumentStatus
from gongkai.documents.models import Document

pytestmark = pytest.mark.django_db


def form_data(organisation, **overrides) -> dict:
    data = {
        "title": "后台起草的通知", "doc_number": "静府办发[2024]7号", "doc_type": "notice",
        "organisation": organisation.pk, "written_date": "2024-03-01", "published_date": "", "effective_date": "",
        "expiry_date": "", "theme": "", "disclosure_mode": "proactive", "withheld_reason": "", "registration_number": "",
        "summary": "", "body_html": "<p>正文</p>", "tags": ["small-micro", "theme-0203"],
        "outgoing_relations-TOTAL_FORMS": "0", "outgoing_relations-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_staff_see_only_their_organisations_documents(client, make_document, make_user, other_org):
    own = make_document("本单位草稿", publish=False)
    foreign_editor = make_user("edu", other_org, "editor")
    client.force_login(foreign_editor)
    listing = client.get("/admin/documents/document/").content.decode()
    assert "本单位草稿" not in listing
    assert client.get(f"/admin/documents/document/{own.pk}/change/").status_code in (302, 404)


def test_admin_creates_a_draft_through_the_service(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("原文.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        "/admin/documents/document/add/", {**form_data(editor.organisation), "attachment_file": upload}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get(title="后台起草的通知")
    assert document.doc_number == "静府办发〔2024〕7号"
    assert document.status == DocumentStatus.DRAFT
    assert set(document.tags.values_list("code", flat=True)) == {"small-micro", "theme-0203"}
    assert document.attachments.count() == 1
    assert Event.objects.filter(verb="document.created", target_id=str(document.pk), actor=editor).exists()


def test_admin_form_errors_are_chinese_and_save_nothing(client, editor):
    client.force_login(editor)
    response = client.post("/admin/documents/document/add/",
                           form_data(editor.organisation, written_date="2024-02-31", doc_number="静府办"))  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "成文日期" in html and "不是有效日期" in html
    assert "无法识别" in html
    assert not Document.objects.filter(title="后台起草的通知").exists()


def test_admin_actions_call_the_workflow(client, editor, reviewer, make_document):
    document = make_document("待发布", publish=False)
    client.force_login(editor)
    client.post(
        "/admin/documents/document/", {"action": "submit_selected", "_selected_action": [document.pk]}
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.IN_REVIEW
    client.post(
        "/admin/documents/document/", {"action": "publish_selected", "_selected_action": [document.pk]}
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.IN_REVIEW  # an editor cannot publish
    client.force_login(reviewer)
    client.post(
        "/admin/documents/document/", {"action": "publish_selected", "_selected_action": [document.pk]}
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.PUBLISHED


def test_organisation_admin_cannot_grant_platform_powers(client, make_user, other_org, office):
    org_admin = make_user("edu-admin", other_org, "org_admin")
    colleague = make_user("edu-staff", other_org, "editor")
    outsider = make_user("office-staff", office, "editor")
    client.force_login(org_admin)
    assert client.get(f"/admin/accounts/user/{outsider.pk}/change/").status_code in (302, 404)
    page = client.get(f"/admin/accounts/user/{colleague.pk}/change/").content.decode()
    assert "is_superuser" not in page and "platform_admin" not in page
