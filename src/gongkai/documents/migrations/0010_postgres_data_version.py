"""PostgreSQL: the facet table's data version as a sequence bumped by statement triggers (issue 20).

SQLite replaces a token row on every facet-relevant write (0009). On PostgreSQL a hot row would
serialise every writer; a sequence does not: `nextval` never blocks, never waits for a commit and
never deadlocks. Because a sequence is not transactional, the reader (`facet_index`) reads the value
*before* a snapshot and also tracks the transactions still in progress at that snapshot: a table
built while one of them was writing is rebuilt as soon as it commits.
"""

from django.db import migrations

FACET_COLUMNS = "status, disclosure_mode, published_date, doc_type, validity, is_normative, theme_id"
WATCHED = [
    ("documents_document", f"UPDATE OF {FACET_COLUMNS}"),
    ("documents_documentissuer", "UPDATE"),
    ("documents_document_tags", "UPDATE"),
]
FUNCTION = """CREATE FUNCTION documents_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('documents_data_version_seq');
    RETURN NULL;
END $$"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE SEQUENCE documents_data_version_seq")
    schema_editor.execute(FUNCTION)
    for table, update in WATCHED:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_version AFTER INSERT OR DELETE OR TRUNCATE OR {update} ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION documents_bump_data_version()"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _update in WATCHED:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_version ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS documents_bump_data_version()")
    schema_editor.execute("DROP SEQUENCE IF EXISTS documents_data_version_seq")


class Migration(migrations.Migration):
    dependencies = [("documents", "0009_data_version")]

    operations = [migrations.RunPython(forward, backward)]
