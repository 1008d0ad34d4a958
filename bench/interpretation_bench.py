"""Assisted-reading bench: how long the 新旧政策差异 comparison and the key-fact extraction take.

Times `compare_texts` on the real 增值税暂行条例 against its rebuilt pre-2017 text (demo content),
on every real regulation of ../shared/data/laws compared with itself with every third article
dropped (the worst case for alignment: many unmatched articles), and `extract_key_facts` over every
real text there and in policy-fulltext. Prints figures; no targets are asserted.

    .venv/bin/python bench/interpretation_bench.py [--data ../shared/data] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.conf.test")

import django  # noqa: E402

django.setup()

from gongkai.documents.compare import compare_texts, split_articles  # noqa: E402
from gongkai.documents.keyfacts import extract_key_facts  # noqa: E402

CONTENT = ROOT / "src" / "gongkai" / "demo" / "content"


def timed(func, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--data", default=os.environ.get("GONGKAI_SHARED_DATA", str(ROOT.parent / "shared" / "data"))
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    old, new = (CONTENT / "sh-business-2020.txt").read_text(), (CONTENT / "sh-business-2024.txt").read_text()
    comparison = compare_texts(old, new)
    print(
        f"上海市优化营商环境条例 2020→2024 (official texts): {comparison.counts}, "
        f"{timed(lambda: compare_texts(old, new), args.repeat):.1f} ms"
    )
    laws = Path(args.data) / "laws" / "sample.jsonl"
    texts = []
    if laws.exists():
        rows = [json.loads(line) for line in laws.read_text().splitlines() if line]
        worst, total_ms = (0.0, ""), 0.0
        for row in rows:
            text = row["text"].split("<!-- INFO END -->")[-1]
            articles = split_articles(text)
            texts.append(text)
            if len(articles) < 3:
                continue
            dropped = "".join(text[a.start : a.end] for i, a in enumerate(articles) if i % 3 != 1)
            ms = timed(lambda t=text, d=dropped: compare_texts(t, d), args.repeat)
            total_ms += ms
            worst = max(worst, (ms, f"{row['title']} ({len(articles)} 条)"))
        print(
            f"laws: {len(rows)} regulations, each vs. itself minus every third article: "
            f"total {total_ms:.0f} ms, slowest {worst[0]:.1f} ms ({worst[1]})"
        )
    fulltext = Path(args.data) / "policy-fulltext" / "sample.jsonl"
    if fulltext.exists():
        texts += [json.loads(line)["Body"] for line in fulltext.read_text().splitlines() if line]
    texts += [path.read_text() for path in sorted(CONTENT.glob("*.txt"))]
    chars = sum(len(t) for t in texts)
    start = time.perf_counter()
    facts = sum(len(extract_key_facts(t)) for t in texts)
    elapsed = time.perf_counter() - start
    kinds: dict[str, int] = {}
    for text in texts:
        for fact in extract_key_facts(text):
            kinds[fact.kind] = kinds.get(fact.kind, 0) + 1
    print(
        f"key facts: {len(texts)} texts, {chars} characters, {facts} facts {kinds}, "
        f"{elapsed * 1000:.0f} ms ({chars / elapsed / 1000:.0f}k characters/s)"
    )


if __name__ == "__main__":
    main()
