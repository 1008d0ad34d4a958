"""政府公报 (work plan item 二十八): issues compiled from published documents and interpretations;
the gazette text is the 标准文本 (《国务院办公厅关于做好政府公报工作的通知》: 政府公报刊登的文件
为标准文本). Rendering lives in gazette_render.py."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.services import record_event
from gongkai.documents import interpretation_selectors
from gongkai.documents import selectors as documents

from .constants import GazetteStatus
from .models import GazetteEntry, GazetteIssue
from .permissions import require_office


def _int(value: Any, field: str, label: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("%(label)s须为整数。") % {"label": label}}) from None
    if number < 1:
        raise ValidationError({field: _("%(label)s须大于0。") % {"label": label}})
    return number


def _issuer(item: Any) -> str:
    return item.organisation.name if item.organisation_id else ""


def _document_text(document: Any) -> str:
    return (document.body_text or "").strip()


def _interpretation_text(interpretation: Any) -> str:
    parts = [interpretation.summary or ""]
    for _name, heading, paragraphs in interpretation.section_paragraphs():
        if paragraphs:
            parts.append(f"{heading}\n" + "\n".join(paragraphs))
    parts += interpretation.body_paragraphs()
    return "\n".join(p for p in parts if p).strip()


def compile_issue(
    *,
    actor: Any,
    year: Any,
    number: Any,
    document_ids: list[int],
    interpretation_ids: list[int] | None = None,
) -> GazetteIssue:
    """A new draft issue with its texts copied from the published items (in the order given)."""
    require_office(actor, _("编辑政府公报"))
    year = _int(year, "year", _("年份"))
    number = _int(number, "number", _("期号"))
    interpretation_ids = interpretation_ids or []
    if not document_ids and not interpretation_ids:
        raise ValidationError({"items": _("公报至少须收录一份已发布的文件或解读。")})
    public = {
        d.pk: d
        for d in documents.public_documents().filter(pk__in=document_ids).select_related("organisation")
    }
    missing = [str(pk) for pk in document_ids if pk not in public]
    readings = {
        i.pk: i for i in interpretation_selectors.public_interpretations().filter(pk__in=interpretation_ids)
    }
    missing += [f"解读{pk}" for pk in interpretation_ids if pk not in readings]
    if missing:
        raise ValidationError(
            {"items": _("以下条目不存在或未公开发布：%(ids)s。") % {"ids": "、".join(missing)}}
        )
    if GazetteIssue.objects.filter(year=year, number=number).exists():
        raise ValidationError(
            {"number": _("%(year)d年第%(number)d期已存在。") % {"year": year, "number": number}}
        )
    with transaction.atomic(durable=True):
        issue = GazetteIssue.objects.create(year=year, number=number)
        position = 0
        for pk in document_ids:
            document = public[pk]
            GazetteEntry.objects.create(
                issue=issue, position=position, document=document, title=document.title,
                doc_number=document.doc_number, issuer=_issuer(document), body_text=_document_text(document),
            )  # fmt: skip
            position += 1
        for pk in interpretation_ids:
            reading = readings[pk]
            GazetteEntry.objects.create(
                issue=issue, position=position, interpretation=reading, title=reading.title,
                issuer=_issuer(reading), body_text=_interpretation_text(reading),
            )  # fmt: skip
            position += 1
        record_event("office.gazette_compiled", actor=actor, target=issue, data={"year": year, "number": number,
                     "entries": position})  # fmt: skip
    return issue


def publish_issue(*, actor: Any, issue: GazetteIssue) -> GazetteIssue:
    """Fix the page numbers from the PDF layout and make the issue public."""
    from .gazette_render import layout

    require_office(actor, _("出版政府公报"))
    with transaction.atomic(durable=True):
        issue = GazetteIssue.objects.select_for_update().get(pk=issue.pk)
        if issue.status == GazetteStatus.PUBLISHED:
            raise ValidationError({"status": _("该期公报已出版。")})
        entries = list(issue.entries.all())
        if not entries:
            raise ValidationError({"items": _("公报没有任何条目，不能出版。")})
        starts, pages = layout(issue, entries)
        for entry, start in zip(entries, starts, strict=True):
            entry.start_page = start
            entry.save(update_fields=["start_page"])
        issue.pages = pages
        issue.status = GazetteStatus.PUBLISHED
        issue.published_at = timezone.now()
        issue.save()
        record_event("office.gazette_published", actor=actor, target=issue, data={"pages": pages})
    return issue


def published_issues() -> QuerySet[GazetteIssue]:
    return GazetteIssue.objects.filter(status=GazetteStatus.PUBLISHED)


def public_entries() -> QuerySet[GazetteEntry]:
    """Texts of published issues whose source is still public: a document withdrawn afterwards (e.g.
    for personal data found later) leaves the electronic gazette too."""
    return GazetteEntry.objects.filter(issue__status=GazetteStatus.PUBLISHED).filter(
        Q(document__in=documents.public_documents().values("pk"))
        | Q(interpretation__in=interpretation_selectors.public_interpretations().values("pk"))
    )


def search_entries(query: str = "", year: int | None = None) -> QuerySet[GazetteEntry]:
    """The electronic gazette database: texts of published issues, each the 标准文本."""
    entries = public_entries().select_related("issue")
    if year:
        entries = entries.filter(issue__year=year)
    for word in (query or "").split()[:8]:
        entries = entries.filter(
            Q(title__icontains=word) | Q(doc_number__icontains=word) | Q(body_text__icontains=word)
        )
    return entries.order_by("-issue__year", "-issue__number", "position")
