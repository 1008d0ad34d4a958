"""Assisted reading (解读辅助): what the texts themselves say, offered to staff as editable drafts.

For one document: its key facts with spans (`keyfacts`), the article-level comparison with each
document it amends or replaces (`compare`), and a draft interpretation assembled from both. Nothing
here writes: staff edit the draft and `interpretations.create_interpretation` saves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .compare import Comparison, compare_texts, summary_text
from .constants import InterpretationKind, RelationType
from .keyfacts import Fact, draft_sections, extract_key_facts
from .models import Document

KEYWORD_COUNT = 8


@dataclass
class Pair:
    """A document and the older one it amends or replaces, with their comparison."""

    new: Document
    old: Document
    relation_type: str
    comparison: Comparison

    @property
    def relation_label(self) -> str:
        return str(RelationType(self.relation_type).label)

    def summary(self) -> str:
        return summary_text(self.comparison, self.old.title, self.new.title)


def older_versions(document: Document, user: Any) -> list[tuple[Document, str]]:
    """The documents this one amends or replaces (修改/废止), inside the library and visible to `user`."""
    visible = Document.objects.visible_to(user).values("pk")
    relations = (
        document.outgoing_relations.filter(relation_type__in=(RelationType.AMENDS, RelationType.REPEALS),
                                           target__in=visible)
        .select_related("target").order_by("id")
    )  # fmt: skip
    return [(relation.target, relation.relation_type) for relation in relations]


def compare_documents(new: Document, old: Document, relation_type: str = RelationType.AMENDS) -> Pair:
    return Pair(new, old, relation_type, compare_texts(old.body_text, new.body_text))


def comparisons_for(document: Document, user: Any) -> list[Pair]:
    return [compare_documents(document, old, relation) for old, relation in older_versions(document, user)]


def keywords(text: str, count: int = KEYWORD_COUNT) -> list[str]:
    """The words that characterise the text (jieba's TF-IDF), for the 关键词 section."""
    import jieba.analyse

    return [word for word in jieba.analyse.extract_tags(text, topK=count * 2) if len(word) >= 2][:count]


def draft_interpretation(document: Document, user: Any) -> dict[str, str]:
    """Initial values of a new interpretation of `document`: sections drafted from its text."""
    draft = {
        "kind": InterpretationKind.TEXT,
        "title": _("《%(title)s》政策解读") % {"title": document.title},
        **draft_sections(document.body_text, effective_date=document.effective_date),
    }
    words = keywords(f"{document.title}\n{document.body_text}")
    if words:
        draft["keywords"] = "、".join(words)
    pairs = comparisons_for(document, user)
    if pairs:
        draft["changes"] = "\n\n".join(pair.summary() for pair in pairs)
    return draft


def highlight_facts(text: str, facts: list[Fact]) -> SafeString:
    """Escape the text and wrap each fact (longest first where they overlap) in <mark>."""
    out: list[str] = []
    position = 0
    for fact in sorted(facts, key=lambda f: (f.start, -(f.end - f.start))):
        if fact.start < position:
            continue
        out.append(escape(text[position : fact.start]))
        out.append(
            f'<mark class="fact fact-{fact.kind}" title="{escape(fact.label)}">{escape(fact.text)}</mark>'
        )
        position = fact.end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))


def key_facts(document: Document) -> list[Fact]:
    return extract_key_facts(document.body_text)
