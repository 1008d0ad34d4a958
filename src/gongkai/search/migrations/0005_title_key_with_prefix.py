"""`SearchEntry.title_key` keeps the 中华人民共和国 prefix (issue 21: a part of a title cut inside it,
such as 和国民办教育促进法实施条, must be found inside the title). Queries compare both forms.

Only the non-indexed `title_key` column is updated: the SQLite FTS5 update trigger fires on the
indexed columns only (migration 0004), so nothing is re-tokenised.
"""

import re
import unicodedata

from django.db import migrations

_WORD_PIECE = re.compile(r"[^\W_]+")


def _key(title: str) -> str:  # query.stored_title_key as of this migration
    return "".join(_WORD_PIECE.findall(unicodedata.normalize("NFKC", title or "").lower()))[:200]


def fill_title_keys(apps, schema_editor):
    SearchEntry = apps.get_model("search", "SearchEntry")
    entries = list(SearchEntry.objects.select_related("document").only("id", "title_key", "document__title"))
    changed = []
    for entry in entries:
        key = _key(entry.document.title)
        if entry.title_key != key:
            entry.title_key = key
            changed.append(entry)
    SearchEntry.objects.bulk_update(changed, ["title_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_title_key")]

    operations = [migrations.RunPython(fill_title_keys, migrations.RunPython.noop)]
