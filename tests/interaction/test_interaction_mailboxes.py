"""Mailboxes and work orders (issue 16, first part): the 领导信箱 with a number and code to follow the
message, category time limits, 12345 work orders from a file or the API, idempotent on the external id."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from openpyxl import Workbook

from gongkai.core.calendar import add_working_days
from gongkai.interaction import services
from gongkai.interaction.models import Message

pytestmark = pytest.mark.django_db

ORDER = {"external_id": "12345-2026-000001", "channel": "hotline_12345", "organisation": "jingan-gov-office",
         "category": "投诉", "subject": "噪声扰民", "body": "小区旁工地夜间施工噪声扰民，请处理。", "contact": "13812345678",
         "received_on": "2026-11-02"}  # fmt: skip


def test_leader_mailbox_gives_a_number_and_code_to_follow(client, office):
    page = client.get("/interaction/write/leader/")
    assert page.status_code == 200 and "领导信箱" in page.content.decode()
    response = client.post("/interaction/write/leader/", {
        "organisation": office.pk, "category": "suggestion", "subject": "关于增设公交站点的建议",
        "body": "建议在某路口增设公交站点。", "contact": "citizen@example.com"})  # fmt: skip
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.channel == "leader_mailbox" and message.number.endswith(f"{message.pk:06d}")
    assert message.due_on == add_working_days(message.received_on, 15)  # 建议: 15 working days
    wrong = client.post("/interaction/track/", {"number": message.number, "code": "000000"})
    assert wrong.status_code == 400 and "不正确" in wrong.content.decode()
    found = client.post("/interaction/track/", {"number": message.number, "code": message.follow_code})
    assert found.status_code == 302
    page = client.get(found["Location"]).content.decode()
    assert message.number in page and "建议在某路口增设公交站点" in page
    assert client.get("/interaction/write/nobody/").status_code == 404


def test_mailbox_refuses_unknown_category_and_script(client, office):
    response = client.post("/interaction/write/opinion/", {
        "organisation": office.pk, "category": "gossip", "subject": "<script>x</script>", "body": "内容",
        "contact": "13812345678"})  # fmt: skip
    assert response.status_code == 400 and not Message.objects.exists()


def test_category_limits_are_configurable_per_channel(office, settings):
    settings.INTERACTION_CATEGORY_DAYS = {"hotline_12345": {"complaint": 3}}
    assert services.reply_days_for(office, "hotline_12345", "complaint") == 3
    assert services.reply_days_for(office, "leader_mailbox", "complaint") == 10
    assert services.reply_days_for(office, "board", "complaint") == 5


def test_work_orders_import_from_jsonl_and_xlsx_once(tmp_path, office):
    path = tmp_path / "orders.jsonl"
    bad = [dict(ORDER, external_id="x-2", organisation="no-such-org"), dict(ORDER, external_id="x-3", category="闲聊"),
           dict(ORDER, external_id="")]  # fmt: skip
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in [ORDER, ORDER, *bad]) + "\nnot json\n"
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("messages", "import", str(path), "--json", stdout=out, stderr=err)
    result = json.loads(out.getvalue())
    assert result["created"] == 1 and result["duplicates"] == ["12345-2026-000001"]
    assert [e["line"] for e in result["errors"]] == [3, 4, 5, 6]
    assert "不存在" in err.getvalue() and "类别" in err.getvalue()
    message = Message.objects.get()
    assert message.category == "complaint" and str(message.received_on) == "2026-11-02"
    assert message.due_on == add_working_days(message.received_on, 10)
    book = Workbook()
    sheet = book.active
    sheet.append(list(ORDER))
    sheet.append(list(ORDER.values()))
    sheet.append(list(dict(ORDER, external_id="12345-2026-000002").values()))
    xlsx = tmp_path / "orders.xlsx"
    book.save(xlsx)
    out = io.StringIO()
    call_command("messages", "import", str(xlsx), "--json", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue())["created"] == 1
    assert Message.objects.count() == 2


def test_work_order_api_needs_the_token_and_is_idempotent(client, office, settings):
    settings.INTERACTION_API_TOKEN = "secret-token-123"
    url = "/api/interaction/work-orders/"
    assert client.post(url, ORDER, content_type="application/json").status_code == 403
    auth = {"HTTP_AUTHORIZATION": "Token secret-token-123"}
    first = client.post(url, ORDER, content_type="application/json", **auth)
    assert first.status_code == 201 and first.json()["created"] is True
    again = client.post(url, ORDER, content_type="application/json", **auth)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    bad = client.post(
        url, dict(ORDER, external_id="n-2", organisation="nowhere"), content_type="application/json", **auth
    )
    assert bad.status_code == 400 and "organisation" in bad.json()
    assert Message.objects.count() == 1


def test_messages_train_and_classify_in_order(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    training = [
        {"subject": "公交线路调整", "body": "希望恢复原来的公交站点", "category": "交通运输"},
        {"subject": "地铁站出口", "body": "地铁站出口太少，早高峰拥堵", "category": "交通运输"},
        {"subject": "工资拖欠", "body": "公司拖欠三个月工资不发", "category": "劳动和社会保障"},
        {"subject": "社保转移", "body": "养老保险关系转移怎么办理", "category": "劳动和社会保障"},
        {"subject": "缺类别"},
    ]
    train_file = tmp_path / "train.jsonl"
    train_file.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in training))
    out, err = io.StringIO(), io.StringIO()
    call_command("messages", "train", str(train_file), "--json", stdout=out, stderr=err)
    summary = json.loads(out.getvalue())
    assert summary["trained"] == 4 and summary["errors"][0]["line"] == 5
    assert (tmp_path / "interaction" / "messages.npz").exists()
    queries = [
        {"subject": "公交车太少", "body": "早上等公交要半小时"},
        {"subject": "欠薪", "body": "老板拖欠工资"},
    ]
    query_file = tmp_path / "q.jsonl"
    query_file.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in queries))
    out = io.StringIO()
    call_command("messages", "classify", str(query_file), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert [r["category"] for r in result] == ["交通运输", "劳动和社会保障"]
    assert all(0 < r["confidence"] <= 1 and set(r) == {"category", "confidence"} for r in result)


def test_dispatch_and_return_with_reasons(office, other_org, make_user):
    from gongkai.accounts.constants import Role

    dispatcher = make_user("dispatcher", office, Role.EDITOR)
    handler = make_user("edu-handler", other_org, Role.EDITOR)
    message = services.submit_message(organisation=office, channel="leader_mailbox", category="help",
                                      body="孩子入学需要哪些材料？", contact="13812345678")  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.dispatch_message(message, actor=dispatcher, organisation=other_org, reason="")
    assert "reason" in error.value.message_dict
    message = services.dispatch_message(
        message, actor=dispatcher, organisation=other_org, reason="属教育事项"
    )
    assert message.organisation == other_org and message.dispatched_from == office
    message = services.return_message(message, actor=handler, reason="应由街道答复")
    assert message.organisation == office and message.dispatched_from is None
    with pytest.raises(ValidationError):
        services.return_message(message, actor=dispatcher, reason="再退")


def test_dashboard_alarms_on_messages_unanswered_for_three_months(client, office, editor):
    import datetime as dt

    from django.utils import timezone

    old = services.submit_message(organisation=office, channel="leader_mailbox", category="suggestion",
                                  body="三个多月前的建议", contact="13812345678",
                                  today=timezone.localdate() - dt.timedelta(days=100))  # fmt: skip
    services.submit_message(
        organisation=office, channel="hotline_12345", body="今天的工单", contact="13812345678"
    )
    client.force_login(editor)
    page = client.get("/interaction/staff/dashboard/").content.decode()
    assert "超过三个月未答复" in page and old.number in page
    assert ("建议" in page and "求助" in page) or "咨询" in page


def test_return_visit_ratings(client, office, editor, reviewer):
    message = services.submit_message(organisation=office, channel="leader_mailbox", category="complaint",
                                      body="投诉：办事窗口排队太久", contact="13812345678")  # fmt: skip
    services.review_reply(
        services.draft_reply(message, actor=editor, body="已增加窗口。"), actor=reviewer, approve=True
    )
    url = f"/interaction/follow/{message.public_id}/?code={message.follow_code}"
    response = client.post(url, {"solved": "0", "efficiency": "4", "attitude": "5", "result": "2",
                                 "code": message.follow_code})  # fmt: skip
    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.rating_efficiency, message.rating_attitude, message.rating_result) == (4, 5, 2)
    assert message.solved is False


def test_supervision_by_the_office_and_reopening_after_dissatisfaction(office, editor, reviewer, make_user):
    import datetime as dt

    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    from gongkai.accounts.constants import Role

    message = services.submit_message(organisation=office, channel="hotline_12345", category="complaint",
                                      body="投诉：路灯不亮", contact="13812345678")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.supervise_message(message, actor=editor, due_on=timezone.localdate(), note="尽快")
    chief = make_user("office-chief", office, Role.ORG_ADMIN)
    with pytest.raises(ValidationError):
        services.supervise_message(
            message, actor=chief, due_on=timezone.localdate() - dt.timedelta(days=1), note="x"
        )
    message = services.supervise_message(message, actor=chief, due_on=timezone.localdate() + dt.timedelta(days=3),
                                         note="请三日内办结")  # fmt: skip
    assert message.supervised_by == office and message.supervision_note == "请三日内办结"
    services.review_reply(
        services.draft_reply(message, actor=editor, body="已修复。"), actor=reviewer, approve=True
    )
    message = services.reopen_message(Message.objects.get(), actor=editor, reason="市民反映仍未修复")
    assert message.status == "assigned" and message.reopened_count == 1
    reply = services.draft_reply(message, actor=editor, body="已更换灯具并复查。")
    assert Message.objects.get().reply.public_body == "已修复。"  # the old answer stays until the new review
    services.review_reply(reply, actor=reviewer, approve=True)
    assert Message.objects.get().reply.public_body == "已更换灯具并复查。"


def test_mailbox_exchanges_are_public_only_when_selected(client, office, editor, reviewer):
    from gongkai.interaction import selectors

    message = services.submit_message(organisation=office, channel="leader_mailbox", category="suggestion",
                                      body="建议：增设便民服务点", contact="13812345678")  # fmt: skip
    services.review_reply(
        services.draft_reply(message, actor=editor, body="已采纳。"), actor=reviewer, approve=True
    )
    assert "已采纳" not in client.get("/interaction/ask/").content.decode()
    assert not selectors.public_answers().exists()
    client.force_login(editor)
    client.post(f"/interaction/staff/{message.pk}/publication/", {"public": "1"})
    client.logout()
    assert "已采纳" in client.get("/interaction/ask/").content.decode()
    client.force_login(editor)
    response = client.post(f"/interaction/staff/{message.pk}/reopen/", {"reopen-reason": "市民不满意"})
    assert response.status_code == 302 and Message.objects.get().status == "assigned"
