"""Seed the national 主题分类 (State Council policy library) as the default, editable taxonomy."""

from django.db import migrations


def seed(apps, schema_editor):
    from gongkai.documents.taxonomy import seed_themes

    seed_themes(apps.get_model("documents", "Theme"), with_tags=False)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
