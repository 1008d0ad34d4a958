"""Seed the national 主题分类 (State Council policy library) as the default, editable taxonomy."""

import json
from pathlib import Path

from django.db import migrations

THEMES = Path(__file__).resolve().parent.parent / "data" / "themes.json"


def seed(apps, schema_editor):
    Theme = apps.get_model("documents", "Theme")
    by_code = {}
    for row in json.loads(THEMES.read_text())["themes"]:
        theme, _ = Theme.objects.get_or_create(
            code=row["code"],
            defaults={"name": row["name"], "sort_order": row["sort_order"], "parent": by_code.get(row["parent"])},
        )
        by_code[row["code"]] = theme


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
