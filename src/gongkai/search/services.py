"""Writes to the search index and to the synonym list (rule 1).

Index writes are derived data: they are scheduled from the documents app's signals, which are sent
on commit (rule 3), and run as Celery tasks (`tasks.py`). Only published, proactively disclosed
documents are ever written (条例 Art. 19-20: what is proactively disclosed is what the public sees).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core.services import record_event
from gongkai.documents.interpretation_selectors import (
    public_interpretations_prefetch,
    published_interpretations_of,
)
from gongkai.documents.selectors import (
    IndexedRelations,
    indexed_relations,
    indexed_relations_of,
    published_documents,
)

from . import build, segmenter
from .backends import EntryData, get_backend
from .models import SearchEntry, Synonym
from .query import stored_title_key

if TYPE_CHECKING:
    from gongkai.documents.models import Document

MAX_INDEXED_CHARS = 400_000  # per document; longer attachments are indexed up to this point
FIELD_SEPARATOR = build.FIELD_SEPARATOR


def _batch_documents() -> Any:
    """A rebuild's documents: their relations are read per batch (`indexed_relations`). The HTML copy
    of the body is never indexed (body_text is): not read, it is as long as the text."""
    return published_documents().defer("body_html").prefetch_related(public_interpretations_prefetch())


def _documents() -> Any:
    return _batch_documents().prefetch_related("issuer_links__organisation", "tags", "attachments")


def entry_for(document: Document, layout: build.Layout = build.DEFAULT_LAYOUT) -> EntryData:
    texts, entry = entry_texts(document)
    entry.fields, entry.plain, entry.chain = build.segment(texts, layout)
    return entry


def entry_texts(
    document: Document, relations: IndexedRelations | None = None
) -> tuple[dict[str, str], EntryData]:
    """The texts of a document's index fields, and its entry without tokens and plain text yet.

    `relations` read in bulk by a rebuild; otherwise they are read from the document."""
    relations = relations or indexed_relations_of(document)
    issuers = " ".join(organisation.name for organisation in relations.issuers)
    issuers += " " + " ".join(
        value for organisation in relations.issuers
        for value in (organisation.short_name, *organisation.organ_codes()) if value
    )  # fmt: skip
    tags = " ".join(name for _pk, name in relations.tags)
    body_parts = [document.summary, document.body_text]
    body_parts.extend(f"{title}\n{text}" for title, text in relations.attachments)
    # 政策解读 are found through the documents they interpret (the hit links to them)
    body_parts.extend(text for item in interpretations_for_index(document) for _part, text in item.texts())
    body = "\n".join(part for part in body_parts if part)[:MAX_INDEXED_CHARS]
    texts = {
        "title": document.title,
        "doc_number": document.doc_number,
        "issuers": issuers,
        "tags": tags,
        "body": body,
    }
    entry = EntryData(
        document_id=document.pk,
        published_date=document.published_date,
        fields={},
        plain="",
        title_key=stored_title_key(document.title),
        facets={
            "year": document.published_date.year if document.published_date else 0,
            "doc_type": document.doc_type,
            "validity": document.validity,
            "normative": 1 if document.is_normative else 0,
            "theme": document.theme_id or 0,
            "issuer": [organisation.pk for organisation in relations.issuers],
            "tags": [pk for pk, _name in relations.tags],
        },
    )
    return texts, entry


def interpretations_for_index(document: Document) -> list[Any]:
    prefetched = getattr(document, "public_interpretations", None)
    if prefetched is not None:
        return prefetched
    return published_interpretations_of(document)


def index_document(document_id: int) -> bool:
    """(Re)index one document; removes it instead when it is not public. Returns True if indexed."""
    segmenter.ensure_database_terms()
    document = _documents().filter(pk=document_id).first()
    backend = get_backend()
    if document is None:
        backend.delete([document_id])
        return False
    backend.write([entry_for(document, backend.layout)])
    return True


def remove_document(document_id: int) -> None:
    get_backend().delete([document_id])


def rebuild_index(
    *, actor: Any = None, progress: Callable[[int, int], None] | None = None, batch: int = 200,
    processes: int | None = None,
) -> int:  # fmt: skip
    """Drop and rebuild the whole index, oldest publication first (entry ids then follow dates).

    The texts are segmented in `processes` worker processes (`build.build_processes`: one per
    core for large builds) while this process reads the next documents and writes the index.
    """
    segmenter.ensure_database_terms()
    backend = get_backend()
    ids = list(_documents().order_by("published_date", "published_at", "id").values_list("pk", flat=True))
    processes = build.build_processes(len(ids)) if processes is None else processes

    def batches() -> Iterator[tuple[list[EntryData], list[dict[str, str]]]]:
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            by_id = {d.pk: d for d in _batch_documents().filter(pk__in=chunk)}
            related = indexed_relations(list(by_id))
            pairs = [entry_texts(by_id[pk], related[pk]) for pk in chunk if pk in by_id]
            yield [entry for _texts, entry in pairs], [texts for texts, _entry in pairs]

    with build.workers(processes) as pool, transaction.atomic(), backend.bulk():
        backend.clear()
        done = 0
        for entries, segmented in build.segmented_batches(batches(), pool, backend.layout):
            for entry, (fields, plain, chain) in zip(entries, segmented, strict=True):
                entry.fields, entry.plain, entry.chain = fields, plain, chain
            backend.write(entries)
            done = min(len(ids), done + batch)
            if progress:
                progress(done, len(ids))
        record_event("search.reindexed", actor=actor, data={"documents": len(ids), "backend": backend.vendor})
    return len(ids)


def rebuild_index_if_incomplete(progress: Callable[[int, int], None] | None = None) -> int | None:
    """Rebuild an index kept outside the database (tantivy) that lacks published documents.

    That index is a directory on this host: a new host, a lost or emptied directory, or a switch of
    engine leaves it behind the database, and searches would miss documents until `gongkai reindex`.
    `gongkai serve` runs `gongkai reindex --if-incomplete` before it starts the workers. None when
    nothing was missing.
    """
    if get_backend().uses_sql or not index_is_stale():
        return None
    return rebuild_index(progress=progress)


def index_is_stale() -> bool:
    """True when published documents are missing from the index (e.g. after a restore)."""
    backend = get_backend()
    if backend.uses_sql:
        return published_documents().exclude(pk__in=SearchEntry.objects.values("document_id")).exists()
    indexed = set(int(pk) for pk in backend.indexed_document_ids())
    return any(pk not in indexed for pk in published_documents().values_list("pk", flat=True).iterator())


# --- synonyms (staff-editable) --------------------------------------------------------------------
def save_synonym(*, actor: Any, words: str, note: str = "", synonym: Synonym | None = None) -> Synonym:
    parts = Synonym.split(words)
    if len(parts) < 2:
        raise ValidationError({"words": "同义词至少需要两个词语，用逗号或顿号分隔。"})
    if any(len(part) > 30 for part in parts):
        raise ValidationError({"words": "同义词中的每个词语不能超过30个字。"})
    with transaction.atomic():
        synonym = synonym or Synonym()
        synonym.words = "，".join(parts)
        synonym.note = note
        synonym.save()
        record_event("search.synonym_saved", actor=actor, target=synonym, data={"words": parts})
    transaction.on_commit(lambda: segmenter.add_words(parts))
    return synonym


def delete_synonym(synonym: Synonym, *, actor: Any) -> None:
    with transaction.atomic():
        record_event("search.synonym_deleted", actor=actor, data={"words": synonym.words})
        synonym.delete()


def synonym_map() -> dict[str, list[str]]:
    """word → every word of its group(s), normalised like the query."""
    mapping: dict[str, list[str]] = {}
    for words in Synonym.objects.values_list("words", flat=True):
        group = [segmenter.normalize(w) for w in Synonym.split(words)]
        for word in group:
            mapping.setdefault(word, [])
            mapping[word].extend(w for w in group if w != word and w not in mapping[word])
    return mapping


def add_dictionary_words(words: Iterable[str]) -> None:
    segmenter.add_words(words)
