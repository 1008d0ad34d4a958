"""The office's staff pages and the public gazette in headless Chromium, with axe (0 serious/critical)."""

from __future__ import annotations

import pytest

from browser_helpers import serious_violations
from demo_helpers import demo_database
from gongkai.demo.loader import DEMO_PASSWORD
from gongkai.office.services import run_inspection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_pages_are_accessible(browser, live_server):
    demo_database()
    run_inspection(actor=None, url=live_server.url + "/", max_pages=40, external=False)
    page = browser.new_page(locale="zh-CN")
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("input[type=submit]")

    page.goto(live_server.url + "/office/staff/")
    assert "2个月内到期" in page.text_content("main")
    assert serious_violations(page) == []

    page.goto(live_server.url + "/office/staff/catalogue/")
    assert page.locator("tbody .light-red").count() >= 1  # the demo's red catalogue item
    assert "义务教育招生入学政策（示例）" in page.text_content("main")
    assert serious_violations(page) == []

    page.goto(live_server.url + "/office/staff/normative/")
    assert "加装电梯临时补贴" in page.text_content("main") and "2个月内到期" in page.text_content("main")
    assert serious_violations(page) == []
    page.click("text=填写评估结论")
    page.click("form[action*=evaluate] button")  # no reason: refused, nothing changed
    assert "请填写评估理由" in page.text_content(".messages")
    assert serious_violations(page) == []

    page.goto(live_server.url + "/office/staff/workplan/")
    assert "共 33 项" in page.text_content("main")
    assert serious_violations(page) == []
    page.click("text=加强行政规范性文件发布管理")
    assert "完成本区行政规范性文件库的有效期标注" in page.text_content("main")
    page.fill("#id_text", "（测试）已完成年度清理。")
    page.click("form:has(#id_text) button")
    assert "落实情况已填报" in page.text_content(".messages")
    assert serious_violations(page) == []

    page.goto(live_server.url + "/office/staff/site/")
    assert page.locator("svg.score-chart circle").count() == 1
    assert serious_violations(page) == []

    page.goto(live_server.url + "/office/staff/gazette/")
    assert "已出版" in page.text_content("main")
    assert serious_violations(page) == []

    page.goto(live_server.url + "/office/staff/budget/")
    assert "涉及网络安全防护部署" in page.text_content("main")  # 涉密 project excluded with its reason
    assert "未公开项目预算" in page.text_content("main")  # the 1000万元 project without its 预算
    assert serious_violations(page) == []

    page.goto(live_server.url + "/office/staff/assessment/")
    assert page.locator("svg.score-chart rect").count() >= 10
    page.fill("#d-ind", "甲,60,catalogue\n乙,30,manual")
    page.click("form:has(#d-ind) button")
    assert "之和须为100，现为90" in page.text_content(".messages")
    assert serious_violations(page) == []

    page.goto(live_server.url + "/office/gazette/")
    assert serious_violations(page) == []
    page.fill("#gazette-q", "加装电梯")
    page.click("form[role=search] button")
    assert "加装电梯临时补贴" in page.text_content("main")
    assert serious_violations(page) == []
    page.click("text=加装电梯临时补贴")
    assert "标准文本" in page.text_content(".standard-text")
    assert serious_violations(page) == []
    page.close()
