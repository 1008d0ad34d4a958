"""The periodic validity job run by a real Celery worker over a real Redis broker."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from gongkai.documents.constants import Validity
from gongkai.documents.models import Document

BROKER = os.environ.get("GONGKAI_TEST_REDIS", "redis://127.0.0.1:6379/15")
# A queue of this checkout's own, so a worker started by another checkout's tests never takes the task.
QUEUE = "gongkai-test-" + hashlib.sha1(str(Path(__file__).resolve()).encode()).hexdigest()[:8]

pytestmark = pytest.mark.django_db(transaction=True)


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=2).ping())
    except redis.exceptions.ConnectionError:
        return False


@pytest.fixture
def worker():
    if not redis_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required under CI ({BROKER})")
        pytest.skip("Redis not reachable")
    env = {**os.environ, "CELERY_BROKER_URL": BROKER, "CELERY_RESULT_BACKEND": BROKER,
           "DJANGO_SETTINGS_MODULE": "gongkai.conf.test", "GONGKAI_WORKER_DB_NAME": str(connection.settings_dict["NAME"])}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "gongkai", "worker", "--pool", "solo", "--loglevel", "WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", QUEUE],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    yield process
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:  # a loaded machine: never leave a worker behind
        process.kill()
        process.wait()


def test_worker_expires_a_document(worker, make_document, settings):
    document = make_document("已过有效期的办法", effective_date="2020-01-01", expiry_date="2021-01-01")
    Document.objects.filter(pk=document.pk).update(validity=Validity.VALID)  # as if the date just passed

    from celery import Celery

    client = Celery("gongkai-test-client", broker=BROKER, backend=BROKER)
    result = client.send_task("gongkai.documents.tasks.refresh_all_validity", queue=QUEUE)
    assert result.get(timeout=120) == 1
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and Document.objects.get(pk=document.pk).validity != Validity.EXPIRED:
        time.sleep(0.2)
    assert Document.objects.get(pk=document.pk).validity == Validity.EXPIRED
