"""政民互动: messages of every channel with their replies, FAQ entries, the knowledge base."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from gongkai.core.models import TimeStamped

from .constants import (
    DEFAULT_REPLY_DAYS,
    Category,
    Channel,
    KnowledgeStatus,
    MessageStatus,
    Moderation,
    ReplyReview,
)


class InteractionSettings(TimeStamped):
    """Per organisation: the reply time limit of the policy board in working days (default 5)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="interaction_settings"
    )
    reply_days = models.PositiveSmallIntegerField(_("答复时限（工作日）"), default=DEFAULT_REPLY_DAYS)

    class Meta:
        verbose_name = _("留言答复时限")
        verbose_name_plural = _("留言答复时限")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.reply_days}"


class Message(FSMModelMixin, TimeStamped):
    """One citizen message (a question on a policy page, a consultation; mailboxes and work orders
    later). The contact is never shown on a public page; only a reviewed reply is."""

    id = models.BigAutoField(primary_key=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(
        _("渠道"), max_length=20, choices=Channel.choices, default=Channel.BOARD, db_index=True
    )
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, default=Category.CONSULT)
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("办理单位"), on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        "documents.Document", verbose_name=_("所涉政策"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    number = models.CharField(_("留言编号"), max_length=20, unique=True, null=True, blank=True, default=None)
    external_id = models.CharField(
        _("外部编号"), max_length=64, blank=True
    )  # 12345 work order, gov.cn message
    subject = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("留言内容"))
    name = models.CharField(_("称呼"), max_length=50, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = FSMField(
        _("状态"), default=MessageStatus.RECEIVED, choices=MessageStatus.choices, protected=True
    )
    moderation = models.CharField(_("处理意见"), max_length=20, choices=Moderation.choices, blank=True)
    moderation_note = models.CharField(_("说明"), max_length=300, blank=True)
    transferred_to = models.CharField(_("转至"), max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    received_on = models.DateField(_("收到日期"))
    due_on = models.DateField(_("答复期限"), db_index=True)
    reminded_on = models.DateField(null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    is_public = models.BooleanField(_("公开问答"), default=True)
    dispatched_from = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("分办单位"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    solved = models.BooleanField(_("问题是否解决"), null=True, blank=True)
    # 办理领域 (一级分类) the dispatcher confirmed or corrected at 分办: the training label of the classifier
    handling_field = models.CharField(_("办理领域"), max_length=50, blank=True)
    # 督办: the office follows a message up with its own deadline
    supervised_by = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("督办单位"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    supervision_due_on = models.DateField(_("督办期限"), null=True, blank=True)
    supervision_note = models.CharField(_("督办意见"), max_length=300, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    # 回访: satisfaction 1 (very dissatisfied) to 5 (very satisfied) on efficiency, attitude and result
    rating_efficiency = models.PositiveSmallIntegerField(_("办理效率"), null=True, blank=True)
    rating_attitude = models.PositiveSmallIntegerField(_("服务态度"), null=True, blank=True)
    rating_result = models.PositiveSmallIntegerField(_("办理结果"), null=True, blank=True)
    feedback = models.CharField(_("评价意见"), max_length=500, blank=True)
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True, default=None)
    faq = models.ForeignKey(
        "interaction.FAQEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("留言")
        verbose_name_plural = _("留言")
        indexes = [models.Index(fields=["organisation", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=~models.Q(external_id=""),
                name="one_message_per_external_id",
            )
        ]

    def __str__(self) -> str:
        return f"留言 {self.pk}"  # never the citizen's text: it names audit events

    def get_absolute_url(self) -> str:
        return reverse("interaction:staff-message", args=[self.pk])

    @property
    def follow_code(self) -> str:
        """The code the asker uses to see the answer and say whether it solved the problem."""
        return hashlib.sha256(f"{settings.SECRET_KEY}:{self.public_id}".encode()).hexdigest()[:12]

    @property
    def is_open(self) -> bool:
        return self.status in (MessageStatus.RECEIVED, MessageStatus.ASSIGNED)

    # --- workflow (services.py wraps each one, rule 1) ---
    @transition(field=status, source=MessageStatus.RECEIVED, target=MessageStatus.ASSIGNED)
    def assign(self) -> None:
        """Given to a handler in the organisation (or dispatched to another)."""

    @transition(
        field=status, source=[MessageStatus.RECEIVED, MessageStatus.ASSIGNED], target=MessageStatus.REJECTED
    )
    def reject(self) -> None:
        """不予受理: spam, abuse or off-topic (the moderation note says which)."""

    @transition(
        field=status,
        source=[MessageStatus.RECEIVED, MessageStatus.ASSIGNED],
        target=MessageStatus.TRANSFERRED,
    )
    def transfer(self) -> None:
        """A complaint that belongs to a mailbox: moved there, with a link kept."""

    @transition(
        field=status, source=[MessageStatus.RECEIVED, MessageStatus.ASSIGNED], target=MessageStatus.ANSWERED
    )
    def answer(self) -> None:
        """The reviewed reply was published or sent."""

    @transition(field=status, source=MessageStatus.ANSWERED, target=MessageStatus.CLOSED)
    def close(self) -> None:
        """办结: the asker gave feedback on the answer (回访)."""

    @transition(
        field=status, source=[MessageStatus.ANSWERED, MessageStatus.CLOSED], target=MessageStatus.ASSIGNED
    )
    def reopen(self) -> None:
        """重办: the asker was not satisfied; a new reviewed reply is due."""


class Reply(TimeStamped):
    """A reply drafted by staff; published only with the exact text a reviewer approved (先审查、后公开)."""

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="reply")
    body = models.TextField(_("答复内容"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_status = models.CharField(
        _("审查状态"), max_length=20, choices=ReplyReview.choices, default=ReplyReview.PENDING
    )
    review_findings = models.JSONField(default=list, blank=True)
    review_note = models.CharField(_("审查意见"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_hash = models.CharField(max_length=64, blank=True)
    signature = models.CharField(max_length=64, blank=True)
    # the public form of the question and the reply (personal data masked by the review)
    public_question = models.TextField(blank=True)
    public_body = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")

    def __str__(self) -> str:
        return f"答复 {self.message_id}"


class FAQEntry(TimeStamped):
    """A frequent question on a policy page (work plan 十九), promoted from grouped messages."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(
        "documents.Document", verbose_name=_("所涉政策"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    question = models.CharField(_("问题"), max_length=300)
    answer = models.TextField(_("回答"))
    is_published = models.BooleanField(_("已发布"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        if self.document_id:
            return reverse("portal:document-detail", args=[self.document_id]) + "#faq"
        return reverse("interaction:consult")


class KnowledgeEntry(TimeStamped):
    """知识库 entry: question wordings, the answer, keywords, handling unit, category, the policy and
    article it rests on, validity. Hidden from answers while its policy's change is not reviewed."""

    questions = models.JSONField(_("问题"), default=list, blank=True)
    answer = models.TextField(_("答案"))
    answer_hash = models.CharField(max_length=64, unique=True)
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    unit = models.CharField(_("办理单位"), max_length=100, blank=True)
    category = models.CharField(_("类别"), max_length=50, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.ForeignKey(
        "documents.Document", verbose_name=_("依据政策"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    doc_number = models.CharField(_("依据文号"), max_length=100, blank=True)
    article = models.CharField(_("条款"), max_length=30, blank=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=KnowledgeStatus.choices,
        default=KnowledgeStatus.ACTIVE,
        db_index=True,
    )
    status_note = models.CharField(_("状态说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("知识库条目")
        verbose_name_plural = _("知识库条目")

    def __str__(self) -> str:
        return (self.questions[0] if self.questions else self.answer)[:60]

    @staticmethod
    def hash_answer(answer: str) -> str:
        return hashlib.sha256(" ".join(answer.split()).encode()).hexdigest()


class UnansweredQuestion(TimeStamped):
    """A question the knowledge base answered with low confidence (集中咨询 beyond the knowledge base),
    counted per organisation so the unit can add an entry (反馈发文单位)."""

    text = models.CharField(_("问题"), max_length=300)
    normalized = models.CharField(max_length=300)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    count = models.PositiveIntegerField(_("次数"), default=1)
    best_score = models.FloatField(default=0)
    last_asked_at = models.DateTimeField(_("最近提问"))

    class Meta:
        ordering = ["-count", "-last_asked_at"]
        verbose_name = _("知识库未答问题")
        verbose_name_plural = _("知识库未答问题")
        constraints = [
            models.UniqueConstraint(fields=["normalized", "organisation"], name="one_unanswered_row_per_org")
        ]

    def __str__(self) -> str:
        return self.text
