"""Writes of 政民互动 (rule 1): one transaction, a keyword-only actor, an audit event each; mail after
commit. A reply is public only with the exact text a reviewer approved (`review.texts`, the same
review as foi's reply letters), with the asker's personal data masked (条例 Arts. 15, 17)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.constants import Role
from gongkai.accounts.models import Organisation, User
from gongkai.accounts.permissions import require_role
from gongkai.core.calendar import add_working_days
from gongkai.core.http import site_url
from gongkai.core.services import record_event
from gongkai.review import texts as review_texts
from gongkai.review.constants import FindingKind

from . import classify
from .constants import (
    DEFAULT_CATEGORY_DAYS,
    DEFAULT_REPLY_DAYS,
    MAX_REPLY_CHARS,
    Category,
    Channel,
    MessageStatus,
    Moderation,
    ReplyReview,
)
from .models import FAQEntry, InteractionSettings, Message, Reply
from .validation import clean_message, clean_text


def reply_days_for(
    organisation: Organisation, channel: str = Channel.BOARD, category: str = Category.CONSULT
) -> int:
    """Working days to answer: the organisation's board limit (default 5) for the policy board and the
    consultation page; for the mailboxes and work orders the category's limit of the channel."""
    if channel in (Channel.BOARD, Channel.CONSULTATION):
        row = InteractionSettings.objects.filter(organisation=organisation).first()
        return row.reply_days if row else DEFAULT_REPLY_DAYS
    overrides = getattr(settings, "INTERACTION_CATEGORY_DAYS", {}) or {}
    return int(overrides.get(channel, {}).get(category, DEFAULT_CATEGORY_DAYS[category]))


def set_reply_days(organisation: Organisation, *, actor: Any, days: int) -> InteractionSettings:
    require_role(actor, Role.ORG_ADMIN, organisation.pk, _("设置留言答复时限"))
    if not 1 <= int(days) <= 60:
        raise ValidationError({"reply_days": _("答复时限须为1至60个工作日。")})
    with transaction.atomic(durable=True):
        row, _created = InteractionSettings.objects.update_or_create(
            organisation=organisation, defaults={"reply_days": int(days)}
        )
        record_event("interaction.reply_days_set", actor=actor, target=row, organisation=organisation,
                     data={"reply_days": int(days)})  # fmt: skip
    return row


def submit_message(
    *,
    actor: Any = None,
    organisation: Organisation,
    body: str,
    contact: str,
    name: str = "",
    document: Any = None,
    channel: str = Channel.BOARD,
    category: str = Category.CONSULT,
    user: Any = None,
    token: str | None = None,
    today: dt.date | None = None,
    subject: str = "",
    external_id: str = "",
) -> Message:
    """Register a citizen's message; its due date is the reply limit in working days after today.

    A retried form (same submission token) returns the first message instead of a second one."""
    if channel not in Channel.values:
        raise ValidationError({"channel": _("渠道不正确。")})
    if category not in Category.values:
        raise ValidationError({"category": _("留言类别不正确。")})
    cleaned = clean_message(body=body, contact=contact, name=name)
    cleaned["subject"] = clean_text(subject, field="subject", label=_("标题"), limit=200, required=False)
    external_id = (external_id or "").strip()[:64]
    if token:
        existing = Message.objects.filter(submission_token=token).first()
        if existing:
            return existing
    today = today or timezone.localdate()
    try:
        with transaction.atomic(durable=True):
            message = Message.objects.create(
                channel=channel, category=category, organisation=organisation, document=document,
                body=cleaned["body"], contact=cleaned["contact"], name=cleaned["name"], subject=cleaned["subject"],
                user=user if getattr(user, "is_authenticated", False) else None, external_id=external_id,
                received_on=today, due_on=add_working_days(today, reply_days_for(organisation, channel, category)),
                submission_token=token or None,
                # mailboxes and work orders are published only when staff choose them (留言选登)
                is_public=channel in (Channel.BOARD, Channel.CONSULTATION),
            )  # fmt: skip
            # the query number the citizen follows the message with (with the code: Message.follow_code)
            message.number = f"{today:%Y%m%d}{message.pk:06d}"
            message.save(update_fields=["number"])
            record_event("interaction.message_received", actor=actor, target=message, organisation=organisation,
                         data={"channel": channel, "category": category, "external_id": external_id,
                               "document_id": getattr(document, "pk", None),
                               "due_on": message.due_on.isoformat()})  # fmt: skip
    except IntegrityError:
        if token and (existing := Message.objects.filter(submission_token=token).first()):
            return existing
        raise
    return message


def _lock(message: Message) -> Message:
    return Message.objects.select_for_update().get(pk=message.pk)


def assign_message(message: Message, *, actor: Any, assignee: User) -> Message:
    """Give the message to a handler of the same organisation (分办)."""
    require_role(actor, Role.EDITOR, message.organisation_id, _("分配留言"))
    if assignee.organisation_id != message.organisation_id or not assignee.is_active:
        raise ValidationError({"assignee": _("经办人必须是本单位的工作人员。")})
    with transaction.atomic(durable=True):
        locked = _lock(message)
        if not locked.is_open:
            raise ValidationError({"status": _("留言已办结，不能再分配。")})
        if locked.status == MessageStatus.RECEIVED:
            locked.assign()
        locked.assignee = assignee
        locked.save()
        record_event("interaction.message_assigned", actor=actor, target=locked, organisation=locked.organisation,
                     data={"assignee": assignee.get_username()})  # fmt: skip
    return locked


def moderate_message(message: Message, *, actor: Any, outcome: str, note: str = "") -> Message:
    """Spam, abuse or off-topic: not accepted (never public). A complaint or report goes to the
    mailboxes (issue 16): the message is transferred and keeps a link to where it went."""
    require_role(actor, Role.EDITOR, message.organisation_id, _("处理留言"))
    if outcome not in Moderation.values:
        raise ValidationError({"outcome": _("请选择处理意见。")})
    note = clean_text(note, field="note", label=_("说明"), limit=300, required=False)
    with transaction.atomic(durable=True):
        locked = _lock(message)
        if not locked.is_open:
            raise ValidationError({"status": _("留言已办结，不能再处理。")})
        if outcome == Moderation.TRANSFER:
            locked.transfer()
            locked.transferred_to = str(Channel.LEADER_MAILBOX.label)
        else:
            locked.reject()
        locked.moderation, locked.moderation_note, locked.is_public = outcome, note, False
        locked.save()
        record_event("interaction.message_moderated", actor=actor, target=locked, organisation=locked.organisation,
                     data={"outcome": outcome, "note": note})  # fmt: skip
    return locked


def draft_reply(message: Message, *, actor: Any, body: str) -> Reply:
    """Write or change the reply; a changed text needs a new review (先审查、后公开)."""
    require_role(actor, Role.EDITOR, message.organisation_id, _("起草答复"))
    body = clean_text(body, field="body", label=_("答复内容"), limit=MAX_REPLY_CHARS)
    with transaction.atomic(durable=True):
        locked = _lock(message)
        if not locked.is_open:
            raise ValidationError({"status": _("留言已答复或已办结，不能再修改答复。")})
        reply = Reply.objects.filter(message=locked).first() or Reply(message=locked)
        if reply.pk and reply.body == body:
            return reply
        reply.body, reply.edited_by = body, actor
        reply.review_status, reply.reviewed_by, reply.reviewed_at = ReplyReview.PENDING, None, None
        reply.reviewed_hash, reply.review_findings, reply.review_note, reply.signature = "", [], "", ""
        reply.review_findings = review_texts.text_findings(body)
        reply.save()
        if locked.status == MessageStatus.RECEIVED:
            locked.assign()
            locked.assignee = locked.assignee or actor
            locked.save()
        record_event("interaction.reply_drafted", actor=actor, target=locked, organisation=locked.organisation,
                     data={"body_sha256": review_texts.text_sha256(body),
                           "findings": len(reply.review_findings)})  # fmt: skip
    return reply


def review_reply(reply: Reply, *, actor: Any, approve: bool, note: str = "") -> Reply:
    """The disclosure review of the reply (a reviewer who did not draft it). Approval publishes the
    question and reply under the policy, the asker's personal data masked, and tells the asker."""
    note = (note or "").strip()[:500]
    with transaction.atomic(durable=True):
        locked = Reply.objects.select_for_update().select_related("message").get(pk=reply.pk)
        message = _lock(locked.message)
        review_texts.check_reviewer(actor, organisation_id=message.organisation_id,
                                    drafter_id=locked.edited_by_id, action=_("审查答复"))  # fmt: skip
        if not message.is_open:
            raise ValidationError({"status": _("留言已答复，不能再审查。")})
        findings = review_texts.text_findings(locked.body)
        review_texts.check_decision(approve=approve, findings=findings, note=note)
        now = timezone.now()
        body_hash = review_texts.text_sha256(locked.body)
        decision = "approved" if approve else "refused"
        locked.review_status = ReplyReview.APPROVED if approve else ReplyReview.REFUSED
        locked.reviewed_by, locked.reviewed_at, locked.review_note = actor, now, note
        locked.review_findings = findings
        locked.reviewed_hash = body_hash if approve else ""
        locked.signature = review_texts.signature(item=f"interaction.reply:{locked.pk}", body_hash=body_hash,
                                                  decision=decision, actor=actor, when=now)  # fmt: skip
        if approve:
            _publish(locked, message, now)
        locked.save()
        record_event("interaction.reply_reviewed", actor=actor, target=message, organisation=message.organisation,
                     data={"decision": decision, "body_sha256": body_hash, "findings": len(findings),
                           "finding_kinds": sorted({f["kind"] for f in findings}), "signature": locked.signature})  # fmt: skip
    return locked


def _publish(reply: Reply, message: Message, now: dt.datetime) -> None:
    if reply.reviewed_hash != review_texts.text_sha256(reply.body):
        raise ValidationError({"review": _("答复内容与审查通过的文本不一致，须重新审查。")})
    known = _personal_values(message)
    reply.public_question = review_texts.public_form(message.body, known=known)
    reply.public_body = review_texts.public_form(reply.body, known=known)
    reply.published_at = now
    message.answer()
    message.answered_at = now
    message.save()
    if "@" in message.contact:
        link = site_url(
            reverse("interaction:follow", args=[message.public_id]) + f"?code={message.follow_code}"
        )
        subject = _("【政务公开】您的留言已答复")
        body = _("您在%(date)s的留言已由%(org)s答复，请查看并告诉我们问题是否解决：%(link)s") % {
            "date": message.received_on.isoformat(),
            "org": message.organisation.name,
            "link": link,
        }
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [message.contact])
        )


def _personal_values(message: Message) -> list[tuple[str, str]]:
    """The asker's own contact and name, masked wherever they appear in the published texts."""
    kind = FindingKind.EMAIL if "@" in message.contact else FindingKind.MOBILE
    values = [(kind, message.contact)]
    if message.name and len(message.name) >= 2:
        values.append((FindingKind.NAME, message.name))
    return values


def _check_field(handling_field: str) -> str:
    handling_field = (handling_field or "").strip()
    if handling_field not in classify.categories():
        raise ValidationError({"handling_field": _("办理领域不正确，请从列表中选择。")})
    return handling_field


def _set_field(locked: Message, handling_field: str, *, actor: Any) -> None:
    """Record the dispatcher's confirmation or correction of the suggested field (the next model's
    training label) with what was suggested, so corrections can be counted and audited."""
    suggested, confidence = classify.suggest(locked.subject, locked.body)
    locked.handling_field = handling_field
    record_event("interaction.field_confirmed", actor=actor, target=locked, organisation=locked.organisation,
                 data={"field": handling_field, "suggested": suggested, "confidence": confidence,
                       "corrected": handling_field != suggested})  # fmt: skip


def confirm_field(message: Message, *, actor: Any, handling_field: str) -> Message:
    """The dispatcher confirms or corrects the suggested 办理领域 without dispatching the message."""
    require_role(actor, Role.EDITOR, message.organisation_id, _("确认办理领域"))
    handling_field = _check_field(handling_field)
    with transaction.atomic(durable=True):
        locked = _lock(message)
        _set_field(locked, handling_field, actor=actor)
        locked.save()
    return locked


def dispatch_message(
    message: Message, *, actor: Any, organisation: Organisation, reason: str, handling_field: str = ""
) -> Message:
    """分办: the receiving office hands the message to the organisation that handles it (with a reason);
    the due date stays (the time limit runs from receipt). With `handling_field` the dispatcher also
    confirms or corrects the suggested field (`confirm_field`)."""
    require_role(actor, Role.EDITOR, message.organisation_id, _("分办留言"))
    reason = clean_text(reason, field="reason", label=_("分办理由"), limit=300)
    if handling_field:
        handling_field = _check_field(handling_field)
    if not Organisation.objects.filter(pk=getattr(organisation, "pk", None)).exists():
        raise ValidationError({"organisation": _("承办单位不存在。")})
    with transaction.atomic(durable=True):
        locked = _lock(message)
        if not locked.is_open:
            raise ValidationError({"status": _("留言已办结，不能再分办。")})
        if organisation.pk == locked.organisation_id:
            raise ValidationError({"organisation": _("承办单位与当前单位相同。")})
        previous = locked.organisation
        if handling_field:
            _set_field(locked, handling_field, actor=actor)
        locked.dispatched_from, locked.organisation, locked.assignee = previous, organisation, None
        locked.save()
        record_event("interaction.message_dispatched", actor=actor, target=locked, organisation=previous,
                     data={"to": organisation.code, "from": previous.code, "reason": reason})  # fmt: skip
    return locked


def return_message(message: Message, *, actor: Any, reason: str) -> Message:
    """退回: the organisation says the message is not its business; it goes back to the dispatcher."""
    require_role(actor, Role.EDITOR, message.organisation_id, _("退回留言"))
    reason = clean_text(reason, field="reason", label=_("退回理由"), limit=300)
    with transaction.atomic(durable=True):
        locked = _lock(message)
        if not locked.dispatched_from_id or not locked.is_open:
            raise ValidationError({"status": _("只有分办来的、尚未办结的留言可以退回。")})
        returned_by = locked.organisation
        locked.organisation, locked.dispatched_from, locked.assignee = locked.dispatched_from, None, None
        locked.save()
        record_event("interaction.message_returned", actor=actor, target=locked, organisation=returned_by,
                     data={"to": locked.organisation.code, "reason": reason})  # fmt: skip
    return locked


def supervise_message(message: Message, *, actor: Any, due_on: dt.date, note: str) -> Message:
    """督办: the government office (or a platform admin) sets its own deadline on an open message."""
    if not (
        getattr(actor, "is_platform_admin", False)
        or (
            getattr(actor, "is_authenticated", False)
            and actor.has_role(Role.ORG_ADMIN)
            and actor.organisation_id in (message.dispatched_from_id, message.organisation_id)
        )
    ):
        raise PermissionDenied(_("督办需要办公室的“单位管理员”角色。"))  # fmt: skip
    note = clean_text(note, field="note", label=_("督办意见"), limit=300)
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("督办期限不能早于今天。")})
    with transaction.atomic(durable=True):
        locked = _lock(message)
        if not locked.is_open:
            raise ValidationError({"status": _("留言已答复或办结，无需督办。")})
        locked.supervised_by = actor.organisation
        locked.supervision_due_on, locked.supervision_note = due_on, note
        locked.save()
        record_event("interaction.message_supervised", actor=actor, target=locked, organisation=locked.organisation,
                     data={"due_on": due_on.isoformat(), "note": note})  # fmt: skip
    return locked


def reopen_message(message: Message, *, actor: Any, reason: str) -> Message:
    """重办: the citizen was not satisfied; the message is open again for a new reviewed reply (the
    published reply stays until the new one is approved)."""
    require_role(actor, Role.EDITOR, message.organisation_id, _("重新办理留言"))
    reason = clean_text(reason, field="reason", label=_("重办理由"), limit=300)
    with transaction.atomic(durable=True):
        locked = _lock(message)
        if locked.status not in (MessageStatus.ANSWERED, MessageStatus.CLOSED):
            raise ValidationError({"status": _("只有已答复或已办结的留言可以重新办理。")})
        locked.reopen()
        locked.reopened_count += 1
        locked.due_on = add_working_days(timezone.localdate(), reply_days_for(locked.organisation, locked.channel,
                                                                              locked.category))  # fmt: skip
        locked.save()
        record_event("interaction.message_reopened", actor=actor, target=locked, organisation=locked.organisation,
                     data={"reason": reason, "due_on": locked.due_on.isoformat()})  # fmt: skip
    return locked


def select_for_publication(message: Message, *, actor: Any, public: bool) -> Message:
    """留言选登: publish (or withdraw) an exchange; only the reviewed, masked texts are ever shown."""
    require_role(actor, Role.EDITOR, message.organisation_id, _("选登留言"))
    with transaction.atomic(durable=True):
        locked = _lock(message)
        if public and locked.status in (MessageStatus.REJECTED, MessageStatus.TRANSFERRED):
            raise ValidationError({"is_public": _("不予受理或已转办的留言不能选登。")})
        locked.is_public = bool(public)
        locked.save()
        record_event("interaction.message_selected", actor=actor, target=locked, organisation=locked.organisation,
                     data={"public": bool(public)})  # fmt: skip
    return locked


def give_feedback(message: Message, *, code: str, solved: bool, feedback: str = "",
                  ratings: dict[str, int] | None = None) -> Message:  # fmt: skip
    """The asker says whether the answer solved the problem (with the code from the notice)."""
    if not code or code != message.follow_code:
        raise PermissionDenied(_("查询码不正确。"))
    feedback = clean_text(feedback, field="feedback", label=_("评价意见"), limit=500, required=False)
    with transaction.atomic(durable=True):
        locked = _lock(message)
        if locked.status not in (MessageStatus.ANSWERED, MessageStatus.CLOSED):
            raise ValidationError({"solved": _("留言尚未答复，暂不能评价。")})
        if locked.status == MessageStatus.ANSWERED:
            locked.close()
        locked.solved, locked.feedback = bool(solved), feedback
        for key, value in (ratings or {}).items():
            if key not in ("efficiency", "attitude", "result") or value not in (1, 2, 3, 4, 5):
                raise ValidationError({key: _("满意度须为1至5分。")})
            setattr(locked, f"rating_{key}", value)
        locked.save()
        record_event("interaction.feedback", actor=None, target=locked, organisation=locked.organisation,
                     data={"solved": bool(solved)})  # fmt: skip
    return locked


def promote_to_faq(
    messages: Iterable[Message], *, actor: Any, question: str, answer: str, document: Any = None
) -> FAQEntry:
    """Staff turn a group of similar answered questions into one FAQ entry on the policy page."""
    messages = list(messages)
    if not messages:
        raise ValidationError({"messages": _("请至少选择一条留言。")})
    organisation_id = messages[0].organisation_id
    require_role(actor, Role.EDITOR, organisation_id, _("整理常见问题"))
    if any(m.organisation_id != organisation_id for m in messages):
        raise ValidationError({"messages": _("只能合并本单位的留言。")})
    question = clean_text(question, field="question", label=_("问题"), limit=300)
    answer = clean_text(answer, field="answer", label=_("回答"), limit=MAX_REPLY_CHARS)
    document = document or next((m.document for m in messages if m.document_id), None)
    with transaction.atomic(durable=True):
        entry = FAQEntry.objects.create(organisation_id=organisation_id, document=document, question=question,
                                        answer=review_texts.public_form(answer), created_by=actor)  # fmt: skip
        Message.objects.filter(pk__in=[m.pk for m in messages]).update(faq=entry)
        record_event("interaction.faq_created", actor=actor, target=entry, organisation=entry.organisation,
                     data={"messages": [m.pk for m in messages], "document_id": getattr(document, "pk", None)})  # fmt: skip
    return entry


def unpublish_faq(entry: FAQEntry, *, actor: Any) -> FAQEntry:
    require_role(actor, Role.EDITOR, entry.organisation_id, _("撤下常见问题"))
    with transaction.atomic(durable=True):
        FAQEntry.objects.filter(pk=entry.pk).update(is_published=False)
        entry.refresh_from_db()
        record_event(
            "interaction.faq_unpublished", actor=actor, target=entry, organisation=entry.organisation
        )
    return entry


def mark_reminded(organisation: Organisation, messages: list[Message], today: dt.date) -> None:
    """Record that the organisation was reminded of these overdue or due-soon messages today."""
    with transaction.atomic(durable=True):
        Message.objects.filter(pk__in=[m.pk for m in messages]).update(reminded_on=today)
        record_event("interaction.reminder_sent", actor=None, target=organisation, organisation=organisation,
                     data={"messages": [m.pk for m in messages], "on": today.isoformat()})  # fmt: skip
