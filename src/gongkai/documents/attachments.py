"""Attachments of a document: added to drafts only, with their text extracted for search."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.constants import Role
from gongkai.accounts.permissions import require_role
from gongkai.core.files import display_name, storage_name
from gongkai.core.services import record_event

from .models import Attachment, Document
from .validation import check_attachment, require_editable


def mark_edited(document: Document, actor: Any) -> None:
    """Record `actor` as the last to change the text (separation of duties: they cannot approve it)."""
    if getattr(actor, "pk", None):
        Document.objects.filter(pk=document.pk).update(last_edited_by=actor)
        document.last_edited_by = actor


def attachment_text(content: bytes, filename: str) -> str:
    """The text of an office/PDF/OFD/HTML/text attachment for search, or "" when it has none."""
    from gongkai.text.readers import ReadError, read_bytes

    try:
        return read_bytes(content, filename).text
    except ReadError:
        return ""


def add_attachment(
    document: Document,
    *,
    actor: Any,
    filename: str,
    content: bytes,
    title: str = "",
    extracted_text: str = "",
    check_permission: bool = True,
) -> Attachment:
    if check_permission:
        require_role(actor, Role.EDITOR, document.organisation_id, _("上传附件"))
    require_editable(document)
    filename = display_name(filename)
    check_attachment(filename, len(content))
    if not extracted_text:
        extracted_text = attachment_text(content, filename)
    with transaction.atomic():
        attachment = Attachment(
            document=document,
            title=(title or filename.rsplit(".", 1)[0])[:300],  # the full name, however long in bytes
            original_name=filename[:500],
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            extracted_text=extracted_text,
            position=document.attachments.count(),
        )
        attachment.file.save(storage_name(filename), ContentFile(content), save=False)
        attachment.save()
        mark_edited(document, actor)
        record_event(
            "document.attachment_added",
            actor=actor,
            target=document,
            organisation=document.organisation,
            data={"attachment": attachment.title, "sha256": attachment.sha256},
        )
    return attachment
