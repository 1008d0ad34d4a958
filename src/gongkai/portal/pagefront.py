"""The page cache's front door: a WSGI wrapper that answers cache hits before Django runs (issue 20).

A hit through the view (`pagecache.cached_page`) still runs the whole middleware stack (sessions,
CSRF, authentication, OTP, messages, locale, security headers, axes) and URL resolution: most of the
time a cached page costs. This wrapper answers the same hit at the very start of the request, from
this process's copy of what the full stack last sent for the same request, while that copy's content
version is the shared one (read from the shared cache on every request: never stale, on any worker
or instance).

It answers only what the full stack would answer identically:

  * GET requests without a session cookie, a messages cookie or a malformed CSRF cookie (anything
    else goes through Django, which may still serve the page from the cache);
  * keyed on everything the page and its headers depend on for such a visitor: the language the
    locale middleware would choose (the language cookie), the scheme (and the proxy's scheme header
    when one is trusted), the host, the script name, the path and the query string;
  * with the headers the full stack sent (CSP, X-Frame-Options, nosniff, Referrer-Policy, COOP,
    HSTS, ETag, Last-Modified, Cache-Control, Vary), less its cookie: pages holding the language form
    get the visitor's own CSRF token, and the cookie carrying its secret, as CsrfViewMiddleware sets;
  * pages holding a one-time form token (the message board's) get a new token each time, and stay
    `private, no-store` and without an ETag, as through the view.

An If-None-Match naming the current ETag gets a 304 with the same headers and no body.

With the database cache (no CACHE_URL), a hit keeps its thread's database connection open for the
next hit instead of opening one per request (SQLite: three PRAGMAs each time); Django's own requests
on the thread still close it as DB_CONN_MAX_AGE says. Redis (CACHE_URL) is the faster shared cache.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from http.cookies import SimpleCookie
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.db import close_old_connections
from django.dispatch import receiver
from django.http import parse_cookie
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.http import http_date

from . import pagecache

logger = logging.getLogger(__name__)
SECRET = re.compile(r"[a-zA-Z0-9]{32}")  # an unmasked CSRF secret, as the cookie holds it
DROPPED = {"set-cookie", "content-length"}
LOCAL_PAGES = 200
Key = tuple[str, ...]

# Random bytes below 248 (4 x 62) map evenly onto the 62 allowed characters; the rest are dropped.
_CHARS = CSRF_ALLOWED_CHARS.encode()
_EVEN = bytes(_CHARS[i % len(_CHARS)] for i in range(256))
_UNEVEN = bytes(range(4 * len(_CHARS), 256))
_INDEX = {char: i for i, char in enumerate(CSRF_ALLOWED_CHARS)}

_pages: OrderedDict[Key, dict[str, Any]] = OrderedDict()
_lock = threading.Lock()


def front_key(environ: dict[str, Any]) -> tuple[Key, str | None] | None:
    """(the key of this request, its CSRF secret if any); None when only Django may answer it."""
    if environ.get("REQUEST_METHOD") != "GET" or not pagecache.enabled():
        return None
    cookies = parse_cookie(environ["HTTP_COOKIE"]) if environ.get("HTTP_COOKIE") else {}
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return None
    secret = cookies.get(settings.CSRF_COOKIE_NAME)
    if secret is not None and not SECRET.fullmatch(secret):
        return None
    chosen = cookies.get(settings.LANGUAGE_COOKIE_NAME)
    language = chosen if chosen in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE
    proxy = settings.SECURE_PROXY_SSL_HEADER
    forwarded_host = environ.get("HTTP_X_FORWARDED_HOST", "") if settings.USE_X_FORWARDED_HOST else ""
    key = (language, environ.get("wsgi.url_scheme", ""), environ.get(proxy[0], "") if proxy else "",
           environ.get("HTTP_HOST", ""), forwarded_host, environ.get("SERVER_NAME", ""),
           environ.get("SERVER_PORT", ""), environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""),
           environ.get("QUERY_STRING", ""))  # fmt: skip
    return key, secret


def remember(key: Key, entry: dict[str, Any], headers: list[tuple[str, str]]) -> None:
    """Keep what the full stack sent for `key` (its page entry and headers, less the cookie)."""
    kept = [(name, value) for name, value in headers if name.lower() not in DROPPED]
    with _lock:
        _pages[key] = {"version": entry["version"], "expires": time.time() + pagecache.page_seconds(),
                       "content": entry["content"], "etag": entry["etag"], "fresh": entry.get("fresh", False),
                       "headers": kept}  # fmt: skip
        _pages.move_to_end(key)
        while len(_pages) > LOCAL_PAGES:
            _pages.popitem(last=False)


def _lookup(key: Key) -> dict[str, Any] | None:
    with _lock:
        page = _pages.get(key)
    if page is None or page["expires"] < time.time():
        return None
    if page["version"] != pagecache.current_version()[0]:  # the shared version: one read per hit
        return None
    return page


def _random_chars(length: int) -> str:
    """Uniformly random allowed characters from the OS's generator (what Django's get_random_string
    gives, at a tenth of its cost)."""
    chars = b""
    while len(chars) < length:
        chars += os.urandom(length + 8).translate(_EVEN, _UNEVEN)
    return chars[:length].decode()


def masked_token(secret: str) -> str:
    """The form token for `secret`, masked as django.middleware.csrf does (mask + cipher)."""
    mask = _random_chars(CSRF_SECRET_LENGTH)
    size = len(CSRF_ALLOWED_CHARS)
    return mask + "".join(
        CSRF_ALLOWED_CHARS[(_INDEX[s] + _INDEX[m]) % size] for s, m in zip(secret, mask, strict=True)
    )


# The cookie as CsrfViewMiddleware sends it changes only with its secret and, once a second, its
# expiry: it is built once a second around a stand-in secret, which the visitor's secret replaces
# (32 zeros occur nowhere else in the header: not in its name, path, domain or date).
_STAND_IN = "0" * CSRF_SECRET_LENGTH
_cookie_of_second: tuple[int, str] = (0, "")


@receiver(setting_changed)
def _forget_cookie(**kwargs: Any) -> None:
    """A changed CSRF cookie setting (tests override them) is in the next cookie at once."""
    global _cookie_of_second
    _cookie_of_second = (0, "")


def _csrf_cookie(secret: str) -> str:
    """The Set-Cookie header CsrfViewMiddleware sends with a token (it renews the cookie each time)."""
    global _cookie_of_second
    second = int(time.time())
    built = _cookie_of_second
    if built[0] != second:
        built = _cookie_of_second = (second, _build_csrf_cookie(_STAND_IN, second))
    return built[1].replace(_STAND_IN, secret, 1)


def _build_csrf_cookie(secret: str, now: float) -> str:
    cookie: SimpleCookie = SimpleCookie()
    name = settings.CSRF_COOKIE_NAME
    cookie[name] = secret
    morsel = cookie[name]
    morsel["max-age"] = settings.CSRF_COOKIE_AGE
    morsel["expires"] = http_date(now + settings.CSRF_COOKIE_AGE)
    morsel["path"] = settings.CSRF_COOKIE_PATH
    if settings.CSRF_COOKIE_DOMAIN:
        morsel["domain"] = settings.CSRF_COOKIE_DOMAIN
    if settings.CSRF_COOKIE_SECURE:
        morsel["secure"] = True
    if settings.CSRF_COOKIE_HTTPONLY:
        morsel["httponly"] = True
    if settings.CSRF_COOKIE_SAMESITE:
        morsel["samesite"] = settings.CSRF_COOKIE_SAMESITE
    return morsel.OutputString()


def _answer(environ: dict[str, Any], start_response: Callable, page: dict[str, Any], secret: str | None) -> list[bytes]:  # fmt: skip
    if not page["fresh"] and pagecache._revalidated_by(environ.get("HTTP_IF_NONE_MATCH", ""), page["etag"]):
        headers = [(name, value) for name, value in page["headers"] if name.lower() != "content-type"]
        start_response("304 Not Modified", headers)
        return []
    content: bytes = page["content"]
    headers = list(page["headers"])
    if pagecache.PLACEHOLDER in content:  # the language form: the visitor's own token and cookie
        secret = secret or _random_chars(CSRF_SECRET_LENGTH)
        content = content.replace(pagecache.PLACEHOLDER, masked_token(secret).encode())
        headers.append(("Set-Cookie", _csrf_cookie(secret)))
    if page["fresh"]:
        content = pagecache.fresh_tokens(content)
    headers.append(("Content-Length", str(len(content))))
    start_response("200 OK", headers)
    return [content]


class PageCacheFront:
    """WSGI middleware: cache hits answered before Django; everything else passed to `app`."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        request = front_key(environ)
        if request is not None:
            try:
                page = _lookup(request[0])
                if page is not None:
                    return _answer(environ, start_response, page, request[1])
            except Exception:  # e.g. the shared cache is down: Django answers (or reports) it
                logger.warning("page cache front: passing the request to Django", exc_info=True)
                close_old_connections()  # a broken database connection (database cache) is replaced
        sent: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        response = self.app(environ, capture)
        page = getattr(response, "gongkai_page", None)
        if request is not None and page is not None and sent and sent[0].startswith("200"):
            remember(request[0], page, sent[1])
        return response
