"""A fast reset between transactional tests on SQLite.

Django ends every transactional test (`django_db(transaction=True)`, the live-server and browser
tests) with `flush`, which empties each table and then re-runs every seeder through `post_migrate`
(roles, the work calendar, the tag trees): most of such a test's time. On SQLite the freshly migrated
and seeded test database is copied aside once per test process with SQLite's online backup API, and
each transactional test ends by copying it back instead: the next test starts from exactly the state
`migrate` left, as with a flush, in a fraction of the time. PostgreSQL keeps Django's flush.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

from django.db import connections
from django.test import TransactionTestCase


def copy_database(source: str | Path, target: str | Path) -> None:
    """Copy one SQLite database file onto another, page by page, under SQLite's own locking."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _file_database(alias: str) -> str | None:
    connection = connections[alias]
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return None
    return name


_snapshots: dict[str, str] = {}


def migrated_sqlite_database(target: Path) -> bool:
    """Write a freshly migrated SQLite database to `target` from this process's snapshot, if it has
    one (the SQLite run); False means the caller must run `migrate` itself."""
    snapshot = _snapshots.get("default")
    if snapshot is None:
        return False
    copy_database(snapshot, target)
    return True


def install_fast_reset(alias: str = "default") -> None:
    """Snapshot the migrated test database and make transactional tests restore it on teardown."""
    database = _file_database(alias)
    if database is None:
        return
    snapshot = database + ".migrated"
    connections[alias].close()
    copy_database(database, snapshot)
    _snapshots[alias] = snapshot
    flush = TransactionTestCase._fixture_teardown

    def restore_or_flush(self: TransactionTestCase) -> None:
        names = list(self._databases_names(include_mirrors=False))
        if self.available_apps is not None or self.serialized_rollback or names != [alias]:
            flush(self)
            return
        connections[alias].close()
        copy_database(snapshot, database)

    TransactionTestCase._fixture_teardown = restore_or_flush


def _fingerprint() -> str:
    """What a freshly migrated and seeded test database depends on: Django's version, every migration,
    the apps' `ready()` (which connect the seeders) and the data files the seeders read."""
    import django

    import gongkai

    root = Path(gongkai.__file__).parent
    digest = hashlib.sha256(f"{django.get_version()} {sqlite3.sqlite_version}".encode())
    files = [*root.glob("*/migrations/*.py"), *root.glob("*/apps.py"), *root.glob("*/data/*")]
    for path in sorted(files):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _cache_path() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "gongkai" / "test-databases" / f"migrated-{_fingerprint()}.sqlite3"


def restore_migrated_database(alias: str = "default") -> bool:
    """Put a migrated database where the test database goes, from a copy kept by an earlier run with
    exactly the same migrations (keyed by their content, so never stale); False if there is none.
    Django then only checks it with `migrate` (nothing to apply) and runs the seeders again."""
    connection = connections[alias]
    if connection.vendor != "sqlite":
        return False
    cached = _cache_path()
    if not cached.exists():
        return False
    target = connection.creation._get_test_db_name()
    if target == ":memory:" or "mode=memory" in str(target):
        return False
    copy_database(cached, target)
    return True


def keep_migrated_database(alias: str = "default") -> None:
    """Keep a copy of the database `migrate` just built, for the next run (written aside, then renamed,
    so two test processes finishing together never leave half a file)."""
    database = _file_database(alias)
    if database is None:
        return
    cached = _cache_path()
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_name(f"{cached.name}.{os.getpid()}.partial")
    connections[alias].close()
    copy_database(database, partial)
    os.replace(partial, cached)
