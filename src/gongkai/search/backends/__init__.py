"""One search interface; the engine is chosen by `SEARCH_ENGINE`, by default from the database.

The defaults (issue 20, docs/search.md "Which engine"):

* SQLite, the embedded single-host deployment: a **tantivy** index beside the database file (the
  results page with exact total and facets in tens of milliseconds at 100,000 documents, an index
  a sixth of FTS5's). A SQLite database lives on one host, and so does its index directory.
* PostgreSQL, which several web hosts share: PostgreSQL's own full text (`tsvector` + GIN), in the
  database every host reads, so no host can hold a stale or missing index.

`SEARCH_ENGINE = "fts5"` keeps SQLite's FTS5 tables in the database file; `"tantivy"` also works
beside PostgreSQL for a single web host.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from .base import EntryData, Hit, SearchBackend

ENGINES_BY_VENDOR = {"sqlite": ("tantivy", "fts5"), "postgresql": ("postgres", "tantivy")}  # default first


def engine() -> str:
    """The engine in use: `SEARCH_ENGINE` when set, else the first of the database vendor's engines."""
    engines = ENGINES_BY_VENDOR.get(connection.vendor)
    if engines is None:
        raise NotImplementedError(f"no search backend for database vendor {connection.vendor!r}")
    chosen = getattr(settings, "SEARCH_ENGINE", "") or engines[0]
    if chosen not in engines:
        raise ImproperlyConfigured(
            f"GONGKAI_SEARCH_ENGINE={chosen!r} does not work with {connection.vendor}: choose one of "
            + ", ".join(engines)
        )
    return chosen


def get_backend() -> SearchBackend:
    chosen = engine()
    if chosen == "tantivy":
        from .tantivy_index import TantivyBackend

        return TantivyBackend()
    if chosen == "postgres":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .sqlite import SqliteBackend

    return SqliteBackend()


__all__ = ["EntryData", "Hit", "SearchBackend", "engine", "get_backend"]
