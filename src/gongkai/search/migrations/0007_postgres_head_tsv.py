"""PostgreSQL: a separate `head_tsv` (title, 文号, issuers, tags) with its own GIN index (issue 20).

The ranking also reads the newest documents whose *head* fields match the query. As a weight-labelled
tsquery (`'word':ABC`) on the full `tsv` that needs a recheck of every match, which detoasts each
row's whole tsvector from TOAST (seconds for a common word at 100,000 documents). The head fields
alone are short and stay in the main heap, and a query without labels needs no recheck.
Filled from the existing vectors (`ts_filter` keeps the A/B/C positions), so no re-index is needed.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE search_searchentry ADD COLUMN head_tsv tsvector",
    "UPDATE search_searchentry SET head_tsv = ts_filter(tsv, '{a,b,c}') WHERE tsv IS NOT NULL",
    "CREATE INDEX search_entry_head_tsv_gin ON search_searchentry USING gin (head_tsv)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_head_tsv_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS head_tsv",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0006_entry_version_triggers")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
