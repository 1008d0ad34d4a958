"""A real Celery worker over a real Redis broker, and the other processes tests start on real ports.

The `worker` fixture itself is in conftest.py.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

BROKER = os.environ.get("GONGKAI_TEST_REDIS", "redis://127.0.0.1:6379/15")
# A queue of this checkout's own (and of this pytest-xdist worker's own), so a worker started by other
# tests never takes the task.
QUEUE = (
    "gongkai-test-"
    + hashlib.sha1(str(Path(__file__).resolve()).encode()).hexdigest()[:8]
    + os.environ.get("PYTEST_XDIST_WORKER", "")
)


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=2).ping())
    except redis.exceptions.ConnectionError:
        return False


def child_process_env() -> dict[str, str]:
    """What a process a test starts needs to work on that test's database and search index."""
    from django.conf import settings

    return {
        "DJANGO_SETTINGS_MODULE": "gongkai.conf.test",
        "GONGKAI_WORKER_DB_NAME": str(connection.settings_dict["NAME"]),
        "GONGKAI_WORKER_SEARCH_INDEX_DIR": str(settings.SEARCH_INDEX_DIR),
    }


def start_worker():
    """Yield a worker process on this checkout's queue; fail under CI when Redis is missing."""
    if not redis_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required under CI ({BROKER})")
        pytest.skip("Redis not reachable")
    env = {**os.environ, "CELERY_BROKER_URL": BROKER, "CELERY_RESULT_BACKEND": BROKER, **child_process_env()}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "gongkai", "worker", "--pool", "solo", "--loglevel", "WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", QUEUE],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    yield process
    stop_process(process)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(process: subprocess.Popen) -> None:
    """Terminate a process a test started; on a loaded machine, never leave one behind."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
