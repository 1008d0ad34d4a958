"""重大行政决策事项目录 (国务院令第713号 Art. 3; work plan 二十二: by 31 March) and the statutory steps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from gongkai.accounts.constants import Role
from gongkai.accounts.models import Organisation
from gongkai.participation import services
from gongkai.participation.models import CatalogueChange
from gongkai.participation.selectors import catalogue_alert
from gongkai.participation.tasks import send_catalogue_reminders
from participation_helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def government(db):
    return Organisation.objects.create(code="jingan-gov", name="上海市静安区人民政府", kind="government")


@pytest.fixture
def office_editor(make_user, government):
    office = Organisation.objects.create(code="gov-office", name="上海市静安区人民政府办公室", kind="general_office",
                                         parent=government)  # fmt: skip
    return make_user("office-editor", office, Role.EDITOR, email="office@example.gov.cn")


def test_the_catalogue_is_due_by_31_march_warning_from_1_march_alarm_after(office_editor, government, client):
    assert catalogue_alert(government, today=dt.date(2026, 2, 28)) is None
    with at("2026-03-02"):
        warning = catalogue_alert(government)
        assert warning.level == "warning" and "3月31日前公布" in warning.message
        client.force_login(office_editor)
        page = client.get("/participation/staff/").content.decode()
        assert "p-warning" in page and "请抓紧报批" in page
        assert send_catalogue_reminders() == 1  # a Monday
        assert "office@example.gov.cn" in mail.outbox[-1].to
    with at("2026-04-01"):
        alarm = catalogue_alert(government)
        assert alarm.level == "alarm" and "现已逾期" in alarm.message
        client.force_login(office_editor)
        assert "p-alarm" in client.get("/participation/staff/").content.decode()
    with at("2026-03-20"):
        catalogue = services.create_catalogue(actor=office_editor, organisation=government, year=2026)
        services.add_item(catalogue, actor=office_editor, title="示例规划", lead_organisation=government,
                          planned_time="2026年第四季度")  # fmt: skip
        services.publish_catalogue(catalogue, actor=office_editor)
    with at("2026-04-01"):
        assert catalogue_alert(government) is None


def test_a_change_to_a_published_catalogue_needs_a_reason_that_is_published(office_editor, government):
    with at("2026-03-20"):
        catalogue = services.create_catalogue(actor=office_editor, organisation=government, year=2026)
        item = services.add_item(catalogue, actor=office_editor, title="示例规划", lead_organisation=government,
                                 planned_time="2026年第三季度")  # fmt: skip
        services.publish_catalogue(catalogue, actor=office_editor)
    with at("2026-06-01"):
        with pytest.raises(ValidationError) as error:
            services.change_item(item, actor=office_editor, planned_time="2026年第四季度")
        assert "reason" in error.value.message_dict
        item.refresh_from_db()
        assert item.planned_time == "2026年第三季度"  # nothing changed
        services.change_item(
            item, actor=office_editor, planned_time="2026年第四季度", reason="专家论证需要补充调研"
        )
        with pytest.raises(ValidationError):
            services.add_item(catalogue, actor=office_editor, title="新增事项", lead_organisation=government,
                              planned_time="2026年第四季度")  # fmt: skip
        services.add_item(catalogue, actor=office_editor, title="新增事项", lead_organisation=government,
                          planned_time="2026年第四季度", reason="区委常委会同意增列")  # fmt: skip
    assert CatalogueChange.objects.count() == 2
    page = Client().get("/participation/catalogues/jingan-gov/2026/").content.decode()
    assert (
        "专家论证需要补充调研" in page
        and "2026年第三季度 → 2026年第四季度" in page
        and "区委常委会同意增列" in page
    )


def test_legality_review_cannot_be_left_out_and_a_left_out_step_needs_its_reason(office_editor, government):
    with at("2026-03-20"):
        catalogue = services.create_catalogue(actor=office_editor, organisation=government, year=2026)
        item = services.add_item(catalogue, actor=office_editor, title="示例规划", lead_organisation=government,
                                 planned_time="2026年")  # fmt: skip
        services.publish_catalogue(catalogue, actor=office_editor)
        steps = {step.kind: step for step in item.steps.all()}
        with pytest.raises(ValidationError) as error:
            services.record_step(
                steps["legality_review"], actor=office_editor, status="omitted", omit_reason="不需要"
            )
        assert "第二十五条" in str(error.value)
        with pytest.raises(ValidationError) as error:
            services.record_step(steps["expert_review"], actor=office_editor, status="omitted")
        assert "omit_reason" in error.value.message_dict
        services.record_step(steps["expert_review"], actor=office_editor, status="omitted",
                             omit_reason="不属于专业性、技术性较强的事项（第十九条）")  # fmt: skip
        # Art. 25: no collective decision before the legality review.
        with pytest.raises(ValidationError) as error:
            services.record_step(
                steps["collective_decision"], actor=office_editor, status="done", done_on="2026-03-20"
            )
        assert "合法性审查" in str(error.value)
    page = Client().get(f"/participation/decisions/{item.pk}/").content.decode()
    assert "不属于专业性、技术性较强的事项" in page and "第十九条至第二十一条" in page


def test_the_collective_decision_needs_every_step_recorded_and_the_draft_ready(office_editor, government):
    with at("2026-03-02"):
        catalogue = services.create_catalogue(actor=office_editor, organisation=government, year=2026)
        item = services.add_item(catalogue, actor=office_editor, title="示例规划", lead_organisation=government,
                                 planned_time="2026年")  # fmt: skip
        services.publish_catalogue(catalogue, actor=office_editor)
        consultation = services.create_consultation(
            actor=office_editor, organisation=government, item=item, title="示例规划（征求意见稿）",
            body_text="第一条 示例。\n第二条 示例。", opens_on="2026-03-02", closes_on="2026-03-31",
        )  # fmt: skip
        services.publish_consultation(consultation, actor=office_editor)
        services.submit_comment(consultation, body="示例意见")
    steps = {step.kind: step for step in item.steps.all()}
    with at("2026-04-20"):
        for kind in ("public_participation", "expert_review", "legality_review"):
            services.record_step(steps[kind], actor=office_editor, status="done", done_on="2026-04-20")
        with pytest.raises(ValidationError) as error:
            services.record_step(
                steps["collective_decision"], actor=office_editor, status="done", done_on="2026-04-20"
            )
        assert "风险评估" in str(error.value)
        services.record_step(
            steps["risk_assessment"], actor=office_editor, status="omitted", omit_reason="已评估"
        )
        with pytest.raises(ValidationError) as error:
            services.record_step(
                steps["collective_decision"], actor=office_editor, status="done", done_on="2026-04-20"
            )
        assert "尚未完成意见采纳记录" in str(error.value)
        services.decide_adoption(consultation.comments.get(), actor=office_editor, adoption="adopted")
        services.mark_ready_for_meeting(consultation, actor=office_editor)
        services.record_step(
            steps["collective_decision"], actor=office_editor, status="done", done_on="2026-04-20"
        )
    item.refresh_from_db()
    assert item.status == "decided"


def test_an_unpublished_catalogue_is_not_public(office_editor, government):
    with at("2026-03-02"):
        services.create_catalogue(actor=office_editor, organisation=government, year=2026)
    assert Client().get("/participation/catalogues/jingan-gov/2026/").status_code == 404


def test_an_editor_elsewhere_cannot_edit_the_government_catalogue(make_user, other_org, government):
    with pytest.raises(Exception) as error:
        services.create_catalogue(
            actor=make_user("x", other_org, Role.EDITOR), organisation=government, year=2026
        )
    assert "其他单位" in str(error.value)
