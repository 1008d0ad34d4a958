"""Facet counts over a set of public documents from a compact per-process table (issue 20).

The search page shows the exact number of matches and six facets. Counting them in SQL means one
GROUP BY per facet over every match: a word found in 98,000 of 100,000 documents costs seconds. Here
each public document is a row of a few numpy arrays (id, year, 文种, 有效性, 规范性文件, 主题) plus
(document, issuer) and (document, tag) pairs; counting a result set is a `searchsorted` and a few
`bincount`s, a few milliseconds at 100,000 documents. Names and labels are read from the database
for the values that occur (a handful of small queries), so renaming an organisation or a theme
shows at once.

The table is rebuilt when the database's `DataVersion` token differs from the one it was built
under. On SQLite, triggers replace the token with any write of the rows read here (migration
`documents/0009`), queryset updates and raw SQL included. On PostgreSQL statement triggers bump a
sequence instead (`documents/0010`: no hot row, no waiting writers). A sequence is not
transactional, so the token is read *before* the snapshot the table is built from, and the
transactions running then (from pg_stat_activity) are kept with the table: once any of them has
ended it may have committed what the table lacks, so the table is rebuilt (`_postgres_table`). A table
built inside a transaction that has itself written is used once and never kept.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation
from gongkai.core.i18n import localized_name
from gongkai.taxonomy.constants import Dimension
from gongkai.taxonomy.selectors import all_tags

from .constants import DocType, Validity
from .models import DataVersion, Document, DocumentIssuer, Theme
from .selectors import TAG_FACET_SIZE


@dataclass
class FacetTable:
    token: int
    ids: np.ndarray  # public document ids, ascending
    year: np.ndarray  # 0 when no publication date
    doc_type: np.ndarray  # index into doc_types
    doc_types: list[str]
    validity: np.ndarray
    validities: list[str]
    normative: np.ndarray  # 0 / 1
    theme: np.ndarray  # theme id, 0 when none
    issuer_doc: np.ndarray  # row index in `ids` of each (document, organisation) pair
    issuer_org: np.ndarray
    tag_doc: np.ndarray
    tag_id: np.ndarray
    pending: list[str] = field(default_factory=list)  # PostgreSQL: transactions in progress (xid8)

    def rows_of(self, document_ids: np.ndarray) -> np.ndarray:
        """Row indexes of those ids that are public documents (each once)."""
        if document_ids.size == 0 or self.ids.size == 0:
            return np.empty(0, dtype=np.int64)
        document_ids = np.unique(document_ids)
        rows = np.searchsorted(self.ids, document_ids)
        rows[rows >= self.ids.size] = 0
        return rows[self.ids[rows] == document_ids]


_lock = threading.Lock()
_tables: dict[str, FacetTable] = {}


def current_token() -> int | None:
    """The database's data version, or None where it is not maintained (PostgreSQL, a flushed table)."""
    if connection.vendor != "sqlite":
        return None
    token = DataVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    if token is None:  # the row was deleted (a flush): a fresh random token, never a reused one
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO documents_dataversion (id, token) SELECT 1, random() "
                    "WHERE NOT EXISTS (SELECT 1 FROM documents_dataversion WHERE id = 1)"
                )
        except DatabaseError:  # a read-only database: count in SQL
            return None
        token = DataVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    return token


def _codes(values: list[str]) -> tuple[np.ndarray, list[str]]:
    labels = sorted(set(values))
    index = {value: i for i, value in enumerate(labels)}
    return np.fromiter((index[v] for v in values), dtype=np.int32, count=len(values)), labels


def build_table(token: int) -> FacetTable:
    public = Document.objects.published().order_by("pk")
    rows = list(
        public.values_list("pk", "published_date", "doc_type", "validity", "is_normative", "theme_id")
    )
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    doc_type, doc_types = _codes([r[2] for r in rows])
    validity, validities = _codes([r[3] for r in rows])
    table = FacetTable(
        token=token,
        ids=ids,
        year=np.fromiter((r[1].year if r[1] else 0 for r in rows), dtype=np.int32, count=len(rows)),
        doc_type=doc_type,
        doc_types=doc_types,
        validity=validity,
        validities=validities,
        normative=np.fromiter((1 if r[4] else 0 for r in rows), dtype=np.int8, count=len(rows)),
        theme=np.fromiter((r[5] or 0 for r in rows), dtype=np.int64, count=len(rows)),
        issuer_doc=np.empty(0, dtype=np.int64),
        issuer_org=np.empty(0, dtype=np.int64),
        tag_doc=np.empty(0, dtype=np.int64),
        tag_id=np.empty(0, dtype=np.int64),
    )
    table.issuer_doc, table.issuer_org = _pairs(
        table, DocumentIssuer.objects.values_list("document_id", "organisation_id")
    )
    table.tag_doc, table.tag_id = _pairs(
        table, Document.tags.through.objects.values_list("document_id", "tag_id")
    )
    return table


def _pairs(table: FacetTable, queryset: Any) -> tuple[np.ndarray, np.ndarray]:
    pairs = np.array(list(queryset), dtype=np.int64).reshape(-1, 2)
    if pairs.size == 0 or table.ids.size == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    rows = np.searchsorted(table.ids, pairs[:, 0])
    rows[rows >= table.ids.size] = 0
    public = table.ids[rows] == pairs[:, 0]
    return rows[public], pairs[public, 1]


def _postgres_token() -> int | None:
    """The sequence's value (0 before the first write), None when the migration is not applied."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regclass('documents_data_version_seq') IS NOT NULL, "
            "pg_sequence_last_value(to_regclass('documents_data_version_seq'))"
        )
        exists, value = cursor.fetchone()
    return (value or 0) if exists else None


RUNNING = (
    "SELECT pid::text || ':' || backend_xid::text FROM pg_stat_activity "
    "WHERE datname = current_database() AND backend_xid IS NOT NULL"
)


def _in_progress() -> tuple[list[str], bool]:
    """Transactions of this database with a transaction id, running now (other than ours), as
    "pid:xid", and whether ours has written anything. Read from pg_stat_activity, not from the
    snapshot's xip list: a transaction whose id is at or above the snapshot's xmax is running but
    not listed there (xmax is the latest completed id plus one)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            f"SELECT array({RUNNING} AND pid <> pg_backend_pid())::text[], "
            "pg_current_xact_id_if_assigned() IS NOT NULL"
        )
        pending, own = cursor.fetchone()
    return list(pending or []), bool(own)


def _committed_since(table: FacetTable) -> bool:
    """Whether a transaction running when `table` was built has ended since (it may have written)."""
    if not table.pending:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(f"SELECT x FROM unnest(%s::text[]) AS x WHERE x IN ({RUNNING})", [table.pending])
        still = [row[0] for row in cursor.fetchall()]
    return len(still) < len(table.pending)


def _postgres_table(key: str) -> FacetTable | None:
    token = _postgres_token()
    if token is None:
        return None
    table = _tables.get(key)
    if table is not None and table.token == token and not _committed_since(table):
        return table
    with _lock:
        pending, own = _in_progress()  # after the token, before the rows: see the docstring
        table = build_table(token)
        table.pending = pending
        if own:  # holds this transaction's uncommitted writes: never shown to another request
            _tables.pop(key, None)
        else:
            _tables[key] = table
    return table


def facet_table() -> FacetTable | None:
    """The current table (rebuilt after any write), or None where counts are made in SQL."""
    key = f"{connection.alias}:{connection.settings_dict.get('NAME')}"
    if connection.vendor == "postgresql":
        return _postgres_table(key)
    token = current_token()
    if token is None:
        return None
    table = _tables.get(key)
    if table is not None and table.token == token:
        return table
    with _lock:
        table = build_table(token)
        _tables[key] = table
    return table


def counts(table: FacetTable, rows: np.ndarray) -> dict[str, list[dict[str, Any]]]:
    """The facets of the documents at `rows`, as `selectors.facet_counts` gives them."""
    selected = np.zeros(table.ids.size, dtype=bool)
    selected[rows] = True
    return {
        "organisation": _organisations(table, selected),
        "year": _years(table, rows),
        "doc_type": _coded(table.doc_type[rows], table.doc_types, dict(DocType.choices)),
        "theme": _themes(table, rows),
        "validity": _coded(table.validity[rows], table.validities, dict(Validity.choices)),
        "normative": [
            {"value": str(value), "label": "规范性文件" if value else "非规范性文件", "count": int(count)}
            for value, count in enumerate(np.bincount(table.normative[rows], minlength=2))
            if count
        ],
        "tag": _tags(table, selected),
    }


def counts_of_values(found: dict[str, dict[Any, int]]) -> dict[str, list[dict[str, Any]]]:
    """The facets from counts per value (a search index's own aggregations), as `counts` gives them.

    `found` maps each facet (year, doc_type, validity, normative, theme, issuer, tags) to
    {value: number of documents}; names and labels are read from the database as in `counts`.
    """
    years = found.get("year", {})
    by_org = {int(k): v for k, v in found.get("issuer", {}).items()}
    organisations = Organisation.objects.filter(pk__in=list(by_org)).order_by("sort_order", "id")
    normative = found.get("normative", {})
    themes: dict[str, dict[str, Any]] = {}
    by_theme = {int(k): v for k, v in found.get("theme", {}).items() if int(k)}
    for theme in Theme.objects.filter(pk__in=list(by_theme)).select_related("parent").order_by("code"):
        top = theme.parent or theme
        entry = themes.setdefault(
            top.code, {"value": top.code, "label": localized_name(top.name, top.name_en), "count": 0}
        )
        entry["count"] += by_theme[theme.pk]
    by_tag = {int(k): v for k, v in found.get("tags", {}).items()}
    tags = all_tags().filter(pk__in=list(by_tag)).exclude(dimension=Dimension.THEME)
    ordered = sorted(tags, key=lambda tag: (-by_tag[tag.pk], tag.code))[:TAG_FACET_SIZE]
    return {
        "organisation": [{"value": o.code, "label": o.name, "count": by_org[o.pk]} for o in organisations],
        "year": [
            {"value": str(y), "label": _("%(year)s年") % {"year": y}, "count": int(c)}
            for y, c in sorted(((int(y), c) for y, c in years.items()), reverse=True)
            if y and c
        ],
        "doc_type": _labelled(found.get("doc_type", {}), dict(DocType.choices)),
        "theme": sorted(themes.values(), key=lambda entry: (-entry["count"], entry["value"])),
        "validity": _labelled(found.get("validity", {}), dict(Validity.choices)),
        "normative": [
            {"value": str(v), "label": "规范性文件" if v else "非规范性文件", "count": int(normative[v])}
            for v in (0, 1)
            if normative.get(v)
        ],
        "tag": [
            {
                "value": t.code,
                "label": f"{Dimension(t.dimension).label}·{localized_name(t.name, t.name_en)}",
                "count": by_tag[t.pk],
            }
            for t in ordered
        ],
    }


def _labelled(found: dict[str, int], labels: dict) -> list[dict[str, Any]]:
    order = sorted((value for value, count in found.items() if count), key=lambda v: (-found[v], v))
    return [{"value": v, "label": str(labels.get(v, v)), "count": int(found[v])} for v in order]


def _coded(codes: np.ndarray, values: list[str], labels: dict) -> list[dict[str, Any]]:
    found = np.bincount(codes, minlength=len(values))
    order = sorted((i for i in range(len(values)) if found[i]), key=lambda i: (-found[i], values[i]))
    return [
        {"value": values[i], "label": str(labels.get(values[i], values[i])), "count": int(found[i])}
        for i in order
    ]


def _years(table: FacetTable, rows: np.ndarray) -> list[dict[str, Any]]:
    years, found = np.unique(table.year[rows], return_counts=True)
    return [
        {"value": str(y), "label": _("%(year)s年") % {"year": y}, "count": int(c)}
        for y, c in sorted(zip(years.tolist(), found.tolist(), strict=True), reverse=True)
        if y
    ]


def _organisations(table: FacetTable, selected: np.ndarray) -> list[dict[str, Any]]:
    org_ids, found = np.unique(table.issuer_org[selected[table.issuer_doc]], return_counts=True)
    by_id = dict(zip(org_ids.tolist(), found.tolist(), strict=True))
    organisations = Organisation.objects.filter(pk__in=list(by_id)).order_by("sort_order", "id")
    return [{"value": o.code, "label": o.name, "count": by_id[o.pk]} for o in organisations]


def _themes(table: FacetTable, rows: np.ndarray) -> list[dict[str, Any]]:
    theme_ids, found = np.unique(table.theme[rows], return_counts=True)
    by_id = {t: c for t, c in zip(theme_ids.tolist(), found.tolist(), strict=True) if t}
    themes: dict[str, dict[str, Any]] = {}
    for theme in Theme.objects.filter(pk__in=list(by_id)).select_related("parent").order_by("code"):
        top = theme.parent or theme
        label = localized_name(top.name, top.name_en)
        entry = themes.setdefault(top.code, {"value": top.code, "label": label, "count": 0})
        entry["count"] += by_id[theme.pk]
    return sorted(themes.values(), key=lambda entry: (-entry["count"], entry["value"]))


def _tags(table: FacetTable, selected: np.ndarray) -> list[dict[str, Any]]:
    tag_ids, found = np.unique(table.tag_id[selected[table.tag_doc]], return_counts=True)
    by_id = dict(zip(tag_ids.tolist(), found.tolist(), strict=True))
    tags = all_tags().filter(pk__in=list(by_id)).exclude(dimension=Dimension.THEME)
    ordered = sorted(tags, key=lambda tag: (-by_id[tag.pk], tag.code))[:TAG_FACET_SIZE]
    return [
        {
            "value": t.code,
            "label": f"{Dimension(t.dimension).label}·{localized_name(t.name, t.name_en)}",
            "count": by_id[t.pk],
        }
        for t in ordered
    ]
