"""Where 政民互动 plugs into lower apps without them importing it (rule 5): the policy page's
section list, the topic page's FAQ section, the search page's answer box, documents' signals."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse


def board_section(request: Any, document: Any) -> dict[str, Any]:
    """The message board under a public policy: the FAQ, the answered questions, the form."""
    from .forms import QuestionForm
    from .selectors import public_answers, public_faq

    return {
        "template": "interaction/_board_section.html",
        "document": document,
        "faq": list(public_faq([document.pk])[:20]),
        "answers": list(public_answers(document)[:30]),
        "form": QuestionForm(),
        "action": reverse("interaction:ask-document", args=[document.pk]),
    }


def topic_faq(topic: Any, document_ids: list[int]) -> list[Any]:
    from .selectors import public_faq

    return list(public_faq(document_ids)[:30])


def search_answer(text: str) -> dict[str, Any] | None:
    """搜问一体: a confident knowledge-base answer, else a confident policy article."""
    from . import kb
    from .selectors import article_answer

    answers = kb.ask(text, limit=1)
    if kb.is_confident(answers):
        best = answers[0]
        document = best["document"]
        return {
            "answer": best["answer"], "confidence": best["confidence"],
            "source_title": document.title if document else best["unit"],
            "source_url": document.get_absolute_url() if document else "", "article": best["article"],
            "more_url": reverse("interaction:kb") + "?q=" + text[:100],
        }  # fmt: skip
    return article_answer(text)


def on_document_changed(sender: Any, document: Any, **kwargs: Any) -> None:
    """A repealed or amended (or withdrawn) policy: its knowledge-base entries wait for review."""
    from gongkai.documents.constants import Validity

    from . import kb

    if kwargs.get("withdrawn") or document.validity in (
        Validity.REPEALED,
        Validity.AMENDED,
        Validity.EXPIRED,
    ):
        transaction.on_commit(lambda: kb.flag_entries_of(document))


def on_document_withdrawn(sender: Any, document: Any, **kwargs: Any) -> None:
    on_document_changed(sender, document, withdrawn=True)


def on_public_documents_changed(sender: Any, **kwargs: Any) -> None:
    """Published, withdrawn, edited or restored from a backup (signals sent on commit): 搜问一体's
    article index is rebuilt outside the web worker (a stale one never answers: see article_index)."""
    from . import article_index

    article_index.schedule_build()


def register() -> None:
    from gongkai.core.signals import backup_restored
    from gongkai.documents import selectors as document_selectors
    from gongkai.documents import signals as document_signals
    from gongkai.search import selectors as search_selectors
    from gongkai.topics import selectors as topic_selectors

    if board_section not in document_selectors.DETAIL_SECTION_PROVIDERS:
        document_selectors.DETAIL_SECTION_PROVIDERS.append(board_section)
    topic_selectors.SECTION_PROVIDERS["faq"] = topic_faq
    if search_answer not in search_selectors.ANSWER_PROVIDERS:
        search_selectors.ANSWER_PROVIDERS.append(search_answer)
    document_signals.document_changed.connect(on_document_changed, dispatch_uid="interaction.kb_changed")
    document_signals.document_withdrawn.connect(
        on_document_withdrawn, dispatch_uid="interaction.kb_withdrawn"
    )
    for signal, name in (
        (document_signals.document_published, "published"),
        (document_signals.document_withdrawn, "withdrawn"),
        (document_signals.document_changed, "changed"),
        (backup_restored, "restored"),
    ):
        signal.connect(on_public_documents_changed, dispatch_uid=f"interaction.articles_{name}")
