"""知识库 (work plan 二十): import, ask, review after a policy changes, low-confidence log, and
learning from staff feedback (a logged question becomes a wording of the entry that answers it).

`ask` answers from an in-memory index (`retrieval.Retriever`) built once per process and rebuilt
when the entries change (their count and latest change are checked on every question: one query).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation
from gongkai.core.services import record_event
from gongkai.documents import selectors as document_selectors
from gongkai.search import segmenter
from gongkai.text.docno import doc_number_variants, parse_doc_number

from .constants import KnowledgeStatus
from .models import KnowledgeEntry, UnansweredQuestion
from .retrieval import CONFIDENT, Retriever
from .validation import clean_text

MAX_ANSWER_CHARS = 20000


@dataclass
class ImportResult:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"created": len(self.created), "updated": len(self.updated), "unchanged": len(self.unchanged),
                "errors": self.errors}  # fmt: skip


def _strings(value: Any, field_name: str, label: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError({field_name: _("%(label)s须为字符串列表。") % {"label": label}})
    return [
        clean_text(v, field=field_name, label=label, limit=500, required=False) for v in value if v.strip()
    ]


def clean_entry(row: Any) -> dict[str, Any]:
    """One knowledge-base line: `answer` (required), `keywords`, `unit`, `category`, optional
    `question`/`questions` and `document` (文号). Errors keyed by field, in Chinese."""
    if not isinstance(row, dict):
        raise ValidationError({"line": _("每行须为一个 JSON 对象。")})
    answer = row.get("answer")
    if not isinstance(answer, str) or not answer.strip():
        raise ValidationError({"answer": _("缺少答案（answer）。")})
    cleaned = {"answer": clean_text(answer, field="answer", label=_("答案"), limit=MAX_ANSWER_CHARS)}
    questions = _strings(row.get("questions"), "questions", _("问题")) + _strings(
        row.get("question"), "question", _("问题")
    )
    cleaned["questions"] = list(dict.fromkeys(questions))
    if not isinstance(row.get("keywords", []), list) or not isinstance(row.get("questions", []), list):
        key = "keywords" if not isinstance(row.get("keywords", []), list) else "questions"
        raise ValidationError(
            {key: _("%(label)s须为字符串列表。") % {"label": _("关键词") if key == "keywords" else _("问题")}}
        )
    cleaned["keywords"] = _strings(row.get("keywords"), "keywords", _("关键词"))
    for key, label in (("unit", _("办理单位")), ("category", _("类别"))):
        value = row.get(key) or ""
        if not isinstance(value, str):
            raise ValidationError({key: _("%(label)s须为字符串。") % {"label": label}})
        cleaned[key] = clean_text(value, field=key, label=label, limit=100, required=False)
    number = row.get("document") or ""
    if not isinstance(number, str):
        raise ValidationError({"document": _("依据文号须为字符串。")})
    cleaned["doc_number"] = number.strip()[:100]
    return cleaned


def _document_for(number: str) -> Any:
    if not number:
        return None
    forms = {number, *doc_number_variants(parse_doc_number(number))}
    return document_selectors.all_documents().filter(doc_number__in=forms).order_by("-id").first()


def import_entries(lines: Iterable[str], *, actor: Any = None) -> ImportResult:
    """Import JSON lines; idempotent on the answer text; bad lines are reported and skipped."""
    result = ImportResult()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                raise ValidationError({"line": _("不是有效的 JSON。")}) from None
            cleaned = clean_entry(row)
        except ValidationError as exc:
            messages = (
                [f"{k}: {m}" for k, ms in exc.message_dict.items() for m in ms]
                if hasattr(exc, "error_dict")
                else exc.messages
            )
            result.errors.append({"line": number, "errors": messages})
            continue
        entry, outcome = save_entry(cleaned, actor=actor)
        getattr(result, outcome).append(entry.pk)
    return result


def save_entry(cleaned: dict[str, Any], *, actor: Any = None) -> tuple[KnowledgeEntry, str]:
    """Create the entry, or update the one with the same answer text; returns (entry, outcome)."""
    answer_hash = KnowledgeEntry.hash_answer(cleaned["answer"])
    document = _document_for(cleaned["doc_number"])
    organisation = Organisation.objects.filter(name=cleaned["unit"]).first() if cleaned["unit"] else None
    if organisation is None and document is not None:
        organisation = document.organisation
    values = {
        "questions": cleaned["questions"], "answer": cleaned["answer"], "keywords": cleaned["keywords"],
        "unit": cleaned["unit"], "category": cleaned["category"], "doc_number": cleaned["doc_number"],
        "document": document, "organisation": organisation,
    }  # fmt: skip
    with transaction.atomic(durable=True):
        entry = KnowledgeEntry.objects.select_for_update().filter(answer_hash=answer_hash).first()
        if entry is None:
            entry = KnowledgeEntry.objects.create(answer_hash=answer_hash, **values)
            outcome = "created"
        else:
            changed = {k: v for k, v in values.items() if getattr(entry, k) != v}
            if not changed:
                return entry, "unchanged"
            for key, value in changed.items():
                setattr(entry, key, value)
            entry.save()
            outcome = "updated"
        record_event(f"interaction.kb_{outcome}", actor=actor, target=entry, organisation=organisation,
                     data={"questions": len(entry.questions), "doc_number": entry.doc_number})  # fmt: skip
    return entry, outcome


def flag_entries_of(document: Any) -> int:
    """A policy repealed, amended or withdrawn: its entries wait for review, hidden from answers."""
    entries = list(KnowledgeEntry.objects.filter(document=document, status=KnowledgeStatus.ACTIVE))
    if not entries:
        return 0
    note = _("依据文件状态变化（%(validity)s），请复核。") % {"validity": document.get_validity_display()}
    with transaction.atomic(durable=True):
        KnowledgeEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
            status=KnowledgeStatus.NEEDS_REVIEW, status_note=note, updated_at=timezone.now()
        )
        for entry in entries:
            record_event("interaction.kb_flagged", actor=None, target=entry, organisation=entry.organisation,
                         data={"document_id": document.pk, "validity": document.validity})  # fmt: skip
    return len(entries)


def confirm_entry(entry: KnowledgeEntry, *, actor: Any, keep: bool) -> KnowledgeEntry:
    """After review: back into answers, or retired."""
    from gongkai.accounts.constants import Role
    from gongkai.accounts.permissions import require_role

    require_role(actor, Role.EDITOR, entry.organisation_id, _("复核知识库条目"))
    with transaction.atomic(durable=True):
        entry.status = KnowledgeStatus.ACTIVE if keep else KnowledgeStatus.RETIRED
        entry.status_note = ""
        entry.save(update_fields=["status", "status_note", "updated_at"])
        record_event("interaction.kb_reviewed", actor=actor, target=entry, organisation=entry.organisation,
                     data={"keep": keep})  # fmt: skip
    return entry


def learn_question(unanswered: UnansweredQuestion, entry_id: Any, *, actor: Any) -> KnowledgeEntry:
    """Staff feedback (learning from the low-confidence log): the question people asked is answered
    by entry `entry_id`; its wording joins the entry's questions, the heaviest field of the index,
    so the next asker using those words gets that entry first, and the log row is closed."""
    from gongkai.accounts.constants import Role
    from gongkai.accounts.permissions import require_role

    try:
        entry = answerable_entries().get(pk=int(str(entry_id).strip()))
    except (KnowledgeEntry.DoesNotExist, TypeError, ValueError):
        raise ValidationError({"entry": _("条目编号：请填写一个正在使用的知识库条目的编号。")}) from None
    require_role(actor, Role.EDITOR, entry.organisation_id, _("完善知识库条目"))
    if unanswered.organisation_id not in (None, entry.organisation_id) and not actor.is_platform_admin:
        raise ValidationError({"entry": _("条目编号：该条目不属于提问所归的单位。")})
    question = clean_text(unanswered.text, field="question", label=_("问题"), limit=500)
    with transaction.atomic(durable=True):
        entry = KnowledgeEntry.objects.select_for_update().get(pk=entry.pk)
        if question not in entry.questions:
            entry.questions = [*entry.questions, question]
            entry.save(update_fields=["questions", "updated_at"])
        UnansweredQuestion.objects.filter(pk=unanswered.pk).delete()
        record_event("interaction.kb_learned", actor=actor, target=entry, organisation=entry.organisation,
                     data={"questions": len(entry.questions)})  # fmt: skip
    return entry


# ---------------------------------------------------------------- asking
_lock = threading.Lock()
_index: dict[str, Any] = {"stamp": None, "retriever": None}


def answerable_entries() -> QuerySet[KnowledgeEntry]:
    today = timezone.localdate()
    return (
        KnowledgeEntry.objects.filter(status=KnowledgeStatus.ACTIVE)
        .exclude(valid_to__lt=today)
        .exclude(valid_from__gt=today)
    )


def _retriever() -> Retriever:
    stats = KnowledgeEntry.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    stamp = (stats["n"], stats["last"], timezone.localdate())
    with _lock:
        if _index["stamp"] != stamp:
            segmenter.ensure_database_terms()
            retriever = Retriever()
            for entry in answerable_entries().values(
                "id", "answer", "questions", "keywords", "unit", "category"
            ):
                retriever.add(entry["id"], answer=entry["answer"], questions=entry["questions"],
                              keywords=entry["keywords"], labels=[entry["unit"], entry["category"]])  # fmt: skip
            retriever.compile()  # here, under the lock: never twice at once in one worker
            _index.update(stamp=stamp, retriever=retriever)
        return _index["retriever"]


def ask(question: str, *, limit: int = 5) -> list[dict[str, Any]]:
    """Best first: {id, answer, score, unit, category, confidence, document, article}."""
    question = (question or "").strip()[:500]
    if not question:
        raise ValidationError({"q": _("请输入问题。")})
    hits = _retriever().search(question, limit=max(1, min(int(limit), 50)))
    entries = {
        e.pk: e
        for e in KnowledgeEntry.objects.select_related("document").filter(pk__in=[h.key for h in hits])
    }
    out = []
    for hit in hits:
        entry = entries.get(hit.key)
        if entry is None:
            continue
        out.append({
            "id": entry.pk, "answer": entry.answer, "score": hit.score, "unit": entry.unit,
            "category": entry.category, "confidence": hit.confidence,
            "question": entry.questions[0] if entry.questions else "",
            "document": entry.document if entry.document_id and entry.document.is_public else None,
            "article": entry.article,
        })  # fmt: skip
    return out


def is_confident(answers: list[dict[str, Any]]) -> bool:
    return bool(answers) and answers[0]["confidence"] >= CONFIDENT


def log_unanswered(question: str, answers: list[dict[str, Any]]) -> None:
    """Count a question answered with low confidence, under the organisation of the nearest entry."""
    if is_confident(answers):
        return
    text = " ".join(question.split())[:300]
    normalized = segmenter.normalize(text)[:300]
    organisation_id = None
    if answers:
        organisation_id = (
            KnowledgeEntry.objects.filter(pk=answers[0]["id"])
            .values_list("organisation_id", flat=True)
            .first()
        )
    best = answers[0]["score"] if answers else 0.0
    with transaction.atomic(durable=True):
        updated = UnansweredQuestion.objects.filter(
            normalized=normalized, organisation_id=organisation_id
        ).update(count=F("count") + 1, last_asked_at=timezone.now(), best_score=best)
        if not updated:
            UnansweredQuestion.objects.create(text=text, normalized=normalized, organisation_id=organisation_id,
                                              best_score=best, last_asked_at=timezone.now())  # fmt: skip
