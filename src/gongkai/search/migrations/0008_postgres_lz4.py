"""PostgreSQL: the entry's plain text and vectors compressed with lz4 instead of pglz (issue 20).

Every phrase check reads a candidate's `plain` from TOAST and every ranked candidate's `tsv`; pglz
decompression was most of that cost. Measured on 6,000 entries of the bench corpus (mean 6.9 KB
of plain text, 22 KB of tsvector uncompressed): a phrase check over all of them 242–284 ms with
pglz, 83–114 ms with lz4; `ts_rank` over all of them 710 → 250 ms; copying them in
(`INSERT … SELECT`, wall) 12.4 → 4.2 s; 3% more disk (plain 3.8 → 4.2 KB per entry).

Only values written afterwards are compressed with lz4: existing entries keep pglz until
`gongkai reindex` (or the next write of each document) rewrites them. A server built without lz4
keeps pglz (nothing changes).
"""

from django.db import migrations

COLUMNS = ("plain", "tsv", "head_tsv")


def _set(method: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT %s = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'", [method]
            )
            row = cursor.fetchone()
        if not (row and row[0]):
            return
        changes = ", ".join(f"ALTER COLUMN {column} SET COMPRESSION {method}" for column in COLUMNS)
        schema_editor.execute(f"ALTER TABLE search_searchentry {changes}")

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0007_postgres_head_tsv")]

    operations = [migrations.RunPython(_set("lz4"), _set("pglz"))]
