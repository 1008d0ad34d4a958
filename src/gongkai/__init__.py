"""Gongkai (公开): an open-source 政务公开 platform.

The Celery application is created on first use (`gongkai.celery_app`, `gongkai.core.tasks.run_task`,
`celery -A gongkai`), not on every import: commands such as `gongkai deadline` start without it.
"""

from typing import Any

__version__ = "0.1.0"
__all__ = ["celery_app"]


def __getattr__(name: str) -> Any:
    if name == "celery_app":
        from .celery import app

        return app
    raise AttributeError(f"module 'gongkai' has no attribute {name!r}")
