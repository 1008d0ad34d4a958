"""What the README tells a user to serve, run for real: `gongkai demo` (make demo) and `gongkai serve`
(granian), each in its own process with its own settings. DEBUG is off in both; the demo works on
plain HTTP, the production server redirects to HTTPS and sets HSTS and Secure cookies."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message

import pytest

from database_reset import migrated_sqlite_database
from worker_helpers import free_port

pytestmark = pytest.mark.skipif(
    os.environ.get("GONGKAI_TEST_DB") == "postgres",
    reason="the servers use their own SQLite data directory: run once, with the SQLite suite",
)

SITE = "https://gongkai.example.gov.cn"
# What the test run's environment holds that a deployment would not (the browser tests set the last).
NOT_INHERITED = {
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "SECRET_KEY",
    "SITE_URL",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
LEAKS = ("Traceback", "URLconf", "settings", "SECRET_KEY", ".py", "/tmp/", "site-packages")


@dataclass
class Reply:
    status: int
    headers: Message  # header names are case-insensitive (granian sends them in lower case)
    body: str


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, *, jar=None, data: bytes | None = None, headers: dict | None = None) -> Reply:
    handlers = [NoRedirect()] + ([urllib.request.HTTPCookieProcessor(jar)] if jar is not None else [])
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.build_opener(*handlers).open(request, timeout=60) as response:
            return Reply(response.status, response.headers, response.read().decode())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read().decode(errors="replace"))


def server_env(data_dir, **extra: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    return {**env, "GONGKAI_DATA_DIR": str(data_dir), "GONGKAI_WORKERS": "1", **extra}


def start(args: list[str], env: dict, port: int, log) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "gongkai.cli", *args, "--bind", f"127.0.0.1:{port}"],
                               env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    deadline = time.monotonic() + 600  # `gongkai demo` migrates and loads first
    while time.monotonic() < deadline and process.poll() is None:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.5)
    process.kill()
    log.flush()
    pytest.fail(f"{args[0]} did not start:\n{open(log.name).read()[-3000:]}")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, fast_transactional_reset):
    """A fresh data directory whose database has the schema `migrate` leaves (copied from this run's
    migrated test database): `gongkai demo` still runs `migrate` and loads the demo, without applying
    every migration again in its own process, which the test run has already done."""
    path = tmp_path_factory.mktemp("served")
    migrated_sqlite_database(path / "gongkai.sqlite3")
    return path


@pytest.fixture(scope="module")
def demo(data_dir):
    port = free_port()
    with open(data_dir / "demo.log", "w") as log:
        process = start(["demo"], server_env(data_dir), port, log)
        yield f"http://127.0.0.1:{port}"
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def production(data_dir, demo):  # the demo has migrated and loaded the database
    port = free_port()
    env = server_env(data_dir, SECRET_KEY="x7Gq-test-only-" + "k" * 40, SITE_URL=SITE, ALLOWED_HOSTS="127.0.0.1",
                     NUM_PROXIES="1")  # fmt: skip
    shutil.rmtree(data_dir / "search-index")  # as on a new host: `serve` refills it from the database
    with open(data_dir / "serve.log", "w") as log:
        process = start(["serve"], env, port, log)
        yield f"http://127.0.0.1:{port}"
        process.terminate()
        process.wait(timeout=30)


def assert_chinese_error(reply: Reply, status: int, heading: str) -> None:
    assert reply.status == status, reply.body[:300]
    assert f"{heading}（{status}）" in reply.body and 'class="site-header"' in reply.body
    assert not [leak for leak in LEAKS if leak in reply.body]


def test_demo_serves_plain_http_with_debug_off(demo):
    home = fetch(demo + "/")
    assert home.status == 200 and "政府信息公开" in home.body
    assert "script-src 'self'" in home.headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in home.headers
    assert_chinese_error(fetch(demo + "/no-such-page/"), 404, "页面不存在")
    css = fetch(demo + "/static/gongkai/site.css")  # WhiteNoise, with DEBUG off
    assert (
        css.status == 200
        and css.headers["Content-Type"].startswith("text/css")
        and ".site-header" in css.body
    )
    # a form works in a browser on http://: the CSRF cookie is HttpOnly but not Secure-only
    jar = http.cookiejar.CookieJar()
    form = fetch(demo + "/foi/track/", jar=jar)
    cookie = next(c for c in jar if c.name == "csrftoken")
    assert not cookie.secure and cookie.has_nonstandard_attr("HttpOnly")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body).group(1)
    posted = fetch(
        demo + "/foi/track/", jar=jar, data=f"csrfmiddlewaretoken={token}&number=X&code=Y".encode()
    )
    assert posted.status == 200 and "无权访问" not in posted.body


def test_serve_uses_the_production_settings(production):
    assert fetch(production + "/").status == 301  # a plain-HTTP request is sent to HTTPS
    assert fetch(production + "/").headers["Location"].startswith("https://")
    https = {"X-Forwarded-Proto": "https"}  # what the TLS-terminating proxy (NUM_PROXIES=1) sends
    jar = http.cookiejar.CookieJar()
    home = fetch(production + "/foi/track/", jar=jar, headers=https)
    assert home.status == 200
    assert "max-age=31536000; includeSubDomains; preload" in home.headers["Strict-Transport-Security"]
    assert "'unsafe-inline'" not in home.headers["Content-Security-Policy"]
    cookie = next(c for c in jar if c.name == "csrftoken")
    assert cookie.secure and cookie.has_nonstandard_attr("HttpOnly")
    assert_chinese_error(fetch(production + "/no-such-page/", headers=https), 404, "页面不存在")
    assert fetch(production + "/static/gongkai/site.css", headers=https).status == 200


def test_serve_refills_a_missing_search_index_before_it_starts(production, data_dir):
    """SQLite's search index is a directory beside the database; a host without it rebuilds it first."""
    assert "索引已重建" in (data_dir / "serve.log").read_text()
    query = urllib.parse.quote("政务公开工作要点")
    page = fetch(f"{production}/search/?q={query}", headers={"X-Forwarded-Proto": "https"})
    assert page.status == 200 and "找到 0 份文件" not in page.body
    assert re.search(r"找到 [1-9]\d* 份文件", page.body) and "2023年静安区政务公开工作要点" in page.body


def test_long_urls_and_posts_get_chinese_pages_from_the_production_server(production):
    https = {"X-Forwarded-Proto": "https"}
    # 4,000 characters pasted into the search box: a 36 kB request line, over the 8,190 bytes many servers stop at
    query = urllib.parse.quote("政务公开" * 1000)
    search = fetch(f"{production}/search/?q={query}", headers=https)
    assert search.status == 200 and "检索词过长，只按前200个字检索。" in search.body
    assert 'class="site-header"' in search.body
    assert_chinese_error(fetch(f"{production}/documents/?q={'a' * 6000}", headers=https), 414, "网址过长")
    # up to the server's bound (64 KiB) Django answers with its Chinese page; beyond it granian answers
    # 414 itself (its URI limit), before any Python runs
    near_bound = fetch(f"{production}/documents/?q={'a' * 65_000}", headers=https)
    assert_chinese_error(near_bound, 414, "网址过长")
    assert near_bound.headers["Content-Type"] == "text/html; charset=utf-8"
    assert fetch(f"{production}/search/?q={'a' * 70_000}", headers=https).status == 414
    jar = http.cookiejar.CookieJar()
    form = fetch(production + "/foi/track/", jar=jar, headers=https)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body).group(1)
    # the browser behind the proxy is on https: it sends the Secure cookie and its https origin
    cookie = next(c for c in jar if c.name == "csrftoken")
    browser = {
        **https,
        "Origin": production.replace("http://", "https://"),
        "Cookie": f"csrftoken={cookie.value}",
    }
    big = fetch(production + "/foi/track/", headers=browser,
                data=f"csrfmiddlewaretoken={token}&number={'a' * 3_000_000}".encode())  # fmt: skip
    assert_chinese_error(big, 413, "提交的内容过大")


def test_a_server_error_shows_no_traceback_no_values_no_paths(production, data_dir):
    # Run last: the documents table disappears, so the home page fails inside a view.
    with sqlite3.connect(data_dir / "gongkai.sqlite3") as db:
        db.execute("ALTER TABLE documents_document RENAME TO documents_document_gone")
    reply = fetch(production + "/", headers={"X-Forwarded-Proto": "https"})
    assert reply.status == 500 and "服务器错误（500）" in reply.body
    assert not [
        leak for leak in (*LEAKS, "no such table", "documents_document", str(data_dir)) if leak in reply.body
    ]
