"""意见征集: drafts open for comment (国务院令第713号 Art. 15), comments, moderation, enterprise invitations."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation
from gongkai.core.services import record_event
from gongkai.text.articles import split_articles

from ..constants import (
    MAX_COMMENT_CHARS,
    MIN_COMMENT_DAYS,
    CommentSource,
    ConsultationStatus,
    ModerationStatus,
    PartyKind,
    Phase,
)
from ..models import Comment, Consultation, DecisionItem, InvitedParty
from ..tokens import hash_secret
from .base import clean_text, masked_public_text, not_in_future, parse_date, require_editor, today


def check_period(opens_on: dt.date, closes_on: dt.date, short_period_reason: str) -> None:
    """Art. 15: 公开征求意见的期限一般不少于30日; a shorter period is explained when the draft is published."""
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("征集截止日期不能早于开始日期。")})
    days = (closes_on - opens_on).days + 1
    if days < MIN_COMMENT_DAYS and not short_period_reason:
        raise ValidationError({"short_period_reason": _(
            "征集期限为%(days)d日，少于30日（《重大行政决策程序暂行条例》第十五条）：请填写缩短期限的理由，理由将随草案公布。"
        ) % {"days": days}})  # fmt: skip


def _draft_values(fields: dict[str, Any]) -> dict[str, Any]:
    values = {
        "title": clean_text(fields.get("title"), "title", _("草案名称"), max_chars=200),
        "body_text": clean_text(fields.get("body_text"), "body_text", _("草案全文"), max_chars=200_000),
        "explanation": clean_text(fields.get("explanation"), "explanation", _("起草说明"), max_chars=50_000, required=False),
        "how_to_comment": clean_text(fields.get("how_to_comment"), "how_to_comment", _("其他提出意见的方式"),
                                     max_chars=2000, required=False),
        "short_period_reason": clean_text(fields.get("short_period_reason"), "short_period_reason",
                                          _("缩短征集期限的理由"), max_chars=2000, required=False),
        "opens_on": parse_date(fields.get("opens_on"), "opens_on", _("征集开始日期")),
        "closes_on": parse_date(fields.get("closes_on"), "closes_on", _("征集截止日期")),
        "concerns_enterprises": bool(fields.get("concerns_enterprises")),
        "is_sample": bool(fields.get("is_sample")),
    }  # fmt: skip
    check_period(values["opens_on"], values["closes_on"], values["short_period_reason"])
    values["articles"] = [article.as_dict() for article in split_articles(values["body_text"])]
    return values


def create_consultation(
    *, actor: Any, organisation: Organisation, item: DecisionItem | None = None, **fields: Any
) -> Consultation:
    """A draft for comment, its articles (第X条) parsed from the text; not public until published."""
    with transaction.atomic(durable=True):
        require_editor(actor, organisation.pk, _("发起意见征集"))
        if (
            item is not None
            and item.catalogue.organisation_id != organisation.pk
            and item.lead_organisation_id != organisation.pk
        ):
            raise ValidationError({"item": _("只能关联本单位的决策事项。")})
        consultation = Consultation.objects.create(organisation=organisation, item=item, created_by=actor,
                                                   **_draft_values(fields))  # fmt: skip
        record_event("participation.consultation_created", actor=actor, target=consultation,
                     organisation=organisation, data={"articles": len(consultation.articles)})  # fmt: skip
        return consultation


def update_consultation(consultation: Consultation, *, actor: Any, **fields: Any) -> Consultation:
    """Edit a draft before it is published; what citizens comment on does not change under them."""
    with transaction.atomic(durable=True):
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        require_editor(actor, consultation.organisation_id, _("修改意见征集"))
        if consultation.status != ConsultationStatus.DRAFT:
            raise ValidationError({"status": _("已发布的征集草案不能修改；如需修改请撤回后重新发起。")})
        current = {name: getattr(consultation, name) for name in (
            "title", "body_text", "explanation", "how_to_comment", "short_period_reason", "opens_on", "closes_on",
            "concerns_enterprises", "is_sample")}  # fmt: skip
        for name, value in _draft_values({**current, **fields}).items():
            setattr(consultation, name, value)
        consultation.save()
        record_event("participation.consultation_updated", actor=actor, target=consultation,
                     organisation=consultation.organisation)  # fmt: skip
        return consultation


def publish_consultation(consultation: Consultation, *, actor: Any, published_on: Any = None) -> Consultation:
    """Open the draft for comment; the period counts from the day it is actually public (Art. 15).

    `published_on` records a publication made earlier (a draft that was on the old site, entered into the
    archive); it defaults to today and can never be in the future or after the period began.
    """
    with transaction.atomic(durable=True):
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        require_editor(actor, consultation.organisation_id, _("发布意见征集"))
        if consultation.status != ConsultationStatus.DRAFT:
            raise ValidationError({"status": _("该征集已发布或已撤回。")})
        day = parse_date(published_on, "published_on", _("发布日期"), required=False) or today()
        not_in_future(day, "published_on", _("发布日期"))
        if consultation.opens_on < day:
            raise ValidationError({"opens_on": _(
                "征集开始日期（%(date)s）早于发布日期：征集期限从草案公开之日起算，请把开始日期改为发布日期或以后。"
            ) % {"date": consultation.opens_on}})  # fmt: skip
        check_period(consultation.opens_on, consultation.closes_on, consultation.short_period_reason)
        consultation.status = ConsultationStatus.PUBLISHED
        consultation.published_at = timezone.now()
        consultation.save(update_fields=["status", "published_at", "updated_at"])
        record_event("participation.consultation_published", actor=actor, target=consultation,
                     organisation=consultation.organisation,
                     data={"published_on": day, "opens_on": consultation.opens_on, "closes_on": consultation.closes_on,
                           "days": consultation.period_days, "short_period_reason": consultation.short_period_reason})  # fmt: skip
        return consultation


def withdraw_consultation(consultation: Consultation, *, actor: Any, reason: str) -> Consultation:
    with transaction.atomic(durable=True):
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        require_editor(actor, consultation.organisation_id, _("撤回意见征集"))
        reason = clean_text(reason, "reason", _("撤回理由"), max_chars=2000)
        if consultation.status != ConsultationStatus.PUBLISHED or consultation.decision_published_on:
            raise ValidationError({"status": _("只能撤回已发布、尚未作出决策的征集。")})
        consultation.status = ConsultationStatus.WITHDRAWN
        consultation.save(update_fields=["status", "updated_at"])
        record_event("participation.consultation_withdrawn", actor=actor, target=consultation,
                     organisation=consultation.organisation, data={"reason": reason})  # fmt: skip
        return consultation


def _article_number(consultation: Consultation, article_number: Any) -> int | None:
    if article_number in (None, "", 0, "0"):
        return None
    try:
        number = int(article_number)
    except (TypeError, ValueError):
        number = -1
    if consultation.article(number) is None:
        raise ValidationError({"article_number": _("草案中没有这一条，请重新选择条文。")})
    return number


def submit_comment(
    consultation: Consultation,
    *,
    actor: Any = None,
    body: str,
    article_number: Any = None,
    display_name: str = "",
    contact: str = "",
    participant_key: str = "",
) -> Comment:
    """A citizen's opinion, while the period is open; it waits for moderation before anyone sees it."""
    with transaction.atomic(durable=True):
        consultation = Consultation.objects.get(pk=consultation.pk)
        day = today()
        if consultation.status != ConsultationStatus.PUBLISHED:
            raise ValidationError({"body": _("该草案未在征集意见。")})
        phase = consultation.phase(day)
        if phase != Phase.OPEN:
            raise ValidationError({"body": _("意见征集已于%(date)s截止，不再接受意见。") % {"date": consultation.closes_on}
                                   if phase == Phase.CLOSED else _("意见征集尚未开始。")})  # fmt: skip
        comment = Comment.objects.create(
            consultation=consultation,
            article_number=_article_number(consultation, article_number),
            body=clean_text(body, "body", _("意见内容"), max_chars=MAX_COMMENT_CHARS),
            display_name=clean_text(display_name, "display_name", _("署名"), max_chars=40, required=False),
            contact=clean_text(contact, "contact", _("联系方式"), max_chars=120, required=False),
            user=actor if getattr(actor, "is_authenticated", False) else None,
            participant_key=participant_key,
            source=CommentSource.PUBLIC,
        )
        # The audit log names no citizen: the event holds the comment's id and the article only.
        record_event("participation.comment_submitted", actor=comment.user, target=comment,
                     organisation=consultation.organisation, data={"article": comment.article_number})  # fmt: skip
        return comment


def record_comment(
    consultation: Consultation, *, actor: Any, body: str, article_number: Any = None, display_name: str = "",
    source: str = CommentSource.OFFLINE, party: InvitedParty | None = None,
) -> Comment:  # fmt: skip
    """Staff enter an opinion received another way (座谈会, letter) or an invited party's opinion."""
    with transaction.atomic(durable=True):
        consultation = Consultation.objects.get(pk=consultation.pk)
        require_editor(actor, consultation.organisation_id, _("登记意见"))
        return _record(consultation, actor=actor, body=body, article_number=article_number, display_name=display_name,
                       source=source, party=party)  # fmt: skip


def _record(consultation: Consultation, *, actor: Any, body: str, article_number: Any, display_name: str, source: str,
            party: InvitedParty | None) -> Comment:  # fmt: skip
    if consultation.status != ConsultationStatus.PUBLISHED:
        raise ValidationError({"body": _("该草案未在征集意见。")})
    if source not in CommentSource.values:
        raise ValidationError({"source": _("请选择意见来源。")})
    if party is not None:
        if party.consultation_id != consultation.pk:
            raise ValidationError({"party": _("该单位不是本次定向征求的对象。")})
        source, display_name = CommentSource.INVITED, party.name
    if consultation.ready_for_meeting_at:
        raise ValidationError({"body": _("草案已提请上会，不再登记新的意见。")})
    comment = Comment.objects.create(
        consultation=consultation, article_number=_article_number(consultation, article_number),
        body=clean_text(body, "body", _("意见内容"), max_chars=MAX_COMMENT_CHARS),
        display_name=clean_text(display_name, "display_name", _("署名"), max_chars=40, required=False),
        source=source, party=party,
    )  # fmt: skip
    record_event("participation.comment_recorded", actor=actor, target=comment, organisation=consultation.organisation,
                 data={"source": source, "party": party.pk if party else None, "article": comment.article_number})  # fmt: skip
    return comment


def moderate_comment(comment: Comment, *, actor: Any, publish: bool, note: str = "") -> Comment:
    """Publish an opinion (personal data masked) or reject it, with a note, as not an opinion on the draft.

    A rejected comment (advertising, abuse, nothing about the draft) is neither shown nor counted in the
    adoption report; personal data is no reason to reject: it is masked on publication.
    """
    with transaction.atomic(durable=True):
        comment = Comment.objects.select_for_update().select_related("consultation").get(pk=comment.pk)
        require_editor(actor, comment.consultation.organisation_id, _("审核意见"))
        note = clean_text(note, "moderation_note", _("审核说明"), max_chars=300, required=not publish)
        if publish:
            comment.published_body, findings = masked_public_text(comment.body)
            comment.moderation = ModerationStatus.PUBLISHED
        else:
            findings = []
            comment.published_body = ""
            comment.moderation = ModerationStatus.REJECTED
            comment.adoption, comment.adoption_reason = "", ""
        comment.moderation_note, comment.moderated_by, comment.moderated_at = note, actor, timezone.now()
        comment.save()
        record_event("participation.comment_moderated", actor=actor, target=comment,
                     organisation=comment.consultation.organisation,
                     data={"published": publish, "masked": len(findings), "note": note})  # fmt: skip
        return comment


def invite_party(
    consultation: Consultation, *, actor: Any, name: str, kind: str, contact: str = ""
) -> tuple[InvitedParty, str]:
    """Ask an enterprise or association for its opinion on a 涉企 draft; returns the party and its link token."""
    with transaction.atomic(durable=True):
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        require_editor(actor, consultation.organisation_id, _("定向征求企业意见"))
        if not consultation.concerns_enterprises:
            raise ValidationError({"name": _("只有涉企政策草案需要定向征求企业和行业协会商会意见。")})
        if consultation.ready_for_meeting_at:
            raise ValidationError({"name": _("草案已提请上会。")})
        if kind not in PartyKind.values:
            raise ValidationError({"kind": _("请选择类型（企业或行业协会商会）。")})
        token = secrets.token_urlsafe(18)
        party = InvitedParty.objects.create(
            consultation=consultation, name=clean_text(name, "name", _("名称"), max_chars=120), kind=kind,
            contact=clean_text(contact, "contact", _("联系方式"), max_chars=120, required=False),
            invited_on=today(), token_hash=hash_secret(token),
        )  # fmt: skip
        record_event("participation.party_invited", actor=actor, target=party, organisation=consultation.organisation,
                     data={"consultation": consultation.pk, "kind": kind})  # fmt: skip
        return party, token


def party_for_token(token: str) -> InvitedParty | None:
    return (
        InvitedParty.objects.select_related("consultation")
        .filter(token_hash=hash_secret(token or ""))
        .first()
    )


def submit_party_comment(party: InvitedParty, *, body: str, article_number: Any = None) -> Comment:
    """The invited party answers through its own link (no account needed)."""
    with transaction.atomic(durable=True):
        consultation = Consultation.objects.get(pk=party.consultation_id)
        return _record(consultation, actor=None, body=body, article_number=article_number, display_name=party.name,
                       source=CommentSource.INVITED, party=party)  # fmt: skip
