"""Same-source message classification: train on replies-derived weak labels, test on the 58 labelled messages.

    .venv/bin/python bench/messages_same_source.py [--data ../shared/data] [--choose] [--show-weak]

Data (evaluation data, read from ../shared/data, never copied into the project; skipped when absent):

- `messages/replies-sample.jsonl`: 100 messages of the provincial 问政 board with the official reply.
  Each is labelled by the unit its reply names (`message_replies.HANDLING_UNITS`, public knowledge of
  department functions): a weak label. These are the same-source training messages.
- `kb/gov-answers-dev.jsonl`: the Beijing 12345 questions mapped by the handling unit (another source).
- `messages/labeled-sample.jsonl`: the 58 messages with the organiser's 一级分类. The TEST: never
  trained on, never used to choose anything here.

Steps:

1. the weak labels: how many replies map to one field, to several, to none; `--show-weak` prints
   each with its subject for a spot-check by eye;
2. `--choose` (and nothing else): options of the learned part and of the weights (subject weight, character n-grams,
   class balance, the one-standard-error rule) scored by repeated 3-fold cross-validation on the
   replies-derived messages only (training: the other folds plus the Beijing questions). The 58 are
   not read in this step;
3. train once on replies-derived + Beijing with the classifier's settings, test once on the 58: macro-F1
   with a bootstrap interval, per-field precision, recall and false alarms, and the messages put in a
   wrong field with confidence ≥ `CONFIDENT`.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
from message_replies import REPLIES, load_replies  # noqa: E402
from messages_bench import KB_DEV, SAMPLE, calibration, load, load_kb, make_model, splits  # noqa: E402

from gongkai.text import classify, classify_fit  # noqa: E402
from gongkai.text.classify import DEFAULT_CATEGORIES  # noqa: E402
from gongkai.text.classify_fit import macro_f1  # noqa: E402

CONFIDENT = 0.8
NAMES = {
    "plain": "plain TF-IDF + LR",
    "lexicon": "lexicon only",
    "learned": "learned only",
    "combined": "combined",
}
# One change at a time from the classifier's settings (the first line).
VARIANTS: list[tuple[str, dict]] = [
    ("current settings (subject ×2, char 1–3, balanced, 1-SE rule)", {}),
    ("subject ×1", {"SUBJECT_TIMES": 1}),
    ("subject ×3", {"SUBJECT_TIMES": 3}),
    ("subject ×4", {"SUBJECT_TIMES": 4}),
    ("char 1–2-grams", {"CHAR_NGRAMS": (1, 2)}),
    ("char 1–4-grams", {"CHAR_NGRAMS": (1, 2, 3, 4)}),
    ("char 2–3-grams", {"CHAR_NGRAMS": (2, 3)}),
    ("no class balance", {"BALANCED": False}),
    ("lowest-loss weights (no 1-SE rule)", {"ONE_SE_RULE": False}),
]


def with_settings(settings: dict):
    """Set the classifier's module settings; returns the old values to restore."""
    old = {}
    for key, value in settings.items():
        module = classify_fit if key == "ONE_SE_RULE" else classify
        old[key] = getattr(module, key)
        setattr(module, key, value)
    return old


def choose(replies, beijing, repeats: int, variants=VARIANTS) -> None:
    """Each variant scored on the replies-derived messages by repeated 3-fold CV (Beijing always in training)."""
    cats = list(DEFAULT_CATEGORIES)
    index = {c: i for i, c in enumerate(cats)}
    labels = [c for _, _, c in replies]
    truth = np.array([index[c] for c in labels])
    print(f"\n== Choosing settings: 3-fold × {repeats} CV on the {len(replies)} replies-derived messages")
    print(
        f"   (training: the other folds + {len(beijing)} Beijing questions; the 58 labelled messages are not read)"
    )
    print(f"   {'variant':<62} {'learned F1':>10} {'acc':>6} {'combined F1':>11} {'acc':>6}")
    for name, settings in variants:
        old = with_settings(settings)
        try:
            out = []
            for mode in ("learned", "combined"):
                if mode == "learned" and set(settings) == {"ONE_SE_RULE"}:
                    out.append(None)
                    continue
                scores, accs = [], []
                for rep in range(repeats):
                    pred = np.zeros(len(replies), dtype=int)
                    for test in splits(labels, 3, seed=100 + rep):
                        held = set(test)
                        model = make_model(
                            mode, [r for i, r in enumerate(replies) if i not in held] + beijing
                        )
                        for i in test:
                            pred[i] = index[model.suggest(replies[i][0], replies[i][1])[0]]
                    scores.append(macro_f1(truth, pred, len(cats)))
                    accs.append(float(np.mean(pred == truth)))
                out.append((float(np.mean(scores)), float(np.mean(accs))))
        finally:
            with_settings(old)
        cells = "".join(f" {s[0]:>10.3f} {s[1]:>6.3f}" if s else f" {'—':>10} {'—':>6}" for s in out)
        print(f"   {name:<62}{cells}", flush=True)


def test_on_labelled(training, test, modes) -> None:
    cats = list(DEFAULT_CATEGORIES)
    index = {c: i for i, c in enumerate(cats)}
    truth = np.array([index[c] for _, _, c in test])
    rng = np.random.default_rng(16)
    boots = [rng.integers(0, len(test), len(test)) for _ in range(1000)]
    dist = Counter(c for _, _, c in test)
    print(
        f"\n== Test once on the {len(test)} labelled messages: "
        + ", ".join(f"{c} {n}" for c, n in dist.most_common())
    )
    print(
        f"   trained on {len(training)}: "
        + ", ".join(f"{c} {n}" for c, n in Counter(c for *_, c in training).most_common())
    )
    for mode in modes:
        start = time.process_time()
        model = make_model(mode, training)
        suggestions = [model.suggest(s, b) for s, b, _ in test]
        pred = np.array([index[c] for c, _ in suggestions])
        conf = np.array([p for _, p in suggestions])
        score = macro_f1(truth, pred, len(cats))
        low, high = np.percentile([macro_f1(truth[i], pred[i], len(cats)) for i in boots], [2.5, 97.5])
        weights = f"; a = {model.a}, b = {model.b}" if mode == "combined" else ""
        print(f"\n   {NAMES[mode]}: macro-F1 {score:.3f} (bootstrap 95% {low:.3f}–{high:.3f}); "
              f"accuracy {float(np.mean(pred == truth)):.3f}; {calibration(conf, pred == truth)}{weights}"
              f" ({time.process_time() - start:.1f} s CPU)")  # fmt: skip
        print(f"      {'field':<10} {'n':>3} {'precision':>9} {'recall':>7} {'F1':>6} {'false alarms':>12}")
        for c, cat in enumerate(cats):
            tp = int(np.sum((pred == c) & (truth == c)))
            fp = int(np.sum((pred == c) & (truth != c)))
            fn = int(np.sum((pred != c) & (truth == c)))
            p, r = (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)
            f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            print(f"      {cat:<10}{int(np.sum(truth == c)):>4} {p:>9.3f} {r:>7.3f} {f:>6.3f} {fp:>12}")
        wrong = (pred != truth) & (conf >= CONFIDENT)
        moves = Counter(f"{cats[truth[i]]}→{cats[pred[i]]}" for i in np.flatnonzero(wrong))
        print(f"      confident false alarms (wrong field, confidence ≥ {CONFIDENT}): {int(wrong.sum())} of "
              f"{int(np.sum(conf >= CONFIDENT))} confident suggestions" + (f": {dict(moves)}" if moves else ""))  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--choose", action="store_true", help="only score the setting variants by CV (slow)")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--variants", type=int, default=len(VARIANTS), help="score the first N variants")
    parser.add_argument(
        "--no-beijing", action="store_true", help="train on the replies-derived messages alone"
    )
    parser.add_argument("--show-weak", action="store_true", help="print each weak label for a spot-check")
    parser.add_argument("--only", choices=list(NAMES), action="append")
    args = parser.parse_args()
    if not all((args.data / p).is_file() for p in (REPLIES, KB_DEV, SAMPLE)):
        print(f"skipped: evaluation data not found under {args.data} (it lives outside the project)")
        return 0
    print(
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores; times are CPU time"
    )
    replies, kinds = load_replies(args.data, accept=("one field", "signature", "first"))
    print(
        f"weak labels from {sum(kinds.values())} replies: "
        + ", ".join(f"{k} {n}" for k, n in kinds.most_common())
    )
    print("   per field: " + ", ".join(f"{c} {n}" for c, n in Counter(c for *_, c in replies).most_common()))
    if args.show_weak:
        for subject, body, field in replies:
            print(f"   {field:<8} {(subject or body)[:50]}")
    beijing = [] if args.no_beijing else load_kb(args.data)
    if args.choose:  # choosing never reads the test messages
        choose(replies, beijing, args.repeats, VARIANTS[: args.variants])
        return 0
    test_on_labelled(replies + beijing, load(args.data), args.only or list(NAMES))
    print(f"\n(peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
