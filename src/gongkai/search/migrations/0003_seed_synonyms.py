from django.db import migrations


def seed(apps, schema_editor):
    from gongkai.search.synonyms import seed_synonyms

    seed_synonyms(apps.get_model("search", "Synonym"))


class Migration(migrations.Migration):
    dependencies = [("search", "0002_index_tables")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
