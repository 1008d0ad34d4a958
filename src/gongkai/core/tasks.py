"""Scheduling Celery tasks the same way everywhere."""

from __future__ import annotations

from typing import Any


def run_task(task: Any, *args: Any) -> None:
    """Queue `task`, or run it in-process when there is no broker (eager mode).

    Celery's eager `delay()` still acquires a broker producer and logs a warning without one, so
    eager runs go through `apply()` instead; errors propagate as they would from `delay()` in eager mode.
    """
    from gongkai.celery import app  # the configured app, not whichever Celery app was created last

    if app.conf.task_always_eager:
        task.apply(args=list(args), throw=True)
    else:
        task.delay(*args)
