"""The national 主题分类 (State Council policy library), the default, editable theme taxonomy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

THEMES = Path(__file__).resolve().parent / "data" / "themes.json"


def seed_themes(theme_model: Any = None) -> int:
    """Create the themes that are missing (staff edits to existing ones are kept); returns how many."""
    if theme_model is None:
        from .models import Theme as theme_model
    by_code: dict[str, Any] = {}
    created = 0
    for row in json.loads(THEMES.read_text())["themes"]:
        theme, was_created = theme_model.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "sort_order": row["sort_order"],
                "parent": by_code.get(row["parent"]),
            },
        )
        by_code[row["code"]] = theme
        created += was_created
    return created
