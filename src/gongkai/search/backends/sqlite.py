"""SQLite FTS5 over the segmented tokens (external-content table `search_fts`, see migration 0002)."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction

from ..build import Layout
from ..query import ParsedQuery
from .base import HEAD_FIELDS, EntryData, SearchBackend, compile_node

# bm25 column weights in FTS5 column order: title, doc_number, issuers, tags, body
BM25_WEIGHTS = (10.0, 6.0, 2.0, 4.0, 1.0)


def fts5_expression(query: ParsedQuery, head_only: bool = False) -> str:
    """Every token is double-quoted; tokens hold only letters and digits, so no user syntax survives."""

    def tok(text: str) -> str:
        return '"' + text.replace('"', "") + '"'

    def prefix(text: str) -> str:
        return tok(text) + "*"

    positive = " AND ".join(compile_node(g, tok, prefix, " AND ", " OR ") for g in query.groups)
    if head_only:
        positive = "{" + " ".join(HEAD_FIELDS) + "} : (" + positive + ")"
    if query.negative:
        negative = " OR ".join(compile_node(n, tok, prefix, " AND ", " OR ") for n in query.negative)
        return f"({positive}) NOT ({negative})"
    return positive


_entry_tables: dict[str, tuple] = {}


def _entry_table() -> tuple | None:
    """(entry ids ascending, their document ids), current for the database's data version."""
    import numpy as np

    from gongkai.documents.selectors import data_version

    token = data_version()
    if token is None:
        return None
    key = f"{connection.alias}:{connection.settings_dict.get('NAME')}"
    cached = _entry_tables.get(key)
    if cached is not None and cached[0] == token:
        return cached[1]
    with connection.cursor() as cursor:
        # no ORDER BY: read from the unique index on document_id (it holds the entry id too);
        # `document_id` sits after the token text and the plain text in the row itself
        cursor.execute("SELECT id, document_id FROM search_searchentry")
        pairs = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 2)
    pairs = pairs[np.argsort(pairs[:, 0], kind="stable")]
    table = (np.ascontiguousarray(pairs[:, 0]), np.ascontiguousarray(pairs[:, 1]))
    _entry_tables[key] = (token, table)
    return table


class SqliteBackend(SearchBackend):
    vendor = "sqlite"
    layout = Layout(joined=True)  # `write` joins each field's tokens with spaces
    score_ascending = True

    def write(self, entries: list[EntryData]) -> None:
        from ..models import SearchEntry

        with transaction.atomic():
            SearchEntry.objects.filter(document_id__in=[e.document_id for e in entries]).delete()
            SearchEntry.objects.bulk_create(
                [
                    SearchEntry(
                        document_id=e.document_id,
                        published_date=e.published_date,
                        plain=e.plain,
                        title_key=e.title_key,
                        **{name: " ".join(tokens) for name, tokens in e.fields.items()},
                    )
                    for e in entries
                ]
            )

    def match_document_ids(self, query: ParsedQuery) -> Any:
        """Row ids straight from the FTS5 index, mapped to documents by a per-process table.

        Joining every match to `search_searchentry` costs a row lookup each (tens of thousands for
        a common word); the entry → document table is rebuilt only when the data version changes.
        Phrases need the plain text, so they join.
        """
        import numpy as np

        entries = _entry_table()
        if query.phrases or entries is None:
            return super().match_document_ids(query)
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [fts5_expression(query)])
            rows = cursor.fetchall()
        entry_ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        if entry_ids.size == 0 or entries[0].size == 0:
            return np.empty(0, dtype=np.int64)
        positions = np.searchsorted(entries[0], entry_ids)
        positions[positions >= entries[0].size] = 0
        return entries[1][positions[entries[0][positions] == entry_ids]]

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            try:
                cursor.execute(
                    "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_fts%%' OR name = 'search_searchentry'"
                )
                return int(cursor.fetchone()[0] or 0)
            except Exception:  # dbstat not compiled in: count the FTS5 data pages
                cursor.execute("SELECT SUM(length(block)) FROM search_fts_data")
                return int(cursor.fetchone()[0] or 0)

    def from_sql(self) -> str:
        return "search_fts JOIN search_searchentry e ON e.id = search_fts.rowid"

    def id_sql(self) -> str:
        return "search_fts.rowid"

    def match_sql(self, query: ParsedQuery, head_only: bool = False) -> tuple[str, list]:
        return "search_fts MATCH %s", [fts5_expression(query, head_only)]

    def score_sql(self, query: ParsedQuery) -> tuple[str, list]:
        return "bm25(search_fts, " + ", ".join(str(w) for w in BM25_WEIGHTS) + ")", []

    def phrase_sql(self) -> str:
        return "instr(e.plain, %s) > 0"
