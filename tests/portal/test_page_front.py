"""The page cache's front door (`portal.pagefront`): hits answered before Django, never stale, with
the same security headers as a full response, and a CSRF token that works (issue 20).

The WSGI application of `gongkai.wsgi` is called as the server (granian) calls it; a counter in front of Django
tells whether Django ran.
"""

from __future__ import annotations

import io
import re
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client

from gongkai.documents import services as documents
from gongkai.portal.pagefront import PageCacheFront

pytestmark = pytest.mark.django_db(transaction=True)
HOME, LIST = "/", "/documents/"
SECURITY = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
            "Cross-Origin-Opener-Policy", "Vary", "Cache-Control", "Content-Type")  # fmt: skip


class Site:
    """`gongkai.wsgi.application` as built there, with a count of the requests Django answered."""

    def __init__(self) -> None:
        self.django_calls = 0
        django = WSGIHandler()

        def counted(environ, start_response):
            self.django_calls += 1
            return django(environ, start_response)

        self.app = PageCacheFront(counted)

    def get(self, path: str, **headers: str) -> tuple[str, dict[str, str], list[tuple[str, str]], str]:
        path, _, query = path.partition("?")
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": "testserver",
                   "wsgi.input": io.BytesIO(b""), **{f"HTTP_{k.upper()}": v for k, v in headers.items()}}  # fmt: skip
        setup_testing_defaults(environ)
        sent = {}

        def start_response(status, headers, exc_info=None):
            sent.update(status=status, headers=headers)

        body = b"".join(self.app(environ, start_response))
        return sent["status"], dict(sent["headers"]), sent["headers"], body.decode()


@pytest.fixture
def policy(make_document):
    return make_document(
        "静安区养老服务补贴实施办法", published_date="2024-03-05", body_text="第一条 为提高老年人生活质量。"
    )


def test_a_hit_skips_django_and_keeps_every_header_of_the_full_response(policy):
    site = Site()
    for url in (HOME, LIST):
        status, full, _, body = site.get(url)  # rendered by the view, through every middleware
        calls = site.django_calls
        again, hit, _, cached = site.get(url)
        assert again == status == "200 OK" and site.django_calls == calls  # answered before Django
        assert "静安区养老服务补贴实施办法" in cached and cached.replace(_token(cached), "") == body.replace(
            _token(body), ""
        )
        for name in (*SECURITY, "ETag", "Last-Modified"):
            assert hit[name] == full[name], name
        assert "frame-ancestors 'none'" in hit["Content-Security-Policy"] and hit["X-Frame-Options"] == "DENY"
        assert int(hit["Content-Length"]) == len(cached.encode())
        revalidated = site.get(url, If_None_Match=hit["ETag"])
        assert revalidated[0].startswith("304") and revalidated[3] == "" and site.django_calls == calls
        assert revalidated[1]["ETag"] == hit["ETag"] and revalidated[1]["Content-Security-Policy"]


def _token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


def test_the_language_form_of_a_hit_carries_a_working_token_of_the_visitors_own(policy):
    site = Site()
    site.get(HOME)
    _, _, raw, html = site.get(HOME)
    cookie = next(value for name, value in raw if name == "Set-Cookie")
    secret = re.match(r"csrftoken=([A-Za-z0-9]{32});", cookie).group(1)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    browser = Client(enforce_csrf_checks=True)
    browser.cookies["csrftoken"] = secret
    switched = browser.post(
        "/i18n/setlang/", {"csrfmiddlewaretoken": _token(html), "language": "en", "next": "/"}
    )
    assert switched.status_code == 302  # not 403: the token matches the cookie's secret
    # a visitor who has the cookie keeps its secret; another gets another
    _, _, raw_again, html_again = site.get(HOME, Cookie=f"csrftoken={secret}")
    assert f"csrftoken={secret};" in dict(raw_again)["Set-Cookie"] and _token(html_again) != _token(html)
    assert secret not in dict(site.get(HOME)[2])["Set-Cookie"]


def test_a_hits_csrf_cookie_is_the_one_django_sets_and_follows_the_cookie_settings(policy, settings):
    # the front builds the cookie once a second; a setting changed within that second still shows
    site = Site()
    site.get(HOME)
    for secure in (False, True, False):
        settings.CSRF_COOKIE_SECURE = secure
        direct = Client().get(HOME, HTTP_COOKIE="sessionid=none")  # through Django: the stock cookie
        _, _, raw, _ = site.get(HOME)
        cookie = next(value for name, value in raw if name == "Set-Cookie")
        stock = direct.cookies["csrftoken"].OutputString()
        assert ("; Secure" in cookie) is secure
        assert re.sub(r"csrftoken=\w+; expires=[^;]+", "", cookie) == re.sub(
            r"csrftoken=\w+; expires=[^;]+", "", stock
        )


def test_a_publication_and_a_withdrawal_are_never_served_stale_by_the_front(policy, make_document, reviewer):
    site = Site()
    for url in (HOME, LIST):
        site.get(url)
        site.get(url)
    etag = site.get(HOME)[1]["ETag"]
    added = make_document("关于做好2024年政务公开工作的通知", published_date="2024-04-01")
    for url in (HOME, LIST):
        assert "关于做好2024年政务公开工作的通知" in site.get(url)[3]
    assert site.get(HOME, If_None_Match=etag)[0] == "200 OK"  # the old copy is not confirmed
    site.get(HOME)
    documents.withdraw_document(added, actor=reviewer, reason="内容有误，撤回修改")
    for url in (HOME, LIST):
        assert "关于做好2024年政务公开工作的通知" not in site.get(url)[3]


def test_visitors_with_a_session_and_posts_always_reach_django(policy, editor):
    site = Site()
    site.get(HOME)
    site.get(HOME)
    calls = site.django_calls
    site.get(HOME, Cookie="sessionid=abc")
    site.get(HOME, Cookie="messages=abc")
    site.get(HOME, Cookie="csrftoken=not-a-secret")
    assert site.django_calls == calls + 3


def test_each_hit_of_a_page_with_the_message_board_gets_its_own_submission_token(policy):
    site = Site()
    url = policy.get_absolute_url()
    site.get(url)
    calls = site.django_calls
    tokens = set()
    for _ in range(2):
        status, headers, _, html = site.get(url)
        assert (
            status == "200 OK" and headers["Cache-Control"] == "private, no-store" and "ETag" not in headers
        )
        tokens.add(re.search(r'name="token" value="([^"]+)"', html).group(1))
    assert len(tokens) == 2 and site.django_calls == calls
