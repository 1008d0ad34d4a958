"""The default cache (a database table, `core.cache.DatabaseCache`): the page cache reads its content
version from it on every cached hit, through a one-key `get` of our own; a value is read until its
expiry and never after, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
import time_machine
from django.core.cache import caches

from gongkai.core.cache import DatabaseCache


@pytest.mark.django_db
def test_a_value_is_read_until_its_expiry_and_never_after():
    cache = caches["default"]
    assert isinstance(cache, DatabaseCache)
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False) as traveller:
        cache.set("portal:test:page", {"content": b"<p>\xe5\x85\xac\xe5\xbc\x80</p>", "etag": 'W/"1"'}, 60)
        cache.set("portal:test:version", ("abc", 1.5), None)
        assert cache.get("portal:test:page") == {"content": "<p>公开</p>".encode(), "etag": 'W/"1"'}
        traveller.shift(59)
        assert cache.get("portal:test:page")["etag"] == 'W/"1"'
        traveller.shift(2)
        assert cache.get("portal:test:page") is None
        assert cache.get("portal:test:page", "gone") == "gone"
        assert cache.get("portal:test:version") == ("abc", 1.5)  # no expiry
        traveller.shift(10 * 365 * 86400)
        assert cache.get("portal:test:version") == ("abc", 1.5)
    assert cache.get("portal:test:missing") is None
    cache.set("portal:test:version", ("def", 2.5), None)  # a new version is read at once
    assert cache.get("portal:test:version") == ("def", 2.5)
    assert cache.get("portal:test:version", version=2) is None  # Django's key versions still apply
