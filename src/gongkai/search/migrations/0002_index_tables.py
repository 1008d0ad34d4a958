"""The full-text index itself, per database vendor.

SQLite: an FTS5 *external-content* table over search_searchentry kept in sync by triggers
(deleting from a contentless table needs SQLite >= 3.43; Python here ships 3.40).
PostgreSQL: a weighted tsvector column (written by the backend) with a GIN index.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, doc_number, issuers, tags, body,
        content='search_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER search_entry_ai AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, title, doc_number, issuers, tags, body)
        VALUES (new.id, new.title, new.doc_number, new.issuers, new.tags, new.body);
    END""",
    """CREATE TRIGGER search_entry_ad AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, doc_number, issuers, tags, body)
        VALUES ('delete', old.id, old.title, old.doc_number, old.issuers, old.tags, old.body);
    END""",
    """CREATE TRIGGER search_entry_au AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, doc_number, issuers, tags, body)
        VALUES ('delete', old.id, old.title, old.doc_number, old.issuers, old.tags, old.body);
        INSERT INTO search_fts(rowid, title, doc_number, issuers, tags, body)
        VALUES (new.id, new.title, new.doc_number, new.issuers, new.tags, new.body);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE search_searchentry ADD COLUMN tsv tsvector",
    "CREATE INDEX search_entry_tsv_gin ON search_searchentry USING gin (tsv)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_tsv_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
