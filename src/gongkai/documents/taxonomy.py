"""The national 主题分类 (State Council policy library), the default, editable theme taxonomy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gongkai.taxonomy.seed import has_english_name, sync_theme_tag

THEMES = Path(__file__).resolve().parent / "data" / "themes.json"


def seed_themes(theme_model: Any = None, tag_model: Any = None, *, with_tags: bool = True) -> int:
    """Create the themes that are missing (staff edits to existing ones are kept), each with its 主题
    tag in the shared tag catalogue; returns how many themes were created."""
    if theme_model is None:
        from .models import Theme as theme_model
    if tag_model is None and with_tags:
        from gongkai.taxonomy.models import Tag as tag_model
    by_code: dict[str, Any] = {}
    created = 0
    english = has_english_name(theme_model)
    for row in json.loads(THEMES.read_text())["themes"]:
        theme, was_created = theme_model.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                **({"name_en": row.get("name_en", "")} if english else {}),
                "sort_order": row["sort_order"],
                "parent": by_code.get(row["parent"]),
            },
        )
        if english and not was_created and not theme.name_en and row.get("name_en"):
            # an English name where there was none; staff edits are kept
            theme.name_en = row["name_en"]
            theme.save(update_fields=["name_en"])
        by_code[row["code"]] = theme
        created += was_created
    if with_tags:
        sync_theme_tags(theme_model, tag_model)
    return created


def sync_theme_tags(theme_model: Any, tag_model: Any) -> None:
    """Every 主题分类 has its tag of dimension 主题 (same code under `theme-`), parents first."""
    themes = list(theme_model.objects.select_related("parent").order_by("sort_order", "pk"))
    for theme in [t for t in themes if t.parent_id is None] + [t for t in themes if t.parent_id is not None]:
        sync_theme_tag(
            tag_model, theme.code, theme.name, theme.parent.code if theme.parent else None, theme.sort_order,
            name_en=getattr(theme, "name_en", ""),
        )  # fmt: skip
