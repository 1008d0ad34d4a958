"""The default synonym groups every installation starts with; staff edit and extend them."""

from __future__ import annotations

from typing import Any

DEFAULT_SYNONYMS = [
    ("养老，为老", "养老服务也常写作为老服务"),
    ("托育，托幼", "婴幼儿照护"),
    ("12345，市民服务热线", "政务服务便民热线"),
    ("一网通办，随申办", "上海政务服务平台与移动端"),
]


def seed_synonyms(synonym_model: Any = None) -> int:
    """Create the default groups when the table is empty (a fresh or flushed database)."""
    if synonym_model is None:
        from .models import Synonym as synonym_model
    if synonym_model.objects.exists():
        return 0
    for words, note in DEFAULT_SYNONYMS:
        synonym_model.objects.create(words=words, note=note)
    return len(DEFAULT_SYNONYMS)
