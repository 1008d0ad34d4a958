"""编辑公文 without the Django admin (issue 19): an editor opens a draft from 我的文件, edits its
fields, saves (documents.services, audit event) and 提交审核; errors come back in Chinese beside the
fields with a summary at the top, and nothing is saved; other organisations' drafts and published
documents are not editable there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.core.models import Event
from gongkai.documents.constants import DocumentStatus
from gongkai.documents.interpretation_sync import set_interpretation_requirement

pytestmark = pytest.mark.django_db


def form_data(**changes) -> dict:
    data = {
        "title": "关于做好2026年老年人助餐服务的通知", "doc_number": "静府办发〔2026〕12号", "doc_type": "notice",
        "written_date": "2026-11-20", "effective_date": "2026-12-01", "expiry_date": "2028-11-30",
        "theme": "1703", "tags": ["elderly", "theme-1703"], "is_normative": "on",
        "registration_number": "JAGS-2026-012", "disclosure_mode": "proactive", "withheld_reason": "",
        "summary": "助餐服务补贴。", "body_html": "<p>各街道办事处：</p><p>现将有关事项通知如下。</p><script>x</script>",
    }  # fmt: skip
    data.update(changes)
    return data


def test_editor_opens_a_draft_from_my_documents_and_saves_it(client, editor, make_document):
    draft = make_document("助餐服务通知（草稿）", publish=False)
    client.force_login(editor)
    mine = client.get(reverse("documents:mine")).content.decode()
    edit_url = reverse("documents:edit", args=[draft.pk])
    assert f'href="{edit_url}"' in mine
    page = client.get(edit_url).content.decode()
    assert 'value="助餐服务通知（草稿）"' in page and "规范性文件登记号" in page and "主题分类" in page
    response = client.post(edit_url, form_data(action="save"), follow=True)
    assert response.redirect_chain[-1][0] == edit_url
    assert "《关于做好2026年老年人助餐服务的通知》已保存。" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "关于做好2026年老年人助餐服务的通知" and draft.doc_number == "静府办发〔2026〕12号"
    assert (draft.doc_year, draft.doc_serial) == (2026, 12)
    assert str(draft.effective_date) == "2026-12-01" and draft.theme.code == "1703"
    assert draft.is_normative and draft.registration_number == "JAGS-2026-012"
    assert set(draft.tags.values_list("code", flat=True)) == {"elderly", "theme-1703"}
    assert "<script>" not in draft.body_html and "现将有关事项通知如下。" in draft.body_text
    assert draft.status == DocumentStatus.DRAFT and draft.last_edited_by == editor
    event = Event.objects.filter(verb="document.updated", target_id=str(draft.pk)).latest("pk")
    assert event.actor_id == editor.pk and "title" in event.data["changed"]


def test_errors_are_shown_beside_the_fields_and_nothing_is_saved(client, editor, make_document):
    draft = make_document("错误状态测试", publish=False)
    client.force_login(editor)
    edit_url = reverse("documents:edit", args=[draft.pk])
    response = client.post(edit_url, form_data(title="", effective_date="2026-13-40"))
    html = response.content.decode()
    assert response.status_code == 200 and 'id="error-summary"' in html
    assert '<a href="#id_title">请填写“标题”。</a>' in html
    assert 'href="#id_effective_date"' in html and 'aria-describedby="id_title-errors"' in html
    # the service's own rules: an expiry before the effective date, 不予公开 without a reason
    html = client.post(edit_url, form_data(expiry_date="2026-01-01")).content.decode()
    assert 'href="#id_expiry_date"' in html
    html = client.post(edit_url, form_data(disclosure_mode="withheld")).content.decode()
    assert 'href="#id_withheld_reason"' in html and "不予公开必须选择理由类别" in html
    draft.refresh_from_db()
    assert draft.title == "错误状态测试" and draft.expiry_date is None


def test_save_and_submit_for_review(client, editor, make_document):
    draft = make_document("提交审核测试", publish=False)
    client.force_login(editor)
    edit_url = reverse("documents:edit", args=[draft.pk])
    # a policy without an 对象 tag is saved but not submitted: the reason is shown on the form
    response = client.post(edit_url, form_data(tags=["theme-1703"], action="submit"))
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.DRAFT and draft.title == "关于做好2026年老年人助餐服务的通知"
    html = response.content.decode()
    assert "修改已保存，但未能提交审核" in html and 'id="error-summary"' in html
    # a normative document needs its interpretation decided (三同步) before review: the reason is shown too
    response = client.post(edit_url, form_data(action="submit"))
    assert "解读" in response.content.decode() and draft.status == DocumentStatus.DRAFT
    set_interpretation_requirement(
        draft, actor=None, required=False, reason="测试：随文发布说明", check_permission=False
    )
    response = client.post(edit_url, form_data(action="submit"), follow=True)
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.IN_REVIEW
    assert "已提交审核。" in response.content.decode()


def test_only_own_organisations_drafts_and_no_published_documents(
    client, editor, make_document, make_user, other_org, reviewer
):
    others = make_document("其他单位草稿", publish=False, organisation=other_org)
    published = make_document("已发布文件")
    client.force_login(editor)
    assert client.get(reverse("documents:edit", args=[others.pk])).status_code == 404
    assert client.post(reverse("documents:edit", args=[others.pk]), form_data()).status_code == 404
    response = client.post(reverse("documents:edit", args=[published.pk]), form_data(), follow=True)
    assert "已发布的公文不能直接修改" in response.content.decode()
    published.refresh_from_db()
    assert published.title == "已发布文件"
    client.force_login(reviewer)  # no 编辑 role
    assert client.get(reverse("documents:edit", args=[published.pk])).status_code == 403
