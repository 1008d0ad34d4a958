"""Demo topic pages (集成式发布) built from the real demo documents by tag rules.

References of other levels are real national documents with their gov.cn addresses (taken from
the public policy metadata in ../shared/data/policy-metadata). Service items and projects were
written for the demo, not by any government: they are marked 示例 on every page.
"""

from __future__ import annotations

from collections.abc import Callable

from gongkai.accounts.models import Organisation
from gongkai.topics import services
from gongkai.topics.models import ProgressRecord, ServiceItem, Topic

ACTOR = "gongkai demo"
WORKPLAN = {
    "一": "加强涉及市场主体信息公开",
    "三": "加强城区建设信息公开",
    "五": "加强住房保障、改造和招生入学信息公开",
    "六": "加强就业、养老、托育和民生保障待遇信息公开",
    "十": "加强财政和审计整改信息公开",
    "十二": "完善政策公开源头管理",
    "十四": "加强主动公开公文库管理",
    "十五": "落实政策集成式发布试点工作",
    "十七": "持续提高政策解读质量",
    "十九": "强化政策咨询和办理服务",
}
TOPICS = [
    {
        "code": "zhengwu-gongkai", "title": "政务公开", "tags": ["theme-0203"], "items": ["十二", "十四", "十五", "十七"],
        "summary": "政务公开工作要点、制度规范和上级部署的集中发布。",
        "references": [{"title": "国务院办公厅关于印发2017年政务公开工作要点的通知", "doc_number": "国办发〔2017〕24号",
                        "issuer": "国务院办公厅", "date": "2017-03-23",
                        "url": "http://www.gov.cn/zhengce/zhengceku/2017-03/23/content_5179996.htm"}],
    },
    {
        "code": "yingshang-huanjing", "title": "营商环境·惠企政策", "tags": ["enterprise-life", "foreign-invested"], "items": ["一", "十九"],
        "summary": "面向企业和各类市场主体的准入、经营、投资建设政策，以及相关办事服务。",
        "references": [{"title": "国务院关于开展营商环境创新试点工作的意见", "doc_number": "国发〔2021〕24号",
                        "issuer": "国务院", "date": "2021-11-25",
                        "url": "http://www.gov.cn/zhengce/zhengceku/2021-11/25/content_5653257.htm"}],
    },
    {
        "code": "shuishou-xinyong", "title": "税收与纳税信用", "tags": ["taxpayers"], "items": ["一"],
        "summary": "增值税、契税、个人所得税及纳税信用相关政策。",
        "references": [{"title": "国务院关于设立3岁以下婴幼儿照护个人所得税专项附加扣除的通知", "doc_number": "国发〔2022〕8号",
                        "issuer": "国务院", "date": "2022-03-28",
                        "url": "http://www.gov.cn/zhengce/zhengceku/2022-03/28/content_5682013.htm"}],
    },
    {
        "code": "jiaoyu-ruxue", "title": "教育与招生入学", "tags": ["students-parents", "schools"], "items": ["五"],
        "summary": "学前教育、民办教育和中外合作办学政策。", "references": [],
    },
    {
        "code": "chengqu-jianshe", "title": "城区建设与民生项目进展", "tags": ["housing"], "items": ["三", "五", "六", "十"],
        "summary": "房屋征收补偿政策与城区建设、民生实项目的进展公开。", "references": [],
    },
]  # fmt: skip


def load_topics(organisations: dict[str, Organisation], progress: Callable[[str], None]) -> int:
    """Create the demo topics once (idempotent by code); returns how many were created."""
    office = organisations["jingan-gov-office"]
    created = 0
    for order, spec in enumerate(TOPICS):
        if Topic.objects.filter(code=spec["code"]).exists():
            continue
        topic = services.save_topic(
            actor=ACTOR, organisation=office, code=spec["code"], title=spec["title"], tags=spec["tags"],
            summary=spec["summary"], sort_order=order,
            workplan_items=[{"number": n, "title": WORKPLAN[n]} for n in spec["items"]],
        )  # fmt: skip
        for reference in spec["references"]:
            services.add_reference(topic, actor=ACTOR, **reference)
        services.set_topic_published(topic, actor=ACTOR, published=True)
        created += 1
    if created:
        _load_examples(organisations)
        progress(f"演示专题：{created} 个")
    return created


def _load_examples(organisations: dict[str, Organisation]) -> None:
    from gongkai.documents.models import Document

    office = organisations["jingan-gov-office"]
    business = Topic.objects.get(code="yingshang-huanjing")
    travel = Document.objects.filter(title="旅行社条例").first()
    if not ServiceItem.objects.filter(name="旅行社业务经营许可（示例）").exists():
        services.save_service_item(
            actor=ACTOR, organisation=office, name="旅行社业务经营许可（示例）", url="https://zwdt.sh.gov.cn/",
            audience="拟从事旅行社业务的企业", channel="“一网通办”网上办理或区政务服务中心窗口办理",
            documents=[travel.pk] if travel else [], topics=[business], basis_articles="《旅行社条例》第六条",
            materials="申请书\n企业法人营业执照\n经营场所证明", time_limit="20个工作日", phone="12345",
            is_example=True,
        )  # fmt: skip
    building = Topic.objects.get(code="chengqu-jianshe")
    if not ProgressRecord.objects.filter(title__startswith="美丽街区").exists():
        streets = services.save_project(
            actor=ACTOR, organisation=office, title="美丽街区建设（示例）", topics=[building], percent_complete=0,
            target="完成12条道路沿线立面整治和绿化提升", budget_amount="1200",
            milestones=[{"date": "2025-06-30", "title": "完成设计方案"}, {"date": "2025-12-31", "title": "完工验收"}],
            is_example=True,
        )  # fmt: skip
        services.add_progress_update(streets, actor=ACTOR, date="2025-07-10", text="设计方案已完成，进入施工招标。",
                                     percent_complete=20)  # fmt: skip
        services.add_progress_update(streets, actor=ACTOR, date="2025-10-15", text="8条道路完成立面整治。",
                                     percent_complete=65)  # fmt: skip
        services.set_project_published(streets, actor=ACTOR, published=True)
        beds = services.save_project(
            actor=ACTOR, organisation=office, title="新建养老床位（示例）", topics=[building], percent_complete=0,
            target="新建养老床位200张", budget_amount="600", is_example=True,
        )  # fmt: skip
        services.add_progress_update(beds, actor=ACTOR, date="2025-09-01", text="已建成120张，投入使用。",
                                     percent_complete=60)  # fmt: skip
        services.set_project_published(beds, actor=ACTOR, published=True)
