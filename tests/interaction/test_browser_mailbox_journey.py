"""Issue 16's "Done when", in headless Chromium with axe (0 serious/critical): a citizen writes to the
领导信箱 and follows it with the number and code; the government office dispatches it (confirming the
suggested 办理领域) to the education bureau, whose editor drafts the reply and whose reviewer approves
it; the citizen rates the answer. A 12345 work order imported from a JSONL file runs the same path.
The dashboard shows the red alarm for the demo letter unanswered for more than three months, with its
charts; `gongkai messages train` and `classify` work on what the dispatcher confirmed."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from browser_helpers import serious_violations
from demo_helpers import demo_database
from gongkai.demo.loader import DEMO_PASSWORD
from gongkai.interaction.models import Message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LETTER = "建议区教育局公开各小学课后服务的收费标准和报名办法。"
ORDER = {"external_id": "12345-2026-100001", "channel": "hotline_12345", "organisation": "jingan-gov-office",
         "category": "咨询", "subject": "幼儿园入园报名时间", "body": "请问今年幼儿园入园网上报名什么时候开始？",
         "contact": "13612345678"}  # fmt: skip


def login(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url + "/admin/login/?next=/interaction/staff/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/interaction/staff/")


def submit(page, button: str, url: str) -> None:
    page.click(f"main button:has-text('{button}')")
    page.wait_for_url(url)


def test_mailbox_and_work_order_journey(browser, live_server, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    demo_database()

    # the citizen writes to the 领导信箱 and follows the letter with its number and code
    citizen = browser.new_page(locale="zh-CN")
    citizen.goto(live_server.url + "/interaction/write/leader/")
    citizen.select_option("#id_organisation", label="上海市静安区人民政府办公室")
    citizen.select_option("#id_category", "suggestion")
    citizen.fill("#id_subject", "课后服务收费公开")
    citizen.fill("#id_body", LETTER)
    citizen.fill("#id_contact", "parent@example.com")
    citizen.click("main button[type=submit]")
    citizen.wait_for_url("**/interaction/follow/**")
    receipt = citizen.text_content("main")
    letter = Message.objects.get(body=LETTER)
    assert letter.number in receipt and letter.follow_code in receipt
    citizen.goto(live_server.url + "/interaction/track/")
    citizen.fill("#id_number", letter.number)
    citizen.fill("#id_code", letter.follow_code)
    citizen.click("main button[type=submit]")
    citizen.wait_for_url("**/interaction/follow/**")
    assert "留言正在办理中" in citizen.text_content("main")
    assert serious_violations(citizen) == []

    # a 12345 work order arrives from a JSONL file (the second import changes nothing)
    orders = tmp_path / "orders.jsonl"
    orders.write_text(json.dumps(ORDER, ensure_ascii=False) + "\n")
    for _ in range(2):
        call_command("messages", "import", str(orders), stdout=io.StringIO())
    order = Message.objects.get(external_id=ORDER["external_id"])
    messages = [letter, order]

    # the office dispatches both to the education bureau, confirming or correcting the suggested field
    staff = browser.new_page(locale="zh-CN")
    login(staff, live_server, "editor")
    for index, message in enumerate(messages):
        url = f"{live_server.url}/interaction/staff/{message.pk}/"
        staff.goto(url)
        if index == 0:
            assert "parent@example.com" in staff.text_content(
                "main"
            ) and "建议办理领域" in staff.text_content("main")
            assert serious_violations(staff) == []
        staff.select_option("#id_dispatch-handling_field", "教育文体")
        staff.select_option("#id_dispatch-organisation", label="上海市静安区教育局")
        staff.fill("#id_dispatch-reason", "属教育事项")
        submit(staff, "分办", "**/interaction/staff/")
    assert set(
        Message.objects.filter(pk__in=[m.pk for m in messages]).values_list("handling_field", flat=True)
    ) == {"教育文体"}

    # the bureau's editor drafts the replies, its reviewer approves them (the disclosure review)
    login(staff, live_server, "edu_editor")
    for message in messages:
        url = f"{live_server.url}/interaction/staff/{message.pk}/"
        staff.goto(url)
        staff.fill(
            "#id_body", "您好，收费标准和报名办法已在区教育局网站公开，报名自下月起。联系电话13612345678。"
        )
        submit(staff, "保存答复草稿", url)
        assert "待审查" in staff.text_content("main")
    login(staff, live_server, "edu_reviewer")
    for index, message in enumerate(messages):
        url = f"{live_server.url}/interaction/staff/{message.pk}/"
        staff.goto(url)
        staff.check("input[name=decision][value=approve]")
        staff.fill(
            "form[action$='/review/'] textarea, form[action$='/review/'] input[name=note]", "电话已遮蔽"
        )
        submit(staff, "提交审查决定", url)
        assert "已答复" in staff.text_content("main")
        if index == 0:
            assert serious_violations(staff) == []

    # the citizen (and the 12345 caller) see the answer with their code and rate it
    for message in messages:
        message.refresh_from_db()
        citizen.goto(f"{live_server.url}/interaction/follow/{message.public_id}/?code={message.follow_code}")
        assert "收费标准和报名办法已在区教育局网站公开" in citizen.text_content("main")
        citizen.check("input[name=solved][value='1']")
        for aspect, score in (("efficiency", "5"), ("attitude", "4"), ("result", "4")):
            citizen.check(f"input[name={aspect}][value='{score}']")
        submit(citizen, "提交评价", "**/interaction/follow/**")
        assert "感谢" in citizen.text_content("main")
    assert serious_violations(citizen) == []
    rated = Message.objects.filter(pk__in=[m.pk for m in messages])
    assert {(m.status, m.solved, m.rating_efficiency) for m in rated} == {("closed", True, 5)}

    # the office's dashboard: the red alarm for the demo letter of 100 days ago, and the charts
    login(staff, live_server, "editor")
    staff.goto(live_server.url + "/interaction/staff/dashboard/")
    alarm = staff.text_content("[role=alert]")
    demo = Message.objects.get(subject="示例：建议延长社区图书室开放时间")
    assert "超过三个月未答复" in alarm and demo.number in alarm
    assert staff.locator("figure.chart svg[role=img]").count() == 4
    assert serious_violations(staff) == []
    staff.close()
    citizen.close()

    # the dispatcher's confirmations train the next model; classify prints one line per message
    out = io.StringIO()
    call_command("messages", "train", "--from-platform", "--json", stdout=out)
    assert json.loads(out.getvalue())["from_platform"] == 2
    queries = tmp_path / "q.jsonl"
    queries.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in (
        {"subject": "课后服务报名", "body": "小学课后服务怎么报名？"}, {"subject": "公交站点", "body": "希望增设公交站点"})))  # fmt: skip
    out = io.StringIO()
    call_command("messages", "classify", str(queries), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert [r["category"] for r in result] == ["教育文体", "交通运输"]
