"""Staff screens without the Django admin (issue 19): 我的文件 with 提交审核, navigation by role,
and a Chinese forbidden page that names the role needed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.accounts.constants import Role
from gongkai.documents.constants import DocumentStatus

pytestmark = pytest.mark.django_db


def nav(client) -> str:
    html = client.get("/").content.decode()
    return html[
        html.index('<nav class="site-nav"') : html.index("</nav>", html.index('<nav class="site-nav"'))
    ]


def test_navigation_shows_only_what_the_roles_allow(client, editor, make_user, office):
    client.force_login(editor)
    links = nav(client)
    assert "我的文件" in links and "导入公文" in links
    assert "申请办理" not in links and "公开审查" not in links and "后台" not in links
    officer = make_user("officer", office, Role.FOI_OFFICER)
    client.force_login(officer)
    links = nav(client)
    assert "申请办理" in links and "我的文件" not in links and "导入公文" not in links
    client.logout()
    assert "staff-nav" not in nav(client)


def test_my_documents_lists_drafts_and_submits_them(client, editor, make_document):
    draft = make_document("关于2024年政务公开的通知（草稿）", publish=False)
    published = make_document("已经发布的通知")
    client.force_login(editor)
    html = client.get(reverse("documents:mine")).content.decode()
    assert draft.title in html and published.title not in html and "草稿" in html
    response = client.post(reverse("documents:submit", args=[draft.pk]), follow=True)
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.IN_REVIEW
    assert f"《{draft.title}》已提交审核。" in response.content.decode()
    assert "审核中" in response.content.decode()


def test_forbidden_page_names_the_role(client, make_user, office):
    officer = make_user("officer", office, Role.FOI_OFFICER)
    client.force_login(officer)
    response = client.get(reverse("documents:mine"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "查看“我的文件”需要“编辑”角色。" in html and "无权访问（403）" in html
    response = client.get(reverse("ingest:upload"))
    assert response.status_code == 403 and "需要“编辑”角色" in response.content.decode()


@pytest.fixture
def reply_draft(office, foi_officer):
    from gongkai.foi import services as foi_services
    from gongkai.foi.constants import ApplicantKind, Channel, IdType, Outcome

    request, _code = foi_services.register_request(
        actor=foi_officer, organisation=office, channel=Channel.IN_PERSON, received_date="2026-11-02",
        applicant_kind=ApplicantKind.PERSON, applicant_name="赵六", id_type=IdType.RESIDENT_ID,
        id_number="11010519491231002X", email="zhaoliu@example.com",
        description="静安区2026年学前教育资源配置规划。", info_form="electronic", delivery_method="email",
    )  # fmt: skip
    return foi_services.prepare_reply(request, actor=foi_officer, outcome=Outcome.NOT_EXIST)


def test_reply_letters_waiting_for_review_are_in_the_review_queue(client, reviewer, reply_draft):
    client.force_login(reviewer)
    html = client.get(reverse("review:queue")).content.decode()
    assert reply_draft.request.number in html and "依申请公开文书" in html
    assert reverse("foi:staff-letter", args=[reply_draft.pk]) in html


def test_letter_wording_reads_naturally(reply_draft):
    body = reply_draft.body
    assert "您（单位）" not in body and "。”。" not in body
    assert "收到您提出的政府信息公开申请" in body
    assert "申请获取“静安区2026年学前教育资源配置规划”。" in body


def test_timeline_has_chinese_steps_and_display_names(client, foi_officer, reply_draft):
    foi_officer.display_name = "王经办"
    foi_officer.save()
    client.force_login(foi_officer)
    html = client.get(reverse("foi:staff-detail", args=[reply_draft.request.pk])).content.decode()
    timeline = html[
        html.index('<ol class="foi-timeline">') : html.index("</ol>", html.index('<ol class="foi-timeline">'))
    ]
    assert "登记申请 · 王经办" in timeline and "起草答复书 · 王经办" in timeline
    assert "foi." not in timeline
