"""A page cache for the public pages everyone reads (home, document list, document detail; issue 20).

What is cached: the HTML a visitor without a session gets (no staff menu, no messages), per
language and full path (query string included), with the CSRF token of the language form replaced
by a placeholder; each response gets the visitor's own token back, so the form keeps working.
Pages are kept in the shared cache and in a bounded copy per worker process; a hit reads only the
shared version. `pagefront` answers most hits before Django runs, from what this view last sent.

Never stale: every cached page carries the *content version* it was rendered under, and any write
that can change a public page replaces the version (`bump`), so every page is rendered afresh on its
next request. Writes are caught three ways, so no service can forget one:

  * saves and deletions of any row of the documents, taxonomy and topics apps and of organisations
    (documents, relations, interpretations, attachments, issuers, tags, service items);
  * every audit event of those writes (`record_event`: `refresh_validity` changes 有效性 with a
    queryset update, which sends no model signal, but always records `document.validity_changed`);
  * the documents app's own signals (published, withdrawn, changed, interpretation published or
    withdrawn), sent on commit.

The version is replaced when the writing transaction commits (before the service returns): a page
rendered from data read before the commit was stored under the old version, so it is never served
after it; until the commit the writing connection bypasses the cache. A version also expires pages after `PAGE_CACHE_SECONDS`
(default 600 s) for anything that depends on the date alone.

HTTP: a weak ETag and Last-Modified (when the version last changed) on every such page, with
`Cache-Control: no-cache`, so a reverse proxy or browser may keep a copy but must revalidate: an
If-None-Match naming the current ETag gets a 304 from the cache without the page being rendered.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import secrets
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags
from django.utils.translation import get_language

logger = logging.getLogger(__name__)
VERSION_KEY = "portal:pages:version"
PENDING = "gongkai_pagecache_pending"  # set on the database connection of a transaction that wrote
PAGE_KEY = "portal:page:{}"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
PLACEHOLDER = b"\x00csrf\x00"
# A form's one-time submission token (the message board's, so that a retried post never files a second
# question): every visitor gets a fresh one, or the second visitor's question would count as a retry
# of the first and be lost. Pages with one are not revalidated with 304 for the same reason.
SUBMISSION_INPUT = re.compile(rb'(name="token" value=")[^"]*(")')
FRESH_PLACEHOLDER = b"\x00fresh\x00"
WATCHED_APPS = {"documents", "taxonomy", "topics", "interaction"}
WATCHED_MODELS = {("accounts", "organisation")}
WATCHED_EVENTS = ("document.", "interpretation.", "taxonomy.", "topic.")


def page_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 600))


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE", True))


# --- the content version ----------------------------------------------------------------------
def current_version() -> tuple[str, float]:
    """(token, when it was set): created on first use."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, (uuid.uuid4().hex, time.time()), None)
        version = cache.get(VERSION_KEY) or ("", time.time())
    return version


def _replace_version() -> None:
    """A new version; never fails its caller (e.g. during `migrate`, before the cache table exists)."""
    try:
        # a savepoint: with the database cache, a failure must not end the caller's transaction
        with transaction.atomic():
            cache.set(VERSION_KEY, (uuid.uuid4().hex, time.time()), None)
    except DatabaseError:
        logger.debug("page cache: the content version could not be replaced", exc_info=True)


def _after_commit() -> None:
    setattr(transaction.get_connection(), PENDING, False)
    _replace_version()


def bump(**kwargs: Any) -> None:
    """Every cached page is stale once the current transaction commits (at once outside one).

    The shared version is written only after the commit: written inside the transaction it would
    hold a row lock (database cache) until the commit and serialise every writer. Until the commit
    the writing connection itself neither reads nor fills the cache (`_pending`), so it sees its
    own writes (tests run inside one transaction that never commits).
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _replace_version()
        return
    setattr(connection, PENDING, True)
    if any(entry[1] is _after_commit for entry in getattr(connection, "run_on_commit", [])):
        return  # one replacement on commit is enough, however many rows the transaction writes
    transaction.on_commit(_after_commit)


def _pending() -> bool:
    """This thread's open transaction has written what a page shows (a rolled-back one has ended)."""
    connection = transaction.get_connection()
    return bool(getattr(connection, PENDING, False)) and connection.in_atomic_block


def on_model_write(sender: Any, **kwargs: Any) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None:
        return
    if meta.app_label in WATCHED_APPS or (meta.app_label, meta.model_name) in WATCHED_MODELS:
        bump()
    elif (meta.app_label, meta.model_name) == ("core", "event") and kwargs.get("created"):
        if str(getattr(kwargs.get("instance"), "verb", "") or "").startswith(WATCHED_EVENTS):
            bump()


def connect() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from gongkai.documents import signals

    post_save.connect(on_model_write, dispatch_uid="portal.pagecache.post_save")
    post_delete.connect(on_model_write, dispatch_uid="portal.pagecache.post_delete")
    m2m_changed.connect(on_model_write, dispatch_uid="portal.pagecache.m2m_changed")
    for name in ("document_published", "document_withdrawn", "document_changed", "interpretation_published",
                 "interpretation_withdrawn"):  # fmt: skip
        getattr(signals, name).connect(bump, dispatch_uid=f"portal.pagecache.{name}")


# --- serving ----------------------------------------------------------------------------------
def cacheable(request: HttpRequest) -> bool:
    """Anonymous visitors without a session or pending messages, reading (GET or HEAD)."""
    return (
        enabled()
        and request.method in ("GET", "HEAD")
        and not _pending()
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _key(request: HttpRequest) -> str:
    raw = f"{get_language()}\n{request.get_host()}\n{request.get_full_path()}"
    return PAGE_KEY.format(hashlib.sha256(raw.encode()).hexdigest())


def _entry(response: HttpResponse, version: tuple[str, float]) -> dict[str, Any] | None:
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    content = CSRF_INPUT.sub(rb"\g<1>" + PLACEHOLDER + rb"\g<2>", response.content)
    content, fresh = SUBMISSION_INPUT.subn(rb"\g<1>" + FRESH_PLACEHOLDER + rb"\g<2>", content)
    digest = hashlib.sha256(content + version[0].encode()).hexdigest()[:32]
    return {"version": version[0], "modified": version[1], "content": content, "etag": f'W/"{digest}"',
            "content_type": response["Content-Type"], "fresh": bool(fresh)}  # fmt: skip


def _respond(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
    content = entry["content"]
    if PLACEHOLDER in content:  # the visitor's own token (and cookie) for the language form
        content = content.replace(PLACEHOLDER, get_token(request).encode())
    content = fresh_tokens(content)
    response = HttpResponse(content, content_type=entry["content_type"])
    _headers(response, entry)
    return response


def fresh_tokens(content: bytes) -> bytes:
    """A new one-time submission token in each form that needs one."""
    while FRESH_PLACEHOLDER in content:
        content = content.replace(FRESH_PLACEHOLDER, secrets.token_urlsafe(16).encode(), 1)
    return content


def _headers(response: HttpResponse, entry: dict[str, Any]) -> None:
    if entry.get("fresh"):  # a form token per visitor: nobody may keep a copy
        response["Cache-Control"] = "private, no-store"
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["modified"])
    response["Cache-Control"] = "no-cache"  # keep a copy, but revalidate: a withdrawal shows at once
    patch_vary_headers(response, ("Cookie", "Accept-Language"))


def _revalidated(request: HttpRequest, etag: str) -> bool:
    return _revalidated_by(request.META.get("HTTP_IF_NONE_MATCH", ""), etag)


def _revalidated_by(if_none_match: str, etag: str) -> bool:
    """If-None-Match names this page's ETag (weak comparison). If-Modified-Since alone is not trusted:
    Last-Modified has one-second precision, and two versions may fall within one second."""
    if not if_none_match:
        return False
    wanted = parse_etags(if_none_match)
    return "*" in wanted or etag.removeprefix("W/") in {tag.removeprefix("W/") for tag in wanted}


# This process's copies of pages (a bounded LRU): valid only while their version is the shared one.
LOCAL_PAGES = 200
_local: OrderedDict[str, dict[str, Any]] = OrderedDict()
_local_lock = threading.Lock()


def _local_get(key: str, version: str) -> dict[str, Any] | None:
    with _local_lock:
        entry = _local.get(key)
        if entry is None or entry["version"] != version or entry["expires"] < time.time():
            return None
        _local.move_to_end(key)
        return entry


def _local_put(key: str, entry: dict[str, Any]) -> None:
    with _local_lock:
        _local[key] = {**entry, "expires": time.time() + page_seconds()}
        _local.move_to_end(key)
        while len(_local) > LOCAL_PAGES:
            _local.popitem(last=False)


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve `view` from the page cache to anonymous visitors; answer revalidations with 304."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        version = current_version()
        entry = _local_get(key, version[0])  # a hit reads only the version from the shared cache
        if entry is None:
            entry = cache.get(key)
            if entry is None or entry["version"] != version[0]:
                response = view(request, *args, **kwargs)
                entry = _entry(response, version)
                if entry is None:
                    return response
                cache.set(key, entry, page_seconds())
            _local_put(key, entry)
        if not entry.get("fresh") and _revalidated(request, entry["etag"]):
            not_modified = HttpResponseNotModified()
            _headers(not_modified, entry)
            return not_modified
        response = _respond(request, entry)
        response.gongkai_page = entry  # what the front door (pagefront) may answer the next time
        return response

    return wrapped
