"""Index writes replace the documents app's data version (SQLite), like document writes do.

`SqliteBackend.match_document_ids` maps FTS5 row ids (entry ids) to document ids through a table
kept per process and rebuilt when the version changes (issue 20): entry ids can be reused after a
rolled-back transaction, so the version, not the highest id, says when the table is stale.
"""

from django.db import migrations

BUMP = "UPDATE documents_dataversion SET token = random() WHERE id = 1;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, event in (("ai", "INSERT"), ("ad", "DELETE"), ("au", "UPDATE OF document_id")):
        schema_editor.execute(
            f"CREATE TRIGGER search_searchentry_version_{name} AFTER {event} ON search_searchentry "
            f"BEGIN {BUMP} END"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in ("ai", "ad", "au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS search_searchentry_version_{name}")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_title_key_with_prefix"), ("documents", "0009_data_version")]

    operations = [migrations.RunPython(forward, backward)]
