"""The Content-Security-Policy in a real Chromium: every page works with scripts and styles from the site's
own files only, and the browser reports no violation (no inline script, style or handler anywhere)."""

from __future__ import annotations

import pytest

from browser_helpers import REDOC_LOGO_HOST, visit, watch
from demo_helpers import demo_database
from gongkai.demo.loader import DEMO_PASSWORD
from gongkai.documents.models import Document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_pages_and_api_docs_run_under_the_policy(browser, live_server):
    demo_database()
    document = Document.objects.published().get(doc_number="静府办发〔2023〕5号")
    page = browser.new_page(locale="zh-CN")
    console = watch(page)
    pages = {
        "/": None,
        document.get_absolute_url(): "table.header-block",
        f"{document.get_absolute_url()}print/": "h1",
        "/search/?q=政务公开": "main .doc-list, main ol, main ul",
        "/foi/apply/": "form.foi-form",
        "/reports/jingan-gov-office/2025/": "main table",
        "/reports/jingan-gov-office/2025/?format=html": "table",
        "/api/docs/": ".swagger-ui .info .title",  # Swagger UI ran and loaded the schema
    }
    for path, ready in pages.items():
        assert visit(page, console, live_server.url + path, ready) == [], path
    console.clear()
    assert page.goto(live_server.url + "/no-such-page/").status == 404
    assert page.evaluate("window.__csp") + console == []
    violations = visit(
        page, console, live_server.url + "/api/redoc/", "h1:has-text('Gongkai')"
    )  # Redoc rendered
    assert [v for v in violations if REDOC_LOGO_HOST not in v] == []
    page.close()


def test_staff_pages_run_under_the_policy(browser, live_server):
    demo_database()
    page = browser.new_page(locale="zh-CN")
    console = watch(page)
    assert visit(page, console, live_server.url + "/admin/login/", "#id_username") == []
    page.fill("#id_username", "admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    document = Document.objects.published().first()
    for path in ("/admin/", "/admin/documents/document/", f"/admin/documents/document/{document.pk}/change/",
                 "/staff/ingest/upload/", "/review/", "/foi/staff/", "/reports/manage/"):  # fmt: skip
        assert visit(page, console, live_server.url + path) == [], path
    page.close()


def test_a_page_that_breaks_the_policy_is_reported(browser, live_server):
    """The checks above would pass vacuously if `visit` read the reports too early: a page with an inline
    script and an image from another host, under the same policy, gives both violations."""
    page = browser.new_page()
    console = watch(page)
    url = live_server.url + "/csp-probe/"
    body = "<!doctype html><title>probe</title><script>document.title = 'ran'</script><img src='https://cdn.example.org/a.png' alt=''>"
    headers = {
        "Content-Type": "text/html",
        "Content-Security-Policy": "default-src 'self'; script-src 'self'",
    }
    page.route(url, lambda route: route.fulfill(status=200, headers=headers, body=body))
    violations = visit(page, console, url)
    assert any("script-src" in v for v in violations), violations
    assert any("img-src" in v and "cdn.example.org" in v for v in violations), violations
    assert page.title() == "probe"  # the inline script did not run
    page.close()
