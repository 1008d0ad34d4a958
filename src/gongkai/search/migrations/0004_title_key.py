"""`SearchEntry.title_key`: the title in the form a query is compared with (issue 21, exact titles first).

Existing entries get their key from their document's title here, so no reindex is needed. On SQLite
the FTS5 update trigger is narrowed to the indexed columns first: filling `title_key` (or any other
non-indexed column) must not re-tokenise every row. The column is nullable so that SQLite adds it
with ALTER TABLE instead of copying the table (which would drop the FTS5 triggers).
"""

from django.db import migrations, models

SQLITE_TRIGGER_INDEXED_ONLY = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    """CREATE TRIGGER search_entry_au AFTER UPDATE OF title, doc_number, issuers, tags, body
    ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, doc_number, issuers, tags, body)
        VALUES ('delete', old.id, old.title, old.doc_number, old.issuers, old.tags, old.body);
        INSERT INTO search_fts(rowid, title, doc_number, issuers, tags, body)
        VALUES (new.id, new.title, new.doc_number, new.issuers, new.tags, new.body);
    END""",
]
SQLITE_TRIGGER_ANY_UPDATE = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    """CREATE TRIGGER search_entry_au AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, doc_number, issuers, tags, body)
        VALUES ('delete', old.id, old.title, old.doc_number, old.issuers, old.tags, old.body);
        INSERT INTO search_fts(rowid, title, doc_number, issuers, tags, body)
        VALUES (new.id, new.title, new.doc_number, new.issuers, new.tags, new.body);
    END""",
]


def _sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


def fill_title_keys(apps, schema_editor):
    from gongkai.search.query import title_key

    SearchEntry = apps.get_model("search", "SearchEntry")
    entries = list(SearchEntry.objects.select_related("document").only("id", "document__title"))
    for entry in entries:
        entry.title_key = title_key(entry.document.title)
    SearchEntry.objects.bulk_update(entries, ["title_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0005_last_edited_by"),
        ("search", "0003_seed_synonyms"),
    ]

    operations = [
        migrations.RunPython(_sqlite(SQLITE_TRIGGER_INDEXED_ONLY), _sqlite(SQLITE_TRIGGER_ANY_UPDATE)),
        migrations.AddField(
            model_name="searchentry",
            name="title_key",
            field=models.CharField(  # noqa: DJ001
                null=True,
                blank=True,
                help_text="The title as a query is compared with it (query.title_key).",
                max_length=200,
            ),
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["title_key"], name="search_entry_title_key"),
        ),
        migrations.RunPython(fill_title_keys, migrations.RunPython.noop),
    ]
