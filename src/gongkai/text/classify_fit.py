"""Fitting the message classifier: the learned model, and the lexicon/learned weights by cross-validation."""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from .classify import (
    DEFAULT_A,
    DEFAULT_B,
    GRID_A,
    GRID_B,
    MIN_FOR_FIT,
    MessageClassifier,
    _fit_linear,
    tokens,
)

FOLDS = 5
SEED = 16
ONE_SE_RULE = True  # False: the weights of the lowest out-of-fold log-loss, however close the others


def fit(
    base: MessageClassifier,
    data: Sequence[tuple[str, str, str]],
    *,
    weights: tuple[float, float] | None = None,
) -> MessageClassifier:
    cats = base.categories
    index = {c: i for i, c in enumerate(cats)}
    labels = np.array([index[c] for _, _, c in data])
    docs = [tokens(s, b) for s, b, _ in data]
    lex = np.array([base.lexicon.features(s, b, cats) for s, b, _ in data])
    sample_weights = np.ones(len(data))
    linear = _fit_linear(docs, labels, len(cats), sample_weights)
    info: dict = {
        "training_messages": len(data),
        "per_category": {c: int(np.sum(labels == i)) for i, c in enumerate(cats)},
    }
    if weights is not None:
        a, b = weights
        info["weights"] = "fixed"
    else:
        a, b, cv = choose_weights(docs, labels, lex, len(cats))
        info.update(cv)
    return replace(base, linear=linear, a=float(a), b=float(b), examples=list(data), info=info)


def choose_weights(
    docs: Sequence[Counter], labels: np.ndarray, lex: np.ndarray, n_classes: int
) -> tuple[float, float, dict]:
    """(a, b) minimising the out-of-fold log-loss; the defaults when the data is too small to tell."""
    counts = np.bincount(labels, minlength=n_classes)
    present = counts[counts > 0]
    # A rare category (even a single message) does not stop the fit: its out-of-fold predictions
    # come from models that never saw it, which is what a new platform faces too.
    folds = int(min(FOLDS, present.max())) if len(present) > 1 else 0
    if len(labels) < MIN_FOR_FIT or folds < 2:
        return DEFAULT_A, DEFAULT_B, {"weights": "default (too few messages to fit)"}
    from sklearn.model_selection import StratifiedKFold

    oof = np.zeros((len(labels), n_classes))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    with warnings.catch_warnings():  # "the least populated class has only 1 member": expected here
        warnings.simplefilter("ignore", UserWarning)
        parts = list(splitter.split(np.zeros(len(labels)), labels))
    for train_idx, test_idx in parts:
        model = _fit_linear(
            [docs[i] for i in train_idx], labels[train_idx], n_classes, np.ones(len(train_idx))
        )
        for i in test_idx:
            oof[i] = model.log_proba(docs[i])
    rows = np.arange(len(labels))
    losses: dict[tuple[float, float], np.ndarray] = {}
    for a in GRID_A:
        for b in GRID_B:
            if a == 0 and b == 0:
                continue
            logits = a * lex + b * oof
            logits = logits - logits.max(axis=1, keepdims=True)
            logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
            losses[(a, b)] = -logp[rows, labels]
    # The one-standard-error rule: of the weights whose out-of-fold log-loss is within one standard
    # error of the best, take the one leaning most on the lexicon (the simpler model). With a few
    # dozen messages the learned part's apparent gain is mostly noise; with hundreds it is not.
    best_key = min(losses, key=lambda k: float(losses[k].mean()))
    limit = float(losses[best_key].mean() + losses[best_key].std() / np.sqrt(len(labels)))
    fine = [k for k in losses if float(losses[k].mean()) <= limit] if ONE_SE_RULE else [best_key]
    a, b = min(fine, key=lambda k: (k[1] / k[0] if k[0] else np.inf, float(losses[k].mean())))
    loss = float(losses[(a, b)].mean())
    logits = a * lex + b * oof
    oof_pred = logits.argmax(axis=1)
    return (
        a,
        b,
        {
            "weights": f"fitted ({folds}-fold out-of-fold log-loss)",
            "cv_log_loss": round(loss, 4),
            "cv_accuracy": round(float(np.mean(oof_pred == labels)), 4),
            "cv_macro_f1": round(macro_f1(labels, oof_pred, n_classes), 4),
        },
    )


def macro_f1(truth: np.ndarray, pred: np.ndarray, n_classes: int) -> float:
    """Mean F1 over the classes present in `truth`."""
    scores = []
    for c in range(n_classes):
        if not np.any(truth == c):
            continue
        tp = float(np.sum((pred == c) & (truth == c)))
        fp = float(np.sum((pred == c) & (truth != c)))
        fn = float(np.sum((pred != c) & (truth == c)))
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(scores)) if scores else 0.0
