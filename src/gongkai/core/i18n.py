"""Names kept in the database in two languages: taxonomy entries (主题分类, tags) have a Chinese name
and, where the seed data or staff gave one, an English name for the English pages."""

from __future__ import annotations

from django.utils import translation


def english_active() -> bool:
    return (translation.get_language() or "").startswith("en")


def localized_name(name: str, name_en: str) -> str:
    """`name_en` on the English pages when there is one, else the Chinese `name`."""
    return name_en if name_en and english_active() else name
