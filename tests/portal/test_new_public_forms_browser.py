"""The public forms added by the citizen-side apps (public accounts, push, 政民互动, knowledge base,
gazette), submitted empty in headless Chromium at desktop width and at 390 px: an error is shown
without losing the page, every aria-describedby id exists, nothing scrolls sideways on a phone, and
axe finds no serious or critical violation."""

from __future__ import annotations

import pytest

from browser_helpers import serious_violations
from demo_helpers import demo_database

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORMS = [
    "/accounts/register/",
    "/accounts/login/",
    "/accounts/password-reset/",
    "/subscriptions/new/",
    "/interaction/ask/",
    "/interaction/write/leader/",
    "/interaction/write/opinion/",
    "/interaction/track/",
]
PAGES = [
    "/kb/?q=" + "如何申请政府信息公开",
    "/office/gazette/",
    "/policy-calculator/",
    "/policy-calculator/?kind=person",
]
MISSING_DESCRIBEDBY = """() => [...document.querySelectorAll('[aria-describedby]')].flatMap(el =>
    el.getAttribute('aria-describedby').split(/\\s+/).filter(id => id && !document.getElementById(id)))"""


@pytest.mark.parametrize("width", [1280, 390])
def test_new_public_forms_in_their_error_state(browser, live_server, width):
    demo_database()
    page = browser.new_page(locale="zh-CN", viewport={"width": width, "height": 900})
    for path in FORMS:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        form = page.locator("main form[method=post]:has(button[type=submit])").first
        # the server's own checks, as a browser without constraint validation would reach them
        form.evaluate("f => f.setAttribute('novalidate', '')")
        with page.expect_navigation():
            form.locator("button[type=submit]").first.click(no_wait_after=True)
        main = page.text_content("main")
        assert page.locator("#error-summary, .errorlist, [role=alert]").count() >= 1, (path, main[:200])
        assert page.evaluate(MISSING_DESCRIBEDBY) == [], path
        if width == 390:
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert serious_violations(page) == [], path
    for path in PAGES:
        assert page.goto(live_server.url + path).status == 200, path
        if width == 390:
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert serious_violations(page) == [], path
    page.close()
