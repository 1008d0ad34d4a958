"""Topic pages, a service item and a project page in headless Chromium, with axe (0 serious/critical)."""

from __future__ import annotations

import pytest

from browser_helpers import serious_violations
from demo_helpers import demo_database
from gongkai.topics.models import ProgressRecord, ServiceItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_topic_pages_are_accessible_and_lead_to_doing(browser, live_server):
    demo_database()
    page = browser.new_page(locale="zh-CN")
    page.goto(live_server.url + "/topics/")
    assert serious_violations(page) == []
    page.click("text=营商环境·惠企政策")
    page.wait_for_url("**/topics/yingshang-huanjing/")
    assert "国发〔2021〕24号" in page.text_content("main")
    assert serious_violations(page) == []
    page.select_option("#topic-level", "national")
    page.click(".topic-filters button")
    page.wait_for_url("**level=national**")
    assert serious_violations(page) == []
    item = ServiceItem.objects.get(name="旅行社业务经营许可（示例）")
    page.goto(live_server.url + item.get_absolute_url())
    assert "前往办理" in page.text_content("main")
    assert serious_violations(page) == []
    project = ProgressRecord.objects.get(title="美丽街区建设（示例）")
    page.goto(live_server.url + project.get_absolute_url())
    assert "8条道路完成立面整治。" in page.text_content("main")
    assert serious_violations(page) == []
    page.close()
