"""Disclosure review services (rule 1): one transaction, an actor, an audit Event each.

条例 Art. 17 (审查机制), work plan 二十五 (先审查、后公开, 一事一审, 定向公开), Art. 15 (personal privacy
and trade secrets), Art. 18 (periodic re-evaluation of withheld information).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.constants import Role
from gongkai.accounts.models import User
from gongkai.accounts.permissions import require_role
from gongkai.core.services import record_event
from gongkai.documents import interpretation_selectors
from gongkai.documents import selectors as document_selectors
from gongkai.documents import services as document_services
from gongkai.documents.constants import DocumentStatus, WithheldReason

from .constants import Decision, FindingKind, RereviewStatus, TaskStatus
from .detector import MASKABLE_KINDS, detect, mask_text, mask_values
from .models import Rereview, ReviewTask, TargetedAccess, TargetedDisclosure, TargetedRecipient

if TYPE_CHECKING:
    from gongkai.documents.models import Document

APPROVED_STATUSES = (TaskStatus.APPROVED, TaskStatus.APPROVED_MASKED)


# ---------------------------------------------------------------- scanning
def scan_document(document: Document) -> list[dict]:
    """Findings in every public text of a document: title, summary, body and attachment text."""
    sources: list[tuple[str, str]] = [
        ("title", document.title),
        ("summary", document.summary),
        ("body", document.body_text),
    ]
    sources += [(f"attachment:{a.pk}", a.extracted_text) for a in document.attachments.all()]
    # 三同步: the interpretations submitted with the document are reviewed in its task
    sources += [
        (f"interpretation:{item.pk}:{part}", text)
        for item in interpretation_selectors.bundled_interpretations(document)
        for part, text in item.texts()
    ]
    findings: list[dict] = []
    for source, text in sources:
        for finding in detect(text or "", min_confidence=0.3):
            findings.append({**finding.as_dict(), "kind": str(finding.kind), "source": source})
    return findings


def _kind_labels(findings: Iterable[dict]) -> str:
    kinds = sorted({f["kind"] for f in findings})
    return "、".join(str(FindingKind(kind).label) for kind in kinds)


# ---------------------------------------------------------------- tasks
def _pick_reviewer(document: Document) -> User | None:
    """The reviewer of the item's organisation with the fewest open tasks (never its author)."""
    candidates = (
        User.objects.filter(
            organisation_id=document.organisation_id, is_active=True, groups__name=Role.REVIEWER
        )
        .exclude(pk__in=[pk for pk in (document.created_by_id, document.last_edited_by_id) if pk])
        .annotate(open_tasks=Count("review_tasks", filter=Q(review_tasks__status=TaskStatus.OPEN)))
        .order_by("open_tasks", "id")
    )
    return candidates.first()


def open_task(document: Document, *, actor: Any = None) -> ReviewTask:
    """The open review task of a document in review, created (with the detector's findings) if needed.

    Not durable: the review decisions and the publish check (`require_approved_review`) call it inside
    their own transaction."""
    with transaction.atomic():
        locked = document_selectors.lock_document(document.pk)
        if locked.status != DocumentStatus.IN_REVIEW:
            raise ValidationError({"status": _("只有审核中的公文才有公开审查任务。")})
        task = ReviewTask.objects.filter(document=locked, interpretation=None, status=TaskStatus.OPEN).first()
        if task and task.submitted_hash == locked.content_hash:
            return task
        findings = scan_document(locked)
        if task:  # resubmitted after changes: findings of the current text
            task.findings, task.submitted_hash = findings, locked.content_hash
            task.save(update_fields=["findings", "submitted_hash", "updated_at"])
            return task
        task = ReviewTask.objects.create(
            document=locked, organisation=locked.organisation, assignee=_pick_reviewer(locked), findings=findings,
            submitted_hash=locked.content_hash,
        )  # fmt: skip
        record_event("review.opened", actor=actor, target=task, organisation=locked.organisation,
                     data={"document_id": locked.pk, "findings": len(task.blocking_findings),
                           "kinds": sorted({f["kind"] for f in task.blocking_findings}),
                           "assignee": task.assignee.get_username() if task.assignee else ""})  # fmt: skip
    return task


def assign_task(task: ReviewTask, *, actor: Any, assignee: User) -> ReviewTask:
    """Assign the task to a reviewer of the same organisation (by an org admin or a reviewer there)."""
    if not (
        getattr(actor, "is_authenticated", False)
        and (actor.has_role(Role.ORG_ADMIN) or actor.has_role(Role.REVIEWER))
    ):
        raise PermissionDenied(_("分配审查任务需要“单位管理员”或“审核人”角色。"))
    require_role(actor, Role.ORG_ADMIN if actor.has_role(Role.ORG_ADMIN) else Role.REVIEWER, task.organisation_id,
                 _("分配审查任务"))  # fmt: skip
    if assignee.organisation_id != task.organisation_id or not assignee.has_role(Role.REVIEWER):
        raise ValidationError({"assignee": _("审查人必须是本单位具有“审核人”角色的工作人员。")})
    with transaction.atomic(durable=True):
        locked = ReviewTask.objects.select_for_update().get(pk=task.pk)
        if not locked.is_open:
            raise ValidationError({"status": _("审查任务已办结，不能再分配。")})
        locked.assignee = assignee
        locked.save(update_fields=["assignee", "updated_at"])
        record_event("review.assigned", actor=actor, target=locked, organisation=locked.organisation,
                     data={"assignee": assignee.get_username()})  # fmt: skip
    return locked


def _authorise(task: ReviewTask, actor: Any) -> None:
    require_role(actor, Role.REVIEWER, task.organisation_id, _("作出公开审查决定"))
    document = document_selectors.all_documents().get(pk=task.document_id)
    if document.is_author(actor) and not actor.is_platform_admin:  # separation of duties
        raise PermissionDenied(_("起草人或最后修改正文的人不能审查该公文（职责分离）。"))


def signature_for(
    task: ReviewTask, *, actor: Any, decision: str, when: dt.datetime, content_hash: str, reason: str = ""
) -> str:
    """The decision's signature: SHA-256 over who decided what about which content, and when."""
    payload = {
        "task": str(task.pk), "document": task.document_id, "content_hash": content_hash, "decision": decision,
        "reason": reason, "reviewer_id": actor.pk, "reviewer": actor.get_username(), "at": when.isoformat(),
    }  # fmt: skip
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _record_decision(task: ReviewTask, *, actor: Any, decision: str, status: str, content_hash: str, reason: str = "",
                     note: str = "", masked_kinds: list[str] | None = None) -> ReviewTask:  # fmt: skip
    now = timezone.now()
    task.status = status
    task.decided_by = actor
    task.decided_at = now
    task.reason = reason
    task.note = note
    task.masked_kinds = masked_kinds or []
    task.approved_hash = content_hash if status in APPROVED_STATUSES else ""
    if task.assignee_id != actor.pk:
        task.assignee = actor
    task.signature = signature_for(
        task, actor=actor, decision=decision, when=now, content_hash=content_hash, reason=reason
    )
    task.save()
    record_event(f"review.{decision}", actor=actor, target=task, organisation=task.organisation,
                 data={"document_id": task.document_id, "decision": decision, "reason": reason,
                       "content_hash": content_hash, "signature": task.signature, "decided_at": now.isoformat(),
                       "findings": len(task.blocking_findings), "masked_kinds": task.masked_kinds, "note": note})  # fmt: skip
    return task


def _task_for(item: Document | ReviewTask, actor: Any) -> ReviewTask:
    if isinstance(item, ReviewTask):
        item = item.document
    return open_task(item, actor=actor)


def approve_review(
    item: Document | ReviewTask, *, actor: Any, mask: bool | Iterable[str] = False, note: str = ""
) -> Document:
    """Approve (optionally with masking) and publish. `mask=True` masks every personal-data kind found;
    an iterable masks only those kinds. Approving unmasked findings needs a note (the reviewer's reason)."""
    with transaction.atomic(durable=True):
        task = _task_for(item, actor)
        _authorise(task, actor)
        task = ReviewTask.objects.select_for_update().get(pk=task.pk)
        document = document_selectors.all_documents().get(pk=task.document_id)
        blocking = task.blocking_findings
        kinds = set(MASKABLE_KINDS) if mask is True else set(mask or ())
        to_mask = [f for f in blocking if f["kind"] in kinds and f["kind"] in MASKABLE_KINDS]
        unmasked = [f for f in blocking if f not in to_mask]
        if kinds and not to_mask:
            raise ValidationError({"mask": _("没有可遮蔽的检出内容，请选择“同意公开”。")})
        if unmasked and not note.strip():
            raise ValidationError({"note": _("有%(count)d处检出内容（%(kinds)s）未遮蔽，同意公开须填写审查意见说明理由。")
                                   % {"count": len(unmasked), "kinds": _kind_labels(unmasked)}})  # fmt: skip
        in_interpretations = [f for f in to_mask if f["source"].startswith("interpretation:")]
        if in_interpretations:
            raise ValidationError({"mask": _("随文件同步审查的政策解读中含有需遮蔽的个人信息（%(kinds)s），请退回起草人修改解读。")
                                   % {"kinds": _kind_labels(in_interpretations)}})  # fmt: skip
        in_attachments = [f for f in to_mask if f["source"].startswith("attachment:")]
        if in_attachments:
            raise ValidationError({"mask": _("附件中含有需遮蔽的个人信息（%(kinds)s），系统无法修改附件原文件，请退回起草人替换附件。")
                                   % {"kinds": _kind_labels(in_attachments)}})  # fmt: skip
        if to_mask:
            task.original_title, task.original_summary = document.title, document.summary
            task.original_body_html, task.original_body_text = document.body_html, document.body_text
            pairs = [(f["kind"], f["text"]) for f in to_mask]
            body = [f for f in to_mask if f["source"] == "body"]
            fields = {
                "title": mask_values(document.title, pairs),
                "summary": mask_values(document.summary, pairs),
                "body_text": mask_values(mask_text(document.body_text, body), pairs),
                "body_html": mask_values(document.body_html, pairs),
            }
            document = document_services.apply_review_masking(document, actor=actor, fields=fields)
            _record_decision(task, actor=actor, decision=Decision.APPROVE_MASKED, status=TaskStatus.APPROVED_MASKED,
                             content_hash=document.content_hash, note=note,
                             masked_kinds=sorted({f["kind"] for f in to_mask}))  # fmt: skip
        else:
            _record_decision(task, actor=actor, decision=Decision.APPROVE, status=TaskStatus.APPROVED,
                             content_hash=document.content_hash, note=note)  # fmt: skip
        return document_services.publish_document(document, actor=actor)


def refuse_review(item: Document | ReviewTask, *, actor: Any, reason: str, note: str = "") -> ReviewTask:
    """不予公开 with the reason category of 条例 Arts. 14–16; the item goes back to draft and joins the
    Art. 18 re-review queue."""
    if reason not in WithheldReason.values:
        raise ValidationError({"reason": _("不予公开必须选择理由类别（条例第十四至十六条）。")})
    with transaction.atomic(durable=True):
        task = _task_for(item, actor)
        _authorise(task, actor)
        task = ReviewTask.objects.select_for_update().get(pk=task.pk)
        document = task.document
        _record_decision(task, actor=actor, decision=Decision.REFUSE, status=TaskStatus.REFUSED,
                         content_hash=document.content_hash, reason=reason, note=note)  # fmt: skip
        label = WithheldReason(reason).label
        document_services.reject_document(
            document, actor=actor, reason=_("公开审查不予公开：%(reason)s") % {"reason": label}
        )
        Rereview.objects.filter(document=document, status=RereviewStatus.ACTIVE).update(
            status=RereviewStatus.RELEASED
        )
        Rereview.objects.create(document=document, organisation=task.organisation, task=task, reason=reason,
                                due_on=timezone.localdate() + dt.timedelta(days=rereview_interval_days()))  # fmt: skip
    return task


def require_approved_review(document: Document, actor: Any) -> None:
    """PUBLISH_CHECKS hook: nothing becomes public without an approved review (先审查、后公开).

    A reviewer's 审核发布 of a document in which the detector finds nothing is that reviewer's signed
    approval; anything found must be decided on the review task (approve, mask or refuse).
    """
    current = document_selectors.all_documents().get(pk=document.pk)
    if current.status != DocumentStatus.IN_REVIEW:
        return  # the workflow itself reports the wrong state
    require_role(actor, Role.REVIEWER, current.organisation_id, _("审核发布"))
    latest = ReviewTask.objects.filter(document=current, interpretation=None).order_by("-created_at").first()
    if latest and latest.status in APPROVED_STATUSES and latest.approved_hash == current.content_hash:
        return
    task = open_task(current, actor=actor)
    if task.blocking_findings:
        raise ValidationError({"review": _("公开审查检出%(count)d处个人信息或密级标志（%(kinds)s），须在审查任务中作出“同意公开”“遮蔽后公开”或“不予公开”决定后方可发布。")
                               % {"count": len(task.blocking_findings), "kinds": _kind_labels(task.blocking_findings)}})  # fmt: skip
    _authorise(task, actor)
    _record_decision(ReviewTask.objects.select_for_update().get(pk=task.pk), actor=actor, decision=Decision.APPROVE,
                     status=TaskStatus.APPROVED, content_hash=current.content_hash,
                     note=_("审核发布：未检出个人信息或密级标志。"))  # fmt: skip


# ---------------------------------------------------------------- Art. 18 re-review
def rereview_interval_days() -> int:
    return int(getattr(settings, "GONGKAI_REREVIEW_INTERVAL_DAYS", 365))


def decide_rereview(rereview: Rereview, *, actor: Any, release: bool, note: str = "") -> Rereview:
    """条例 Art. 18: keep withholding (next evaluation after the interval) or release (情形变化)."""
    require_role(actor, Role.REVIEWER, rereview.organisation_id, _("定期评估不予公开事项"))
    if not release and not note.strip():
        raise ValidationError({"note": _("继续不予公开须填写评估意见。")})
    with transaction.atomic(durable=True):
        locked = Rereview.objects.select_for_update().get(pk=rereview.pk)
        if locked.status != RereviewStatus.ACTIVE:
            raise ValidationError({"status": _("该事项已解除不予公开，无需评估。")})
        locked.last_reviewed_at, locked.last_reviewed_by = timezone.now(), actor
        if release:
            locked.status = RereviewStatus.RELEASED
        else:
            locked.due_on = timezone.localdate() + dt.timedelta(days=rereview_interval_days())
            locked.reminded_at = None
        locked.save()
        record_event("review.rereviewed", actor=actor, target=locked.document, organisation=locked.organisation,
                     data={"release": release, "note": note, "next_due": locked.due_on.isoformat(), "reason": locked.reason})  # fmt: skip
    return locked


def sync_withheld_documents(today: dt.date | None = None) -> int:
    """Queue documents marked 不予公开 by their editors (not through a review task) for re-evaluation."""
    today = today or timezone.localdate()
    created = 0
    queued = Rereview.objects.filter(status=RereviewStatus.ACTIVE).values("document_id")
    for document in (
        document_selectors.all_documents().filter(disclosure_mode="withheld").exclude(pk__in=queued)
    ):
        with transaction.atomic(durable=True):
            start = document.created_at.date() if document.created_at else today
            Rereview.objects.create(document=document, organisation=document.organisation,
                                    reason=document.withheld_reason or WithheldReason.INTERNAL_AFFAIRS,
                                    due_on=start + dt.timedelta(days=rereview_interval_days()))  # fmt: skip
            record_event("review.rereview_queued", actor=None, target=document, organisation=document.organisation,
                         data={"reason": document.withheld_reason})  # fmt: skip
        created += 1
    return created


def send_rereview_reminders(today: dt.date | None = None) -> int:
    """Remind each organisation of its withheld items due for re-evaluation (once per interval)."""
    today = today or timezone.localdate()
    sync_withheld_documents(today)
    due = Rereview.objects.filter(status=RereviewStatus.ACTIVE, due_on__lte=today, reminded_at__isnull=True)
    sent = 0
    by_org: dict[int, list[Rereview]] = {}
    for rereview in due.select_related("document", "organisation"):
        by_org.setdefault(rereview.organisation_id, []).append(rereview)
    for items in by_org.values():
        organisation = items[0].organisation
        recipients = list(
            User.objects.filter(organisation=organisation, is_active=True, groups__name__in=[Role.REVIEWER, Role.ORG_ADMIN])
            .exclude(email="").values_list("email", flat=True).distinct()
        )  # fmt: skip
        with transaction.atomic(durable=True):
            now = timezone.now()
            Rereview.objects.filter(pk__in=[r.pk for r in items]).update(reminded_at=now)
            for rereview in items:
                record_event("review.rereview_due", actor=None, target=rereview.document, organisation=organisation,
                             data={"due_on": rereview.due_on.isoformat(), "reason": rereview.reason})  # fmt: skip
            lines = [
                f"- {r.document.title}（{r.document.index_number}，{r.get_reason_display()}，应评估日期 {r.due_on}）"
                for r in items
            ]
            body = (
                _("以下不予公开事项已到定期评估时间（《政府信息公开条例》第十八条），请审查是否可以公开：")
                + "\n"
                + "\n".join(lines)
            )
            subject = _("【政务公开】%(org)s有%(count)d项不予公开事项待定期评估") % {
                "org": organisation.name,
                "count": len(items),
            }
            if recipients:
                transaction.on_commit(lambda s=subject, b=body, r=recipients: send_mail(s, b, None, r))
        sent += len(items)
    return sent


# ---------------------------------------------------------------- 定向公开
def create_targeted_disclosure(
    document: Document,
    *,
    actor: Any,
    users: Iterable[User] = (),
    links: Iterable[str] = (),
    note: str = "",
    expires_at: dt.datetime | None = None,
) -> tuple[TargetedDisclosure, list[str]]:
    """Disclose a document only to named recipients (accounts, or one-time links labelled with the
    recipient's name). Returns the disclosure and the link tokens (shown once to the reviewer)."""
    require_role(actor, Role.REVIEWER, document.organisation_id, _("定向公开"))
    users, links = list(users), [label.strip() for label in links if label and label.strip()]
    if not users and not links:
        raise ValidationError({"recipients": _("定向公开至少需要一个接收人（账号或一次性链接）。")})
    with transaction.atomic(durable=True):
        disclosure = TargetedDisclosure.objects.create(
            document=document, organisation=document.organisation, created_by=actor, title=document.title,
            body_html=document.body_html, note=note, expires_at=expires_at,
        )  # fmt: skip
        for user in users:
            TargetedRecipient.objects.create(
                disclosure=disclosure, user=user, label=user.get_full_name() or user.get_username()
            )
        tokens = []
        for label in links:
            token = secrets.token_urlsafe(24)
            TargetedRecipient.objects.create(disclosure=disclosure, label=label[:100], token=token)
            tokens.append(token)
        record_event("review.targeted_created", actor=actor, target=disclosure, organisation=document.organisation,
                     data={"document_id": document.pk, "users": [u.get_username() for u in users], "links": links,
                           "expires_at": expires_at.isoformat() if expires_at else None})  # fmt: skip
    return disclosure, tokens


def open_targeted(
    disclosure: TargetedDisclosure | None, *, user: Any = None, token: str = "", ip: str | None = None
) -> TargetedDisclosure:
    """Check a recipient's access and log it (granted or refused). Raises PermissionDenied."""
    with transaction.atomic(durable=True):
        recipient = None
        if token:
            recipient = (
                TargetedRecipient.objects.select_for_update()
                .select_related("disclosure")
                .filter(token=token)
                .first()
            )
            disclosure = recipient.disclosure if recipient else None
        elif disclosure is not None and getattr(user, "is_authenticated", False):
            recipient = disclosure.recipients.filter(user=user).first()
        if disclosure is None:
            raise PermissionDenied(_("链接无效。"))
        reason = ""
        if recipient is None:
            reason = _("您不是该信息的定向公开对象。")
        elif disclosure.revoked_at:
            reason = _("该定向公开已撤销。")
        elif disclosure.expires_at and disclosure.expires_at < timezone.now():
            reason = _("该定向公开已过有效期。")
        elif token and recipient.used_at:
            reason = _("该一次性链接已使用，不能再次打开。")
        TargetedAccess.objects.create(disclosure=disclosure, recipient=recipient, ip_address=ip, granted=not reason,
                                      user=user if getattr(user, "is_authenticated", False) else None)  # fmt: skip
        if not reason and token:
            recipient.used_at = timezone.now()
            recipient.save(update_fields=["used_at", "updated_at"])
    if reason:
        raise PermissionDenied(reason)
    return disclosure
