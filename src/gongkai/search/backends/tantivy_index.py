"""A tantivy index fed with our own tokens (issue 20): `SEARCH_ENGINE = "tantivy"`.

The database stays the only source of truth; this index is derived data in `SEARCH_INDEX_DIR`,
written on commit through the index tasks and rebuilt by `gongkai reindex`. It holds no text: the
token fields are indexed with frequencies only (bm25), the phrase field with positions, and the
document id and publication date are fast fields.

* **Tokens**: each field is the segmenter's tokens (`segmenter.index_tokens`: search-mode words
  plus every two-character CJK piece), so a query matches exactly what it matches on SQLite and
  PostgreSQL (substring recall, 文号). The words arrive joined as cut and tantivy's `simple`
  tokenizer splits them into runs of letters and digits (`build.Layout.unsplit`). The body holds
  the words only: its pieces are the `plain` field's terms, where a two-character word is looked
  up (`_leaf_fields`); that halved the body's tokens and a third of the build's CPU (issue 20).
* **Phrases**: `plain` is the chain of every two-character piece of the whitespace-free normalised
  text (`query.plain_text`), one position per character, made by the segmenting workers
  (`build.pieces_chain`); a phrase of n characters is a phrase query on its pieces at offsets 0,
  2, 4 … and n-2, so a match is exactly a substring.
* **Titles first**: `title_key` (raw) holds the stored title key and `title_chain` the pieces of
  it; a query is run once per title tier (titled exactly as the query, title contains it, the rest)
  and every tier is ranked by bm25 over the five fields with the SQLite weights.
* **Published only**: the index only ever receives published documents, and the ids of a page
  are checked against the database before they are returned (a stale index never shows a
  withdrawn document).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings

from .. import segmenter
from ..build import Layout, pieces_chain
from ..query import Node, ParsedQuery, title_forms
from .base import FIELDS, MIN_TITLE_PART, EntryData, Hit, SearchBackend
from .tantivy_facets import add_table_counts, max_stale, signature, stale_ids

logger = logging.getLogger(__name__)
WEIGHTS = dict(zip(FIELDS, (10.0, 6.0, 2.0, 4.0, 1.0), strict=True))  # bm25 boosts, as on SQLite
WEIGHTS["plain"] = WEIGHTS["body"]  # a body piece is looked up in `plain` (`_leaf_fields`)
TOKENIZER = "gk_ws"  # whitespace: the pieces chains (`plain`, `title_chain`)
WORDS_TOKENIZER = "gk_words"  # runs of letters and digits: the token fields (`Layout.unsplit`)
WRITER_HEAP = 64_000_000  # per writer thread, for the index tasks' few documents at a time
# per thread (two) for `bulk` (`gongkai reindex`): a limit, not an allocation. A segment is written
# whenever a thread's heap fills; with 64 MB that was every ~2,500 documents, so 100,000 documents
# left ~40 segments for tantivy to merge (each document written again); with 400 MB ~15,000.
BULK_WRITER_HEAP = 400_000_000
LOCK_WAIT_SECONDS = 30.0
TIE_PAD = 20  # extra hits read per tier so that equal scores can be ordered newest first
_FIELD_NAMES = {"tags": "tag_tokens"}  # `tags` is the tag-id fast field
FACETS = ("year", "doc_type", "validity", "normative", "theme", "issuer", "tags")
FACET_AGGREGATIONS: dict[str, Any] = {name: {"terms": {"field": name, "size": 10_000}} for name in FACETS}
FACET_AGGREGATIONS["total"] = {"value_count": {"field": "doc_id"}}

_lock = threading.Lock()
_indexes: dict[str, tuple[Any, Any, list[float]]] = {}  # path → (index, schema, [meta mtime])


def index_dir() -> Path:
    configured = getattr(settings, "SEARCH_INDEX_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "search-index"


def field_name(name: str) -> str:
    return _FIELD_NAMES.get(name, name)


def build_schema() -> Any:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("doc_id", stored=False, indexed=True, fast=True)
    builder.add_integer_field("sort_key", stored=False, indexed=False, fast=True)  # date, then id
    builder.add_integer_field("facet_sig", stored=False, indexed=False, fast=True)  # tantivy_facets
    for name in ("year", "theme", "normative", "issuer", "tags"):  # facet values (aggregations)
        builder.add_integer_field(name, stored=False, indexed=False, fast=True)
    for name in ("doc_type", "validity"):
        builder.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    for name in FIELDS:
        builder.add_text_field(field_name(name), tokenizer_name=WORDS_TOKENIZER, index_option="freq")
    builder.add_text_field("title_key", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("title_chain", tokenizer_name=TOKENIZER, index_option="position")
    builder.add_text_field("plain", tokenizer_name=TOKENIZER, index_option="position")
    return builder.build()


def _open() -> tuple[Any, Any]:
    """The process's index object for the configured directory, reloaded when a commit changed it."""
    index, schema, _stamp = _open_stamped()
    return index, schema


def _open_stamped() -> tuple[Any, Any, float]:
    """`_open` plus the stamp (meta.json's mtime) of the commit the index object was loaded at."""
    import tantivy

    path = index_dir()
    key = str(path)
    meta = path / "meta.json"
    with _lock:
        cached = _indexes.get(key)
        if cached is None or not meta.exists():
            path.mkdir(parents=True, exist_ok=True)
            schema = build_schema()
            try:
                index = tantivy.Index(schema, path=key, reuse=True)
            except ValueError as error:  # an index of an older layout: derived data, started afresh
                if "schema does not match" not in str(error):
                    raise
                _discard_index_files(path)
                index = tantivy.Index(schema, path=key, reuse=True)
            index.register_tokenizer(
                TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
            )
            index.register_tokenizer(
                WORDS_TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).build()
            )
            cached = (index, schema, [meta.stat().st_mtime if meta.exists() else 0.0])
            _indexes[key] = cached
        index, schema, seen = cached
        mtime = meta.stat().st_mtime if meta.exists() else 0.0
        if mtime != seen[0]:
            index.reload()
            seen[0] = mtime
        return index, schema, seen[0]


def _discard_index_files(path: Path) -> None:
    """Remove an index built with another schema (tantivy's own files only); `gongkai reindex` refills it.

    Every page would otherwise fail until someone deleted the directory by hand. Only the files
    tantivy lists in `.managed.json` (plus that list and `meta.json`) are removed, never anything
    else a misconfigured `SEARCH_INDEX_DIR` might hold.
    """
    import json

    managed = path / ".managed.json"
    names = json.loads(managed.read_text()) if managed.exists() else []
    for name in [*names, "meta.json", ".managed.json"]:
        if "/" not in name and (path / name).is_file():
            (path / name).unlink()
    logger.error("search index at %s had an older layout and was emptied: run `gongkai reindex`", path)


def pieces(text: str) -> list[str]:
    """Every two-character piece of a whitespace-free text, one per position."""
    return [text[i : i + 2] for i in range(len(text) - 1)]


def chain_words(text: str) -> list[tuple[int, str]]:
    """(offset, piece) covering `text`: pieces at 0, 2, 4 … plus the last one."""
    found = pieces(text)
    offsets = list(range(0, len(found), 2))
    if found and offsets[-1] != len(found) - 1:
        offsets.append(len(found) - 1)
    return [(i, found[i]) for i in offsets]


class TantivyBackend(SearchBackend):
    vendor = "tantivy"
    # the body's pieces are not tokens: `plain` has every piece (a two-character word is a `plain` term)
    layout = Layout(joined=True, body_pieces=False, chain=True, unsplit=True)
    score_ascending = False
    uses_sql = False

    def __init__(self) -> None:
        self._writer: Any = None
        self._emptied = False  # `clear` ran in this `bulk`: the documents written need no delete first

    # --- writes -------------------------------------------------------------------------------
    def _acquire_writer(self, threads: int = 1, heap: int = WRITER_HEAP) -> Any:
        index, _schema = _open()
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                return index.writer(heap * threads, threads)
            except ValueError as error:  # another process holds the index lock: wait for it
                if "LockBusy" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """One writer and one commit for many writes (`gongkai reindex`): readers see old or new."""
        self._writer = self._acquire_writer(threads=2, heap=BULK_WRITER_HEAP)
        try:
            yield
            self._writer.commit()
        except BaseException:
            self._writer.rollback()
            raise
        finally:
            writer, self._writer, self._emptied = self._writer, None, False
            writer.wait_merging_threads()
            _open()

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        if self._writer is not None:
            yield self._writer
            return
        writer = self._acquire_writer()
        try:
            yield writer
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
            _open()

    def write(self, entries: list[EntryData]) -> None:
        import tantivy

        with self._writing() as writer:
            for entry in entries:
                if not self._emptied:  # a rebuild after `clear`: 100,000 deletes applied at commit
                    writer.delete_documents_by_term("doc_id", entry.document_id)
                document = tantivy.Document(doc_id=entry.document_id, sort_key=sort_key(entry))
                for name, tokens in entry.fields.items():
                    document.add_text(field_name(name), " ".join(tokens))
                document.add_text("title_key", entry.title_key or "")
                document.add_text("title_chain", " ".join(pieces(entry.title_key or "")))
                document.add_text("plain", entry.chain or pieces_chain(entry.plain))
                document.add_integer("facet_sig", signature(entry.facets or {}))
                for name, value in (entry.facets or {}).items():
                    for item in value if isinstance(value, list) else [value]:
                        if name in ("doc_type", "validity"):
                            document.add_text(name, str(item))
                        else:
                            document.add_integer(name, int(item))
                writer.add_document(document)

    def delete(self, document_ids: list[int]) -> None:
        with self._writing() as writer:
            for document_id in document_ids:
                writer.delete_documents_by_term("doc_id", int(document_id))

    def clear(self) -> None:
        if self._writer is None and not _open()[0].searcher().num_docs:
            return  # nothing to delete: no writer, lock or commit
        with self._writing() as writer:
            writer.delete_all_documents()
        self._emptied = self._writer is not None

    def size_bytes(self) -> int:
        return sum(f.stat().st_size for f in index_dir().glob("*") if f.is_file())

    def indexed_document_ids(self) -> Any:
        import tantivy

        return self._ids(tantivy.Query.all_query())

    # --- queries ------------------------------------------------------------------------------
    def _node(self, node: Node, schema: Any, fields: tuple[str, ...]) -> Any:
        import tantivy

        kind = node[0]
        if kind in ("tok", "prefix"):
            parts = []
            for name in _leaf_fields(kind, node[1], fields):
                if kind == "tok":
                    leaf = tantivy.Query.term_query(schema, field_name(name), node[1])
                else:  # a single CJK character: any token starting with it
                    leaf = tantivy.Query.regex_query(schema, field_name(name), _escape(node[1]) + ".*")
                parts.append((tantivy.Occur.Should, tantivy.Query.boost_query(leaf, WEIGHTS[name])))
            return tantivy.Query.boolean_query(parts)
        occur = tantivy.Occur.Must if kind == "and" else tantivy.Occur.Should
        return tantivy.Query.boolean_query([(occur, self._node(child, schema, fields)) for child in node[1]])

    def _phrase(self, schema: Any, field: str, text: str) -> Any:
        import tantivy

        if len(text) < 2:  # one character: any piece holding it
            return tantivy.Query.regex_query(schema, field, ".*" + _escape(text) + ".*")
        words = chain_words(text)
        if len(words) == 1:
            return tantivy.Query.term_query(schema, field, words[0][1])
        return tantivy.Query.phrase_query(schema, field, words)

    def compile(self, query: ParsedQuery, allowed: Any = None) -> Any:
        """The tantivy query matching what `match_sql` matches (plus the allowed document ids)."""
        import tantivy

        _index, schema = _open()
        clauses = [(tantivy.Occur.Must, self._node(group, schema, FIELDS)) for group in query.groups]
        clauses += [(tantivy.Occur.Must, self._phrase(schema, "plain", p)) for p in query.phrases]
        clauses += [(tantivy.Occur.MustNot, self._node(n, schema, FIELDS)) for n in query.negative]
        if allowed is not None:
            values = [int(v) for v in allowed]
            clauses.append((tantivy.Occur.Must, tantivy.Query.term_set_query(schema, "doc_id", values)))
        return tantivy.Query.boolean_query(clauses)

    def _ids(self, compiled: Any) -> Any:
        """Document ids of every match, read from the `doc_id` fast field."""
        import numpy as np

        index, _schema = _open()
        searcher = index.searcher()
        # one pass: every document may match, so the limit is the index size
        hits = searcher.search(compiled, max(1, searcher.num_docs), count=False, order_by_field="doc_id").hits
        return np.fromiter((h[0] for h in hits), dtype=np.int64, count=len(hits))

    def match_document_ids(self, query: ParsedQuery) -> Any:
        return self._ids(self.compile(query))

    def count(self, query: ParsedQuery, restrict: Any = None, documents: Any = None) -> int:
        """Matches in the index (which holds published documents only), within `documents` if given."""
        index, _schema = _open()
        allowed = None if documents is None else list(documents.order_by().values_list("pk", flat=True))
        return index.searcher().search(self.compile(query, allowed), 1, count=True).count

    def count_and_facets(
        self, query: ParsedQuery, documents: Any = None, table: Any = None
    ) -> tuple[int, dict[str, dict]] | None:
        """Total and {facet: {value: count}} from tantivy's aggregations over its fast fields.

        With the facet table (`table`), exact: documents indexed with other facet values than the
        database's now (a queryset update, raw SQL) or not public any more are left out of the
        aggregation and counted from the table instead (`tantivy_facets`). Returns None when too
        many documents are stale for that (the caller counts the matching ids against the table).
        Without a table, the values are those of each document's last indexing.
        """
        import tantivy

        index, schema, stamp = _open_stamped()
        searcher = index.searcher()
        allowed = None if documents is None else list(documents.order_by().values_list("pk", flat=True))
        compiled = self.compile(query, allowed)
        stale = None if table is None else stale_ids(searcher, table, stamp, str(index_dir()))
        if stale is not None and stale.size > max_stale():
            return None
        aggregated = compiled
        if stale is not None and stale.size:
            stale_set = tantivy.Query.term_set_query(schema, "doc_id", stale.tolist())
            aggregated = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, compiled), (tantivy.Occur.MustNot, stale_set)]
            )
        # one pass: the number of `doc_id` values (one per document) is the total
        result = searcher.aggregate(aggregated, FACET_AGGREGATIONS)
        total = int(result["total"]["value"] or 0)
        found: dict[str, dict] = {name: {} for name in FACETS}
        if total:
            found = {
                name: {bucket["key"]: bucket["doc_count"] for bucket in result[name]["buckets"]}
                for name in FACETS
            }
            for name in ("year", "normative", "theme", "issuer", "tags"):  # numeric keys come as floats
                found[name] = {int(key): count for key, count in found[name].items()}
        if stale is not None and stale.size:
            import numpy as np

            both = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, compiled), (tantivy.Occur.Must, stale_set)]
            )
            hits = searcher.search(both, int(stale.size), count=False, order_by_field="doc_id").hits
            rows = table.rows_of(np.fromiter((h[0] for h in hits), dtype=np.int64, count=len(hits)))
            add_table_counts(found, table, rows)
            total += int(rows.size)
        if not total:
            return 0, {}
        return total, found

    def newest_with_title_words(self, words: list[str], limit: int) -> list[int]:
        """Ids of the newest documents whose title holds any of the tokens (zero-result suggestions)."""
        import tantivy

        index, schema = _open()
        clauses = [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "title", w)) for w in words]
        searcher = index.searcher()
        hits = searcher.search(
            tantivy.Query.boolean_query(clauses), limit * 2, count=False, order_by_field="sort_key"
        )
        return searcher.fast_field_values("doc_id", [address for _key, address in hits.hits])

    def _tiers(self, query: ParsedQuery) -> list[Any]:
        """Queries selecting the title tiers: titled as the query, title contains it, the rest."""
        import tantivy

        _index, schema = _open()
        exact = None
        forms = title_forms(query.title_key)
        if forms:
            exact = tantivy.Query.term_set_query(schema, "title_key", forms)
        contains = None
        if len(query.title_contains) >= MIN_TITLE_PART:
            contains = self._phrase(schema, "title_chain", query.title_contains)
        tiers: list[Any] = []
        excluded: list[Any] = []
        for condition in (exact, contains):
            if condition is None:
                continue
            tiers.append([(tantivy.Occur.Must, condition), *[(tantivy.Occur.MustNot, q) for q in excluded]])
            excluded.append(condition)
        tiers.append([(tantivy.Occur.MustNot, q) for q in excluded])
        return tiers

    def search(
        self, query: ParsedQuery, *, restrict: Any = None, order: str = "relevance", offset: int = 0,
        limit: int = 10, documents: Any = None,
    ) -> list[Hit]:  # fmt: skip
        """One page of matches; `documents` (a queryset) narrows to what the filters allow."""
        import tantivy

        if query.is_empty:
            return []
        index, _schema = _open()
        searcher = index.searcher()
        allowed = None if documents is None else list(documents.order_by().values_list("pk", flat=True))
        base = self.compile(query, allowed)
        want = offset + limit
        if order == "date":
            hits = searcher.search(base, want + TIE_PAD, count=False, order_by_field="sort_key").hits
            found = [(0.0, -key, address) for key, address in hits]
        else:
            found = []
            for tier, extra in enumerate(self._tiers(query)):
                if len(found) >= want + TIE_PAD:
                    break
                compiled = tantivy.Query.boolean_query([(tantivy.Occur.Must, base), *extra])
                hits = searcher.search(compiled, want + TIE_PAD - len(found), count=False).hits
                if not hits:
                    continue
                keys = searcher.fast_field_values("sort_key", [a for _s, a in hits])
                ranked = sorted(
                    (
                        (tier, -score, -(key or 0), address)
                        for (score, address), key in zip(hits, keys, strict=True)
                    ),
                    key=lambda row: row[:3],
                )
                found.extend((row[1], row[2], row[3]) for row in ranked)
        if not found:
            return []
        doc_ids = searcher.fast_field_values("doc_id", [row[2] for row in found])
        public = _published(doc_ids, documents)
        rows = [(doc_id, -row[0]) for row, doc_id in zip(found, doc_ids, strict=True) if doc_id in public]
        if len(rows) < want and len(found) == want + TIE_PAD and len(rows) < len(found):
            # stale entries hid some hits (a withdrawal not yet indexed): read further
            rows = self._slow_page(query, order, documents, want)
        return [Hit(doc_id, round(score, 6)) for doc_id, score in rows[offset:want]]

    def _slow_page(
        self, query: ParsedQuery, order: str, documents: Any, want: int
    ) -> list[tuple[int, float]]:
        ids = self.match_document_ids(query)
        public = _published(ids.tolist(), documents)
        return [(doc_id, 0.0) for doc_id in sorted(public, reverse=True)][:want]

    def match_subquery(self, query: ParsedQuery, restrict: Any = None) -> tuple[str, list]:
        raise NotImplementedError("the tantivy backend gives document ids, not SQL")


def _leaf_fields(kind: str, word: str, fields: tuple[str, ...]) -> list[str]:
    """The fields a token or prefix is looked up in: the body's two-character pieces are in `plain`.

    The body holds search-mode words only (`layout`), so a two-character CJK word is looked up in
    `plain` (every piece of the text, title to body) with the body's weight instead of the body, and a
    single character also in `plain` (a piece starting with it) besides the body's words. What
    matches is what matched when the body held the pieces too, and the bm25 of the piece is
    close to what it was (the body was most of the text, its pieces most of its tokens).
    """
    if "body" not in fields or not segmenter.is_cjk(word):
        return list(fields)
    if kind == "tok" and len(word) == 2:
        return [name for name in fields if name != "body"] + ["plain"]
    if kind == "prefix":
        return [*fields, "plain"]
    return list(fields)


def _published(ids: list[int], documents: Any) -> set[int]:
    from gongkai.documents.selectors import public_documents

    queryset = documents if documents is not None else public_documents()
    return set(queryset.order_by().filter(pk__in=list(ids)).values_list("pk", flat=True))


def _escape(text: str) -> str:
    import re

    return re.escape(text)


def sort_key(entry: EntryData) -> int:
    """Newest first when sorted descending: the date's ordinal, then the document id."""
    date = entry.published_date
    ordinal = date.toordinal() if date is not None and hasattr(date, "toordinal") else 0
    return (ordinal << 32) | (int(entry.document_id) & 0xFFFFFFFF)
