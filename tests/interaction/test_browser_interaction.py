"""The message board journey in headless Chromium, with axe (0 serious/critical): a citizen asks on
the work plan's page, the office drafts a reply, a reviewer approves it, the Q&A shows under the
policy with the contact hidden; the FAQ, the knowledge base and the search answer box."""

from __future__ import annotations

import pytest

from browser_helpers import serious_violations
from demo_helpers import demo_database
from gongkai.demo.loader import DEMO_PASSWORD
from gongkai.documents.selectors import public_documents
from gongkai.interaction.models import Message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "请问工作要点里的政务公开培训，街道工作人员怎么报名？我的电话13912345678"


def login(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/admin/login/?next=/interaction/staff/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/interaction/staff/")


def test_ask_reply_review_publish_faq_kb_and_search(browser, live_server):
    demo_database()
    plan = public_documents().get(doc_number="静府办发〔2023〕5号")
    citizen = browser.new_page(locale="zh-CN")
    citizen.goto(live_server.url + plan.get_absolute_url())
    assert "政策解读要在文件公布后多久发布" in citizen.text_content("#faq")  # the demo FAQ
    assert "138****5678" in citizen.text_content("#board") and "13812345678" not in citizen.content()
    assert serious_violations(citizen) == []
    citizen.fill("#id_body", QUESTION)
    citizen.fill("#id_contact", "asker@example.com")
    citizen.click("#board button[type=submit]")
    citizen.wait_for_url("**/interaction/follow/**")
    assert "留言正在办理中" in citizen.text_content("main")
    assert serious_violations(citizen) == []
    follow_url = citizen.url
    message = Message.objects.get(body=QUESTION)

    staff = browser.new_page(locale="zh-CN")
    login(staff, live_server, "editor")
    assert serious_violations(staff) == []
    staff.click(f"a[href='/interaction/staff/{message.pk}/']")
    staff.wait_for_url(f"**/interaction/staff/{message.pk}/")
    assert "asker@example.com" in staff.text_content("main")  # staff see the contact
    assert serious_violations(staff) == []
    staff.fill("#id_body", "培训报名由各街道政务公开工作人员向区政府办公室统一报送，联系人电话13912345678。")
    staff.click("text=保存答复草稿")
    staff.wait_for_url(f"**/interaction/staff/{message.pk}/")
    assert "待审查" in staff.text_content("main")
    staff.context.clear_cookies()

    login(staff, live_server, "reviewer")
    staff.goto(live_server.url + f"/interaction/staff/{message.pk}/")
    staff.check("input[name=decision][value=approve]")
    staff.fill("#id_note", "电话为提问人本人号码，公开时遮蔽")
    staff.click("text=提交审查决定")
    staff.wait_for_url(f"**/interaction/staff/{message.pk}/")
    assert "已答复" in staff.text_content("main")
    staff.close()

    citizen.goto(live_server.url + plan.get_absolute_url())
    board = citizen.text_content("#board")
    assert "培训报名由各街道" in board and "139****5678" in board
    assert "13912345678" not in citizen.content() and "asker@example.com" not in citizen.content()
    citizen.goto(follow_url)
    citizen.check("input[name=solved][value='1']")
    citizen.click("text=提交评价")
    citizen.wait_for_url("**/interaction/follow/**")
    assert "感谢" in citizen.text_content("main")
    assert serious_violations(citizen) == []

    citizen.goto(live_server.url + "/kb/?q=依申请公开多少天答复")
    assert "20个工作日" in citizen.text_content("main")
    assert serious_violations(citizen) == []
    citizen.goto(live_server.url + "/search/?q=依申请公开多少天答复")
    assert "20个工作日" in citizen.text_content(".answer-box")
    assert serious_violations(citizen) == []
    citizen.goto(live_server.url + "/interaction/ask/")
    assert serious_violations(citizen) == []

    # issue 16: a letter to the 领导信箱, followed with its number and code
    citizen.goto(live_server.url + "/interaction/write/leader/")
    assert serious_violations(citizen) == []
    citizen.select_option("#id_organisation", label="上海市静安区人民政府办公室")
    citizen.select_option("#id_category", "suggestion")
    citizen.fill("#id_subject", "建议增加政务公开专区开放时间")
    citizen.fill("#id_body", "建议政务公开专区周六上午开放。")
    citizen.fill("#id_contact", "writer@example.com")
    citizen.click("main button[type=submit]")
    citizen.wait_for_url("**/interaction/follow/**")
    letter = Message.objects.get(subject="建议增加政务公开专区开放时间")
    citizen.goto(live_server.url + "/interaction/track/")
    assert serious_violations(citizen) == []
    citizen.fill("#id_number", letter.number)
    citizen.fill("#id_code", letter.follow_code)
    citizen.click("main button[type=submit]")
    citizen.wait_for_url("**/interaction/follow/**")
    assert letter.number in citizen.text_content("main")
    citizen.close()

    office = browser.new_page(locale="zh-CN")
    login(office, live_server, "editor")
    office.goto(live_server.url + "/interaction/staff/dashboard/")
    assert "超过三个月未答复" in office.text_content("main")  # the demo letter of 100 days ago
    assert serious_violations(office) == []
    office.close()
