"""Classification of citizen messages into their handling field (issue 16): macro-F1 on held-out folds.

Data: `../shared/data/messages/labeled-sample.jsonl` (or `GONGKAI_SHARED_DATA`): real messages with
their 一级分类. Evaluation data: read here, never copied into the project; skips when absent.

Protocol: stratified 5-fold cross-validation repeated over 5 seeds (every message is predicted by a
model that never saw it); macro-F1 over the fields, for the lexicon-prior naive Bayes that
`gongkai messages train` stores, for the same model without the lexicon, and for the lexicon alone.
The issue's target: macro-F1 >= 0.85 (TF-IDF with logistic regression reaches about 0.62).

    .venv/bin/python bench/messages_bench.py
"""

from __future__ import annotations

import json
import os
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.conf.dev")

import django

django.setup()

from gongkai.interaction.classify import Classifier, message_text  # noqa: E402

SHARED = Path(os.environ.get("GONGKAI_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
DATA = SHARED / "messages" / "labeled-sample.jsonl"


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    labels = sorted(set(gold))
    scores = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == label and g != label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def folds(rows: list[tuple[str, str]], k: int, seed: int) -> list[list[int]]:
    by_label = defaultdict(list)
    for index, (_text, label) in enumerate(rows):
        by_label[label].append(index)
    out: list[list[int]] = [[] for _ in range(k)]
    rng = random.Random(seed)
    position = 0
    for label in sorted(by_label):
        indices = by_label[label]
        rng.shuffle(indices)
        for index in indices:
            out[position % k].append(index)
            position += 1
    return out


def main() -> None:
    if not DATA.exists():
        print(f"skipped: {DATA} is absent")
        return
    raw = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [(message_text(r.get("留言主题", ""), r.get("留言详情", "")), r["一级分类"]) for r in raw]
    print(f"{len(rows)} labelled messages, {len(set(label for _t, label in rows))} fields")
    variants = {
        "naive Bayes + lexicon (shipped)": None,
        "naive Bayes, no lexicon": {},
        "lexicon alone": "alone",
    }
    for name, lexicon in variants.items():
        results = []
        for seed in range(5):
            gold, predicted = [], []
            for test in folds(rows, 5, seed):
                held = set(test)
                model = Classifier(lexicon=None if lexicon in (None, "alone") else lexicon)
                if lexicon != "alone":
                    model.fit(rows[i] for i in range(len(rows)) if i not in held)
                predictions = model.predict([rows[i][0] for i in test])
                gold += [rows[i][1] for i in test]
                predicted += [p for p, _c in predictions]
            results.append(macro_f1(gold, predicted))
        mean = sum(results) / len(results)
        print(f"{name:<34} macro-F1 {mean:.3f}  (seeds: {', '.join(f'{r:.3f}' for r in results)})")


if __name__ == "__main__":
    main()
