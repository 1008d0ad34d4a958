"""The dispatcher's confirmation or correction of the suggested 办理领域 at 分办 is recorded (audit
event) and trains the next model (`gongkai messages train --from-platform`, the weekly task); the
dashboard draws volumes and satisfaction as accessible SVG charts with their data tables (issue 16)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.core.models import Event
from gongkai.interaction import classify, services, tasks
from gongkai.interaction.models import Message

pytestmark = pytest.mark.django_db

# A topic the department lexicon knows nothing about: only the platform's own corrections can teach it.
DRONE = {"subject": "无人机飞行申报", "body": "请问在城区放无人机需要向哪里申报？"}
NEXT_DRONE = ("无人机飞行怎么申报", "周末想飞无人机，申报找哪个部门？")


def _message(office, subject: str, body: str) -> Message:
    return services.submit_message(organisation=office, channel="leader_mailbox", category="consult",
                                   subject=subject, body=body, contact="13812345678")  # fmt: skip


def test_a_correction_at_dispatch_changes_the_next_suggestion(tmp_path, settings, office, other_org, editor):
    settings.DATA_DIR = tmp_path
    before = classify.suggest(*NEXT_DRONE)
    assert before[0] != "交通运输"  # the lexicon alone has no idea (every field equally likely)
    services.confirm_field(_message(office, "拖欠工资", "公司拖欠工资三个月不发"), actor=editor,
                           handling_field="劳动和社会保障")  # fmt: skip
    services.confirm_field(
        _message(office, "物业收费", "小区物业乱收停车费"), actor=editor, handling_field="城乡建设"
    )
    drone = _message(office, DRONE["subject"], DRONE["body"])
    with pytest.raises(ValidationError) as error:
        services.dispatch_message(
            drone, actor=editor, organisation=other_org, reason="转办", handling_field="航空"
        )
    assert "handling_field" in error.value.message_dict
    assert Message.objects.get(pk=drone.pk).organisation == office  # nothing changed
    services.dispatch_message(drone, actor=editor, organisation=other_org, reason="属交通事项",
                              handling_field="交通运输")  # fmt: skip
    event = Event.objects.filter(verb="interaction.field_confirmed").order_by("-id").first()
    assert event.data["field"] == "交通运输" and event.data["corrected"] is True
    assert event.data["suggested"] == before[0]

    out = io.StringIO()
    call_command("messages", "train", "--from-platform", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["from_platform"] == 3 and summary["trained"] == 3
    assert classify.suggest(*NEXT_DRONE)[0] == "交通运输"


def test_retraining_keeps_the_file_model_and_later_corrections_win(tmp_path, settings, office, editor):
    settings.DATA_DIR = tmp_path
    with pytest.raises(CommandError):
        call_command("messages", "train", "--from-platform", stdout=io.StringIO())  # nothing confirmed yet
    training = tmp_path / "train.jsonl"
    rows = [{"subject": "公交线路", "body": "希望恢复公交站点", "category": "交通运输"},
            {"subject": "社保转移", "body": "养老保险关系转移怎么办理", "category": "劳动和社会保障"}]  # fmt: skip
    training.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    call_command("messages", "train", str(training), stdout=io.StringIO())
    message = _message(office, DRONE["subject"], DRONE["body"])
    services.confirm_field(message, actor=editor, handling_field="城乡建设")
    services.confirm_field(message, actor=editor, handling_field="交通运输")  # corrected again: one label
    assert tasks.retrain_classifier() == {"trained": 3, "from_platform": 1, "from_previous_model": 2}
    assert classify.load().info["per_category"]["交通运输"] == 2


def test_dashboard_charts_are_accessible_images_with_data_tables(client, office, editor, reviewer):
    message = _message(office, "窗口排队", "办事窗口排队太久")
    services.review_reply(services.draft_reply(message, actor=editor, body="已增加窗口。"), actor=reviewer,
                          approve=True)  # fmt: skip
    services.give_feedback(Message.objects.get(pk=message.pk), code=message.follow_code, solved=True,
                           ratings={"efficiency": 4, "attitude": 5, "result": 3})  # fmt: skip
    client.force_login(editor)
    page = client.get("/interaction/staff/dashboard/").content.decode()
    assert page.count('role="img"') == 4 and page.count("<title id=") == 4 and page.count("<desc id=") == 4
    assert "各类别平均满意度（1至5分）" in page and '<th scope="row">咨询</th><td>4</td>' in page
    assert "<script" not in page.split("<main", 1)[1]  # server-rendered, no chart script
