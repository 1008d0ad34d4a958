"""意见征集: a draft open for comment, its comments, the invited enterprises and the adoption report."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import TimeStamped

from ..constants import (
    Adoption,
    CommentSource,
    ConsultationStatus,
    ModerationStatus,
    PartyKind,
    Phase,
    ReportStatus,
)


class Consultation(TimeStamped):
    """A draft published for comment (国务院令第713号 Art. 15) and what became of the opinions."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("征集单位")
    )
    item = models.ForeignKey(
        "participation.DecisionItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
        verbose_name=_("重大行政决策事项"),
    )
    title = models.CharField(_("草案名称"), max_length=200)
    explanation = models.TextField(_("起草说明"), blank=True)
    body_text = models.TextField(_("草案全文"))
    articles = models.JSONField(_("条文"), default=list, blank=True)  # [{number, label, text}]
    how_to_comment = models.TextField(_("其他提出意见的方式"), blank=True)
    opens_on = models.DateField(_("征集开始日期"))
    closes_on = models.DateField(_("征集截止日期"))
    short_period_reason = models.TextField(_("缩短征集期限的理由"), blank=True)
    concerns_enterprises = models.BooleanField(_("涉企政策"), default=False)
    is_sample = models.BooleanField(_("示例"), default=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=ConsultationStatus.choices, default=ConsultationStatus.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    ready_for_meeting_at = models.DateTimeField(_("提请上会时间"), null=True, blank=True)
    decision_title = models.CharField(_("决策文件"), max_length=300, blank=True)
    decision_published_on = models.DateField(_("决策公布日期"), null=True, blank=True)
    decision_document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("决策文件（公文库）"),
    )
    report_due_on = models.DateField(_("采纳情况公布期限"), null=True, blank=True, db_index=True)
    last_reminded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("意见征集")
        verbose_name_plural = _("意见征集")
        ordering = ["-opens_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def period_days(self) -> int:
        """Calendar days open, both ends counted (1 to 30 March is 30 days)."""
        return (self.closes_on - self.opens_on).days + 1

    def phase(self, today: dt.date) -> str:
        if today < self.opens_on:
            return Phase.UPCOMING
        return Phase.OPEN if today <= self.closes_on else Phase.CLOSED

    def article(self, number: int) -> dict | None:
        return next((a for a in self.articles if a.get("number") == number), None)


class InvitedParty(TimeStamped):
    """An enterprise or association asked for its opinion on a 涉企 draft (work plan 二十一)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="parties")
    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=12, choices=PartyKind.choices)
    contact = models.CharField(_("联系方式"), max_length=120, blank=True)  # never shown publicly
    invited_on = models.DateField(_("邀请日期"))
    token_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("定向征求对象")
        verbose_name_plural = _("定向征求对象")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Comment(TimeStamped):
    """An opinion on the whole draft (article_number empty) or on one article."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="comments")
    article_number = models.PositiveSmallIntegerField(_("条"), null=True, blank=True)
    body = models.TextField(_("意见内容"))
    published_body = models.TextField(_("公开文本"), blank=True)  # personal data masked
    display_name = models.CharField(_("署名"), max_length=40, blank=True)
    contact = models.CharField(_("联系方式"), max_length=120, blank=True)  # never shown publicly
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    participant_key = models.CharField(max_length=64, blank=True, db_index=True)
    source = models.CharField(
        _("来源"), max_length=10, choices=CommentSource.choices, default=CommentSource.PUBLIC
    )
    party = models.ForeignKey(
        InvitedParty, null=True, blank=True, on_delete=models.PROTECT, related_name="comments"
    )
    moderation = models.CharField(
        _("审核"), max_length=10, choices=ModerationStatus.choices, default=ModerationStatus.PENDING
    )
    moderation_note = models.CharField(_("审核说明"), max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    adoption = models.CharField(_("采纳情况"), max_length=12, choices=Adoption.choices, blank=True)
    adoption_reason = models.TextField(_("采纳说明或不予采纳理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("意见")
        verbose_name_plural = _("意见")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:40]

    @property
    def article_label(self) -> str:
        from gongkai.text.articles import article_label

        return article_label(self.article_number) if self.article_number else str(_("草案整体"))


class AdoptionReport(TimeStamped):
    """意见采纳情况: the counts, the concentrated opinions not adopted and why (work plan 二十二)."""

    consultation = models.OneToOneField(Consultation, on_delete=models.PROTECT, related_name="report")
    received = models.PositiveIntegerField(_("收到意见（条）"))
    adopted = models.PositiveIntegerField(_("采纳（条）"))
    partly = models.PositiveIntegerField(_("部分采纳（条）"))
    not_adopted = models.PositiveIntegerField(_("未采纳（条）"))
    summary = models.TextField(_("征集和采纳情况说明"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("意见采纳情况")
        verbose_name_plural = _("意见采纳情况")

    def __str__(self) -> str:
        return f"{self.consultation}·意见采纳情况"


class ConcentratedOpinion(models.Model):
    """An opinion raised by many (较为集中意见): how many raised it, what became of it and why."""

    report = models.ForeignKey(AdoptionReport, on_delete=models.CASCADE, related_name="concentrated")
    position = models.PositiveSmallIntegerField()
    summary = models.TextField(_("意见概述"))
    count = models.PositiveIntegerField(_("提出次数"))
    adoption = models.CharField(_("采纳情况"), max_length=12, choices=Adoption.choices)
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.summary[:40]
