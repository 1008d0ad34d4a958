"""One search interface, one backend per database vendor, or the tantivy index (`SEARCH_ENGINE`)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from .base import EntryData, Hit, SearchBackend


def get_backend() -> SearchBackend:
    if getattr(settings, "SEARCH_ENGINE", "") == "tantivy":
        from .tantivy_index import TantivyBackend

        return TantivyBackend()
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    if connection.vendor == "sqlite":
        from .sqlite import SqliteBackend

        return SqliteBackend()
    raise NotImplementedError(f"no search backend for database vendor {connection.vendor!r}")


__all__ = ["EntryData", "Hit", "SearchBackend", "get_backend"]
