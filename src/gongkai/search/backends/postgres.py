"""PostgreSQL: a weighted `tsvector` over the same tokens (built here, not by a text parser) + GIN."""

from __future__ import annotations

from collections import defaultdict

from django.db import connection, transaction

from ..query import ParsedQuery
from .base import EntryData, SearchBackend, compile_node

# tsvector weights per field: A (1.0) title, B (0.4) 文号 and tags, C (0.2) issuers, D (0.1) body
FIELD_WEIGHTS = {"title": "A", "doc_number": "B", "tags": "B", "issuers": "C", "body": "D"}
HEAD_LABEL = "ABC"
MAX_POSITIONS = 256  # PostgreSQL keeps at most 256 positions per lexeme
MAX_POSITION = 16383


def tsvector_literal(fields: dict[str, list[str]]) -> str:
    """`'lexeme':1A,2A,3` from our own tokens, so PostgreSQL's parser never re-splits them."""
    positions: dict[str, list[str]] = defaultdict(list)
    for name in ("title", "doc_number", "tags", "issuers", "body"):
        weight = FIELD_WEIGHTS[name]
        for token in fields.get(name, []):
            slots = positions[token]
            if len(slots) < MAX_POSITIONS:
                slots.append(f"{min(len(slots) + 1, MAX_POSITION)}{'' if weight == 'D' else weight}")
    return " ".join(f"'{lexeme}':{','.join(slots)}" for lexeme, slots in positions.items())


def tsquery_literal(query: ParsedQuery, head_only: bool = False) -> str:
    label = f":{HEAD_LABEL}" if head_only else ""

    def tok(text: str) -> str:
        return "'" + text.replace("'", "").replace("\\", "") + "'" + label

    def prefix(text: str) -> str:
        return "'" + text.replace("'", "").replace("\\", "") + "':*" + (HEAD_LABEL if head_only else "")

    positive = " & ".join(compile_node(g, tok, prefix, " & ", " | ") for g in query.groups)
    if query.negative:
        plain_tok = lambda text: "'" + text.replace("'", "").replace("\\", "") + "'"  # noqa: E731
        plain_prefix = lambda text: plain_tok(text) + ":*"  # noqa: E731
        negative = " | ".join(compile_node(n, plain_tok, plain_prefix, " & ", " | ") for n in query.negative)
        return f"({positive}) & !({negative})"
    return positive


class PostgresBackend(SearchBackend):
    vendor = "postgresql"
    score_ascending = False

    def write(self, entries: list[EntryData]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_searchentry WHERE document_id = ANY(%s)",
                [[e.document_id for e in entries]],
            )
            cursor.executemany(
                "INSERT INTO search_searchentry (document_id, published_date, title, doc_number, issuers, tags, "
                "body, plain, title_key, indexed_at, tsv) VALUES (%s, %s, '', '', '', '', '', %s, %s, now(), %s::tsvector)",
                [
                    (e.document_id, e.published_date, e.plain, e.title_key, tsvector_literal(e.fields))
                    for e in entries
                ],
            )

    def _fetch(self, sql: str, params: list) -> list[tuple]:
        # The tsvectors live in TOAST, so the planner prices a sequential scan of the small main
        # heap as cheap and then detoasts every row (2 s at 100k). Keep it on the GIN index.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(sql, params)
            return cursor.fetchall()

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('search_searchentry')")
            return int(cursor.fetchone()[0])

    def from_sql(self) -> str:
        return "search_searchentry e"

    def match_sql(self, query: ParsedQuery, head_only: bool = False) -> tuple[str, list]:
        return "e.tsv @@ %s::tsquery", [tsquery_literal(query, head_only)]

    def score_sql(self, query: ParsedQuery) -> tuple[str, list]:
        # normalization 1: divide by 1 + log(document length), like bm25's length normalisation
        return "ts_rank('{0.1, 0.2, 0.4, 1.0}', e.tsv, %s::tsquery, 1)", [tsquery_literal(query)]

    def order_id_sql(self) -> str:
        # "+ 0" keeps the planner on the GIN index instead of walking the primary key backwards
        # and testing every row's tsvector (fatal when few rows match)
        return "(e.id + 0)"

    def phrase_sql(self) -> str:
        return "strpos(e.plain, %s) > 0"
