"""One search interface, one backend per database vendor (chosen from the configured database)."""

from __future__ import annotations

from django.db import connection

from .base import EntryData, Hit, SearchBackend


def get_backend() -> SearchBackend:
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    if connection.vendor == "sqlite":
        from .sqlite import SqliteBackend

        return SqliteBackend()
    raise NotImplementedError(f"no search backend for database vendor {connection.vendor!r}")


__all__ = ["EntryData", "Hit", "SearchBackend", "get_backend"]
