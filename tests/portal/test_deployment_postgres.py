"""The PostgreSQL deployment as separate processes on real ports (issue 20, "beyond one machine").

Two `gongkai serve` instances (granian, production settings over plain HTTP), one Celery worker and
Redis (the shared cache and the broker) on a PostgreSQL database created for this module. A document
published through instance A is at once on its page, in the list, on the home page and in the feed of
instance B, and searchable there once the worker has indexed it; after its withdrawal through A
neither instance serves a cached copy of any of those pages, nor answers the old ETag with 304: the
page cache and its content version live in Redis, not in a worker's memory.

Runs with the PostgreSQL suite (`make test-postgres`); skipped on the SQLite run, and when PostgreSQL
or Redis cannot be reached outside CI.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

from worker_helpers import free_port, stop_process

pytestmark = pytest.mark.skipif(
    os.environ.get("GONGKAI_TEST_DB") != "postgres",
    reason="the PostgreSQL deployment: runs with make test-postgres",
)

ROOT = Path(__file__).resolve().parents[2]
CHECKOUT = hashlib.sha1(str(ROOT).encode()).hexdigest()[:8]
DATABASE = f"gongkai_deploy_{CHECKOUT}"
TEMPLATE = f"gongkai_deploy_template_{CHECKOUT}"
PG = {"host": os.environ.get("PGHOST", "127.0.0.1"), "port": os.environ.get("PGPORT", "5432"),
      "user": os.environ.get("PGUSER", "postgres"), "password": os.environ.get("PGPASSWORD", "")}  # fmt: skip
# Redis db 13 is this test's (15 is the test broker, 14 the rate-limit tests'); keys and the queue
# carry the checkout, so worktrees running it at once do not meet.
REDIS = os.environ.get("GONGKAI_TEST_DEPLOY_REDIS", "redis://127.0.0.1:6379/13")
SETTINGS = f"""
from gongkai.conf.production import *  # noqa: F403
from gongkai.conf.production import CACHES

CACHES["default"]["KEY_PREFIX"] = "deploy-{CHECKOUT}"
CELERY_TASK_DEFAULT_QUEUE = "gongkai-deploy-{CHECKOUT}"
"""
SEED = """
import django
django.setup()
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from gongkai.accounts.constants import Role
from gongkai.accounts.models import Organisation, User
org = Organisation.objects.create(code="deploy-office", name="上海市静安区人民政府办公室", organ_code="静府办",
                                  index_prefix="JA-DEPLOY")
tokens = {}
for name, roles in (("editor", [Role.EDITOR]), ("reviewer", [Role.REVIEWER, Role.APPROVER])):
    user = User.objects.create_user(username=name, password="pw-123456789", organisation=org, is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=roles))
    tokens[name] = Token.objects.create(user=user).key
print(json.dumps(tokens))
"""
# What the test run's environment holds that a deployment would not.
NOT_INHERITED = {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "SITE_URL", "ALLOWED_HOSTS", "GONGKAI_TEST_DB",
                 "GONGKAI_WORKER_DB_NAME", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CACHE_URL",
                 "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}  # fmt: skip


@dataclass
class Reply:
    status: int
    headers: Message  # header names are case-insensitive (granian sends them in lower case)
    body: str


def fetch(url: str, *, data: dict | None = None, headers: dict | None = None) -> Reply:
    body = json.dumps(data).encode() if data is not None else None
    extra = {"Content-Type": "application/json"} if data is not None else {}
    request = urllib.request.Request(url, data=body, headers={**extra, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return Reply(response.status, response.headers, response.read().decode())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read().decode(errors="replace"))


def unavailable(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required under CI")
    pytest.skip(f"{what} not reachable")


def postgres():
    import psycopg

    try:
        return psycopg.connect(host=PG["host"], port=PG["port"], user=PG["user"], password=PG["password"],
                               dbname="postgres", autocommit=True, connect_timeout=5)  # fmt: skip
    except psycopg.OperationalError:
        unavailable("PostgreSQL")


def schema_fingerprint() -> str:
    """The migrations a database needs: their names, and the text of the project's own."""
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha1(repr(sorted(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)).encode())
    for path in sorted((ROOT / "src" / "gongkai").glob("*/migrations/*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fresh_database(env: dict) -> str:
    """This module's database, copied from a migrated template kept between runs (migrating takes
    minutes on a loaded machine); the template is migrated again when the migrations change."""
    fingerprint = schema_fingerprint()
    url = "postgres://{user}{secret}@{host}:{port}/{{}}".format(
        **PG, secret=f":{PG['password']}" if PG["password"] else ""
    )
    with postgres() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        row = conn.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                           [TEMPLATE]).fetchone()  # fmt: skip
        if row is None or row[0] != fingerprint:
            conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {TEMPLATE}")
            subprocess.run([sys.executable, "-m", "gongkai.cli", "migrate", "-v0"], check=True, cwd=env["GONGKAI_DATA_DIR"],
                           env={**env, "DATABASE_URL": url.format(TEMPLATE)})  # fmt: skip
            conn.execute(f"COMMENT ON DATABASE {TEMPLATE} IS '{fingerprint}'")
        conn.execute(f"CREATE DATABASE {DATABASE} TEMPLATE {TEMPLATE}")
    return url.format(DATABASE)


def drop_database() -> None:
    with postgres() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def wait_for_port(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    pytest.fail(f"the server on port {port} did not start:\n{log.read_text()[-3000:]}")


@dataclass
class Deployment:
    a: str
    b: str
    tokens: dict


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        unavailable("Redis")
    folder = tmp_path_factory.mktemp("deployment")
    (folder / "deploy_settings.py").write_text(SETTINGS, encoding="utf-8")
    ports = free_port(), free_port()
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env.update(DJANGO_SETTINGS_MODULE="deploy_settings", PYTHONPATH=f"{folder}{os.pathsep}{ROOT / 'src'}",
               CACHE_URL=REDIS, CELERY_BROKER_URL=REDIS, GONGKAI_DATA_DIR=str(folder),
               SECRET_KEY="deploy-test-only-" + "k" * 40, SITE_URL=f"http://127.0.0.1:{ports[0]}",
               ALLOWED_HOSTS="127.0.0.1", HTTPS="0", GONGKAI_WORKERS="1")  # fmt: skip
    env["DATABASE_URL"] = fresh_database(env)
    cli = [sys.executable, "-m", "gongkai.cli"]
    seeded = subprocess.run([sys.executable, "-c", "import json\n" + SEED], env=env, check=True, cwd=folder,
                            capture_output=True, text=True)  # fmt: skip
    tokens = json.loads(seeded.stdout.strip().splitlines()[-1])
    processes = []
    try:
        log = folder / "worker.log"
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "gongkai", "worker", "--pool", "solo", "--loglevel", "WARNING",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", f"gongkai-deploy-{CHECKOUT}"],
            env=env, cwd=folder, stdout=log.open("w"), stderr=subprocess.STDOUT))  # fmt: skip
        for name, port in zip("ab", ports, strict=True):  # one after the other: both collect static files
            log = folder / f"serve-{name}.log"
            process = subprocess.Popen([*cli, "serve", "--bind", f"127.0.0.1:{port}"], env=env, cwd=folder,
                                       stdout=log.open("w"), stderr=subprocess.STDOUT)  # fmt: skip
            processes.append(process)
            wait_for_port(process, port, log)
        yield Deployment(*(f"http://127.0.0.1:{port}" for port in ports), tokens)
    finally:
        for process in processes:
            stop_process(process)
        drop_database()


def api(deployment: Deployment, who: str, path: str, data: dict | None = None) -> dict:
    reply = fetch(
        f"{deployment.a}/api/{path}",
        data=data or {},
        headers={"Authorization": f"Token {deployment.tokens[who]}"},
    )
    assert reply.status in (200, 201), reply.body[:500]
    return json.loads(reply.body)


def publish(deployment: Deployment, title: str) -> int:
    document = api(deployment, "editor", "documents/", {"title": title, "doc_type": "notice"})
    api(deployment, "editor", f"documents/{document['id']}/submit/")
    api(deployment, "reviewer", f"documents/{document['id']}/publish/")
    return document["id"]


def eventually(check, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return check()


def test_a_publication_through_one_instance_shows_on_the_other_and_a_withdrawal_everywhere(deployment):
    a, b = deployment.a, deployment.b
    pages = ("/", "/documents/")
    for site in (a, b):  # both instances have the pages cached (a hit for each)
        for page in pages:
            assert fetch(site + page).status == 200 and fetch(site + page).status == 200
    title = "关于开展湿地候鸟监测工作的通知"
    pk = publish(deployment, title)
    detail = f"/documents/{pk}/"

    for site in (a, b):
        for page in (*pages, detail):
            reply = fetch(site + page)
            assert reply.status == 200 and title in reply.body, f"{site}{page} is stale"
    feed = fetch(b + "/feeds/documents.rss")
    assert feed.status == 200 and title in feed.body
    query, link = "/search/?q=" + urllib.parse.quote("湿地候鸟"), f'"{detail}'
    assert eventually(lambda: link in fetch(b + query).body), "the worker did not index the document"
    home = fetch(b + "/")
    etag = home.headers["ETag"]
    assert fetch(b + "/", headers={"If-None-Match": etag}).status == 304  # a proxy may revalidate

    api(deployment, "reviewer", f"documents/{pk}/withdraw/", {"reason": "部署测试：撤回"})
    for site in (b, a):
        assert fetch(site + detail).status in (404, 410), f"{site}{detail} still served after withdrawal"
        for page in pages:
            reply = fetch(site + page)
            assert reply.status == 200 and title not in reply.body, f"{site}{page} is stale"
        revalidated = fetch(site + "/", headers={"If-None-Match": etag})
        assert revalidated.status == 200 and title not in revalidated.body, (
            "a proxy's stale copy was confirmed"
        )
    assert title not in fetch(a + "/feeds/documents.rss").body
    assert eventually(lambda: link not in fetch(a + query).body), "the worker did not unindex the document"
