"""集成式发布 topic pages, 阅办联动 service items and progress disclosure (issue 13, work plan items
一, 三, 十, 十五, 十九)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from demo_helpers import demo_database
from gongkai.accounts.constants import OrganisationKind
from gongkai.documents.constants import DisclosureMode, DocType
from gongkai.search.services import rebuild_index
from gongkai.topics import services
from gongkai.topics.models import ExternalReference, ProgressUpdate, Topic
from gongkai.topics.selectors import projects_missing_budget_disclosure

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def topic(editor, office):
    topic = services.save_topic(
        actor=editor, organisation=office, code="jiuye", title="就业帮扶", tags=["person"]
    )
    return services.set_topic_published(topic, actor=editor, published=True)


@pytest.mark.django_db(transaction=True)
def test_demo_has_topic_pages_built_from_real_documents(client):
    demo_database()
    topics = Topic.objects.filter(is_published=True)
    assert topics.count() >= 3
    page = client.get(reverse("topics:detail", args=["zhengwu-gongkai"])).content.decode()
    assert "2023年静安区政务公开工作要点" in page  # the work plan, gathered by its 主题 tag
    assert (
        "国办发〔2017〕24号" in page
        and "http://www.gov.cn/zhengce/zhengceku/2017-03/23/content_5179996.htm" in page
    )
    assert "（十五）落实政策集成式发布试点工作" in page  # the work plan's own item
    business = client.get(reverse("topics:detail", args=["yingshang-huanjing"])).content.decode()
    assert "旅行社条例" in business and "旅行社业务经营许可（示例）" in business and "示例" in business
    for code in ("shuishou-xinyong", "jiaoyu-ruxue", "chengqu-jianshe"):
        assert client.get(reverse("topics:detail", args=[code])).status_code == 200
    building = client.get(reverse("topics:detail", args=["chengqu-jianshe"])).content.decode()
    assert "美丽街区建设（示例）" in building and 'value="65"' in building


def test_topic_gathers_public_documents_by_rule_and_never_unpublished_ones(
    client, topic, make_document, make_org, editor
):
    veterans = make_document("关于退役军人就业的通知", tags=["veterans"])
    draft = make_document("退役军人草稿", publish=False, tags=["veterans"])
    withheld = make_document("退役军人内部事项", disclosure_mode=DisclosureMode.ON_REQUEST, tags=["veterans"])
    other = make_document("关于企业融资的通知", tags=["small-micro"])
    state = make_org("state-council", "国务院", "国发", kind=OrganisationKind.NATIONAL)
    national = make_document("国务院关于高校毕业生就业的通知", organisation=state, tags=["graduates"])
    services.save_topic(actor=editor, organisation=topic.organisation, code="jiuye", title="就业帮扶", topic=topic,
                        tags=["person"], pinned=[draft.pk, other.pk])  # fmt: skip
    page = client.get(reverse("topics:detail", args=["jiuye"])).content.decode()
    assert veterans.title in page and national.title in page and other.title in page  # rules + pin
    assert draft.title not in page and withheld.title not in page  # pinned or tagged, never if not public
    assert page.index("<h3>国家</h3>") < page.index(national.title) < page.index("<h3>区级</h3>")
    assert page.index("<h3>区级</h3>") < page.index(veterans.title)
    national_only = client.get(
        reverse("topics:detail", args=["jiuye"]), {"level": "national"}
    ).content.decode()
    assert national.title in national_only and veterans.title not in national_only
    rss = client.get(reverse("topics:rss", args=["jiuye"])).content.decode()
    assert veterans.title in rss and draft.title not in rss
    api = APIClient().get("/api/topics/jiuye/").json()
    listed = {d["title"] for group in api["documents"] for d in group["documents"]}
    assert listed == {veterans.title, national.title, other.title}


def test_saved_search_rule(topic, make_document, editor):
    rebuild_index()
    hit = make_document("关于普惠托育点建设的通知", body_text="建设社区普惠性托育点。")
    make_document("关于道路养护的通知", body_text="道路养护。")
    rebuild_index()
    services.save_topic(actor=editor, organisation=topic.organisation, code="jiuye", title="就业帮扶", topic=topic,
                        tags=[], rule_query="托育")  # fmt: skip
    from gongkai.topics.selectors import topic_documents

    assert list(topic_documents(topic)) == [hit]


def test_unpublished_topic_is_invisible(client, editor, office):
    services.save_topic(actor=editor, organisation=office, code="draft-topic", title="未发布专题")
    assert client.get(reverse("topics:detail", args=["draft-topic"])).status_code == 404
    assert APIClient().get("/api/topics/draft-topic/").status_code == 404
    assert "未发布专题" not in client.get(reverse("topics:list")).content.decode()


def test_bad_input_names_the_field_and_saves_nothing(topic, editor, office):
    with pytest.raises(ValidationError) as no_url:
        services.add_reference(topic, actor=editor, title="国务院关于某事的通知", url="")
    assert "原文链接" in no_url.value.message_dict["url"][0]
    with pytest.raises(ValidationError) as bad_url:
        services.add_reference(topic, actor=editor, title="国务院关于某事的通知", url="javascript:alert(1)")
    assert "url" in bad_url.value.message_dict
    with pytest.raises(ValidationError) as no_title:
        services.add_reference(topic, actor=editor, title=" ", url="https://www.gov.cn/")
    assert "title" in no_title.value.message_dict
    assert ExternalReference.objects.count() == 0
    with pytest.raises(ValidationError) as unknown_tag:
        services.save_topic(actor=editor, organisation=office, code="x-topic", title="专题", tags=["no-such"])
    assert "no-such" in unknown_tag.value.message_dict["rule_tags"][0]
    assert not Topic.objects.filter(code="x-topic").exists()
    project = services.save_project(actor=editor, organisation=office, title="架空线入地")
    with pytest.raises(ValidationError) as not_image:
        services.add_progress_update(project, actor=editor, date="2025-05-01", text="完成一半",
                                     photo=("现场.jpg", b"%PDF-1.4 not an image"))  # fmt: skip
    assert "不是有效的图片" in not_image.value.message_dict["photo"][0]
    assert ProgressUpdate.objects.count() == 0
    with pytest.raises(ValidationError) as bad_budget:
        services.save_project(actor=editor, organisation=office, title="某项目", budget_amount="一千万")
    assert "预算金额" in bad_budget.value.message_dict["budget_amount"][0]


def test_progress_updates_photos_feed_and_budget_flag(client, editor, office):
    big = services.save_project(actor=editor, organisation=office, title="旧住房更新改造", budget_amount="1500",
                                target="改造10万平方米")  # fmt: skip
    small = services.save_project(
        actor=editor, organisation=office, title="社区长者食堂", budget_amount="300"
    )
    disclosed = services.save_project(actor=editor, organisation=office, title="精品道路", budget_amount="2000",
                                      budget_disclosure_url="https://www.jingan.gov.cn/budget/1")  # fmt: skip
    assert list(projects_missing_budget_disclosure(editor)) == [big]
    update = services.add_progress_update(big, actor=editor, date="2025-08-01", text="完成3万平方米。",
                                          percent_complete=30, photo=("现场.png", _png()), photo_caption="施工现场")  # fmt: skip
    big.refresh_from_db()
    assert big.percent_complete == 30
    assert client.get(reverse("topics:photo", args=[update.pk])).status_code == 404  # not published yet
    services.set_project_published(big, actor=editor, published=True)
    photo = client.get(reverse("topics:photo", args=[update.pk]))
    assert photo.status_code == 200 and b"".join(photo.streaming_content).startswith(b"\x89PNG")
    page = client.get(reverse("topics:project", args=[big.pk])).content.decode()
    assert "完成3万平方米。" in page and 'alt="施工现场"' in page
    feed = client.get(reverse("topics:project-rss", args=[big.pk])).content.decode()
    assert "完成3万平方米。" in feed
    client.force_login(editor)
    dashboard = client.get(reverse("topics:staff")).content.decode()
    assert "旧住房更新改造" in dashboard and small.title not in dashboard and disclosed.title not in dashboard


def test_service_item_puts_the_ban_mark_on_the_policy(client, editor, office, make_document):
    policy = make_document(
        "关于旅行社经营许可的办法", doc_type=DocType.MEASURES, tags=["enterprise", "theme-0203"]
    )
    make_document("无关通知")
    item = services.save_service_item(actor=editor, organisation=office, name="旅行社业务经营许可",
                                      url="https://zwdt.sh.gov.cn/", documents=[policy.pk])  # fmt: skip
    detail = client.get(policy.get_absolute_url()).content.decode()
    assert f'href="{item.get_absolute_url()}"' in detail and "办：旅行社业务经营许可" in detail
    listing = client.get(reverse("portal:document-list")).content.decode()
    assert listing.count('class="ban-mark"') == 1
    rebuild_index()
    results = client.get(reverse("search:search"), {"q": "旅行社"}).content.decode()
    assert 'class="ban-mark"' in results
    service = client.get(item.get_absolute_url()).content.decode()
    assert "前往办理" in service and policy.title in service
    with pytest.raises(ValidationError) as bad:
        services.save_service_item(actor=editor, organisation=office, name="某事项", url="not a url")
    assert "办事页面" in bad.value.message_dict["url"][0]


@pytest.mark.django_db(transaction=True)
def test_topic_page_lists_the_interpretations_of_its_policies(client):
    from gongkai.documents.interpretation_selectors import public_interpretations

    demo_database()
    assert public_interpretations().exists(), "the demo has interpretations"
    pages = {t.code: client.get(reverse("topics:detail", args=[t.code])).content.decode()
             for t in Topic.objects.filter(is_published=True)}  # fmt: skip
    shown = [
        (item, code)
        for item in public_interpretations()
        for code, html in pages.items()
        if item.title in html
    ]
    assert shown, "an interpretation shows on the topic page of its policy"
    interpretation, code = shown[0]
    page = pages[code]
    assert "政策解读" in page and interpretation.get_absolute_url() in page
