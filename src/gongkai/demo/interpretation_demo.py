"""Demo 政策解读 (content/interpretations.json): 示例 interpretations of real demo documents.

Nobody official wrote them: each is saved with `is_example`, so every page labels it 示例. A demo
document that gets one submits and publishes it together with the document (三同步); every other
demo document that needs one records why it has none (the reason the report lists). On a database
loaded before interpretations existed, they are added as 动态解读 through their own review.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from gongkai.accounts.models import User
from gongkai.documents import interpretations, reading
from gongkai.documents import services as documents
from gongkai.documents.constants import DocumentStatus, RelationType
from gongkai.documents.interpretation_selectors import all_interpretations
from gongkai.documents.interpretation_sync import set_interpretation_requirement
from gongkai.documents.models import Document
from gongkai.ingest.services import paragraphs_html

CONTENT = Path(__file__).resolve().parent / "content"
COMPARE_MARK = "@compare"
FIELDS = ("kind", "summary", "body", "core_concepts", "keywords", "scope", "service_guide", "procedure", "criteria",
          "benefits", "changes", "author", "media_url")  # fmt: skip


@cache
def demo_data() -> dict[str, Any]:
    return json.loads((CONTENT / "interpretations.json").read_text())


def _spec_for(document: Document) -> dict[str, Any] | None:
    return next((s for s in demo_data()["interpretations"] if s["document_title"] == document.title), None)


def _previous_version(document: Document, spec: dict[str, Any], actor: User) -> tuple[Document, int]:
    """The older text the document amends, as an unpublished draft (see its NOTE file), related by 修改."""
    existing = Document.objects.filter(title=spec["title"]).first()
    created = 0
    if existing is None:
        text = (CONTENT / spec["file"]).read_text()
        existing = documents.create_document(
            actor=actor, organisation=document.organisation, title=spec["title"], doc_type=spec["doc_type"],
            summary=spec["summary"], body_text=text.strip(), body_html=paragraphs_html(text), check_permission=False,
        )  # fmt: skip
        created = 1
    if not document.outgoing_relations.filter(relation_type=RelationType.AMENDS, target=existing).exists():
        documents.add_relation(document, actor=actor, relation_type=RelationType.AMENDS, target=existing,
                               note=spec.get("note", ""), check_permission=False)  # fmt: skip
    return existing, created


def _create(document: Document, spec: dict[str, Any], actor: User) -> tuple[Any, int]:
    created = 0
    fields = {key: spec[key] for key in FIELDS if key in spec}
    if fields.get("changes") == COMPARE_MARK:
        fields["changes"] = ""
        if spec.get("previous_version"):
            old, created = _previous_version(document, spec["previous_version"], actor)
            fields["changes"] = reading.compare_documents(document, old).summary()
    item = interpretations.create_interpretation(
        actor=actor, organisation=document.organisation, documents=[document], title=spec["title"], is_example=True,
        check_permission=False, **fields,
    )  # fmt: skip
    return item, created


def prepare(document: Document, *, actor: User) -> int:
    """Before a demo document goes to review: its 示例 interpretation, or the reason it has none.

    Returns the number of extra documents created (the reconstructed older version).
    """
    spec = _spec_for(document)
    if spec is not None:
        return _create(document, spec, actor)[1]
    if document.needs_interpretation:
        reason = demo_data()["waivers"].get(document.title, demo_data()["default_waiver"])
        set_interpretation_requirement(
            document, actor=actor, required=False, reason=reason, check_permission=False
        )
    return 0


def add_follow_ups(actor: User) -> int:
    """For documents published before interpretations existed: each demo interpretation as a 动态解读."""
    added = 0
    for spec in demo_data()["interpretations"]:
        document = Document.objects.filter(
            title=spec["document_title"], status=DocumentStatus.PUBLISHED
        ).first()
        if document is None or all_interpretations().filter(title=spec["title"]).exists():
            continue
        item, _created = _create(document, spec, actor)
        item = interpretations.submit_interpretation(item, actor=actor)
        interpretations.publish_interpretation(item, actor=actor)
        added += 1
    return added
