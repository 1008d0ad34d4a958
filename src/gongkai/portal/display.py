"""How a document reads on the portal: its body laid out as the official text, its validity notice."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from gongkai.text.layout import Layout, layout

if TYPE_CHECKING:
    import datetime as dt

    from gongkai.documents.models import Document

_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def body_layout(document: Document) -> Layout | None:
    """The layout of a body stored as plain paragraphs; None for rich text an editor formatted
    (tables, lists, links), which is shown as sanitised."""
    source = (document.body_html or "").strip()
    if not source:
        return None
    paragraphs = _PARAGRAPH.findall(source)
    if not paragraphs or _PARAGRAPH.sub("", source).strip() or any("<" in p for p in paragraphs):
        return None
    return layout(
        [html.unescape(p) for p in paragraphs], title=document.title, doc_number=document.doc_number
    )


@dataclass
class ValidityNotice:
    status: str  # the 有效性 label
    since: dt.date | None
    reason: str
    links: list[Any]  # published documents that repealed or amended this one
    warn: bool


def validity_notice(document: Document, superseded_by: list[Any]) -> ValidityNotice | None:
    """Since when and why the document is not (or not yet) in force, with the documents that made it so."""
    validity = document.validity
    label = document.get_validity_display()
    sources = [rel.source for rel in superseded_by]
    if validity == "valid" and not sources:
        return None
    if validity == "not_yet_effective":
        return ValidityNotice(label, document.effective_date, _("文件已发布，尚未到施行日期。"), [], False)
    if validity == "expired" and not document.validity_override:
        return ValidityNotice(label, document.expiry_date, _("文件规定的有效期已届满。"), [], True)
    if document.validity_override:
        reason = _("发布机关已确认本文件{validity}。").format(validity=label)
        if sources:
            reason = _("发布机关已确认本文件{validity}，见下列文件。").format(validity=label)
        return ValidityNotice(label, document.validity_override_date, reason, superseded_by, True)
    if sources:
        repeal = [rel for rel in superseded_by if rel.relation_type == "repeals"]
        chosen = repeal or list(superseded_by)
        first = chosen[0].source
        since = first.effective_date or first.published_date
        reason = _("已被下列文件废止。") if repeal else _("已被下列文件修改，请以修改后的规定为准。")
        return ValidityNotice(label, since, reason, chosen, True)
    return ValidityNotice(label, document.validity_override_date, "", [], True)
