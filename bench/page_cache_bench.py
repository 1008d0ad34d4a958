"""Requests per second of the public pages through `gongkai serve`, with and without the page cache.

Issue 20 targets (2 workers, 32 connections): uncached document page >= 70% of the requests/s of a
minimal one-query Django page measured in the same run; cached >= 5,000 requests/s; same for the
home page and the document list; a web worker within 250 MB RSS with the segmenter and dictionary
loaded (printed after a search has run in every worker, and again at the end). Load comes from `wrk` (Debian package `wrk`) when it is installed,
otherwise from a Python keep-alive load generator (slower than the server: its figures are a floor).

The site runs with the production settings over plain HTTP on 127.0.0.1 (SQLite in a temporary data
folder, `--docs` documents of about 2,000 characters from ../shared/data when present, otherwise
generated), once with the page cache off (`PAGE_CACHE=0`) and once with it on. The minimal page is
added through a bench-only URL conf (`/bench-minimal/`: one `SELECT` of one document's title).

    .venv/bin/python bench/page_cache_bench.py [--docs 500] [--seconds 10] [--connections 32]
        [--threads 4] [--cache-url redis://127.0.0.1:6379/12]

`--threads` is the number of Python threads per worker process (granian's blocking threads); `--cache-url` puts
the page cache in Redis instead of the database table. `wrk` is the Debian package (`apt-get install wrk`).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("GONGKAI_SHARED_DATA", ROOT.parent / "shared" / "data"))
BIN = Path(sys.executable).parent
SETTINGS = """
import os
from gongkai.conf.production import *  # noqa: F403
ROOT_URLCONF = "bench_urls"
PAGE_CACHE = os.environ.get("PAGE_CACHE", "1") == "1"
"""
URLS = """
from django.db import connection
from django.http import HttpResponse
from django.urls import include, path


def minimal(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM documents_document ORDER BY id LIMIT 1")
        title = cursor.fetchone()[0]
    return HttpResponse(f"<!DOCTYPE html><title>{title}</title><p>{title}</p>")


urlpatterns = [path("bench-minimal/", minimal), path("", include("gongkai.urls"))]
"""
SEED = """
import json, sys, datetime as dt
import django
django.setup()
from gongkai.accounts.models import Organisation
from gongkai.documents.constants import DisclosureMode, DocumentStatus
from gongkai.documents.models import Document
texts = json.loads(sys.stdin.read())
org, _ = Organisation.objects.get_or_create(code="bench", defaults={"name": "国务院办公厅", "organ_code": "国办"})
rows = [Document(index_number=f"BENCH/{i:06d}", title=title[:300], organisation=org, body_text=body,
                 published_date=dt.date(2020, 1, 1) + dt.timedelta(days=i % 1500), status=DocumentStatus.PUBLISHED,
                 disclosure_mode=DisclosureMode.PROACTIVE) for i, (title, body) in enumerate(texts)]
Document.objects.bulk_create(rows, batch_size=500)
print(Document.objects.order_by("-id").values_list("pk", flat=True).first())
"""


def corpus(count: int) -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    for name, title_key, body_key in (("laws", "title", "text"), ("policy-fulltext", "Title", "Body")):
        sample = DATA / name / "sample.jsonl"
        if sample.exists():
            for line in sample.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                texts.append((row[title_key], (row.get(body_key) or "")[:2000]))
    if not texts:
        texts = [("关于做好政务公开工作的通知", "各单位要加强政务公开工作。" * 150)]
    return [
        (f"{title}（{i // len(texts) + 1}）", body)
        for i, (title, body) in enumerate(texts * (count // len(texts) + 1))
    ][:count]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    parts = urlsplit(url)
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
            conn.request("GET", parts.path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def wrk(url: str, seconds: int, connections: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", url],
        capture_output=True,
        text=True,
    )
    if os.environ.get("BENCH_VERBOSE"):
        print(out.stdout, out.stderr)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out.stdout)
    if errors:
        print(f"    warning: {errors.group(1)} error responses for {url}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", out.stdout)
    return float(match.group(1)) if match else 0.0


def python_load(url: str, seconds: int, connections: int) -> float:
    parts = urlsplit(url)
    done = [0]
    lock = threading.Lock()
    stop = time.time() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        count = 0
        while time.time() < stop:
            conn.request("GET", parts.path)
            response = conn.getresponse()
            response.read()
            count += response.status == 200
        with lock:
            done[0] += count

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.time() - started)


def serve(env: dict[str, str], port: int, threads: int) -> subprocess.Popen:
    console = BIN / "gongkai"
    command = [str(console)] if console.exists() else [sys.executable, "-m", "gongkai.cli"]
    return subprocess.Popen([*command, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads",
                             str(threads)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # fmt: skip


def warm_search(url: str) -> None:
    """A few searches from four connections at once, so that each worker loads the segmenter."""

    def search() -> None:
        parts = urlsplit(url)
        for _ in range(3):
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
            conn.request("GET", f"{parts.path}?{parts.query}")
            conn.getresponse().read()
            conn.close()

    threads = [threading.Thread(target=search) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:  # the graceful shutdown, slow on a loaded machine
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def workers_cpu(master: int) -> float:
    """CPU seconds (user + system) the server's main process and its workers have used so far."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid = int(stat.parent.name)
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if pid == master or int(fields[1]) == master:
                total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
        except (OSError, IndexError, ValueError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def worker_rss(master: int, field: str = "VmRSS") -> list[float]:
    """Resident memory (MB) of the server's workers, the children of its main process (VmHWM: the
    most each has held since it started)."""
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != master:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        kib = re.search(rf"{field}:\s+(\d+) kB", status)
        if kib:
            sizes.append(int(kib.group(1)) / 1024)
    return sorted(sizes)


def loadavg() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--python-load", action="store_true", help="use the Python load generator, not wrk")
    parser.add_argument("--threads", type=int, default=2, help="Python threads per worker process")
    parser.add_argument(
        "--cache-url", default="", help="Redis URL for the cache (default: the database table)"
    )
    args = parser.parse_args()
    load = python_load if args.python_load or not shutil.which("wrk") else wrk
    workdir = Path(tempfile.mkdtemp(prefix="gongkai-page-bench-"))
    (workdir / "bench_settings.py").write_text(SETTINGS, encoding="utf-8")
    (workdir / "bench_urls.py").write_text(URLS, encoding="utf-8")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(GONGKAI_DATA_DIR=str(workdir), DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
               DJANGO_SETTINGS_MODULE="bench_settings", PYTHONPATH=f"{workdir}{os.pathsep}{ROOT / 'src'}",
               SECRET_KEY="bench-" + "x" * 50, SITE_URL=f"http://127.0.0.1:{port}", HTTPS="0")  # fmt: skip
    manage = [sys.executable, "-m", "gongkai.cli"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    seeded = subprocess.run([sys.executable, "-c", SEED], env=env, input=json.dumps(corpus(args.docs)),
                            capture_output=True, text=True, check=True)  # fmt: skip
    detail = f"/documents/{seeded.stdout.strip().splitlines()[-1]}/"
    # 搜问一体's article index, as a deployment builds it after loading documents (the workers map it)
    built = subprocess.run([*manage, "article_index", "--json"], env=env, check=True, capture_output=True,
                           text=True)  # fmt: skip
    print(f"article index built outside the workers: {json.loads(built.stdout)['cpu_seconds']} s CPU")
    pages = {"minimal one-query page": "/bench-minimal/", "document detail": detail, "home": "/",
             "document list": "/documents/"}  # fmt: skip
    if args.cache_url:
        import redis

        redis.Redis.from_url(args.cache_url).flushdb()  # the bench's own database number
        env["CACHE_URL"] = args.cache_url
    print(f"load average at the start: {loadavg()} on {os.cpu_count()} CPUs")
    results: dict[str, dict[str, float]] = {}
    rss: dict[str, list[float]] = {}
    cpu: dict[str, dict[str, float]] = {}
    for mode in ("uncached", "cached"):
        server = serve({**env, "PAGE_CACHE": "1" if mode == "cached" else "0"}, port, args.threads)
        try:
            wait_for(f"http://127.0.0.1:{port}/bench-minimal/")
            if mode == "uncached":  # the segmenter and its dictionary in every worker
                warm_search(f"http://127.0.0.1:{port}/search/?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80")
                rss["after searches"] = worker_rss(server.pid)
            for label, path in pages.items():
                if mode == "cached" and path == "/bench-minimal/":
                    continue
                url = f"http://127.0.0.1:{port}{path}"
                load(url, 2, args.connections)  # warm up (and fill the cache)
                before = workers_cpu(server.pid)
                rate = results.setdefault(label, {})[mode] = load(url, args.seconds, args.connections)
                # server CPU per request: the figure a shared machine does not distort much
                spent = cpu.setdefault(label, {})[mode] = (workers_cpu(server.pid) - before) / max(
                    rate * args.seconds, 1
                )
                print(
                    f"  {mode:9} {label:24} {rate:8.0f} requests/s {spent * 1000:8.2f} ms CPU/request",
                    flush=True,
                )
            rss[f"after the {mode} run"] = worker_rss(server.pid)
            rss[f"at most during the {mode} run (peak)"] = worker_rss(server.pid, "VmHWM")
        finally:
            stop(server)
    minimal = results["minimal one-query page"]["uncached"]
    cache = "Redis" if args.cache_url else "database table"
    print(f"gongkai serve, 2 workers x {args.threads} threads, {args.connections} connections, {args.seconds} s "
          f"per page, {'wrk' if load is wrk else 'Python load generator'}, {args.docs} documents, SQLite, "
          f"cache in the {cache}; load average at the end {loadavg()} on {os.cpu_count()} CPUs")  # fmt: skip
    print(f"{'page':24}{'uncached':>10}{'% minimal':>11}{'cached':>10}{'CPU ms uncached':>17}{'cached':>8}"
          f"{'2 CPUs at most':>16}  targets: >= 70% of minimal, cached >= 5000/s")  # fmt: skip
    ok = True
    cores = min(os.cpu_count() or 1, 2)
    for label, row in results.items():
        uncached, cached = row.get("uncached", 0.0), row.get("cached")
        share = uncached / minimal if minimal else 0.0
        costs = cpu.get(label, {})
        line = f"{label:24}{uncached:10.0f}"
        if cached is None:
            print(f"{line}{'':>11}{'':>10}{costs.get('uncached', 0) * 1000:17.2f}")
            continue
        hit = share >= 0.7 and cached >= 5000
        ok &= hit
        ceiling = cores / costs["cached"] if costs.get("cached") else 0.0  # the server alone, no wrk
        print(f"{line}{share:10.0%}{cached:10.0f}{costs.get('uncached', 0) * 1000:17.2f}"
              f"{costs.get('cached', 0) * 1000:8.2f}{ceiling:16.0f}  {'ok' if hit else 'MISSED'}")  # fmt: skip
    print(
        "(CPU ms: the server processes' user + system time per request; '2 CPUs at most': cached "
        "requests/s those would give on two idle CPUs with the load generator elsewhere)"
    )
    print(f"\nissue 20 page targets: {'met' if ok else 'NOT met'}")
    largest = max((size for sizes in rss.values() for size in sizes), default=0.0)
    for moment, sizes in rss.items():
        print(f"web worker RSS {moment}: {', '.join(f'{size:.0f} MB' for size in sizes)}")
    print(
        f"worker RSS target (<= 250 MB with the segmenter loaded): {'met' if 0 < largest <= 250 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
