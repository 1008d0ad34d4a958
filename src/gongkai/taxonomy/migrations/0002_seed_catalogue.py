from django.db import migrations


def seed(apps, schema_editor):
    from gongkai.taxonomy.seed import seed_region_tags, seed_tags

    tag = apps.get_model("taxonomy", "Tag")
    seed_tags(tag)
    seed_region_tags(tag, apps.get_model("accounts", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial"), ("accounts", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
