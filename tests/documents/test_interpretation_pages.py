"""Where an interpretation appears: the policy page, its own page, search, feeds, the API; the staff
screens (解读辅助, 新旧政策差异, 应解读、尽解读, the review task) and `gongkai interpretations missing`."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from gongkai.documents import interpretations as interp
from gongkai.documents import services as documents
from gongkai.documents.constants import DocType, DocumentStatus, RelationType
from gongkai.documents.interpretation_sync import set_interpretation_requirement
from gongkai.documents.models import Interpretation
from gongkai.review.models import ReviewTask
from paths import CONTENT

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(editor, reviewer, django_capture_on_commit_callbacks):
    """A policy published with its 示例 interpretation (三同步); search indexes on commit."""
    policy = documents.create_document(
        actor=editor, organisation=editor.organisation, title="静安区养老服务补贴实施办法", doc_type=DocType.MEASURES,
        is_normative=True, tags=["elderly", "theme-0203"], written_date="2024-03-01", published_date="2024-03-05",
        body_text="第一条 为提高老年人生活质量，制定本办法。\n第二条 本办法适用于本区户籍的八十周岁以上老年人。",
    )  # fmt: skip
    item = interp.create_interpretation(
        actor=editor, organisation=editor.organisation, documents=[policy], kind="qa", is_example=True,
        title="一图读懂养老服务补贴", summary="补贴对象、标准和申领方式。",
        scope="本区户籍的八十周岁以上老年人。", service_guide="向居住地街道社区事务受理服务中心申请。",
        body="问：谁可以申请？\n答：本区户籍的八十周岁以上老年人。",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        policy = documents.publish_document(documents.submit_for_review(policy, actor=editor), actor=reviewer)
    item.refresh_from_db()
    return policy, item


def test_policy_page_lists_its_interpretation_labelled_example(client, published):
    policy, item = published
    html = client.get(policy.get_absolute_url()).content.decode()
    assert "政策解读" in html and item.get_absolute_url() in html and "一图读懂养老服务补贴" in html
    assert "示例" in html and "问答" in html


def test_interpretation_page_shows_sections_in_order_and_hides_empty_ones(client, published):
    policy, item = published
    html = client.get(item.get_absolute_url()).content.decode()
    assert "banner-example" in html and "并非任何机关发布的官方解读" in html
    assert html.index("适用范围") < html.index("办事指南")
    for empty in ("核心概念", "执行口径", "新旧政策差异", "惠民利企举措"):
        assert empty not in html
    assert policy.get_absolute_url() in html
    assert "社区事务受理服务中心" in html


def test_drafts_and_interpretations_of_unpublished_policies_are_not_public(client, editor):
    policy = documents.create_document(
        actor=editor, organisation=editor.organisation, title="草稿办法", is_normative=True
    )
    item = interp.create_interpretation(actor=editor, organisation=editor.organisation, documents=[policy],
                                        title="草稿解读", body="内容")  # fmt: skip
    assert client.get(item.get_absolute_url()).status_code == 404
    assert "草稿解读" not in client.get("/interpretations/").content.decode()
    assert APIClient().get(f"/api/interpretations/{item.pk}/").status_code == 404


def test_list_and_feeds(client, published):
    _policy, item = published
    listing = client.get("/interpretations/?kind=qa").content.decode()
    assert item.title in listing and "共 1 篇解读" in listing
    assert "共 0 篇解读" in client.get("/interpretations/?kind=video").content.decode()
    rss = client.get("/feeds/interpretations.rss").content.decode()
    assert "【问答】一图读懂养老服务补贴（示例）" in rss and item.get_absolute_url() in rss
    assert "一图读懂养老服务补贴" in client.get("/feeds/interpretations.atom").content.decode()
    assert item.get_absolute_url() in client.get("/sitemap.xml").content.decode()


def test_api_lists_interpretations_and_the_policy_detail_carries_them(published):
    policy, item = published
    api = APIClient()
    rows = api.get("/api/interpretations/").json()["results"]
    assert [row["id"] for row in rows] == [item.pk]
    assert rows[0]["is_example"] is True and rows[0]["documents"][0]["id"] == policy.pk
    detail = api.get(f"/api/interpretations/{item.pk}/").json()
    assert [s["heading"] for s in detail["sections"]] == ["适用范围", "办事指南"]
    assert api.get(f"/api/interpretations/?document={policy.pk}").json()["count"] == 1
    assert api.get("/api/interpretations/?kind=poster").status_code == 400
    document = api.get(f"/api/documents/{policy.pk}/").json()
    assert [row["title"] for row in document["interpretations"]] == ["一图读懂养老服务补贴"]


def test_staff_api_drafts_and_the_policy_publishes_it(editor, reviewer):
    from rest_framework.authtoken.models import Token

    def client_for(user):
        c = APIClient()
        c.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        return c

    policy = documents.create_document(actor=editor, organisation=editor.organisation, title="接口办法", is_normative=True,
                                       tags=["elderly", "theme-0203"])  # fmt: skip
    staff = client_for(editor)
    bad = staff.post("/api/interpretations/", {"documents": [policy.pk], "title": "接口解读"}, format="json")
    assert bad.status_code == 400 and "解读内容" in bad.json()["body"][0]
    created = staff.post("/api/interpretations/", {"documents": [policy.pk], "title": "接口解读", "scope": "全区"},
                         format="json")  # fmt: skip
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    alone = staff.post(f"/api/interpretations/{pk}/submit/")
    assert alone.status_code == 400 and "三同步" in alone.json()["status"][0]
    assert staff.post(f"/api/documents/{policy.pk}/submit/").status_code == 200
    assert client_for(reviewer).post(f"/api/documents/{policy.pk}/publish/").status_code == 200
    assert APIClient().get(f"/api/interpretations/{pk}/").json()["status"] == DocumentStatus.PUBLISHED


def test_search_finds_the_policy_through_its_interpretation(client, published):
    policy, item = published
    page = client.get("/search/", {"q": "一图读懂"}).content.decode()
    assert policy.title in page and item.get_absolute_url() in page
    hits = APIClient().get("/api/search/", {"q": "一图读懂"}).json()["results"]
    assert hits[0]["id"] == policy.pk and hits[0]["interpretations"][0]["id"] == item.pk


def test_withdrawn_interpretation_leaves_search(
    client, published, reviewer, django_capture_on_commit_callbacks
):
    _policy, item = published
    with django_capture_on_commit_callbacks(execute=True):
        interp.withdraw_interpretation(item, actor=reviewer, reason="内容有误")
    assert "找到 0 份文件" in client.get("/search/", {"q": "一图读懂"}).content.decode()


def test_reading_page_prefills_a_draft_and_saves_it(client, editor, reviewer):
    old = documents.create_document(actor=editor, organisation=editor.organisation, title="上海市优化营商环境条例（2020年）",
                                    body_text=(CONTENT / "sh-business-2020.txt").read_text())  # fmt: skip
    new = documents.create_document(actor=editor, organisation=editor.organisation, title="上海市优化营商环境条例",
                                    doc_type=DocType.REGULATIONS, tags=["enterprise"],
                                    body_text=(CONTENT / "sh-business-2024.txt").read_text())  # fmt: skip
    documents.add_relation(new, actor=editor, relation_type=RelationType.AMENDS, target=old)
    client.force_login(editor)
    page = client.get(f"/staff/documents/{new.pk}/reading/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "关键信息" in html and 'class="fact fact-date"' in html
    assert "新增18条" in html and f"/staff/documents/{new.pk}/compare/{old.pk}/" in html
    form = page.context["form"]
    assert "新增第二十三条" in form.initial["changes"] and "营商" in form.initial["keywords"]
    compare = client.get(f"/staff/documents/{new.pk}/compare/{old.pk}/").content.decode()
    assert "<del>主体</del>" in compare and "序号调整" in compare
    data = {key: value for key, value in form.initial.items()}
    data["title"] = "上海市优化营商环境条例修正要点"
    response = client.post(f"/staff/documents/{new.pk}/reading/", data)
    assert response.status_code == 302
    saved = Interpretation.objects.get(title="上海市优化营商环境条例修正要点")
    assert list(saved.documents.all()) == [new] and "新增第二十三条" in saved.changes
    assert saved.status == DocumentStatus.DRAFT


def test_reading_pages_are_for_staff_only(client, editor):
    document = documents.create_document(actor=editor, organisation=editor.organisation, title="草稿")
    response = client.get(f"/staff/documents/{document.pk}/reading/")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_requirement_mark_from_the_reading_page(client, editor):
    policy = documents.create_document(
        actor=editor, organisation=editor.organisation, title="办法", is_normative=True
    )
    client.force_login(editor)
    client.post(f"/staff/documents/{policy.pk}/interpretation-requirement/", {"required": "no", "reason": ""})
    policy.refresh_from_db()
    assert policy.interpretation_required is None  # no reason: refused
    client.post(
        f"/staff/documents/{policy.pk}/interpretation-requirement/", {"required": "no", "reason": "内部管理"}
    )
    policy.refresh_from_db()
    assert policy.interpretation_required is False and policy.interpretation_waiver_reason == "内部管理"


def test_missing_report_page_and_command(client, editor, published, capsys):
    lonely = documents.create_document(actor=editor, organisation=editor.organisation, title="静安区未解读的办法二",
                                       is_normative=True, tags=["elderly", "theme-0203"], published_date="2024-05-02")  # fmt: skip
    lonely = set_interpretation_requirement(lonely, actor=editor, required=False, reason="临时")
    from gongkai.accounts.models import User

    admin = User.objects.create_superuser("root", password="pw-123456789")
    published_lonely = documents.publish_document(
        documents.submit_for_review(lonely, actor=editor), actor=admin
    )
    from gongkai.documents.models import Document

    Document.objects.filter(pk=published_lonely.pk).update(
        interpretation_required=None, interpretation_waiver_reason=""
    )
    call_command(
        "interpretations", "missing", "--year", "2024", "--organisation", "jingan-gov-office", "--json"
    )
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["required"] == 2 and rows[0]["interpreted"] == 1
    assert [doc["title"] for doc in rows[0]["missing"]] == ["静安区未解读的办法二"]
    client.force_login(editor)
    html = client.get("/staff/documents/interpretations/missing/?year=2024").content.decode()
    assert "静安区未解读的办法二" in html and "应解读" in html


def test_review_task_shows_the_interpretation_reviewed_with_the_policy(client, editor, reviewer):
    policy = documents.create_document(actor=editor, organisation=editor.organisation, title="随文审查办法", is_normative=True,
                                       tags=["elderly", "theme-0203"])  # fmt: skip
    interp.create_interpretation(actor=editor, organisation=editor.organisation, documents=[policy],
                                 title="随文解读", scope="全区老年人")  # fmt: skip
    documents.submit_for_review(policy, actor=editor)
    client.force_login(reviewer)
    html = client.get(f"/review/documents/{policy.pk}/", follow=True).content.decode()
    assert "随文件同步审查的政策解读" in html and "随文解读" in html and "全区老年人" in html


def test_follow_up_review_task_is_decided_in_the_review_screens(
    client, published, editor, reviewer, django_capture_on_commit_callbacks
):
    policy, _item = published
    follow_up = interp.create_interpretation(actor=editor, organisation=editor.organisation, documents=[policy],
                                             title="申领常见问题（动态解读）", kind="qa", body="问：多久到账？\n答：审核通过后按月发放。")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        interp.submit_interpretation(follow_up, actor=editor)
    task = ReviewTask.objects.get(interpretation=follow_up)
    client.force_login(reviewer)
    queue = client.get("/review/").content.decode()
    assert "政策解读：申领常见问题（动态解读）" in queue
    page = client.get(task.get_absolute_url()).content.decode()
    assert "动态解读，单独审查" in page and "approve_masked" not in page
    client.post(f"/review/tasks/{task.pk}/decide/", {"decision": "approve", "note": ""})
    follow_up.refresh_from_db()
    assert follow_up.status == DocumentStatus.PUBLISHED and follow_up.is_follow_up
    detail = client.get(policy.get_absolute_url()).content.decode()
    assert "动态解读" in detail and follow_up.get_absolute_url() in detail
