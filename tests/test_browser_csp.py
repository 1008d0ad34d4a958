"""The Content-Security-Policy in a real Chromium: every page works with scripts and styles from the site's
own files only, and the browser reports no violation (no inline script, style or handler anywhere)."""

from __future__ import annotations

import pytest

from gongkai.demo.loader import DEMO_PASSWORD, load_demo
from gongkai.documents.models import Document
from test_browser_portal import browser  # noqa: F401 (the Chromium fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""
# Redoc's bundle shows its vendor's logo from a CDN; the policy blocks it on purpose (the page hides it).
REDOC_LOGO_HOST = "https://cdn.redoc.ly/"


def watch(page) -> list[str]:
    """Collect the page's CSP violations: the DOM events and Chromium's console errors."""
    console: list[str] = []
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: console.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return console


def visit(page, console: list[str], url: str, ready: str | None = None) -> list[str]:
    """Open a page that must be served under the strict policy; the violations the browser reported."""
    console.clear()
    response = page.goto(url, wait_until="networkidle")
    assert response.status == 200, url
    script_src = (
        response.headers.get("content-security-policy", "").partition("script-src")[2].partition(";")[0]
    )
    assert script_src.strip() == "'self'", url
    if ready:
        page.wait_for_selector(ready, timeout=30_000)
    page.wait_for_timeout(300)
    return page.evaluate("window.__csp") + console


def test_public_pages_and_api_docs_run_under_the_policy(browser, live_server):  # noqa: F811
    load_demo(progress=lambda _message: None)
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


def test_staff_pages_run_under_the_policy(browser, live_server):  # noqa: F811
    load_demo(progress=lambda _message: None)
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
