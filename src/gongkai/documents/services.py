"""Every write to the document library (rule 1: one transaction, an actor, an Event, on_commit effects).

Most of these are building blocks other services compose inside their own transaction (ingest imports,
review decisions, the admin's form save, the demo loader), so they open a plain `atomic()`; only
`withdraw_document` and `reopen_document`, which nothing composes, are durable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from gongkai.accounts.constants import Role
from gongkai.accounts.models import Organisation
from gongkai.accounts.permissions import require_role
from gongkai.core.services import record_event
from gongkai.text.clean import strip_controls

from . import interpretation_sync, signals
from .attachments import add_attachment, attachment_text
from .constants import DisclosureMode, DocumentStatus, Validity, WithheldReason
from .models import Document, DocumentIssuer, IndexSequence, Theme
from .relations import (
    _refresh_related_validity,
    add_relation,
    extend_expiry,
    refresh_validity,
    remove_relation,
    set_validity,
)
from .tagging import add_theme_tag, check_policy_tags, set_tags
from .validation import (
    DATE_FIELDS,
    check_attachment,
    check_date_order,
    clean_date,
    clean_doc_number,
    require_editable,
)

EDITABLE_FIELDS = (
    "title", "doc_number", "doc_type", "written_date", "published_date", "effective_date", "expiry_date",
    "theme", "disclosure_mode", "withheld_reason", "is_normative", "registration_number", "body_html",
    "body_text", "summary", "interpretation_required", "interpretation_waiver_reason",
)  # fmt: skip

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "ul", "ol", "li", "table", "thead",
    "tbody", "tr", "th", "td", "blockquote", "span", "div", "a", "sub", "sup",
}  # fmt: skip


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}},
    )


def _body_text_from_html(html: str) -> str:
    text = html.replace("</p>", "\n").replace("<br>", "\n").replace("<br/>", "\n").replace("</li>", "\n")
    return "\n".join(line.strip() for line in strip_tags(text).splitlines() if line.strip())


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise editable fields; raise one ValidationError naming every bad field."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for key, value in fields.items():
        if key not in EDITABLE_FIELDS:
            raise ValueError(f"not an editable field: {key}")
        if isinstance(value, str):  # no control characters in stored text (XML feeds, DOCX)
            value = strip_controls(value)
        try:
            if key in DATE_FIELDS:
                cleaned[key] = clean_date(key, value)
            elif key == "doc_number":
                number, organ_code, year, serial = clean_doc_number(value)
                cleaned.update(doc_number=number, organ_code=organ_code, doc_year=year, doc_serial=serial)
            elif key == "title":
                title = " ".join(str(value or "").split())
                if not title:
                    raise ValidationError({"title": _("标题不能为空。")})
                if len(title) > 300:
                    raise ValidationError({"title": _("标题不能超过300个字。")})
                cleaned["title"] = title
            elif key == "body_html":
                cleaned["body_html"] = sanitize_html(value)
            elif key == "withheld_reason" and value and value not in WithheldReason.values:
                raise ValidationError(
                    {"withheld_reason": _("不予公开理由“%(value)s”不存在。") % {"value": value}}
                )
            elif key == "theme" and value is not None and not isinstance(value, Theme):
                cleaned["theme"] = Theme.objects.get(code=value)
            else:
                cleaned[key] = value
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
        except Theme.DoesNotExist:
            errors.setdefault("theme", []).append(_("主题分类“%(value)s”不存在。") % {"value": value})
    for key, value in cleaned.items():
        field = Document._meta.get_field(key)
        limit = getattr(field, "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit and key not in errors:
            errors[key] = [
                _("%(label)s不能超过%(limit)s个字。") % {"label": field.verbose_name, "limit": limit}
            ]
    if errors:
        raise ValidationError(errors)
    if "body_html" in cleaned and not fields.get("body_text"):
        cleaned["body_text"] = _body_text_from_html(cleaned["body_html"])
    return cleaned


def validate_document_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Check a set of editable fields without saving (forms call this to show errors beside fields)."""
    cleaned = _clean_fields(fields)
    probe = Document(
        **{
            key: value
            for key, value in cleaned.items()
            if key in EDITABLE_FIELDS or key in {"organ_code", "doc_year", "doc_serial"}
        }
    )
    _check_cross_fields(probe)
    return cleaned


def _check_cross_fields(document: Document) -> None:
    check_date_order({name: getattr(document, name) for name in DATE_FIELDS})
    if document.disclosure_mode == DisclosureMode.WITHHELD and not document.withheld_reason:
        raise ValidationError({"withheld_reason": _("不予公开必须选择理由类别（条例第十四至十六条）。")})
    if document.disclosure_mode != DisclosureMode.WITHHELD:
        document.withheld_reason = ""
    interpretation_sync.check_requirement_fields(document)


def allocate_index_number(organisation: Organisation, year: int) -> str:
    """索引号: `<prefix>/<year>-<serial:05d>`, unique and never reused (row lock on the sequence)."""
    with transaction.atomic():
        IndexSequence.objects.get_or_create(organisation=organisation, year=year)
        sequence = IndexSequence.objects.select_for_update().get(organisation=organisation, year=year)
        sequence.last_serial += 1
        sequence.save(update_fields=["last_serial"])
    prefix = organisation.index_prefix or organisation.code.upper()
    return f"{prefix}/{year}-{sequence.last_serial:05d}"


def _set_issuers(document: Document, issuers: Iterable[Organisation]) -> None:
    document.issuer_links.all().delete()
    seen: set[int] = set()
    for position, organisation in enumerate([document.organisation, *issuers]):
        if organisation.pk in seen:
            continue
        seen.add(organisation.pk)
        DocumentIssuer.objects.create(document=document, organisation=organisation, position=len(seen) - 1)
        del position


def _check_co_issuers(actor: Any, organisation: Organisation, issuers: Iterable[Organisation]) -> None:
    """Naming another body as joint issuer speaks for it: only a platform admin may record that."""
    others = [org.name for org in issuers if org.pk != organisation.pk]
    if others and not getattr(actor, "is_platform_admin", False):
        raise ValidationError(
            {
                "issuers": _("联合发文机关（%(names)s）须由平台管理员确认后录入。")
                % {"names": "、".join(others)}
            }
        )


def content_hash_for(title: str, doc_number: str, body_text: str) -> str:
    return hashlib.sha256("\x1f".join([title, doc_number, body_text]).encode()).hexdigest()


def create_document(
    *,
    actor: Any,
    organisation: Organisation,
    title: str,
    issuers: Iterable[Organisation] = (),
    tags: Iterable[str] = (),
    index_number: str | None = None,
    check_permission: bool = True,
    **fields: Any,
) -> Document:
    """Store a new draft. Raises ValidationError (field → Chinese message) and saves nothing on bad input."""
    if check_permission:
        require_role(actor, Role.EDITOR, organisation.pk, _("起草公文"))
    cleaned = _clean_fields({"title": title, **fields})
    with transaction.atomic():
        author = actor if getattr(actor, "pk", None) else None
        document = Document(organisation=organisation, created_by=author, last_edited_by=author, **cleaned)
        _check_cross_fields(document)
        year = (document.written_date or document.published_date or timezone.localdate()).year
        if index_number:
            if Document.objects.filter(index_number=index_number).exists():
                raise ValidationError(
                    {"index_number": _("索引号“%(value)s”已被使用。") % {"value": index_number}}
                )
            document.index_number = index_number
        else:
            document.index_number = allocate_index_number(organisation, year)
        document.content_hash = content_hash_for(document.title, document.doc_number, document.body_text)
        document.validity = document.validity_override or Validity.VALID
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            raise ValidationError(
                {"index_number": _("索引号“%(value)s”已被使用。") % {"value": document.index_number}}
            ) from None
        if check_permission:
            _check_co_issuers(actor, organisation, issuers)
        _set_issuers(document, issuers)
        set_tags(document, tags)
        document.validity = document.computed_validity()
        document.save(update_fields=["validity"])
        record_event(
            "document.created",
            actor=actor,
            target=document,
            organisation=organisation,
            data={"index_number": document.index_number, "doc_number": document.doc_number},
        )
    return document


def update_document(
    document: Document,
    *,
    actor: Any,
    issuers: Iterable[Organisation] | None = None,
    tags: Iterable[str] | None = None,
    **fields: Any,
) -> Document:
    require_role(actor, Role.EDITOR, document.organisation_id, _("修改公文"))
    require_editable(document)
    cleaned = _clean_fields(fields)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        changed = {key: str(value) for key, value in cleaned.items() if getattr(locked, key) != value}
        for key, value in cleaned.items():
            setattr(locked, key, value)
        if changed and getattr(actor, "pk", None):
            locked.last_edited_by = actor
        _check_cross_fields(locked)
        locked.content_hash = content_hash_for(locked.title, locked.doc_number, locked.body_text)
        locked.validity = locked.computed_validity()
        locked.save()
        if issuers is not None:
            _check_co_issuers(actor, locked.organisation, issuers)
            _set_issuers(locked, issuers)
        if tags is not None:
            set_tags(locked, tags)
        elif "theme" in cleaned:
            add_theme_tag(locked)
        record_event(
            "document.updated",
            actor=actor,
            target=locked,
            organisation=locked.organisation,
            data={"changed": changed},
        )
    return locked


def _transition(
    document: Document, name: str, *, actor: Any, role: Role, action: str, data: dict | None = None
) -> Document:
    require_role(actor, role, document.organisation_id, action)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        method = getattr(locked, name)
        if not can_proceed(method):
            raise ValidationError(
                {
                    "status": _("当前状态“%(status)s”下不能%(action)s。")
                    % {"status": locked.get_status_display(), "action": action}
                }
            )
        method()
        if name == "publish":
            locked.published_at = timezone.now()
            locked.published_date = locked.published_date or timezone.localdate()
        locked.validity = locked.computed_validity()
        locked.save()
        record_event(
            f"document.{name}", actor=actor, target=locked, organisation=locked.organisation, data=data or {}
        )
    return locked


def submit_for_review(document: Document, *, actor: Any) -> Document:
    check_policy_tags(document)  # work plan item 十二: tagged by the catalogue before review
    with transaction.atomic():  # 三同步 (item 十七): its interpretations go to review with it
        submitted = _transition(document, "submit", actor=actor, role=Role.EDITOR, action=_("提交审核"))
        interpretation_sync.submit_with_document(submitted, actor=actor)
    transaction.on_commit(lambda: signals.document_submitted.send(sender=Document, document=submitted))
    return submitted


def reject_document(document: Document, *, actor: Any, reason: str) -> Document:
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("退回时必须填写理由。")})
    with transaction.atomic():
        rejected = _transition(
            document, "reject", actor=actor, role=Role.REVIEWER, action=_("退回"), data={"reason": reason}
        )
        interpretation_sync.return_with_document(rejected, actor=actor, reason=reason)
    return rejected


# Hooks that must pass before a document becomes public (e.g. the disclosure review, 条例 Art. 17).
PUBLISH_CHECKS: list = []

# Figures shown on the publish (review decision) screen before publishing, offered by higher apps
# (e.g. the push audience size): each callable takes the document and returns [(label, value)].
PUBLISH_PREVIEWS: list = []


def publish_previews(document: Document) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for preview in PUBLISH_PREVIEWS:
        rows.extend(preview(document))
    return rows


def publish_document(document: Document, *, actor: Any) -> Document:
    """Approve a document in review and publish it (先审查、后公开: needs the reviewer role).

    Separation of duties: whoever drafted the document or last changed its text cannot publish it;
    a platform admin can, and the event records it as self-approved.
    """
    self_approved = Document.objects.get(pk=document.pk).is_author(actor)
    if self_approved and not actor.is_platform_admin:
        raise PermissionDenied(_("起草人或最后修改正文的人不能审核发布该公文（职责分离）。"))
    with (
        transaction.atomic()
    ):  # a check may record the review decision: it stands only if publishing succeeds
        interpretation_sync.check_ready_to_publish(document)  # 三同步: never without its interpretation
        for check in PUBLISH_CHECKS:
            check(document, actor)
        published = _transition(document, "publish", actor=actor, role=Role.REVIEWER, action=_("审核发布"),
                                data={"self_approved": True} if self_approved else None)  # fmt: skip
        _refresh_related_validity(published)
        interpretation_sync.publish_with_document(published, actor=actor)
    transaction.on_commit(lambda: signals.document_published.send(sender=Document, document=published))
    return published


MASKABLE_FIELDS = ("title", "summary", "body_html", "body_text")


def apply_review_masking(document: Document, *, actor: Any, fields: dict[str, str]) -> Document:
    """Replace public text with its masked version while the document is in review (条例 Art. 15).

    Called by the disclosure review; the unmasked original is kept by the review app, not here.
    """
    require_role(actor, Role.REVIEWER, document.organisation_id, _("遮蔽个人信息"))
    unknown = set(fields) - set(MASKABLE_FIELDS)
    if unknown:
        raise ValueError(f"not a maskable field: {sorted(unknown)}")
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status != DocumentStatus.IN_REVIEW:
            raise ValidationError({"status": _("只有审核中的公文可以遮蔽个人信息。")})
        changed = sorted(key for key, value in fields.items() if getattr(locked, key) != value)
        for key, value in fields.items():
            setattr(locked, key, sanitize_html(value) if key == "body_html" else value)
        locked.content_hash = content_hash_for(locked.title, locked.doc_number, locked.body_text)
        locked.save(update_fields=[*fields, "content_hash", "updated_at"])
        record_event(
            "document.masked",
            actor=actor,
            target=locked,
            organisation=locked.organisation,
            data={"fields": changed},
        )
    return locked


def withdraw_document(document: Document, *, actor: Any, reason: str) -> Document:
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("撤回时必须填写理由。")})
    with transaction.atomic(durable=True):
        withdrawn = _transition(
            document, "withdraw", actor=actor, role=Role.REVIEWER, action=_("撤回"), data={"reason": reason}
        )
        _refresh_related_validity(withdrawn)
        interpretation_sync.withdraw_with_document(withdrawn, actor=actor, reason=reason)
    transaction.on_commit(lambda: signals.document_withdrawn.send(sender=Document, document=withdrawn))
    return withdrawn


def reopen_document(document: Document, *, actor: Any) -> Document:
    with transaction.atomic(durable=True):
        return _transition(document, "reopen", actor=actor, role=Role.EDITOR, action=_("重新编辑"))


__all__ = [
    "PUBLISH_CHECKS", "PUBLISH_PREVIEWS", "add_attachment", "add_relation", "allocate_index_number", "apply_review_masking",
    "attachment_text", "check_attachment", "content_hash_for", "create_document", "extend_expiry", "publish_document",
    "publish_previews", "refresh_validity", "reject_document", "remove_relation", "reopen_document", "sanitize_html", "set_validity",
    "submit_for_review", "update_document", "validate_document_fields", "withdraw_document",
]  # fmt: skip
