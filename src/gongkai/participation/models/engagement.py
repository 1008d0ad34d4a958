"""问卷调查 and 征集 (实事项目, 开放活动主题, 政策需求): surveys with their answers, proposals with votes."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import TimeStamped

from ..constants import ModerationStatus, Phase, QuestionKind, SolicitationKind, SurveyStatus


class Survey(TimeStamped):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("发起单位")
    )
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    requires_login = models.BooleanField(_("须登录后参与"), default=False)
    results_public = models.BooleanField(_("公开调查结果"), default=True)
    is_sample = models.BooleanField(_("示例"), default=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )

    class Meta:
        verbose_name = _("问卷调查")
        verbose_name_plural = _("问卷调查")
        ordering = ["-opens_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def phase(self, today: dt.date) -> str:
        if today < self.opens_on:
            return Phase.UPCOMING
        return Phase.OPEN if today <= self.closes_on else Phase.CLOSED


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("题型"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("题目"), max_length=300)
    options = models.JSONField(_("选项"), default=list, blank=True)  # single/multiple: list of labels
    scale_min = models.PositiveSmallIntegerField(default=1)
    scale_max = models.PositiveSmallIntegerField(default=5)
    scale_labels = models.CharField(_("量表两端说明"), max_length=60, blank=True)  # “很不满意/很满意”
    required = models.BooleanField(_("必答"), default=True)

    class Meta:
        ordering = ["survey_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="unique_question_position")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"

    @property
    def choices(self) -> list[tuple[int, str]]:
        if self.kind == QuestionKind.SCALE:
            return [(value, str(value)) for value in range(self.scale_min, self.scale_max + 1)]
        return list(enumerate(self.options))


class Response(models.Model):
    """One person's answers; `participant_key` makes a second response of the same person fail."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    participant_key = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "participant_key"], name="one_response_per_participant")
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.survey_id}#{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choices = models.JSONField(default=list, blank=True)  # option indexes (single, multiple)
    value = models.SmallIntegerField(null=True, blank=True)  # scale
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.response_id}:{self.question_id}"


class Solicitation(TimeStamped):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("发起单位")
    )
    kind = models.CharField(_("类型"), max_length=16, choices=SolicitationKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    is_sample = models.BooleanField(_("示例"), default=False)
    is_published = models.BooleanField(_("已发布"), default=False)

    class Meta:
        verbose_name = _("征集活动")
        verbose_name_plural = _("征集活动")
        ordering = ["-opens_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def phase(self, today: dt.date) -> str:
        if today < self.opens_on:
            return Phase.UPCOMING
        return Phase.OPEN if today <= self.closes_on else Phase.CLOSED


class Proposal(TimeStamped):
    solicitation = models.ForeignKey(Solicitation, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(_("建议标题"), max_length=120)
    body = models.TextField(_("建议内容"))
    published_body = models.TextField(blank=True)
    display_name = models.CharField(_("署名"), max_length=40, blank=True)
    contact = models.CharField(_("联系方式"), max_length=120, blank=True)  # never shown publicly
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    participant_key = models.CharField(max_length=64, blank=True)
    moderation = models.CharField(
        _("审核"), max_length=10, choices=ModerationStatus.choices, default=ModerationStatus.PENDING
    )
    moderation_note = models.CharField(_("审核说明"), max_length=300, blank=True)
    vote_count = models.PositiveIntegerField(_("支持数"), default=0)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("建议")
        verbose_name_plural = _("建议")
        ordering = ["-vote_count", "id"]

    def __str__(self) -> str:
        return self.title


class ProposalVote(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    participant_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "participant_key"], name="one_vote_per_participant")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}+1"
