"""Shared parts of the browser tests: Debian's Chromium, axe-core and the CSP watcher.

The `browser` fixture itself is in conftest.py, so every browser test module gets it by name.
"""

from __future__ import annotations

import os
import shutil

import pytest

# Debian's Chromium in its headless-shell build (package chromium-headless-shell, same source and engine as
# the chromium package; what Playwright itself runs for headless): about a third less CPU per page than the
# full browser in headless mode. GONGKAI_CHROMIUM names another binary (e.g. /usr/bin/chromium).
CHROMIUM = (
    os.environ.get("GONGKAI_CHROMIUM")
    or shutil.which("chromium-headless-shell")
    or shutil.which("chromium")
    or "/usr/bin/chromium"
)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]  # fmt: skip


def launch_chromium():
    """Yield a headless Debian Chromium through Playwright; fail under CI when it is missing."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(
                "Debian's Chromium is required for browser tests under CI "
                "(apt-get install chromium-headless-shell)"
            )
        pytest.skip("chromium is not installed")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} @ {[node['target'] for node in violation['nodes']][:3]}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


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


SETTLE = (
    "() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))))"
)


def visit(page, console: list[str], url: str, ready: str | None = None) -> list[str]:
    """Open a page that must be served under the strict policy; the violations the browser reported."""
    console.clear()
    response = page.goto(url, wait_until="load")
    assert response.status == 200, url
    script_src = (
        response.headers.get("content-security-policy", "").partition("script-src")[2].partition(";")[0]
    )
    assert script_src.strip() == "'self'", url
    if ready:
        page.wait_for_selector(ready, timeout=30_000)
    # The load event has every resource of the page tried (our pages fetch nothing afterwards); violations
    # arrive as queued events: let fonts settle and one more frame and task run before reading them.
    page.evaluate(SETTLE)
    return page.evaluate("window.__csp") + console
