"""The demo content for the tests that walk through it, loaded once per test process.

Loading the demo (`gongkai.demo.loader.load_demo`) runs every service of the platform and takes
seconds; a dozen browser journeys and demo tests each need it on a fresh database. On SQLite the
first of them in a process loads it and copies the database file aside with SQLite's online backup
API; the others copy it back, page for page, into the test database. The restored database is the
state `load_demo` leaves, byte for byte, so the tests see exactly what a fresh `make demo` shows.
On PostgreSQL (no browser tests run there) the demo is loaded each time.
"""

from __future__ import annotations

from pathlib import Path

from django.db import connection

from database_reset import copy_database

_snapshots: dict[str, Path] = {}


def demo_database() -> None:
    """Give the current (transactional) test the demo content on a database that holds nothing else."""
    from gongkai.demo.loader import load_demo

    if connection.vendor != "sqlite" or connection.in_atomic_block:
        load_demo(progress=lambda _message: None)
        return
    database = str(connection.settings_dict["NAME"])
    snapshot = _snapshots.get(database)
    if snapshot is None:
        load_demo(progress=lambda _message: None)
        snapshot = Path(database + ".demo")
        connection.close()
        copy_database(database, snapshot)
        _snapshots[database] = snapshot
        return
    connection.close()
    copy_database(snapshot, database)
    _forget_cached_pages()
    _rebuild_outside_index()


def _rebuild_outside_index() -> None:
    """A tantivy search index lives outside the database: derived again from the restored rows."""
    from gongkai.search.backends import engine

    if engine() == "tantivy":
        from gongkai.search.services import rebuild_index

        rebuild_index()


def _forget_cached_pages() -> None:
    """Pages cached by an earlier test carry an older content version and are not served again."""
    from gongkai.portal import pagecache

    pagecache.bump()
