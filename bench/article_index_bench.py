"""Memory of a web worker answering 搜问一体 questions from the article index (issue 20: a worker
within 250 MB RSS), with the index built in the worker (`--inline`: what main did until the index
moved to files) or read from the files of `gongkai article_index` (the default).

Seeds a temporary SQLite database with `--docs` public documents (the corpus of
bench/page_cache_bench.py), builds the files in a child process (its CPU time is printed), then in
a fresh process that holds what a web worker holds (Django, every app and view, the segmenter and
its dictionary) asks the bench's questions and prints the worker's resident memory before and
after (VmRSS, its anonymous and file-backed parts, and the peak VmHWM), the answers' checksum (to
compare the two modes: identical answers give the same) and the CPU time of the questions.

    .venv/bin/python bench/article_index_bench.py [--docs 500] [--inline] [--src /tmp/main/src]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from page_cache_bench import SEED, corpus  # noqa: E402

QUESTIONS = ["政务公开", "政策解读与政策文件同步发布", "行政机关应当在多少个工作日内答复", "本条例自什么时候起施行",
             "国务院办公厅负责什么", "依申请公开的期限", "信息公开工作年度报告", "违反本条例的法律责任",
             "不予公开的政府信息有哪些", "公民可以向哪个部门申请"]  # fmt: skip

WORKER = """
import hashlib, json, os, re, sys, time
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # every view module, as a web worker holds them
from gongkai.search import segmenter
segmenter.ensure_database_terms(); segmenter.cut("政务公开")

def memory():
    status = open("/proc/self/status").read()
    get = lambda field: int(re.search(rf"{field}:\\s+(\\d+) kB", status).group(1)) / 1024
    return {f: round(get(f)) for f in ("VmRSS", "RssAnon", "RssFile", "VmHWM")}

from gongkai.interaction.selectors import article_answer
before = memory()
cpu = time.process_time()
questions = json.loads(sys.argv[1])
answers = [article_answer(q) for q in questions]
cpu = time.process_time() - cpu
try:  # the top 5 of each question too (the bench's corpus repeats its texts: few confident answers)
    from gongkai.interaction import article_index
    retriever = article_index.current().retriever
except ImportError:  # main before the files
    from gongkai.interaction.selectors import _article_retriever
    retriever = _article_retriever()
hits = [[(h.key[0], h.key[2], h.score, h.confidence) for h in retriever.search(q, limit=5)] for q in questions]
digest = hashlib.sha1(json.dumps([answers, hits], ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:12]
print(json.dumps({"before": before, "after": memory(), "cpu": round(cpu, 3), "answers": digest,
                  "answered": sum(a is not None for a in answers)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--inline", action="store_true", help="build the index in the worker (as main did)")
    parser.add_argument(
        "--src",
        default=str(ROOT / "src"),
        help="the gongkai sources to run (e.g. an export of main: with --inline, main's way)",
    )
    args = parser.parse_args()
    from gongkai.text.articles import split_articles

    texts = corpus(args.docs)
    questions = (
        QUESTIONS
        + [  # the opening words of an article of every 25th document: answered
            articles[0].text[:24] for _title, body in texts[::25] if (articles := split_articles(body))
        ][:30]
    )
    workdir = Path(tempfile.mkdtemp(prefix="gongkai-article-bench-"))
    env = {**os.environ, "GONGKAI_DATA_DIR": str(workdir), "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "gongkai.conf.production", "SECRET_KEY": "bench-" + "x" * 50,
           "PYTHONPATH": args.src, "HTTPS": "0", "SITE_URL": "http://127.0.0.1:8000"}  # fmt: skip
    manage = [sys.executable, "-m", "gongkai.cli"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([sys.executable, "-c", SEED], env=env, input=json.dumps(texts), text=True,
                   check=True, capture_output=True)  # fmt: skip
    print(
        f"{args.docs} documents; load average {' '.join(f'{v:.1f}' for v in os.getloadavg())} on "
        f"{os.cpu_count()} CPUs"
    )
    if args.inline:
        env["GONGKAI_ARTICLE_INDEX_BUILD"] = "inline"
    else:
        started = time.monotonic()
        built = subprocess.run([*manage, "article_index", "--json"], env=env, check=True, capture_output=True,
                               text=True)  # fmt: skip
        manifest = json.loads(built.stdout)
        size = sum(f.stat().st_size for f in (workdir / "article-index").rglob("*.npy"))
        print(
            f"gongkai article_index: {manifest['cpu_seconds']} s CPU in the build, "
            f"{time.monotonic() - started:.1f} s wall with start-up; files {size / 1e6:.1f} MB"
        )
    worker = subprocess.run([sys.executable, "-c", WORKER, json.dumps(questions)], env=env, check=True,
                            capture_output=True, text=True)  # fmt: skip
    result = json.loads(worker.stdout.strip().splitlines()[-1])
    mode = "built in the worker" if args.inline else "files read by slices"
    print(f"worker ({mode}): before the questions {result['before']}")
    print(f"worker ({mode}): after {len(questions)} questions {result['after']} (MB; VmHWM is the peak)")
    print(
        f"questions: {result['cpu']} s CPU, {result['answered']} answered; checksum of the answers and of "
        f"every question's top 5 (keys, scores, confidences): {result['answers']}"
    )
    print(f"load average at the end {' '.join(f'{v:.1f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
