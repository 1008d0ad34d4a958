"""The suggested handling field (一级分类) of a message: the platform's classifier
(`gongkai.text.classify`: a lexicon of department duties combined with a model learned from the
platform's own handled messages, see docs/classification.md), kept as one file in the data directory.

`gongkai messages train FILE.jsonl` replaces the model; `gongkai messages train --from-platform` (and the
weekly Celery task `retrain_classifier`) retrains it on the messages whose field the dispatchers
confirmed or corrected at 分办 (`services.confirm_field`, `services.dispatch_message`). Until a model is
trained the lexicon alone suggests.
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
    return _train_and_store(examples), len(examples), errors


def platform_examples() -> list[tuple[str, str, str]]:
    """(subject, body, field) of every message whose 办理领域 a dispatcher confirmed or corrected,
    oldest change first (a later correction of the same text replaces an earlier label)."""
    from .models import Message

    rows = (
        Message.objects.exclude(handling_field="")
        .order_by("updated_at", "id")
        .values_list("subject", "body", "handling_field")
    )
    examples = []
    for subject, body, field in rows:
        try:
            examples.append(
                clean_example({"subject": subject, "body": body, "category": field}, labelled=True)
            )
        except ValidationError:
            continue  # a message the classifier cannot read (e.g. over its length limit) is left out
    return examples


def train_from_platform() -> tuple[text_classify.MessageClassifier, dict[str, int]]:
    """Retrain on the stored model's messages (e.g. a file trained with `messages train FILE`) plus
    the platform's handled messages with the dispatchers' confirmations and corrections, which
    replace the label of the same text; store the model. The next suggestion uses it."""
    current = load()
    platform = platform_examples()
    examples = [*current.examples, *platform]
    if not examples:
        raise ValidationError({"file": "平台上还没有确认过办理领域的留言，无法训练。"})
    model = _train_and_store(examples, extra=current.categories)
    return model, {"trained": model.info.get("training_messages", len(examples)),
                   "from_platform": len(platform), "from_previous_model": len(current.examples)}  # fmt: skip


def _train_and_store(
    examples: list[tuple[str, str, str]], extra: tuple[str, ...] = ()
) -> text_classify.MessageClassifier:
    categories = sorted(set(text_classify.DEFAULT_CATEGORIES) | set(extra) | {c for _, _, c in examples})
    try:
        model = text_classify.train(examples, categories=categories)
    except text_classify.ClassifyError as exc:
        raise ValidationError({exc.field: exc.message}) from None
    path = model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(path)
    _load.cache_clear()
    return model


def categories() -> tuple[str, ...]:
    """The fields a dispatcher can choose: the stored model's (the lexicon's seven at least)."""
    return tuple(dict.fromkeys([*text_classify.DEFAULT_CATEGORIES, *load().categories]))


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
