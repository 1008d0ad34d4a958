"""Push bench (issue 14): profile import rate, matching one policy against N profiles and queuing
their deliveries on PostgreSQL in a real Celery worker (target ≤ 10 s for 1,000,000), and the build
time of the daily digests of 100,000 subscribers.

    .venv/bin/python bench/push_bench.py                      # 1,000,000 profiles, 100,000 subscribers
    .venv/bin/python bench/push_bench.py --profiles 100000 --subscribers 20000

    .venv/bin/python bench/push_bench.py --reuse --subscribers 0  # the pushes alone, no re-import

PostgreSQL: 127.0.0.1:5432, user postgres (PGHOST/PGPORT/PGUSER), database `gongkai_bench_push`
(--database; dropped and re-created, or with --reuse kept when it already holds profiles: only its
deliveries are emptied, so the pushes can be re-timed without the 10+ minute import). Redis:
redis://127.0.0.1:6379/14 (GONGKAI_BENCH_REDIS), queue `<database>` (two benches on different
databases do not take each other's tasks). Skips cleanly (exit 0) when either is unreachable. The
profiles are synthetic (random tags from the shipped catalogue): no personal data.

Beside the wall time of each push (the client waiting for the worker's result), the bench prints the
CPU time (user + system) the worker's PostgreSQL backend spent on it, read from /proc (the server
must run on this machine, else the figure is None): the worker names its connection
(application_name) so its backend can be found, and the CPU time does not grow with the machine's
load as wall time does. Background writers (WAL writer, checkpointer) are not counted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_DB = "gongkai_bench_push"
REDIS = os.environ.get("GONGKAI_BENCH_REDIS", "redis://127.0.0.1:6379/14")
WORKER_APP = "gongkai-bench-worker"


def write_profiles(path: Path, count: int, seed: int, tags: dict[str, list[str]]) -> None:
    """N synthetic profiles, one JSON object a line, as `gongkai profiles import` reads them."""
    rng = random.Random(seed)
    persons = [c for c in tags["audience_person"]]
    enterprises = [c for c in tags["audience_enterprise"]]
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            enterprise = rng.random() < 0.3
            chosen = rng.sample(enterprises if enterprise else persons, rng.randint(1, 2))
            chosen += rng.sample(tags["life_event"], rng.randint(0, 2))
            if tags["region"] and rng.random() < 0.5:
                chosen.append(rng.choice(tags["region"]))
            if enterprise:
                chosen.append(rng.choice(tags["industry"]))
            row = {
                "external_id": f"bench-{i}",
                "kind": "enterprise" if enterprise else "person",
                "tags": chosen,
            }
            if rng.random() < 0.3:
                row["email"] = f"p{i}@bench.example.com"
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _publish(documents, set_requirement, admin, organisation, audience: list[str], suffix: str = "（基准）"):
    document = documents.create_document(actor=admin, organisation=organisation, title="关于支持退役军人就业创业的若干措施" + suffix,
                                         doc_type="measures", theme="1502", tags=[*audience, "theme-1502"],
                                         check_permission=False)  # fmt: skip
    document = set_requirement(
        document, actor=None, required=False, reason="基准测试", check_permission=False
    )
    return documents.publish_document(documents.submit_for_review(document, actor=admin), actor=admin)


def _worker_backends(cursor) -> dict[int, float]:
    """{pid: CPU seconds used so far} of the worker's PostgreSQL backends (read from /proc)."""
    cursor.execute(
        "SELECT pid FROM pg_stat_activity WHERE application_name = %s AND datname = current_database()",
        [WORKER_APP],
    )
    used = {}
    for (pid,) in cursor.fetchall():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # exited meanwhile, or the server runs elsewhere
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    return used


def timed_push(
    client, dsn: str, document_id: int, queue: str, timeout: int
) -> tuple[dict, float, float | None]:
    """push_published in the worker: its answer, the wall seconds and the CPU seconds of the worker's
    PostgreSQL backend. Celery's Django fixup closes the worker's connection after each task, so the
    backend exits with the task: its CPU time is sampled every 20 ms while the task runs (the last
    interval before it exits, at most 0.02 s, is not counted)."""
    import threading

    import psycopg

    done = threading.Event()
    seen: dict[int, float] = {}
    with psycopg.connect(dsn, autocommit=True) as watcher:
        cursor = watcher.cursor()
        before = _worker_backends(cursor)
        readable = Path(f"/proc/{watcher.info.backend_pid}/stat").exists()

        def sample() -> None:
            while not done.is_set():
                seen.update(_worker_backends(cursor))
                time.sleep(0.02)

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        started = time.perf_counter()
        try:
            answer = client.send_task(
                "gongkai.subscriptions.tasks.push_published", args=[document_id], queue=queue
            ).get(timeout=timeout)
        finally:
            wall = time.perf_counter() - started
            done.set()
            thread.join()
    cpu = round(sum(used - before.get(pid, 0.0) for pid, used in seen.items()), 2) if readable else None
    return answer, round(wall, 2), cpu


def progress(result: dict, *keys: str) -> None:
    """Each figure on stderr as soon as it is measured (a long run shows what it has so far)."""
    print(
        time.strftime("%H:%M:%S UTC", time.gmtime()),
        {key: result[key] for key in keys},
        file=sys.stderr,
        flush=True,
    )


def child(args: argparse.Namespace) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.conf.dev")
    import django

    django.setup()
    from celery import Celery
    from django.core.management import call_command
    from django.db import connection, transaction

    from gongkai.accounts.models import Organisation, User
    from gongkai.documents import services as documents
    from gongkai.documents import signals
    from gongkai.documents.interpretation_sync import set_interpretation_requirement
    from gongkai.subscriptions import delivery, matching
    from gongkai.subscriptions.constants import Frequency, SubscriptionKind
    from gongkai.subscriptions.models import Delivery, Profile, Subscription, WebhookAttempt
    from gongkai.subscriptions.profile_import import import_profiles
    from gongkai.subscriptions.selectors import preview_tags
    from gongkai.taxonomy.models import Tag

    call_command("migrate", verbosity=0)
    signals.document_published.disconnect(
        dispatch_uid="subscriptions-published"
    )  # the bench sends the task itself
    tags = {
        "audience_person": list(Tag.objects.filter(dimension="audience", parent__code="person").values_list("code", flat=True)),
        "audience_enterprise": list(Tag.objects.filter(dimension="audience", parent__code="enterprise").values_list("code", flat=True)),
        "life_event": list(Tag.objects.filter(dimension="life_event", parent__isnull=False).values_list("code", flat=True)),
        "region": list(Tag.objects.filter(dimension="region").values_list("code", flat=True)),
        "industry": list(Tag.objects.filter(dimension="industry", parent__isnull=False).values_list("code", flat=True)),
    }  # fmt: skip
    result: dict = {"profiles": args.profiles, "subscribers": args.subscribers, "database": connection.vendor,
                    "load_average_start": [round(x, 1) for x in os.getloadavg()]}  # fmt: skip

    # 1. import (or, with --reuse, the profiles of an earlier run, their deliveries emptied)
    reused = args.reuse and Profile.objects.filter(external_id__startswith="bench-").exists()
    result["reused_database"] = reused
    if reused:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {Delivery._meta.db_table}, {WebhookAttempt._meta.db_table}")
            subscribers = "SELECT id FROM subscriptions_profile WHERE external_id IS NULL AND email LIKE 's%@bench.example.com'"
            cursor.execute(f"DELETE FROM {Subscription._meta.db_table} WHERE profile_id IN ({subscribers})")
            cursor.execute(f"DELETE FROM {Profile._meta.db_table} WHERE id IN ({subscribers})")
        result["profiles"] = Profile.objects.filter(external_id__startswith="bench-").count()
    else:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "profiles.jsonl"
            write_profiles(path, args.profiles, args.seed, tags)
            started = time.perf_counter()
            with path.open("rb") as handle:
                imported = import_profiles(handle)
            seconds = time.perf_counter() - started
        result["import_seconds"] = round(seconds, 1)
        result["import_per_second"] = round(imported.created / seconds)
        progress(result, "import_seconds", "import_per_second")
    started = time.perf_counter()
    connection.cursor().execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load
    result["vacuum_seconds"] = round(time.perf_counter() - started, 1)
    progress(result, "vacuum_seconds")

    # 2. one policy, matched and queued by a real worker
    organisation, _ = Organisation.objects.get_or_create(
        code="bench", defaults={"name": "基准测试机构", "organ_code": "基准"}
    )
    admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
        "bench-admin", password="x"
    )
    audience = ["veterans", "employment"] if not args.tags else args.tags.split(",")
    with transaction.atomic():  # as the demo loader: the review task opens only after commit
        document = _publish(documents, set_interpretation_requirement, admin, organisation, audience)
    expected = preview_tags(audience)["matched"]

    client = Celery("gongkai-bench", broker=REDIS, backend=REDIS, set_as_current=False)
    queue = connection.settings_dict["NAME"]
    settings = connection.settings_dict
    dsn = f"host={settings['HOST']} port={settings['PORT']} user={settings['USER']} dbname={settings['NAME']}"
    answer, result["match_seconds"], result["match_server_cpu_seconds"] = timed_push(
        client, dsn, document.pk, queue, 600
    )
    result["matched_profiles"] = expected
    result["deliveries_queued"] = Delivery.objects.filter(document=document).count()
    result["by_channel"] = answer["profiles"]
    progress(result, "match_seconds", "match_server_cpu_seconds", "deliveries_queued")
    # a broad policy (对象·个人: every person profile) queues far more rows
    with transaction.atomic():
        broad = _publish(
            documents, set_interpretation_requirement, admin, organisation, ["person"], "（基准·面向个人）"
        )
    answer, result["broad_match_seconds"], result["broad_server_cpu_seconds"] = timed_push(
        client, dsn, broad.pk, queue, 1800
    )
    result["broad_matched_profiles"] = preview_tags(["person"])["matched"]
    result["broad_deliveries_queued"] = Delivery.objects.filter(document=broad).count()
    progress(result, "broad_match_seconds", "broad_server_cpu_seconds", "broad_deliveries_queued")
    started = time.perf_counter()
    matching.audience_size(document.tags.values_list("pk", flat=True))
    result["preview_seconds"] = round(time.perf_counter() - started, 2)

    if not args.subscribers:
        result["load_average_end"] = [round(x, 1) for x in os.getloadavg()]
        return result
    # 3. digests: S subscribers of a theme, daily, three policies queued for each
    started = time.perf_counter()
    theme = document.theme
    Profile.objects.bulk_create([Profile(email=f"s{i}@bench.example.com", email_confirmed=True, push_enabled=False)
                                 for i in range(args.subscribers)], batch_size=5000)  # fmt: skip
    subscriber_ids = Profile.objects.filter(
        email__endswith="@bench.example.com", external_id__isnull=True
    ).values_list("pk", flat=True)
    Subscription.objects.bulk_create([Subscription(profile_id=pk, kind=SubscriptionKind.THEME, theme=theme,
                                                   frequency=Frequency.DAILY, confirmed=True)
                                      for pk in subscriber_ids.iterator()], batch_size=5000)  # fmt: skip
    from gongkai.subscriptions import push

    for n in range(3):
        with transaction.atomic():
            extra = documents.create_document(actor=admin, organisation=organisation, title=f"劳动就业政策{n}（基准）",
                                              doc_type="notice", theme="1502", tags=["theme-1502"], check_permission=False)  # fmt: skip
            extra = documents.publish_document(documents.submit_for_review(extra, actor=admin), actor=admin)
        push.matching.queue_subscription_deliveries(push.matching_subscriptions(extra), extra, "published")
    result["digest_setup_seconds"] = round(time.perf_counter() - started, 1)
    progress(result, "digest_setup_seconds")
    started = time.perf_counter()
    built = 0
    for digest in delivery.build_digests(Frequency.DAILY):
        digest.message().message()  # the full MIME message, text and HTML, as it would be sent
        built += 1
    seconds = time.perf_counter() - started
    result["digests_built"] = built
    result["digest_seconds"] = round(seconds, 1)
    result["digests_per_second"] = round(built / seconds) if seconds else None
    result["load_average_end"] = [round(x, 1) for x in os.getloadavg()]
    return result


def run(args: argparse.Namespace) -> dict | None:
    import redis
    from benchdb import fresh_postgres_database

    env = dict(os.environ)
    if (database_url := fresh_postgres_database(env, args.database, keep=args.reuse)) is None:
        return None
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        print(f"Redis unreachable ({REDIS}), skipped")
        return None
    with tempfile.TemporaryDirectory() as data_dir:
        env.update({"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "gongkai.conf.dev",
                    "GONGKAI_DATA_DIR": data_dir, "SECRET_KEY": "bench-only", "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"})  # fmt: skip
        worker_env = {**env, "CELERY_BROKER_URL": REDIS, "CELERY_RESULT_BACKEND": REDIS,
                      "DATABASE_URL": f"{database_url}?application_name={WORKER_APP}"}  # fmt: skip
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "gongkai", "worker", "--pool", "solo", "--loglevel", "WARNING",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", args.database],
            env=worker_env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            command = [sys.executable, __file__, "--child", "--profiles", str(args.profiles), "--subscribers",
                       str(args.subscribers), "--seed", str(args.seed)] + (["--tags", args.tags] if args.tags else []) + (
                       ["--reuse"] if args.reuse else [])  # fmt: skip
            output = subprocess.run(
                command, env=env, stdout=subprocess.PIPE, text=True, cwd=ROOT, timeout=6 * 3600
            )
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            # the worker queued its senders on the default queue, which nobody consumes here
            redis.Redis.from_url(REDIS).delete("celery")
    if output.returncode:
        raise SystemExit(output.returncode)
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=1_000_000)
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument(
        "--tags", default="", help="audience tag codes of the policy (default veterans,employment)"
    )
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument(
        "--database", default=PG_DB, help=f"PostgreSQL database of the bench (default {PG_DB})"
    )
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database when it already holds profiles: no re-import, only the pushes")  # fmt: skip
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT / "src"))
        print(json.dumps(child(args), ensure_ascii=False))
        return
    result = run(args)
    if result is None:
        return
    if result["reused_database"]:
        print(f"profiles imported:    {result['profiles']:,} (reused from an earlier run, not timed)")
    else:
        print(f"profiles imported:    {result['profiles']:,} in {result['import_seconds']} s = "
              f"{result['import_per_second']:,} profiles/s")  # fmt: skip
    print(f"match + queue:        {result['matched_profiles']:,} of {result['profiles']:,} profiles matched, "
          f"{result['deliveries_queued']:,} deliveries queued in {result['match_seconds']} s, server CPU "
          f"{result['match_server_cpu_seconds']} s (real Celery worker, "
          f"{result['database']}; target ≤ 10 s at 1,000,000) {result['by_channel']}")  # fmt: skip
    print(f"match + queue (broad): {result['broad_matched_profiles']:,} profiles matched (对象·个人), "
          f"{result['broad_deliveries_queued']:,} deliveries queued in {result['broad_match_seconds']} s, server CPU "
          f"{result['broad_server_cpu_seconds']} s")  # fmt: skip
    print(f"audience preview:     {result['preview_seconds']} s (the publish screen's count)")
    if result.get("digests_built") is not None:
        print(f"digest build:         {result['digests_built']:,} daily digests (3 policies each) in {result['digest_seconds']} s "
              f"= {result['digests_per_second']:,}/s")  # fmt: skip
    print(f"machine load:         {result['load_average_start']} at start, {result['load_average_end']} at end "
          f"(1/5/15-minute load averages, {os.cpu_count()} CPUs)")  # fmt: skip
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
