"""Exact total and facets from tantivy's aggregations, corrected for stale documents (issue 20).

tantivy aggregates the facet values each document had when it was last indexed. A write that
sends no signal (`refresh_validity`'s queryset update, raw SQL, a restore) changes the database
but not the index, so the raw aggregation can be wrong for a few documents until they are indexed
again. The facet table (`documents/facet_index.py`) is always current (SQLite's data version), so:

* every indexed document carries `facet_sig`, a 63-bit hash of the facet values it was indexed
  with (`signature`), computed identically from the facet table (`table_signatures`, numpy);
* once per (data version, index commit) a process reads every document's `facet_sig` and lists
  the *stale* documents: indexed with other values than the table's, or not public any more;
* a page aggregates the query **without** the stale documents and adds the stale ones that match
  (a term-set query on a few ids) counted from the table, so the result equals counting every
  match against the table (what the `table` path does), at aggregation speed.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterable
from typing import Any

MASK64 = (1 << 64) - 1
MASK63 = (1 << 63) - 1
SALTS = {"year": 1, "doc_type": 2, "validity": 3, "normative": 4, "theme": 5, "issuer": 6, "tags": 7}
MAX_STALE = 5_000  # more stale documents than this: count the matching ids against the table

_lock = threading.Lock()
_stale: dict[str, tuple[Any, Any]] = {}  # index path → ((token, index stamp), sorted stale ids)


def max_stale() -> int:
    """Above this many stale documents the page counts every matching id against the table."""
    from django.conf import settings

    return int(getattr(settings, "SEARCH_TANTIVY_MAX_STALE", MAX_STALE))


def _mix(value: int) -> int:
    """splitmix64's finaliser: spreads one (field, value) pair over 64 bits."""
    value = (value + 0x9E3779B97F4A7C15) & MASK64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & MASK64
    return value ^ (value >> 31)


def _key(name: str, value: Any) -> int:
    number = zlib.crc32(str(value).encode()) if isinstance(value, str) else int(value) & 0xFFFFFFFFFF
    return (SALTS[name] << 56) ^ number


def signature(facets: dict[str, Any]) -> int:
    """The hash of a document's facet values (order of multi-valued facets ignored)."""
    total = 0
    for name, value in facets.items():
        if name not in SALTS:
            continue
        for item in value if isinstance(value, list) else [value]:
            total = (total + _mix(_key(name, item))) & MASK64
    return total & MASK63


def _mix_array(values: Any) -> Any:
    import numpy as np

    x = values.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _keys(name: str, values: Any) -> Any:
    import numpy as np

    numbers = values.astype(np.int64).astype(np.uint64) & np.uint64(0xFFFFFFFFFF)
    return numbers ^ np.uint64(SALTS[name] << 56)


def _label_hashes(name: str, labels: list[str]) -> Any:
    import numpy as np

    return np.array([_mix(_key(name, label)) for label in labels] or [0], dtype=np.uint64)


def table_signatures(table: Any) -> Any:
    """`signature` of every public document of the facet table, in the table's row order."""
    import numpy as np

    with np.errstate(over="ignore"):
        sig = _mix_array(_keys("year", table.year))
        sig += _label_hashes("doc_type", table.doc_types)[table.doc_type]
        sig += _label_hashes("validity", table.validities)[table.validity]
        sig += _mix_array(_keys("normative", table.normative))
        sig += _mix_array(_keys("theme", table.theme))
        for name, rows, values in (
            ("issuer", table.issuer_doc, table.issuer_org),
            ("tags", table.tag_doc, table.tag_id),
        ):
            if rows.size:
                np.add.at(sig, rows, _mix_array(_keys(name, values)))
    return (sig & np.uint64(MASK63)).astype(np.int64)


def stale_ids(searcher: Any, table: Any, stamp: Any, path: str) -> Any:
    """Ids of indexed documents whose indexed facet values are not the table's (or not public)."""
    import numpy as np
    import tantivy

    key = (table.token, stamp)
    cached = _stale.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        hits = searcher.search(
            tantivy.Query.all_query(), max(1, searcher.num_docs), count=False, order_by_field="doc_id"
        ).hits
        ids = np.fromiter((h[0] for h in hits), dtype=np.int64, count=len(hits))
        found = searcher.fast_field_values("facet_sig", [h[1] for h in hits])
        sigs = np.fromiter((-1 if s is None else s for s in found), dtype=np.int64, count=len(found))
        stale = ids
        if table.ids.size and ids.size:
            rows = np.searchsorted(table.ids, ids)
            rows[rows >= table.ids.size] = 0
            public = table.ids[rows] == ids
            current = public & (table_signatures(table)[rows] == sigs)
            stale = np.unique(ids[~current])
        _stale[path] = (key, stale)
    return stale


def add_table_counts(found: dict[str, dict[Any, int]], table: Any, rows: Any) -> None:
    """Adds the facet values of the documents at `rows` of the table to aggregation buckets."""
    import numpy as np

    if rows.size == 0:
        return

    def add(name: str, values: Iterable[Any]) -> None:
        bucket = found.setdefault(name, {})
        for value in values:
            bucket[value] = bucket.get(value, 0) + 1

    add("year", table.year[rows].tolist())
    add("doc_type", (table.doc_types[code] for code in table.doc_type[rows].tolist()))
    add("validity", (table.validities[code] for code in table.validity[rows].tolist()))
    add("normative", table.normative[rows].tolist())
    add("theme", table.theme[rows].tolist())
    selected = np.zeros(table.ids.size, dtype=bool)
    selected[rows] = True
    add("issuer", table.issuer_org[selected[table.issuer_doc]].tolist())
    add("tags", table.tag_id[selected[table.tag_doc]].tolist())
