"""The demo as a new user tries it (issue 19): `gongkai demo` prints a request number and code that
open the tracking page; home, document, search, apply (with errors) and the annual report with
its charts pass axe and fit a 390 px phone. With GONGKAI_SCREENSHOTS=1 the screenshots are written
to docs/screenshots/ (the committed ones come from this test)."""

from __future__ import annotations

import io
import os
import re

import pytest
from django.core.management import call_command

from browser_helpers import serious_violations
from demo_helpers import demo_database
from paths import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = ROOT / "docs" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "390px": {"width": 390, "height": 844}}


def test_demo_prints_a_request_that_opens_the_tracking_page(browser, live_server):
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    match = re.search(r"申请编号 (\S+)，查询码 (\S+)", out.getvalue())
    assert match, out.getvalue()[-600:]
    number, code = match.groups()
    page = browser.new_page(locale="zh-CN")
    page.goto(live_server.url + "/foi/track/")
    page.fill("#id_number", number)
    page.fill("#id_code", code.lower())
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert number in page.text_content("#status-h")
    assert "答复期限" in page.text_content("main")
    page.close()


def test_demo_pages_at_both_widths_with_charts(browser, live_server, tmp_path):
    from gongkai.accounts.models import Organisation
    from gongkai.documents.models import Document
    from gongkai.reports.charts import NEW
    from gongkai.reports.constants import ReportSource, ReportStatus
    from gongkai.reports.models import AnnualReport

    demo_database()
    office = Organisation.objects.get(code="jingan-gov-office")
    AnnualReport.objects.create(organisation=office, year=2024, status=ReportStatus.PUBLISHED,
                                source=ReportSource.MANUAL, data={"table3": {NEW: {"自然人": 3, "总计": 3}}})  # fmt: skip
    notice = Document.objects.get(doc_number="静府办发〔2023〕5号")
    target = SHOTS if os.environ.get("GONGKAI_SCREENSHOTS") == "1" else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    pages = [("home", "/"), ("document", notice.get_absolute_url()), ("search", "/search/?q=政务公开"),
             ("apply-errors", "/foi/apply/"), ("report", "/reports/jingan-gov-office/2025/")]  # fmt: skip
    for width, viewport in VIEWPORTS.items():
        page = browser.new_page(locale="zh-CN", viewport=viewport)
        for name, path in pages:
            page.goto(live_server.url + path)
            if name == "apply-errors":
                page.click("main form button[type=submit]")
                page.wait_for_load_state()
                assert page.evaluate("document.activeElement.id") == "error-summary"
            assert serious_violations(page) == [], (name, width)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (
                name,
                width,
            )
            page.screenshot(path=str(target / f"{name}-{width}.png"))
        # the English version of the document page: dates, 主题分类 and 文种 in English
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        page.goto(live_server.url + notice.get_absolute_url())
        header = page.text_content("table.header-block")  # the official text itself stays as issued
        assert "23 April 2023" in header and "2023年4月23日" not in header and "Notice" in header
        assert "General government affairs/Government information disclosure" in header
        assert serious_violations(page) == [], ("document-en", width)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), width
        page.screenshot(path=str(target / f"document-en-{width}.png"))
        page.context.clear_cookies()
        # the report's charts: SVG images named by their caption, each with its data table, and the trend
        page.goto(live_server.url + "/reports/jingan-gov-office/2025/")
        figures = page.locator("figure.chart")
        assert figures.count() >= 4
        for index in range(figures.count()):
            figure = figures.nth(index)
            assert figure.locator("svg[role=img]").count() == 1 and figure.locator("table").count() == 1
        trend = page.locator("figure.chart", has_text="历年新收申请数量")
        assert trend.locator("tbody tr").all_text_contents() == ["2024年3", "2025年2"]
        page.close()


def test_every_public_form_in_its_error_state(browser, live_server):
    """Each public form submitted empty: the error summary (where the form reports errors) has the
    focus and links to fields on the page, every aria-describedby id exists, axe finds nothing serious."""
    demo_database()
    page = browser.new_page(locale="zh-CN")
    page.goto(live_server.url + "/participation/")
    detail_links = set()
    for section in ("consultations", "surveys", "solicitations", "events"):
        href = page.locator(f"main a[href^='/participation/{section}/']").evaluate_all(
            "links => links.map(a => a.getAttribute('href')).filter(h => /\\/\\d+\\/$/.test(h))"
        )
        detail_links.update(href[:1])
    paths = ["/foi/apply/", "/foi/track/", *sorted(detail_links)]
    summaries = 0
    for path in paths:
        page.goto(live_server.url + path)
        forms = page.locator("main form[method=post]:has(button[type=submit])")
        if forms.count() == 0:
            continue
        forms.first.locator("button[type=submit]").first.click()
        page.wait_for_load_state()
        if page.locator("#error-summary").count():
            summaries += 1
            assert page.evaluate("document.activeElement.id") == "error-summary", path
            for href in page.locator("#error-summary a").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))"
            ):
                assert page.locator(href).count() == 1, (path, href)
        missing = page.evaluate(
            """() => [...document.querySelectorAll('[aria-describedby]')].flatMap(el =>
                el.getAttribute('aria-describedby').split(/\\s+/).filter(id => id && !document.getElementById(id)))"""
        )
        assert missing == [], (path, missing)
        assert serious_violations(page) == [], path
    assert summaries >= 3, paths
    page.close()
