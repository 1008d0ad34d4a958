"""Writes to 政策解读 (work plan item 十七; rule 1: one transaction, an actor, an Event, on_commit effects).

An interpretation is drafted for one or more documents. While a document it interprets is not yet
published, the interpretation goes to review and publication only together with that document
(三同步: 同步起草、同步审签、同步发布 — see `interpretation_sync`). Once the documents are out, an
interpretation is a 动态解读: submitted, reviewed and published on its own, with its own date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlparse

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from gongkai.accounts.constants import Role
from gongkai.accounts.models import Organisation
from gongkai.accounts.permissions import require_role
from gongkai.core.services import record_event

from . import signals
from .constants import SECTION_FIELDS, DocumentStatus, InterpretationKind
from .models import Document, Interpretation

TEXT_FIELDS = ("summary", "body", *SECTION_FIELDS)
EDITABLE_FIELDS = ("kind", "title", "author", "media_url", "is_example", *TEXT_FIELDS)
TEXT_LIMIT = 50_000

# Hooks that must pass before a 动态解读 becomes public (the disclosure review adds its check, 条例 Art. 17).
INTERPRETATION_PUBLISH_CHECKS: list = []


def content_hash_for(interpretation: Interpretation) -> str:
    joined = "\x1f".join(f"{source}\x1e{text}" for source, text in interpretation.texts())
    return hashlib.sha256(joined.encode()).hexdigest()


def _clean_url(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or len(value) > 500:
        raise ValidationError(
            {"media_url": _("视频、图解或课件地址须是以 http:// 或 https:// 开头的网址（不超过500个字符）。")}
        )
    return value


def clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate editable fields; one ValidationError naming every bad field, nothing saved."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for key, value in fields.items():
        if key not in EDITABLE_FIELDS:
            raise ValueError(f"not an editable field: {key}")
        try:
            if key == "title":
                title = " ".join(str(value or "").split())
                if not title:
                    raise ValidationError({"title": _("解读标题不能为空。")})
                if len(title) > 300:
                    raise ValidationError({"title": _("解读标题不能超过300个字。")})
                cleaned[key] = title
            elif key == "kind":
                if value not in InterpretationKind.values:
                    raise ValidationError({"kind": _("解读形式“%(value)s”不存在。") % {"value": value}})
                cleaned[key] = value
            elif key == "media_url":
                cleaned[key] = _clean_url(value)
            elif key == "author":
                author = " ".join(str(value or "").split())
                if len(author) > 120:
                    raise ValidationError({"author": _("解读人或来源不能超过120个字。")})
                cleaned[key] = author
            elif key == "is_example":
                cleaned[key] = bool(value)
            else:
                text = str(value or "").replace("\r\n", "\n").strip()
                if len(text) > TEXT_LIMIT:
                    label = Interpretation._meta.get_field(key).verbose_name
                    raise ValidationError({key: _("%(label)s不能超过5万字。") % {"label": label}})
                cleaned[key] = text
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def check_content(interpretation: Interpretation) -> None:
    if not interpretation.body.strip() and not interpretation.sections():
        raise ValidationError(
            {"body": _("解读内容：请填写正文，或至少填写一个解读栏目（核心概念、适用范围、办事指南等）。")}
        )


def _clean_documents(actor: Any, documents: Iterable[Document], check_permission: bool) -> list[Document]:
    documents = list(dict.fromkeys(documents))
    if not documents:
        raise ValidationError({"documents": _("所解读的文件：请至少选择一份文件。")})
    for document in documents:
        if document.status == DocumentStatus.WITHDRAWN:
            raise ValidationError(
                {
                    "documents": _("所解读的文件《%(title)s》已撤回，不能为其起草解读。")
                    % {"title": document.title}
                }
            )
    if check_permission:
        visible = set(
            Document.objects.visible_to(actor)
            .filter(pk__in=[d.pk for d in documents])
            .values_list("pk", flat=True)
        )
        if any(document.pk not in visible for document in documents):
            raise ValidationError({"documents": _("所解读的文件不存在或您无权查看。")})
    return documents


def create_interpretation(
    *,
    actor: Any,
    organisation: Organisation,
    documents: Iterable[Document],
    title: str,
    check_permission: bool = True,
    **fields: Any,
) -> Interpretation:
    """A draft interpretation. ValidationError (field → Chinese message) on bad input; nothing saved."""
    if check_permission:
        require_role(actor, Role.EDITOR, organisation.pk, _("起草政策解读"))
    cleaned = clean_fields({"title": title, **fields})
    documents = _clean_documents(actor, documents, check_permission)
    with transaction.atomic():
        interpretation = Interpretation(
            organisation=organisation, created_by=actor if getattr(actor, "pk", None) else None, **cleaned
        )
        check_content(interpretation)
        interpretation.content_hash = content_hash_for(interpretation)
        interpretation.save()
        interpretation.documents.set(documents)
        record_event("interpretation.created", actor=actor, target=interpretation, organisation=organisation,
                     data={"documents": [d.pk for d in documents], "kind": interpretation.kind,
                           "is_example": interpretation.is_example})  # fmt: skip
    return interpretation


def update_interpretation(
    interpretation: Interpretation, *, actor: Any, documents: Iterable[Document] | None = None, **fields: Any
) -> Interpretation:
    require_role(actor, Role.EDITOR, interpretation.organisation_id, _("修改政策解读"))
    cleaned = clean_fields(fields)
    documents = _clean_documents(actor, documents, True) if documents is not None else None
    with transaction.atomic():
        locked = Interpretation.objects.select_for_update().get(pk=interpretation.pk)
        if locked.status != DocumentStatus.DRAFT:
            raise ValidationError(
                {"status": _("只有草稿状态的解读可以修改；审核中的请先退回，已发布的请先撤回。")}
            )
        changed = sorted(key for key, value in cleaned.items() if getattr(locked, key) != value)
        for key, value in cleaned.items():
            setattr(locked, key, value)
        check_content(locked)
        locked.content_hash = content_hash_for(locked)
        locked.save()
        if documents is not None:
            locked.documents.set(documents)
            changed.append("documents")
        record_event("interpretation.updated", actor=actor, target=locked, organisation=locked.organisation,
                     data={"changed": changed})  # fmt: skip
    return locked


def transition(
    interpretation: Interpretation, name: str, *, actor: Any, role: Role | None, action: str,
    data: dict | None = None,
) -> Interpretation:  # fmt: skip
    """Run one workflow step under a row lock, with its Event (not durable: callers nest it)."""
    if role is not None:
        require_role(actor, role, interpretation.organisation_id, action)
    with transaction.atomic():
        locked = Interpretation.objects.select_for_update().get(pk=interpretation.pk)
        method = getattr(locked, name)
        if not can_proceed(method):
            raise ValidationError(
                {"status": _("解读当前状态“%(status)s”下不能%(action)s。")
                 % {"status": locked.get_status_display(), "action": action}}
            )  # fmt: skip
        method()
        if name == "publish":
            locked.published_at = timezone.now()
            locked.published_date = locked.published_date or timezone.localdate()
        locked.save()
        record_event(f"interpretation.{name}", actor=actor, target=locked, organisation=locked.organisation,
                     data=data or {})  # fmt: skip
    return locked


def _unpublished_documents(interpretation: Interpretation) -> tuple[list[Document], list[Document]]:
    documents = list(interpretation.documents.all())
    drafts = [d for d in documents if d.status == DocumentStatus.DRAFT]
    in_review = [d for d in documents if d.status == DocumentStatus.IN_REVIEW]
    return drafts, in_review


def submit_interpretation(interpretation: Interpretation, *, actor: Any) -> Interpretation:
    """Submit a 动态解读 on its own: every document it interprets must already be public (三同步)."""
    require_role(actor, Role.EDITOR, interpretation.organisation_id, _("提交政策解读"))
    drafts, in_review = _unpublished_documents(interpretation)
    if drafts:
        raise ValidationError({"status": _(
            "三同步：所解读的文件《%(title)s》尚未发布，解读须与文件同步提交审核——在该文件上“提交审核”时，"
            "本解读会随文件一并提交。") % {"title": drafts[0].title}})  # fmt: skip
    if in_review:
        raise ValidationError({"status": _(
            "三同步：所解读的文件《%(title)s》正在审核中，本解读未随其同步提交；请将文件退回后一并提交，"
            "或待文件发布后作为动态解读提交。") % {"title": in_review[0].title}})  # fmt: skip
    hidden = [d for d in interpretation.documents.all() if not d.is_public]
    if hidden:
        raise ValidationError(
            {
                "documents": _("所解读的文件《%(title)s》未主动公开，不能为其发布解读。")
                % {"title": hidden[0].title}
            }
        )
    with transaction.atomic():
        check_content(interpretation)
        submitted = transition(interpretation, "submit", actor=actor, role=None, action=_("提交审核"),
                               data={"follow_up": True})  # fmt: skip
        submitted.is_follow_up, submitted.submitted_with = True, None
        submitted.save(update_fields=["is_follow_up", "submitted_with", "updated_at"])
    transaction.on_commit(
        lambda: signals.interpretation_submitted.send(sender=Interpretation, interpretation=submitted)
    )
    return submitted


def publish_interpretation(interpretation: Interpretation, *, actor: Any) -> Interpretation:
    """Publish a 动态解读 after its review. One submitted with its policy is published only with it."""
    current = Interpretation.objects.select_related("submitted_with").get(pk=interpretation.pk)
    if current.submitted_with_id and current.status == DocumentStatus.IN_REVIEW:
        raise ValidationError({"status": _(
            "三同步：本解读随文件《%(title)s》同步提交，将在该文件审核发布时一并发布，不能单独发布。")
            % {"title": current.submitted_with.title}})  # fmt: skip
    if (
        current.created_by_id
        and current.created_by_id == getattr(actor, "pk", None)
        and not actor.is_platform_admin
    ):
        raise PermissionDenied(_("起草人不能审核发布自己起草的解读。"))
    with (
        transaction.atomic()
    ):  # a check may record the review decision: it stands only if publishing succeeds
        for check in INTERPRETATION_PUBLISH_CHECKS:
            check(current, actor)
        published = transition(current, "publish", actor=actor, role=Role.REVIEWER, action=_("审核发布"),
                               data={"follow_up": True})  # fmt: skip
    transaction.on_commit(
        lambda: signals.interpretation_published.send(sender=Interpretation, interpretation=published)
    )
    return published


def reject_interpretation(interpretation: Interpretation, *, actor: Any, reason: str) -> Interpretation:
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("退回时必须填写理由。")})
    current = Interpretation.objects.select_related("submitted_with").get(pk=interpretation.pk)
    if current.submitted_with_id and current.status == DocumentStatus.IN_REVIEW:
        raise ValidationError({"status": _(
            "三同步：本解读随文件《%(title)s》同步审核，请退回该文件（解读随之退回）。")
            % {"title": current.submitted_with.title}})  # fmt: skip
    return transition(
        current, "reject", actor=actor, role=Role.REVIEWER, action=_("退回"), data={"reason": reason}
    )


def withdraw_interpretation(interpretation: Interpretation, *, actor: Any, reason: str) -> Interpretation:
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("撤回时必须填写理由。")})
    with transaction.atomic(durable=True):  # nothing composes it (CONTRIBUTING rule 1)
        withdrawn = transition(
            interpretation,
            "withdraw",
            actor=actor,
            role=Role.REVIEWER,
            action=_("撤回"),
            data={"reason": reason},
        )
    transaction.on_commit(
        lambda: signals.interpretation_withdrawn.send(sender=Interpretation, interpretation=withdrawn)
    )
    return withdrawn


def reopen_interpretation(interpretation: Interpretation, *, actor: Any) -> Interpretation:
    with transaction.atomic(durable=True):
        reopened = transition(interpretation, "reopen", actor=actor, role=Role.EDITOR, action=_("重新编辑"))
        reopened.submitted_with, reopened.is_follow_up = None, False
        reopened.save(update_fields=["submitted_with", "is_follow_up", "updated_at"])
    return reopened


__all__ = [
    "INTERPRETATION_PUBLISH_CHECKS", "check_content", "clean_fields", "content_hash_for", "create_interpretation",
    "publish_interpretation", "reject_interpretation", "reopen_interpretation", "submit_interpretation",
    "transition", "update_interpretation", "withdraw_interpretation",
]  # fmt: skip
