"""三同步 (work plan item 十七: 同步起草、同步审签、同步发布): a policy and its interpretation move together.

`documents.services` calls these inside its own transaction when a document is submitted, published,
returned or withdrawn, so the policy and its interpretation change state in one transaction or not
at all. A policy marked 需解读 (`Document.needs_interpretation`) is refused submission and
publication without an interpretation; staff may unmark it with a reason that is kept.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.constants import Role
from gongkai.accounts.permissions import require_role
from gongkai.core.services import record_event

from . import signals
from .constants import DocumentStatus
from .interpretations import check_content, transition
from .models import Document, Interpretation

WAIVER_LIMIT = 300


def check_requirement_fields(document: Document) -> None:
    """Unmarking 需解读 needs a reason (kept on the document and in the audit log)."""
    reason = (document.interpretation_waiver_reason or "").strip()
    if document.interpretation_required is False:
        if not reason:
            raise ValidationError(
                {
                    "interpretation_waiver_reason": _(
                        "取消“需解读”须填写不需解读的理由（三同步、应解读尽解读）。"
                    )
                }
            )
        if len(reason) > WAIVER_LIMIT:
            raise ValidationError({"interpretation_waiver_reason": _("不需解读的理由不能超过300个字。")})
    document.interpretation_waiver_reason = reason if document.interpretation_required is False else ""


def _published_interpretation_exists(document: Document) -> bool:
    return document.interpretations.filter(status=DocumentStatus.PUBLISHED).exists()


def _missing_message(document: Document, step: str) -> str:
    return _(
        "三同步：《%(title)s》为需解读的政策文件，须与政策解读同步%(step)s。目前没有随文件%(step)s的解读："
        "请先起草解读（“解读辅助”可从正文生成要点和新旧政策差异），或由工作人员说明不需解读的理由。"
    ) % {"title": document.title, "step": step}


def submit_with_document(document: Document, *, actor: Any) -> list[Interpretation]:
    """Submit the document's draft interpretations with it; refuse a 需解读 policy without one."""
    drafts = list(
        Interpretation.objects.select_for_update().filter(documents=document, status=DocumentStatus.DRAFT)
    )
    if document.needs_interpretation and not drafts and not _published_interpretation_exists(document):
        raise ValidationError({"interpretation": _missing_message(document, _("提交审核"))})
    submitted = []
    for interpretation in drafts:
        check_content(interpretation)
        done = transition(interpretation, "submit", actor=actor, role=None, action=_("提交审核"),
                          data={"with_document": document.pk})  # fmt: skip
        done.submitted_with, done.is_follow_up = document, False
        done.save(update_fields=["submitted_with", "is_follow_up", "updated_at"])
        submitted.append(done)
    return submitted


def check_ready_to_publish(document: Document) -> None:
    """Before a document is published: a 需解读 policy needs its interpretation in review with it."""
    current = Document.objects.get(pk=document.pk)
    if current.status != DocumentStatus.IN_REVIEW or not current.needs_interpretation:
        return
    bundled = Interpretation.objects.filter(submitted_with=current, status=DocumentStatus.IN_REVIEW).exists()
    if not bundled and not _published_interpretation_exists(current):
        raise ValidationError({"interpretation": _missing_message(current, _("审核发布"))})


def publish_with_document(document: Document, *, actor: Any) -> list[Interpretation]:
    """Publish, in the document's transaction, the interpretations submitted with it (same date)."""
    published = []
    bundled = Interpretation.objects.select_for_update().filter(
        submitted_with=document, status=DocumentStatus.IN_REVIEW
    )
    for interpretation in bundled:
        interpretation.published_date = document.published_date
        interpretation.save(update_fields=["published_date"])
        done = transition(interpretation, "publish", actor=actor, role=None, action=_("审核发布"),
                          data={"with_document": document.pk})  # fmt: skip
        published.append(done)
        transaction.on_commit(
            lambda item=done: signals.interpretation_published.send(
                sender=Interpretation, interpretation=item
            )
        )
    return published


def return_with_document(document: Document, *, actor: Any, reason: str) -> list[Interpretation]:
    """A document sent back to its drafter takes the interpretations submitted with it back too."""
    returned = []
    for interpretation in Interpretation.objects.select_for_update().filter(
        submitted_with=document, status=DocumentStatus.IN_REVIEW
    ):
        done = transition(interpretation, "reject", actor=actor, role=None, action=_("退回"),
                          data={"reason": reason, "with_document": document.pk})  # fmt: skip
        done.submitted_with = None
        done.save(update_fields=["submitted_with", "updated_at"])
        returned.append(done)
    return returned


def withdraw_with_document(document: Document, *, actor: Any, reason: str) -> list[Interpretation]:
    """A withdrawn document takes off the interpretations that interpret no other public document."""
    withdrawn = []
    for interpretation in Interpretation.objects.filter(documents=document, status=DocumentStatus.PUBLISHED):
        if any(other.is_public for other in interpretation.documents.exclude(pk=document.pk)):
            continue
        done = transition(interpretation, "withdraw", actor=actor, role=None, action=_("撤回"),
                          data={"reason": reason, "with_document": document.pk})  # fmt: skip
        withdrawn.append(done)
        transaction.on_commit(
            lambda item=done: signals.interpretation_withdrawn.send(
                sender=Interpretation, interpretation=item
            )
        )
    return withdrawn


def set_interpretation_requirement(
    document: Document, *, actor: Any, required: bool | None, reason: str = "", check_permission: bool = True
) -> Document:
    """Mark or unmark 需解读 (None: back to the default rule). Unmarking needs a reason, which is kept.

    Allowed on drafts and on published documents (the mark classifies; it is not published text),
    not while the document is in review, where it would change what the reviewer is deciding on.
    """
    if check_permission:
        require_role(actor, Role.EDITOR, document.organisation_id, _("设定是否需解读"))
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status == DocumentStatus.IN_REVIEW:
            raise ValidationError(
                {"interpretation_required": _("文件正在审核中，不能更改“需解读”标记；请先退回。")}
            )
        before = (locked.interpretation_required, locked.interpretation_waiver_reason)
        locked.interpretation_required = required
        locked.interpretation_waiver_reason = reason or ""
        check_requirement_fields(locked)
        locked.save(update_fields=["interpretation_required", "interpretation_waiver_reason", "updated_at"])
        record_event("document.interpretation_requirement", actor=actor, target=locked, organisation=locked.organisation,
                     data={"required": required, "reason": locked.interpretation_waiver_reason,
                           "before": {"required": before[0], "reason": before[1]},
                           "needs_interpretation": locked.needs_interpretation})  # fmt: skip
    return locked
