"""编辑公文 in headless Chromium at 1280 and 390 px: the form, its error state (summary focused and
linking to the fields, every aria-describedby id present) and a successful save, with axe finding no
serious or critical violation and nothing scrolling sideways on a phone."""

from __future__ import annotations

import os

import pytest
from django.test import Client
from django.urls import reverse

from browser_helpers import serious_violations
from paths import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MISSING_DESCRIBEDBY = """() => [...document.querySelectorAll('[aria-describedby]')].flatMap(el =>
    el.getAttribute('aria-describedby').split(/\\s+/).filter(id => id && !document.getElementById(id)))"""


def check_page(page, width: int, shot: str = "") -> None:
    assert page.evaluate(MISSING_DESCRIBEDBY) == []
    if width == 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []
    if shot and os.environ.get("GONGKAI_SCREENSHOTS") == "1":  # docs/screenshots/README.md
        name = "desktop" if width == 1280 else f"{width}px"
        page.screenshot(path=str(ROOT / "docs" / "screenshots" / f"{shot}-{name}.png"))


@pytest.mark.parametrize("width", [1280, 390])
def test_edit_screen_in_normal_and_error_state(browser, live_server, editor, make_document, width):
    draft = make_document("关于做好老年人助餐服务的通知（草稿）", publish=False, doc_type="notice")
    client = Client()
    client.force_login(editor)
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()

    page.goto(live_server.url + reverse("documents:mine"))
    page.click(f"text={draft.title}")
    assert page.locator("h1").text_content() == "编辑公文"
    check_page(page, width)

    page.fill("#id_title", "")
    page.fill("#id_doc_number", "静府办发〔2026〕12号")
    page.select_option("#id_theme", "1703")
    page.check("#id_is_normative")
    page.fill("#id_registration_number", "JAGS-2026-012")
    page.check("#id_disclosure_mode_2")  # 不予公开, without a reason
    with page.expect_navigation():
        page.click("button[value=save]")
    summary = page.locator("#error-summary")
    assert "请填写“标题”。" in summary.text_content()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    check_page(page, width, shot="edit-errors")
    summary.locator("a[href='#id_title']").click()
    assert page.evaluate("document.activeElement.id") == "id_title"

    page.fill("#id_title", "关于做好老年人助餐服务的通知")
    page.check("#id_disclosure_mode_0")
    with page.expect_navigation():
        page.click("button[value=save]")
    summary = page.locator("#error-summary")
    assert summary.count() == 0, summary.text_content()
    assert "已保存" in page.text_content("main")
    check_page(page, width)
    draft.refresh_from_db()
    assert draft.title == "关于做好老年人助餐服务的通知" and draft.theme.code == "1703" and draft.is_normative
    context.close()
