"""The suggested handling field (一级分类) of a message: the platform's classifier
(`gongkai.text.classify`: a lexicon of department duties combined with a model learned from the
platform's own handled messages, see docs/classification.md), kept as one file in the data directory.

`gongkai messages train` replaces the model; until one is trained the lexicon alone suggests.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from gongkai.text import classify as text_classify


def model_path() -> Path:
    return Path(settings.DATA_DIR) / "interaction" / "messages.npz"


def clean_example(row: Any, *, labelled: bool) -> tuple[str, str, str]:
    """(subject, body, category) of one JSONL line; ValidationError keyed by the field that is wrong."""
    if not isinstance(row, dict):
        raise ValidationError({"line": "每行须为一个 JSON 对象。"})
    try:
        subject, body = text_classify.check_message(row.get("subject") or "", row.get("body") or "")
    except text_classify.ClassifyError as exc:
        raise ValidationError({exc.field: exc.message}) from None
    category = row.get("category") or ""
    if labelled and (not isinstance(category, str) or not category.strip() or len(category) > 50):
        raise ValidationError({"category": "缺少分类（category）。"})
    return subject, body, category.strip() if isinstance(category, str) else ""


def train(rows: list[Any]) -> tuple[text_classify.MessageClassifier, int, list[dict[str, Any]]]:
    """Train on labelled rows and store the model; bad rows are reported with their line and skipped.

    The lexicon's seven fields stay available besides the fields the platform's messages use."""
    examples, errors = [], []
    for number, row in enumerate(rows, start=1):
        try:
            examples.append(clean_example(row, labelled=True))
        except ValidationError as exc:
            errors.append({"line": number, "errors": [m for ms in exc.message_dict.values() for m in ms]})
    if not examples:
        raise ValidationError({"file": "没有可用于训练的留言。"})
    categories = sorted(set(text_classify.DEFAULT_CATEGORIES) | {c for _, _, c in examples})
    try:
        model = text_classify.train(examples, categories=categories)
    except text_classify.ClassifyError as exc:
        raise ValidationError({exc.field: exc.message}) from None
    path = model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(path)
    _load.cache_clear()
    return model, len(examples), errors


@lru_cache(maxsize=1)
def _load(path: str, mtime: float) -> text_classify.MessageClassifier:
    if mtime < 0:
        return text_classify.MessageClassifier.lexicon_only()
    return text_classify.MessageClassifier.load(path)


def load() -> text_classify.MessageClassifier:
    """The stored model (loaded once per change of its file), or the lexicon alone."""
    path = model_path()
    return _load(str(path), path.stat().st_mtime if path.exists() else -1.0)


def suggest(subject: str, body: str) -> tuple[str, float]:
    """The most likely field and its confidence, for the dispatcher to confirm or correct."""
    try:
        return load().suggest(subject or "", body or "")
    except text_classify.ClassifyError:
        return ("", 0.0)
