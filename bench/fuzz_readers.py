"""Fuzz the file readers with 2,000 malformed files of every type; print crashes, hangs, time and memory.

Each file is read by `gongkai.text.readers.read_bytes` in a forked child process (its own memory,
killed after --timeout seconds). A crash is any exception other than ReadError; a ReadError that the
readers' last-resort net made out of an unexpected exception is counted apart ("caught"), since it
still names a reader bug. The corpus comes from bench/fuzz_corpus.py (seeded, nothing on disk).

    .venv/bin/python bench/fuzz_readers.py [--count 2000] [--seed 11] [--timeout 10] [--light] [--show 20]

Target (issue 11): 0 crashes and 0 hangs over 10 s; every bomb stopped with a clear error.
"""

from __future__ import annotations

import argparse
import logging
import os
import pickle
import resource
import select
import signal
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.conf.test")

import django  # noqa: E402

django.setup()

import docx  # noqa: E402, F401  (imported before forking, so children start warm)
import pypdf  # noqa: E402, F401
from fuzz_corpus import corpus  # noqa: E402

from gongkai.text.readers import ReadError, read_bytes  # noqa: E402

try:
    import pypdfium2  # noqa: F401
except ImportError:  # pragma: no cover
    pass


def _child(name: str, data: bytes, write_fd: int) -> None:
    logging.disable(logging.CRITICAL)  # pypdf's warnings about broken files, and the readers' own
    started = time.perf_counter()
    try:
        result = read_bytes(data, name)
        outcome = ("ok", result.format, "")
    except ReadError as exc:
        outcome = ("caught" if getattr(exc, "unexpected", None) else "error", exc.code, exc.message[:200])
    except BaseException as exc:  # that is what the bench is looking for
        outcome = ("crash", exc.__class__.__name__, str(exc)[:200])
    payload = pickle.dumps((*outcome, time.perf_counter() - started))
    os.write(write_fd, payload)
    os._exit(0)


def run_one(name: str, data: bytes, timeout: float) -> tuple[str, str, str, float, int, float]:
    """(status, code or exception, message, seconds, max RSS in MB, CPU seconds) of one file read in a child."""
    read_fd, write_fd = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child(name, data, write_fd)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = started + timeout
    hung = False
    while True:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            hung = True
            os.kill(pid, signal.SIGKILL)
            break
        ready, _, _ = select.select([read_fd], [], [], remaining)
        if ready:
            chunk = os.read(read_fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    os.close(read_fd)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - started
    rss_mb = usage.ru_maxrss // 1024
    cpu = usage.ru_utime + usage.ru_stime
    if hung:
        return "hang", "", f"over {timeout:.0f} s", elapsed, rss_mb, cpu
    if not chunks:
        how = signal.Signals(os.WTERMSIG(status)).name if os.WIFSIGNALED(status) else f"exit {status >> 8}"
        return "crash", "died", how, elapsed, rss_mb, cpu
    outcome, code, message, _seconds = pickle.loads(b"".join(chunks))
    return outcome, code, message, elapsed, rss_mb, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--light", action="store_true", help="leave out the largest bombs")
    parser.add_argument("--show", type=int, default=20, help="list this many crashes and hangs")
    args = parser.parse_args()

    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    by_kind: dict[str, Counter] = defaultdict(Counter)
    worst: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])  # type -> max seconds, RSS MB, CPU s
    problems: list[tuple[str, str, str, str, str]] = []
    slowest: tuple[float, str] = (0.0, "")
    biggest: tuple[int, str] = (0, "")
    sizes = 0
    started = time.perf_counter()
    for index, (kind, name, data) in enumerate(corpus(args.count, args.seed, heavy=not args.light)):
        sizes += len(data)
        status, code, message, seconds, rss_mb, cpu = run_one(name, data, args.timeout)
        kind_type = kind.split(":")[0]
        by_kind[kind_type][status] += 1
        previous = worst[kind_type]
        worst[kind_type] = [max(previous[0], seconds), max(previous[1], rss_mb), max(previous[2], cpu)]
        if status in {"crash", "hang", "caught"}:
            problems.append((status, kind, name, code, message))
        label = f"#{index} {kind} ({len(data) // 1024} KB)"
        slowest = max(slowest, (seconds, label))
        biggest = max(biggest, (rss_mb, label))
    total = time.perf_counter() - started

    count = sum(sum(c.values()) for c in by_kind.values())
    statuses = Counter()
    for counter in by_kind.values():
        statuses.update(counter)
    print(f"fuzz_readers: {count} malformed files ({sizes / 1024 / 1024:.0f} MB), seed {args.seed}, "
          f"timeout {args.timeout:.0f} s, {total:.0f} s in all")  # fmt: skip
    print(f"{'type':<10} {'files':>6} {'read':>6} {'refused':>8} {'caught':>7} {'crashes':>8} {'hangs':>6} "
          f"{'max s':>7} {'max cpu':>8} {'max MB':>7}")  # fmt: skip
    for kind in sorted(by_kind):
        c, (seconds, rss, cpu) = by_kind[kind], worst[kind]
        print(f"{kind:<10} {sum(c.values()):>6} {c['ok']:>6} {c['error']:>8} {c['caught']:>7} {c['crash']:>8} "
              f"{c['hang']:>6} {seconds:>7.2f} {cpu:>8.2f} {rss:>7.0f}")  # fmt: skip
    print(f"crashes: {statuses['crash']}  hangs over {args.timeout:.0f} s: {statuses['hang']}  "
          f"unexpected exceptions caught by the readers' net: {statuses['caught']}")  # fmt: skip
    print(f"max time for one file: {slowest[0]:.2f} s wall clock ({slowest[1]}); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
    print(
        f"max RSS of one reader process: {biggest[0]} MB ({biggest[1]}; the parent itself: {baseline_mb} MB)"
    )
    for status, kind, name, code, message in problems[: args.show]:
        print(f"  {status}: {kind} {name}: {code} {message}")
    return 1 if statuses["crash"] or statuses["hang"] else 0


if __name__ == "__main__":
    sys.exit(main())
