"""The disclosure review of a 动态解读 submitted on its own (条例 Art. 17: 先审查、后公开; 一事一审).

The same `ReviewTask`, findings, signed decisions and audit events as a document's review (reused
from `services`); `interpretation` is set and `document` is the policy it interprets. An
interpretation submitted with its policy under 三同步 has no task of its own: the policy's task scans
it (`services.scan_document`) and publishing the policy publishes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.constants import Role
from gongkai.accounts.models import User
from gongkai.accounts.permissions import require_role
from gongkai.core.services import record_event
from gongkai.documents import interpretation_selectors, interpretations
from gongkai.documents.constants import DocumentStatus, WithheldReason

from .constants import Decision, TaskStatus
from .detector import detect
from .models import ReviewTask
from .services import APPROVED_STATUSES, _kind_labels, _record_decision

if TYPE_CHECKING:
    from gongkai.documents.models import Interpretation


def scan_interpretation(interpretation: Interpretation) -> list[dict]:
    findings: list[dict] = []
    for source, text in interpretation.texts():
        for finding in detect(text or "", min_confidence=0.3):
            findings.append({**finding.as_dict(), "kind": str(finding.kind), "source": source})
    return findings


def _reviewer_for(interpretation: Interpretation) -> User | None:
    return (
        User.objects.filter(organisation_id=interpretation.organisation_id, is_active=True, groups__name=Role.REVIEWER)
        .exclude(pk=interpretation.created_by_id or 0)
        .order_by("id")
        .first()
    )  # fmt: skip


def open_interpretation_task(interpretation: Interpretation, *, actor: Any = None) -> ReviewTask:
    """The open task of a 动态解读 in review, created with the detector's findings if needed."""
    with transaction.atomic():
        locked = interpretation_selectors.lock_interpretation(interpretation.pk)
        if locked.status != DocumentStatus.IN_REVIEW or locked.submitted_with_id:
            raise ValidationError({"status": _("只有单独提交审核的动态解读才有自己的公开审查任务。")})
        task = ReviewTask.objects.filter(interpretation=locked, status=TaskStatus.OPEN).first()
        if task and task.submitted_hash == locked.content_hash:
            return task
        findings = scan_interpretation(locked)
        if task:
            task.findings, task.submitted_hash = findings, locked.content_hash
            task.save(update_fields=["findings", "submitted_hash", "updated_at"])
            return task
        task = ReviewTask.objects.create(
            document=locked.documents.order_by("id").first(), interpretation=locked, organisation=locked.organisation,
            assignee=_reviewer_for(locked), findings=findings, submitted_hash=locked.content_hash,
        )  # fmt: skip
        record_event("review.opened", actor=actor, target=task, organisation=locked.organisation,
                     data={"interpretation_id": locked.pk, "findings": len(task.blocking_findings),
                           "kinds": sorted({f["kind"] for f in task.blocking_findings})})  # fmt: skip
    return task


def _authorise(task: ReviewTask, actor: Any) -> None:
    require_role(actor, Role.REVIEWER, task.organisation_id, _("作出公开审查决定"))
    if task.interpretation.created_by_id == getattr(actor, "pk", None) and not actor.is_platform_admin:
        raise PermissionDenied(_("起草人不能审查自己起草的解读。"))


def require_approved_interpretation_review(interpretation: Interpretation, actor: Any) -> None:
    """INTERPRETATION_PUBLISH_CHECKS hook: a 动态解读 is published only after an approved review.

    As for documents, a reviewer's 审核发布 of a text in which the detector finds nothing is that
    reviewer's signed approval; anything found must be decided on the task.
    """
    current = interpretation_selectors.all_interpretations().get(pk=interpretation.pk)
    if current.status != DocumentStatus.IN_REVIEW:
        return
    require_role(actor, Role.REVIEWER, current.organisation_id, _("审核发布"))
    latest = ReviewTask.objects.filter(interpretation=current).order_by("-created_at").first()
    if latest and latest.status in APPROVED_STATUSES and latest.approved_hash == current.content_hash:
        return
    task = open_interpretation_task(current, actor=actor)
    if task.blocking_findings:
        raise ValidationError({"review": _("政策解读中检出%(count)d处个人信息或密级标志（%(kinds)s），须在审查任务中作出决定后方可发布。")
                               % {"count": len(task.blocking_findings), "kinds": _kind_labels(task.blocking_findings)}})  # fmt: skip
    _authorise(task, actor)
    _record_decision(ReviewTask.objects.select_for_update().get(pk=task.pk), actor=actor, decision=Decision.APPROVE,
                     status=TaskStatus.APPROVED, content_hash=current.content_hash,
                     note=_("审核发布：未检出个人信息或密级标志。"))  # fmt: skip


def approve_interpretation_review(task: ReviewTask, *, actor: Any, note: str = "") -> Interpretation:
    """同意公开 and publish. Masking is not offered: the drafter rewrites an interpretation instead."""
    with transaction.atomic(durable=True):  # a decision is a top-level service (CONTRIBUTING rule 1)
        task = ReviewTask.objects.select_for_update().get(pk=task.pk)
        if not task.is_open:
            raise ValidationError({"status": _("审查任务已办结。")})
        _authorise(task, actor)
        if task.blocking_findings and not note.strip():
            raise ValidationError({"note": _("有%(count)d处检出内容（%(kinds)s），同意公开须填写审查意见说明理由。")
                                   % {"count": len(task.blocking_findings), "kinds": _kind_labels(task.blocking_findings)}})  # fmt: skip
        _record_decision(task, actor=actor, decision=Decision.APPROVE, status=TaskStatus.APPROVED,
                         content_hash=task.interpretation.content_hash, note=note)  # fmt: skip
        return interpretations.publish_interpretation(task.interpretation, actor=actor)


def refuse_interpretation_review(task: ReviewTask, *, actor: Any, reason: str, note: str = "") -> ReviewTask:
    """不予公开 (条例 Arts. 14–16): the interpretation goes back to its drafter."""
    if reason not in WithheldReason.values:
        raise ValidationError({"reason": _("不予公开必须选择理由类别（条例第十四至十六条）。")})
    with transaction.atomic(durable=True):  # a decision is a top-level service (CONTRIBUTING rule 1)
        task = ReviewTask.objects.select_for_update().get(pk=task.pk)
        if not task.is_open:
            raise ValidationError({"status": _("审查任务已办结。")})
        _authorise(task, actor)
        _record_decision(task, actor=actor, decision=Decision.REFUSE, status=TaskStatus.REFUSED,
                         content_hash=task.interpretation.content_hash, reason=reason, note=note)  # fmt: skip
        label = WithheldReason(reason).label
        interpretations.reject_interpretation(
            task.interpretation, actor=actor, reason=_("公开审查不予公开：%(reason)s") % {"reason": label}
        )
    return task
