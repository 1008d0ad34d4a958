"""Documents take their tags from the shared catalogue (taxonomy.Tag); the old free-text tags go.

Each 主题分类 gets its 主题 tag in the catalogue.
"""

from django.db import migrations, models


def sync_theme_tags(apps, schema_editor):
    from gongkai.documents.taxonomy import sync_theme_tags as sync

    sync(apps.get_model("documents", "Theme"), apps.get_model("taxonomy", "Tag"))


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_seed_themes"),
        ("taxonomy", "0002_seed_catalogue"),
    ]

    operations = [
        migrations.RemoveField(model_name="document", name="tags"),
        migrations.DeleteModel(name="Tag"),
        migrations.AddField(
            model_name="document",
            name="tags",
            field=models.ManyToManyField(
                blank=True, related_name="documents", to="taxonomy.tag", verbose_name="政策标签"
            ),
        ),
        migrations.RunPython(sync_theme_tags, migrations.RunPython.noop),
    ]
