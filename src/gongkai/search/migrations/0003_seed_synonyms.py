from django.db import migrations

SYNONYMS = [
    ("养老，为老", "养老服务也常写作为老服务"),
    ("托育，托幼", "婴幼儿照护"),
    ("12345，市民服务热线", "政务服务便民热线"),
    ("一网通办，随申办", "上海政务服务平台与移动端"),
]


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for words, note in SYNONYMS:
        Synonym.objects.get_or_create(words=words, defaults={"note": note})


class Migration(migrations.Migration):
    dependencies = [("search", "0002_index_tables")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
