"""Read settings from the environment, with typed defaults.

Every deployment value comes from the environment so that the same code runs the demo, the test
suite and a multi-host installation.
"""

from __future__ import annotations

import os
from pathlib import Path


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def data_dir() -> Path:
    """The directory holding the SQLite database, uploaded media and indexes."""
    path = Path(env("GONGKAI_DATA_DIR", str(Path.cwd() / "var")) or "var").expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def persistent_secret_key(path: Path) -> str:
    """A random secret key kept in `path` (created once, readable by the owner only)."""
    import secrets

    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()
