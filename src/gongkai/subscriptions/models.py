"""Profiles (画像), subscriptions, deliveries and relay organisations (work plan items 六 and 十六).

A `Profile` is whoever can receive a push: a public account's own profile, an anonymous e-mail
subscriber (double opt-in), a profile imported from another system (一网通办), or a member enterprise
of a relay organisation. Its tags are rows of `ProfileTag`, so matching runs in SQL.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .constants import (
    OCCASION_PUBLISHED,
    Channel,
    DeliveryStatus,
    Frequency,
    ProfileKind,
    RelayKind,
    SubscriptionKind,
)


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="push_profile"
    )
    # NULL, not "", for profiles without one: unique (Meta.constraints) among those that have one
    external_id = models.CharField(_("外部编号"), max_length=100, null=True, blank=True)  # noqa: DJ001
    kind = models.CharField(_("类型"), max_length=12, choices=ProfileKind.choices, default=ProfileKind.PERSON)
    name = models.CharField(_("名称"), max_length=120, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    email_confirmed = models.BooleanField(_("邮箱已确认"), default=False)
    webhook_url = models.URLField(_("推送接口地址"), max_length=500, blank=True)
    webhook_secret = models.CharField(_("推送接口密钥"), max_length=100, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    # 个人信息保护法 Art. 14/15: profile-based push only with consent, stopped when it is withdrawn
    push_enabled = models.BooleanField(_("接收精准推送"), default=True)
    frequency = models.CharField(
        _("推送频率"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    tags = models.ManyToManyField("taxonomy.Tag", through="ProfileTag", related_name="+", blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("推送画像")
        verbose_name_plural = _("推送画像")
        # As few indexes as the lookups need (each one slows a bulk import): external_id for the
        # import's upsert, email for anonymous subscriptions; no pattern-ops copies of either.
        constraints = [models.UniqueConstraint(fields=["external_id"], name="subscriptions_profile_external")]
        indexes = [models.Index(fields=["email"], name="subscriptions_profile_email")]

    def __str__(self) -> str:
        return self.name or self.external_id or f"#{self.pk}"


class ProfileTag(models.Model):
    # no single-column indexes: (profile, tag) and (tag, profile) below serve both foreign keys
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="tag_links", db_index=False)
    tag = models.ForeignKey(
        "taxonomy.Tag", on_delete=models.PROTECT, related_name="profile_links", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "tag"], name="subscriptions_profiletag_unique")
        ]
        indexes = [models.Index(fields=["tag", "profile"], name="subscriptions_profiletag_tag")]

    def __str__(self) -> str:
        return f"{self.profile_id}·{self.tag_id}"


class Subscription(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="subscriptions")
    kind = models.CharField(_("订阅类型"), max_length=16, choices=SubscriptionKind.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    theme = models.ForeignKey(
        "documents.Theme", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    tag = models.ForeignKey(
        "taxonomy.Tag", null=True, blank=True, on_delete=models.PROTECT, related_name="subscriptions"
    )
    topic = models.ForeignKey(
        "topics.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    query = models.CharField(_("检索词"), max_length=200, blank=True)
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    frequency = models.CharField(
        _("频率"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    confirmed = models.BooleanField(_("已确认"), default=False)  # double opt-in of anonymous e-mail
    created_at = models.DateTimeField(_("订阅时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("订阅")
        verbose_name_plural = _("订阅")
        indexes = [models.Index(fields=["kind", "profile"], name="subscriptions_sub_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.target_label}"

    @property
    def target_label(self) -> str:
        target = self.organisation or self.theme or self.tag or self.topic or self.document
        if target is not None:
            return str(getattr(target, "name", None) or getattr(target, "title", None) or target)
        return self.query


class RelayOrganisation(models.Model):
    """A 行业协会, 产业园区, 楼宇 or 商会 that forwards policies to its members ("政府+" 接力)."""

    name = models.CharField(_("名称"), max_length=120, unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=RelayKind.choices)
    operators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="relays", verbose_name=_("运营账号")
    )
    tags = models.ManyToManyField(
        "taxonomy.Tag", blank=True, related_name="+", verbose_name=_("服务对象标签")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("接力组织")
        verbose_name_plural = _("接力组织")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("subscriptions:relay", args=[self.pk])


class RelayMember(models.Model):
    relay = models.ForeignKey(RelayOrganisation, on_delete=models.CASCADE, related_name="members")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="relay_memberships")
    name = models.CharField(_("企业名称"), max_length=120)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["relay", "credit_code"], name="subscriptions_member_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ForwardingTask(models.Model):
    relay = models.ForeignKey(RelayOrganisation, on_delete=models.CASCADE, related_name="tasks")
    document = models.ForeignKey("documents.Document", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("下达时间"), auto_now_add=True)
    forwarded_at = models.DateTimeField(_("转发时间"), null=True, blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("转发附言"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["relay", "document"], name="subscriptions_task_unique")
        ]

    def __str__(self) -> str:
        return f"{self.relay} · {self.document_id}"

    @property
    def occasion(self) -> str:
        return f"relay-{self.relay_id}"


class Delivery(models.Model):
    """One policy (on one occasion) to one profile on one channel: at most one, whatever matched."""

    # No single-column indexes: the unique constraint and the document index below serve both keys.
    # No database-level foreign keys either: one policy queues up to a million rows in one statement,
    # and PostgreSQL checks each row's deferred foreign keys at commit by locking the profile row
    # (more than the insert itself). The rows are written only by `matching` and `relay` from ids
    # read in the same statement or transaction; deleting a profile or a document deletes its
    # deliveries through Django's on_delete=CASCADE, as with every other relation here.
    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="deliveries", db_index=False, db_constraint=False
    )
    document = models.ForeignKey(
        "documents.Document", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    occasion = models.CharField(_("事由"), max_length=40, default=OCCASION_PUBLISHED)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    frequency = models.CharField(
        _("频率"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    reason = models.JSONField(_("推送原因"), default=dict, blank=True)
    relay_task = models.ForeignKey(
        ForwardingTask,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,
        db_constraint=False,
    )  # indexed only where set (below): a profile push of a million rows leaves it NULL; no
    # database constraint either (its deferred check ran once per inserted row at commit, even NULL)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    last_error = models.CharField(_("失败原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("生成时间"))
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    opened_at = models.DateTimeField(_("打开时间"), null=True, blank=True)
    saved = models.BooleanField(_("已收藏"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "document", "occasion", "channel"], name="subscriptions_delivery_once"
            )
        ]
        indexes = [
            # the senders' queue (digests, webhook retries) without the immediate e-mails: those are
            # sent by policy through the document index, and they are most of a broad push's rows
            models.Index(
                fields=["status", "channel", "frequency"],
                condition=~models.Q(channel=Channel.EMAIL, frequency=Frequency.IMMEDIATE),
                name="subscriptions_delivery_due",
            ),
            models.Index(fields=["document", "channel", "status"], name="subscriptions_delivery_doc"),
            models.Index(
                fields=["relay_task"],
                condition=models.Q(relay_task__isnull=False),
                name="subscriptions_delivery_relay",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.profile_id} {self.document_id}"


class WebhookAttempt(models.Model):
    """The delivery log of the webhook channel: every POST with its answer."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="webhook_attempts")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    status_code = models.PositiveIntegerField(_("响应码"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error}"
