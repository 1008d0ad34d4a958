"""The backend interface and the ranking algorithm both backends share.

Ranking only a bounded candidate set: ranking functions (FTS5 bm25, PostgreSQL ts_rank) read the
positions of every matching row, so a word found in most of 100,000 documents costs hundreds of ms
(FTS5) to seconds (PostgreSQL). When more than `SEARCH_RANK_WINDOW` documents match, we rank

  * the `SEARCH_RANK_WINDOW` most recently indexed matches (entry ids grow with every publication,
    and `gongkai reindex` inserts in publication order, so these are the newest), plus
  * the `SEARCH_HEAD_WINDOW` most recent older documents whose title, 文号, issuers or tags
    match the whole query (the title boost means these would rank near the top anyway),

and list the remaining matches after them, newest first. Below the window the ranking is exact
bm25/ts_rank over every match. Counts and facets always cover every match.

Titles first (issue 21): before the score, candidates are ordered by how their title compares with the
query. `SearchEntry.title_key` is the title's letters and digits; the query's key is the same without
the 中华人民共和国 prefix (`query.title_key`): the title *is* the query (with or without the prefix),
then the title *contains* what was typed (two or more characters), then the rest. A document titled
exactly as the query is always a candidate: when it is older than both windows it is looked up by
its title key (an indexed equality) and ranked too; so are the `TITLE_PARTS` newest older documents
whose title contains what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

from ..build import Layout
from ..query import Node, ParsedQuery, title_forms

HEAD_FIELDS = ("title", "doc_number", "issuers", "tags")
FIELDS = (*HEAD_FIELDS, "body")
MIN_TITLE_PART = 2  # a query of at least this many letters/digits ranks titles containing it higher
EXACT_TITLES = 20  # documents titled exactly as the query added to the ranked candidates (versions)
TITLE_PARTS = 50  # documents whose title contains the query added to the ranked candidates


@dataclass
class EntryData:
    """What gets indexed for one document: tokens per field plus the plain text for phrase checks."""

    document_id: int
    published_date: object
    fields: dict[str, list[str]]
    plain: str
    title_key: str = ""  # query.title_key(title): compared with the query's own key
    facets: dict[str, Any] | None = None  # facet values (the tantivy backend keeps them as fast fields)
    chain: str = ""  # the plain text's pieces chain, when segmenting made it (`Layout.chain`)


@dataclass
class Hit:
    document_id: int
    score: float


def rank_window() -> int:
    return int(getattr(settings, "SEARCH_RANK_WINDOW", 200))


def head_window() -> int:
    return int(getattr(settings, "SEARCH_HEAD_WINDOW", 100))


class SearchBackend:
    """Subclasses provide the SQL pieces; the algorithm lives here so both behave alike."""

    vendor = ""
    # "lower score is better" for FTS5 bm25, "higher is better" for ts_rank
    score_ascending = True

    uses_sql = True  # False: matches are document ids from an index outside the database
    # what `write` takes from segmenting (`build.segment`): tokens, pre-joined or not, pieces, chain
    layout = Layout()

    # --- writes -------------------------------------------------------------------------------
    def bulk(self) -> AbstractContextManager[None]:
        """Many writes as one (the tantivy backend commits once); SQL backends use the transaction."""
        return nullcontext()

    def indexed_document_ids(self) -> Any:
        from ..models import SearchEntry

        return list(SearchEntry.objects.values_list("document_id", flat=True))

    def write(self, entries: list[EntryData]) -> None:
        raise NotImplementedError

    def delete(self, document_ids: list[int]) -> None:
        from ..models import SearchEntry

        SearchEntry.objects.filter(document_id__in=document_ids).delete()

    def clear(self) -> None:
        from ..models import SearchEntry

        SearchEntry.objects.all().delete()

    def size_bytes(self) -> int:
        raise NotImplementedError

    # --- SQL pieces ---------------------------------------------------------------------------
    def from_sql(self) -> str:
        raise NotImplementedError

    def match_sql(self, query: ParsedQuery, head_only: bool = False) -> tuple[str, list]:
        raise NotImplementedError

    def score_sql(self, query: ParsedQuery) -> tuple[str, list]:
        raise NotImplementedError

    def id_sql(self) -> str:
        """The entry id column as the index sees it (FTS5 needs its own rowid to use the range)."""
        return "e.id"

    def phrase_sql(self) -> str:
        raise NotImplementedError

    def order_id_sql(self) -> str:
        return self.id_sql()

    # --- reads --------------------------------------------------------------------------------
    def _where(
        self, query: ParsedQuery, restrict: tuple[str, list] | None, head_only: bool = False
    ) -> tuple[str, list]:
        match, params = self.match_sql(query, head_only)
        clauses = [match]
        for phrase in query.phrases:
            clauses.append(self.phrase_sql())
            params.append(phrase)
        if restrict is not None:
            clauses.append(restrict[0])
            params.extend(restrict[1])
        return " AND ".join(clauses), params

    def _fetch(self, sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def match_subquery(
        self, query: ParsedQuery, restrict: tuple[str, list] | None = None
    ) -> tuple[str, list]:
        """SQL selecting the document ids of every match (for counts, facets and filters)."""
        where, params = self._where(query, restrict)
        return f"SELECT e.document_id FROM {self.from_sql()} WHERE {where}", params

    def match_document_ids(self, query: ParsedQuery) -> Any:
        """The document ids of every match as a numpy array (any order, unrestricted)."""
        import numpy as np

        sql, params = self.match_subquery(query)
        rows = self._fetch(sql, params)
        return np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))

    def count(self, query: ParsedQuery, restrict: tuple[str, list] | None = None) -> int:
        where, params = self._where(query, restrict)
        return self._fetch(f"SELECT COUNT(*) FROM {self.from_sql()} WHERE {where}", params)[0][0]

    def _threshold(
        self,
        query: ParsedQuery,
        restrict: tuple[str, list] | None,
        window: int,
        head_only: bool = False,
        below: int | None = None,
    ) -> int | None:
        """The entry id of the window-th most recent match, or None when fewer match."""
        where, params = self._where(query, restrict, head_only)
        if below is not None:
            where += f" AND {self.id_sql()} < %s"
            params.append(below)
        rows = self._fetch(
            f"SELECT {self.id_sql()} FROM {self.from_sql()} WHERE {where} ORDER BY {self.order_id_sql()} DESC "
            f"LIMIT 1 OFFSET %s",
            [*params, window - 1],
        )
        return rows[0][0] if rows else None

    def title_tier_sql(self, query: ParsedQuery) -> tuple[str, list]:
        """0 when the title is the query, 1 when it contains it, 2 otherwise (sorted before the score).

        Keys hold only letters and digits, so they carry no LIKE wildcard; both are lower case.
        """
        forms = title_forms(query.title_key)
        contains = len(query.title_contains) >= MIN_TITLE_PART
        if not forms and not contains:
            return "2", []
        if not contains:
            return "CASE WHEN e.title_key IN (%s, %s) THEN 0 ELSE 2 END", forms
        if not forms:  # 中华人民共和国 alone: no exact title, titles containing it first
            return "CASE WHEN e.title_key LIKE %s THEN 1 ELSE 2 END", [f"%{query.title_contains}%"]
        sql = "CASE WHEN e.title_key IN (%s, %s) THEN 0 WHEN e.title_key LIKE %s THEN 1 ELSE 2 END"
        return sql, [*forms, f"%{query.title_contains}%"]

    def _ranked(self, query: ParsedQuery, restrict: tuple[str, list] | None, extra: str, extra_params: list, head_only: bool = False,
                limit: int | None = None) -> list[tuple[int, float, object, int, int]]:  # fmt: skip
        """(document id, score, date, entry id, title tier) of matching rows, best first."""
        where, params = self._where(query, restrict, head_only)
        score, score_params = self.score_sql(query)
        tier, tier_params = self.title_tier_sql(query)
        direction = "ASC" if self.score_ascending else "DESC"
        sql = (
            f"SELECT e.document_id, {score} AS score, e.published_date, e.id, {tier} AS tier FROM {self.from_sql()} "
            f"WHERE {where}{extra} ORDER BY tier, score {direction}, e.published_date DESC, e.id DESC"
        )
        all_params = [*score_params, *tier_params, *params, *extra_params]
        if limit is not None:
            sql += " LIMIT %s"
            all_params.append(limit)
        return self._fetch(sql, all_params)

    def _exact_titles(self, query: ParsedQuery, restrict: tuple[str, list] | None, below: int,
                      seen: set[int]) -> list[tuple[int, float, object, int, int]]:  # fmt: skip
        """Ranked rows of matches titled exactly as the query, older than `below` and not in `seen`."""
        if not query.title_key:
            return []
        rows = self._fetch(
            # `+e.id`: look the title up by its index; a range on the id made SQLite walk the whole
            # table newest first (every entry older than the window, ~0.5 s at 10,000 documents)
            "SELECT e.id FROM search_searchentry e WHERE e.title_key IN (%s, %s) AND +e.id < %s "
            "ORDER BY +e.id DESC LIMIT %s",
            [*title_forms(query.title_key), below, EXACT_TITLES],
        )
        ids = [row[0] for row in rows if row[0] not in seen]
        if not ids:
            return []
        placeholders = ", ".join(["%s"] * len(ids))
        return self._ranked(query, restrict, f" AND {self.id_sql()} IN ({placeholders})", ids)

    def _title_parts(self, query: ParsedQuery, restrict: tuple[str, list] | None, below: int,
                     seen: set[int]) -> list[tuple[int, float, object, int, int]]:  # fmt: skip
        """Ranked rows of the newest matches whose title contains the typed text, older than `below`.

        Words such as 中华人民共和国 or 管理 are in the titles of thousands of documents, so the head
        window can be full of newer titles that only share the words: 储蓄管理条 must still bring
        储蓄管理条例. Only rows whose title fields hold the words are read (the head match).
        """
        if len(query.title_contains) < MIN_TITLE_PART:
            return []
        where, params = self._where(query, restrict, head_only=True)
        found = self._title_part_ids(where, params, f"%{query.title_contains}%", below, TITLE_PARTS)
        ids = [entry_id for entry_id in found if entry_id not in seen]
        if not ids:
            return []
        placeholders = ", ".join(["%s"] * len(ids))
        return self._ranked(query, restrict, f" AND {self.id_sql()} IN ({placeholders})", ids)

    def _title_part_ids(self, where: str, params: list, like: str, below: int, count: int) -> list[int]:
        """Entry ids of the `count` newest head matches below `below` whose title key is LIKE `like`."""
        rows = self._fetch(
            f"SELECT {self.id_sql()} FROM {self.from_sql()} WHERE {where} AND e.title_key LIKE %s "
            f"AND {self.id_sql()} < %s ORDER BY {self.order_id_sql()} DESC LIMIT %s",
            [*params, like, below, count],
        )
        return [row[0] for row in rows]

    def _sort_key(self, row: tuple) -> tuple:
        score = row[1] if self.score_ascending else -row[1]
        return (row[4], score, -(row[2].toordinal() if row[2] else 0), -row[3])

    def search(
        self, query: ParsedQuery, *, restrict: tuple[str, list] | None = None, order: str = "relevance",
        offset: int = 0, limit: int = 10,
    ) -> list[Hit]:  # fmt: skip
        """One page of matches, best first (or newest first with order="date")."""
        if query.is_empty:
            return []
        if order == "date":
            where, params = self._where(query, restrict)
            rows = self._fetch(
                f"SELECT e.document_id FROM {self.from_sql()} WHERE {where} "
                f"ORDER BY e.published_date DESC, e.id DESC LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return [Hit(row[0], 0.0) for row in rows]
        threshold = self._threshold(query, restrict, rank_window())
        if threshold is None:  # few enough matches: exact ranking of all of them
            rows = self._ranked(query, restrict, "", [], limit=offset + limit)
            return [Hit(r[0], self._display_score(r[1])) for r in rows[offset : offset + limit]]
        id_col = self.id_sql()
        recent = self._ranked(query, restrict, f" AND {id_col} >= %s", [threshold], limit=offset + limit)
        head_floor = self._threshold(query, restrict, head_window(), head_only=True, below=threshold) or 0
        head = self._ranked(query, restrict, f" AND {id_col} >= %s AND {id_col} < %s", [head_floor, threshold],
                            head_only=True)  # fmt: skip
        head += self._exact_titles(query, restrict, threshold, {r[3] for r in head})
        head += self._title_parts(query, restrict, threshold, {r[3] for r in head})
        candidates = sorted(recent + head, key=self._sort_key)
        hits = [Hit(r[0], self._display_score(r[1])) for r in candidates[offset : offset + limit]]
        ranked_total = rank_window() + len(head)
        if len(hits) < limit and offset + limit > ranked_total:
            # past the ranked candidates: the remaining matches, newest first
            skip = max(0, offset - ranked_total)
            where, params = self._where(query, restrict)
            excluded = [r[3] for r in head] or [-1]
            placeholders = ", ".join(["%s"] * len(excluded))
            rows = self._fetch(
                f"SELECT e.document_id FROM {self.from_sql()} WHERE {where} AND {id_col} < %s "
                f"AND {id_col} NOT IN ({placeholders}) ORDER BY {self.order_id_sql()} DESC LIMIT %s OFFSET %s",
                [*params, threshold, *excluded, limit - len(hits), skip],
            )
            hits.extend(Hit(row[0], 0.0) for row in rows)
        return hits

    def _display_score(self, raw: float) -> float:
        return round(-raw if self.score_ascending else raw, 6)


def compile_node(
    node: Node, tok: Callable[[str], str], prefix: Callable[[str], str], and_join: str, or_join: str
) -> str:
    kind = node[0]
    if kind == "tok":
        return tok(node[1])
    if kind == "prefix":
        return prefix(node[1])
    parts = [compile_node(child, tok, prefix, and_join, or_join) for child in node[1]]
    return "(" + (and_join if kind == "and" else or_join).join(parts) + ")"
