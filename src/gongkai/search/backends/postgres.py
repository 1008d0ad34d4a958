"""PostgreSQL: a weighted `tsvector` over the same tokens (built here, not by a text parser) + GIN.

At scale (issue 20) two things keep the ranked top-10 off the cost of every match:

* `head_tsv` holds the title, 文号, issuers and tags alone (migration `search/0007`): matching the
  head fields needs no weight-labelled query, hence no recheck that detoasts every match's vector.
* The newest N matches (the rank window's threshold, the head window, titles containing the query)
  are looked for in bands of the newest entry ids first (`BANDS`): a common word has its 200
  newest matches among the newest few thousand entries, so only those heap rows are visited; a
  rare word widens the band until the whole index, where it has few matches anyway. The result
  is the same as one query over every match (the newest N matches of a band that holds N are the
  newest N overall). Within a band the primary key may be walked backwards (a common word: stop
  after N rows, 6 ms instead of 65 ms for 管理 at 100,000 documents); the band bounds that walk
  when the word is rarer than the planner thought.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.utils import timezone

from ..query import ParsedQuery
from .base import EntryData, SearchBackend, compile_node

# tsvector weights per field: A (1.0) title, B (0.4) 文号 and tags, C (0.2) issuers, D (0.1) body
FIELD_WEIGHTS = {"title": "A", "doc_number": "B", "tags": "B", "issuers": "C", "body": "D"}
HEAD_LABEL = "ABC"
HEAD_FIELDS = ("title", "doc_number", "tags", "issuers")
COPY_SQL = (
    "COPY search_searchentry (document_id, published_date, plain, title_key, indexed_at, tsv, head_tsv, title, "
    "doc_number, issuers, tags, body) FROM STDIN"
)
EMPTY_TEXTS = ("", "", "", "", "")  # title … body: the tokens live in the tsvectors only
GIN_INDEXES = ("search_entry_tsv_gin", "search_entry_head_tsv_gin")
# for a rebuild's session (`bulk`). A 32 MB GIN pending list saved no measurable server time and
# left 27 MB of freed pages in the index per 2,000 documents; dropping the GIN indexes for the
# build would lock searches out for the whole rebuild (they now see the old index until commit).
BULK_SETTINGS = {"synchronous_commit": "off"}
BANDS = (2_000, 20_000, 200_000)  # newest entry ids searched first, widened tenfold (then all)
MAX_POSITIONS = 256  # PostgreSQL keeps at most 256 positions per lexeme
HEAD_ORDER = ("title", "doc_number", "tags", "issuers")  # then the body
# "1A", "2A", … per weight (D, the body, carries no label): the position lists of the literal
_SLOTS = {w: [f"{i}{'' if w == 'D' else w}" for i in range(MAX_POSITIONS + 1)] for w in "ABCD"}
_RUNS = [",".join(_SLOTS["D"][1 : n + 1]) for n in range(MAX_POSITIONS + 1)]  # "1,2,…,n" (the body)


def _words(tokens: list[str]) -> list[str]:
    """A field's tokens, given as a list or pre-joined with spaces (`build.segment(joined=True)`)."""
    return " ".join(tokens).split()


def tsvector_literal(fields: dict[str, list[str]]) -> str:
    """`'lexeme':1A,2A,3` from our own tokens, so PostgreSQL's parser never re-splits them.

    Positions count the occurrences of each lexeme (title first, then 文号, tags, issuers, body),
    weighted by field. This runs for every document of a rebuild (issue 20: build rate), so the
    body's lexemes, most of them found nowhere else, take a precomputed position list by count.
    """
    slots: dict[str, list[str]] = {}
    for name in HEAD_ORDER:
        tokens = fields.get(name)
        if not tokens:
            continue
        table = _SLOTS[FIELD_WEIGHTS[name]]
        for token, count in Counter(_words(tokens)).items():
            have = slots.get(token)
            if have is None:
                slots[token] = table[1 : min(count, MAX_POSITIONS) + 1]
            elif len(have) < MAX_POSITIONS:
                start = len(have) + 1
                have.extend(table[start : min(start + count, MAX_POSITIONS + 1)])
    parts: list[str] = []
    body = fields.get("body")
    if body:
        counts = Counter(_words(body))
        for token, have in slots.items():
            count = counts.pop(token, 0)
            if count and len(have) < MAX_POSITIONS:
                start = len(have) + 1
                have.extend(_SLOTS["D"][start : min(start + count, MAX_POSITIONS + 1)])
        runs = _RUNS
        parts = [
            f"'{token}':{runs[count if count < MAX_POSITIONS else MAX_POSITIONS]}"
            for token, count in counts.items()
        ]
    parts.extend(f"'{token}':{','.join(have)}" for token, have in slots.items())
    return " ".join(parts)


def tsquery_literal(query: ParsedQuery, head_only: bool = False, positive_only: bool = False) -> str:
    """The query as a tsquery; `head_only` labels the words A/B/C (for the full vector), and
    `positive_only` leaves the excluded words out (for `head_tsv`, which holds no body)."""
    label = f":{HEAD_LABEL}" if head_only else ""

    def tok(text: str) -> str:
        return "'" + text.replace("'", "").replace("\\", "") + "'" + label

    def prefix(text: str) -> str:
        return "'" + text.replace("'", "").replace("\\", "") + "':*" + (HEAD_LABEL if head_only else "")

    positive = " & ".join(compile_node(g, tok, prefix, " & ", " | ") for g in query.groups)
    if query.negative and not positive_only:
        plain_tok = lambda text: "'" + text.replace("'", "").replace("\\", "") + "'"  # noqa: E731
        plain_prefix = lambda text: plain_tok(text) + ":*"  # noqa: E731
        negative = " | ".join(compile_node(n, plain_tok, plain_prefix, " & ", " | ") for n in query.negative)
        return f"({positive}) & !({negative})"
    return positive


class PostgresBackend(SearchBackend):
    vendor = "postgresql"
    score_ascending = False
    joins_tokens = True  # `write` splits each field's joined tokens (cheaper from the workers)

    def write(self, entries: list[EntryData]) -> None:
        """Replace the entries of these documents: one DELETE, then one COPY of every row."""
        now = timezone.now()
        rows = [
            (
                e.document_id,
                e.published_date,
                e.plain,
                e.title_key,
                now,
                tsvector_literal(e.fields),
                tsvector_literal({name: e.fields.get(name, []) for name in HEAD_FIELDS}),
                *EMPTY_TEXTS,
            )
            for e in entries
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_searchentry WHERE document_id = ANY(%s)",
                [[e.document_id for e in entries]],
            )
            # COPY parses the tsvector literals like an INSERT but without a statement per row
            with cursor.cursor.copy(COPY_SQL) as copy:
                for row in rows:
                    copy.write_row(row)

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """A rebuild: commits without waiting for the WAL flush, and the GIN pending lists merged
        into the indexes at the end (searches scan a pending list entry by entry)."""
        with connection.cursor() as cursor:
            for name, value in BULK_SETTINGS.items():
                cursor.execute(f"SET {name} = '{value}'")
        try:
            yield
        except BaseException:
            # inside a transaction its rollback undoes the SETs; otherwise they are reset here
            if not connection.in_atomic_block:
                self._reset(BULK_SETTINGS)
            raise
        with connection.cursor() as cursor:
            # only the index's owner may merge (a role that merely writes leaves it to autovacuum)
            cursor.execute(
                "SELECT gin_clean_pending_list(c.oid) FROM pg_class c "
                "WHERE c.oid = ANY(%s::regclass[]) AND pg_has_role(c.relowner, 'USAGE')",
                [list(GIN_INDEXES)],
            )
        self._reset(BULK_SETTINGS)

    def _reset(self, settings: dict[str, str]) -> None:
        with connection.cursor() as cursor:
            for name in settings:
                cursor.execute(f"RESET {name}")

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
        if not head_only:
            return "e.tsv @@ %s::tsquery", [tsquery_literal(query)]
        head = tsquery_literal(query, positive_only=True)
        if not query.negative:
            return "e.head_tsv @@ %s::tsquery", [head]
        # the excluded words are excluded from the whole document, as in the full match
        return "e.head_tsv @@ %s::tsquery AND e.tsv @@ %s::tsquery", [head, tsquery_literal(query)]

    # --- the newest matches, band by band ------------------------------------------------------
    def _id_bounds(self) -> tuple[int, int]:
        rows = self._fetch("SELECT min(id), max(id) FROM search_searchentry", [])
        low, high = rows[0] if rows else (None, None)
        return (low or 0, high or 0)

    def _newest(self, where: str, params: list, count: int, below: int | None) -> list[int]:
        """Entry ids of the `count` newest rows satisfying `where` (and id < `below`), newest first."""
        low, high = self._id_bounds()
        top = high + 1 if below is None else min(below, high + 1)
        sql = f"SELECT e.id FROM {self.from_sql()} WHERE {where} AND e.id < %s"
        for band in BANDS:
            floor = top - band
            if floor <= low:
                break
            rows = self._fetch(
                f"{sql} AND e.id >= %s ORDER BY e.id DESC LIMIT %s", [*params, top, floor, count]
            )
            if len(rows) >= count:
                return [row[0] for row in rows]
        rows = self._fetch(f"{sql} ORDER BY (e.id + 0) DESC LIMIT %s", [*params, top, count])
        return [row[0] for row in rows]

    def _threshold(
        self,
        query: ParsedQuery,
        restrict: tuple[str, list] | None,
        window: int,
        head_only: bool = False,
        below: int | None = None,
    ) -> int | None:
        where, params = self._where(query, restrict, head_only)
        ids = self._newest(where, params, window, below)
        return ids[-1] if len(ids) >= window else None

    def _title_part_ids(self, where: str, params: list, like: str, below: int, count: int) -> list[int]:
        return self._newest(f"{where} AND e.title_key LIKE %s", [*params, like], count, below)

    def score_sql(self, query: ParsedQuery) -> tuple[str, list]:
        # normalization 1: divide by 1 + log(document length), like bm25's length normalisation
        return "ts_rank('{0.1, 0.2, 0.4, 1.0}', e.tsv, %s::tsquery, 1)", [tsquery_literal(query)]

    def order_id_sql(self) -> str:
        # "+ 0" keeps the planner on the GIN index instead of walking the primary key backwards
        # and testing every row's tsvector (fatal when few rows match)
        return "(e.id + 0)"

    def phrase_sql(self) -> str:
        return "strpos(e.plain, %s) > 0"
