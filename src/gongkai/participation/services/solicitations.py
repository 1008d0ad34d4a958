"""征集 (实事项目, 开放活动主题, 政策需求): proposals, moderation, votes and the staff answer."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation
from gongkai.core.services import record_event

from ..constants import MAX_COMMENT_CHARS, ModerationStatus, Phase, SolicitationKind
from ..models import Proposal, ProposalVote, Solicitation
from .base import clean_text, masked_public_text, parse_date, require_editor, today


def create_solicitation(
    *, actor: Any, organisation: Organisation, kind: str, title: str, opens_on: Any, closes_on: Any,
    description: str = "", is_sample: bool = False, publish: bool = False,
) -> Solicitation:  # fmt: skip
    with transaction.atomic(durable=True):
        require_editor(actor, organisation.pk, _("发起征集"))
        if kind not in SolicitationKind.values:
            raise ValidationError({"kind": _("请选择征集类型。")})
        opens = parse_date(opens_on, "opens_on", _("开始日期"))
        closes = parse_date(closes_on, "closes_on", _("截止日期"))
        if closes < opens:
            raise ValidationError({"closes_on": _("截止日期不能早于开始日期。")})
        solicitation = Solicitation.objects.create(
            organisation=organisation, kind=kind, title=clean_text(title, "title", _("标题"), max_chars=200),
            description=clean_text(description, "description", _("说明"), max_chars=5000, required=False),
            opens_on=opens, closes_on=closes, is_sample=is_sample, is_published=publish,
        )  # fmt: skip
        record_event("participation.solicitation_created", actor=actor, target=solicitation, organisation=organisation,
                     data={"published": publish})  # fmt: skip
        return solicitation


def _open(solicitation: Solicitation, field: str) -> None:
    phase = solicitation.phase(today())
    if not solicitation.is_published or phase != Phase.OPEN:
        message = (
            _("征集已于%(date)s截止。") % {"date": solicitation.closes_on}
            if phase == Phase.CLOSED
            else _("征集未开放。")
        )
        raise ValidationError({field: message})


def submit_proposal(
    solicitation: Solicitation, *, title: str, body: str, display_name: str = "", contact: str = "",
    user: Any = None, participant_key: str = "",
) -> Proposal:  # fmt: skip
    with transaction.atomic(durable=True):
        solicitation = Solicitation.objects.get(pk=solicitation.pk)
        _open(solicitation, "body")
        proposal = Proposal.objects.create(
            solicitation=solicitation, title=clean_text(title, "title", _("建议标题"), max_chars=120),
            body=clean_text(body, "body", _("建议内容"), max_chars=MAX_COMMENT_CHARS),
            display_name=clean_text(display_name, "display_name", _("署名"), max_chars=40, required=False),
            contact=clean_text(contact, "contact", _("联系方式"), max_chars=120, required=False),
            user=user if getattr(user, "is_authenticated", False) else None, participant_key=participant_key,
        )  # fmt: skip
        record_event("participation.proposal_submitted", actor=proposal.user, target=proposal,
                     organisation=solicitation.organisation)  # fmt: skip
        return proposal


def moderate_proposal(proposal: Proposal, *, actor: Any, publish: bool, note: str = "") -> Proposal:
    with transaction.atomic(durable=True):
        proposal = Proposal.objects.select_for_update().select_related("solicitation").get(pk=proposal.pk)
        require_editor(actor, proposal.solicitation.organisation_id, _("审核建议"))
        note = clean_text(note, "moderation_note", _("审核说明"), max_chars=300, required=not publish)
        if publish:
            proposal.published_body, findings = masked_public_text(proposal.body)
            proposal.title, _title_findings = masked_public_text(proposal.title)
            proposal.moderation = ModerationStatus.PUBLISHED
        else:
            proposal.published_body, findings = "", []
            proposal.moderation = ModerationStatus.REJECTED
        proposal.moderation_note = note
        proposal.save()
        record_event("participation.proposal_moderated", actor=actor, target=proposal,
                     organisation=proposal.solicitation.organisation,
                     data={"published": publish, "masked": len(findings), "note": note})  # fmt: skip
        return proposal


def vote(proposal: Proposal, *, participant_key: str) -> Proposal:
    """Support a published proposal once per person (account or browser token)."""
    try:
        with transaction.atomic(durable=True):
            proposal = Proposal.objects.select_for_update().select_related("solicitation").get(pk=proposal.pk)
            if proposal.moderation != ModerationStatus.PUBLISHED:
                raise ValidationError({"vote": _("该建议未公开。")})
            _open(proposal.solicitation, "vote")
            ProposalVote.objects.create(proposal=proposal, participant_key=participant_key)
            Proposal.objects.filter(pk=proposal.pk).update(vote_count=F("vote_count") + 1)
    except IntegrityError:
        raise ValidationError({"vote": _("您已支持过这条建议。")}) from None
    proposal.refresh_from_db()
    return proposal


def answer_proposal(proposal: Proposal, *, actor: Any, answer: str) -> Proposal:
    with transaction.atomic(durable=True):
        proposal = Proposal.objects.select_for_update().select_related("solicitation").get(pk=proposal.pk)
        require_editor(actor, proposal.solicitation.organisation_id, _("答复建议"))
        if proposal.moderation == ModerationStatus.REJECTED:
            raise ValidationError({"answer": _("不予公开的建议无需答复。")})
        proposal.answer = clean_text(answer, "answer", _("答复"), max_chars=5000)
        proposal.answered_by, proposal.answered_at = actor, timezone.now()
        proposal.save(update_fields=["answer", "answered_by", "answered_at", "updated_at"])
        record_event("participation.proposal_answered", actor=actor, target=proposal,
                     organisation=proposal.solicitation.organisation)  # fmt: skip
        return proposal
