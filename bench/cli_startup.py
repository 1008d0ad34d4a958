"""Command-line start-up: how long `gongkai deadline`, `gongkai docno normalize` and `gongkai search` take.

Issue 20 target: each starts and answers in <= 0.5 s wall on an idle machine. Every command runs
`--runs` times in a fresh process (the installed console script, bytecode compiled first as `pip
install` does; PYTHONDONTWRITEBYTECODE is removed from the environment). Printed per command: the best
and median wall time, the CPU time (user + system) of the best run, and the load average, since
on this shared 2-core machine other sessions' work inflates wall time but hardly the CPU time.
With `--importtime` the ten slowest imports of each command are listed (`python -X importtime`).

    .venv/bin/python bench/cli_startup.py [--runs 7] [--importtime]

The database is a fresh SQLite file in a temporary GONGKAI_DATA_DIR (migrated once, not timed), with
one published document so that `gongkai search` has something to find.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGET_S = 0.5
COMMANDS = {
    "deadline": ["deadline", "--from", "2025-09-28", "--working-days", "20"],
    "docno normalize": ["docno", "normalize", "国办发[2019]3号"],
    "search": ["search", "电信条例"],
}
SEED = """
import django
django.setup()
from gongkai.accounts.models import Organisation
from gongkai.documents.constants import DisclosureMode, DocumentStatus
from gongkai.documents.models import Document
from gongkai.search import services
org, _ = Organisation.objects.get_or_create(code="bench", defaults={"name": "国务院", "organ_code": "国"})
Document.objects.create(index_number="BENCH/1", title="中华人民共和国电信条例", organisation=org,
                        published_date="2016-02-06", body_text="为了规范电信市场秩序，制定本条例。",
                        status=DocumentStatus.PUBLISHED, disclosure_mode=DisclosureMode.PROACTIVE)
services.rebuild_index()
"""


def script() -> list[str]:
    console = BIN / "gongkai"
    return [str(console)] if console.exists() else [sys.executable, "-m", "gongkai.cli"]


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def slowest_imports(args: list[str], env: dict[str, str], count: int = 10) -> list[str]:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "gongkai.cli", *args], env=env,
                            capture_output=True, text=True)  # fmt: skip
    rows = []
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "self [us]" not in line:
            _own, cumulative, name = line[len("import time:") :].split("|")
            if not name.startswith("  "):  # top-level imports only: their cumulative time
                rows.append((int(cumulative), name.strip()))
    rows.sort(reverse=True)
    return [f"      {us / 1000:7.1f} ms  {name}" for us, name in rows[:count]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--importtime", action="store_true", help="list the slowest imports per command")
    args = parser.parse_args()
    compileall.compile_dir(str(ROOT / "src"), quiet=1)
    workdir = Path(tempfile.mkdtemp(prefix="gongkai-cli-bench-"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(GONGKAI_DATA_DIR=str(workdir), DATABASE_URL=f"sqlite:///{workdir / 'cli.sqlite3'}",
               DJANGO_SETTINGS_MODULE="gongkai.conf.dev", PYTHONPATH=str(ROOT / "src"))  # fmt: skip
    subprocess.run([*script(), "migrate", "-v0"], env=env, check=True)
    subprocess.run([sys.executable, "-c", SEED], env=env, check=True, capture_output=True)
    for command in COMMANDS.values():  # warm the page cache once
        timed([*script(), *command], env)
    load = os.getloadavg()
    print(f"gongkai command-line start-up, {args.runs} runs each, load average {load[0]:.1f} "
          f"on {os.cpu_count()} CPUs (target: <= {TARGET_S} s wall on an idle machine)")  # fmt: skip
    print(f"{'command':18}{'best wall':>11}{'median':>9}{'CPU':>8}  target")
    ok = True
    for label, command in COMMANDS.items():
        runs = [timed([*script(), *command], env) for _ in range(args.runs)]
        best_wall, best_cpu = min(runs)
        median = statistics.median(wall for wall, _cpu in runs)
        hit = best_wall <= TARGET_S
        ok &= hit
        print(f"{label:18}{best_wall:10.3f}s{median:8.3f}s{best_cpu:7.3f}s  {'ok' if hit else 'MISSED'}")
        if args.importtime:
            print("\n".join(slowest_imports(command, env)))
    print(f"\nissue 20 start-up target: {'met' if ok else 'NOT met'} (best wall of {args.runs} runs)")


if __name__ == "__main__":
    main()
