"""Disclosure review (公开审查): one task per item (一事一审), targeted disclosure, Art. 18 re-review."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import TimeStamped
from gongkai.documents.constants import WithheldReason

from .constants import RereviewStatus, TaskStatus


class ReviewTask(TimeStamped):
    """The review of one document submission (条例 Art. 17; work plan 二十五 先审查、后公开, 一事一审).

    UUID keys keep audit events on tasks apart from events on documents (both use `target_id`).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey("documents.Document", on_delete=models.CASCADE, related_name="review_tasks")
    # Set for the review of a 动态解读 on its own (`document` is then the policy it interprets); an
    # interpretation submitted with its policy (三同步) is reviewed in that policy's task instead.
    interpretation = models.ForeignKey(
        "documents.Interpretation", verbose_name=_("政策解读"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="review_tasks",
    )  # fmt: skip
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审查人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="review_tasks",
    )  # fmt: skip
    status = models.CharField(
        _("状态"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN, db_index=True
    )
    findings = models.JSONField(_("检出内容"), default=list, blank=True)
    submitted_hash = models.CharField(max_length=64, blank=True)
    approved_hash = models.CharField(max_length=64, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    reason = models.CharField(_("不予公开理由"), max_length=30, choices=WithheldReason.choices, blank=True)
    note = models.TextField(_("审查意见"), blank=True)
    signature = models.CharField(_("签名摘要"), max_length=64, blank=True)
    masked_kinds = models.JSONField(default=list, blank=True)
    # the text before masking: visible only to authorised staff of the organisation
    original_title = models.CharField(max_length=300, blank=True)
    original_summary = models.TextField(blank=True)
    original_body_html = models.TextField(blank=True)
    original_body_text = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("公开审查任务")
        verbose_name_plural = _("公开审查任务")
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status="open", interpretation__isnull=True),
                name="one_open_review_per_document",
            ),
            models.UniqueConstraint(
                fields=["interpretation"],
                condition=Q(status="open", interpretation__isnull=False),
                name="one_open_review_per_interpretation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interpretation or self.document} ({self.get_status_display()})"

    @property
    def title(self) -> str:
        """What is reviewed: the document, or the 动态解读 (with the policy it interprets)."""
        if self.interpretation_id:
            return gettext("政策解读：%(title)s") % {"title": self.interpretation.title}
        return self.document.title

    def get_absolute_url(self) -> str:
        return reverse("review:task", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    @property
    def blocking_findings(self) -> list[dict]:
        return [f for f in self.findings if f.get("confidence", 0) >= 0.5]


class Rereview(TimeStamped):
    """A withheld item waiting for its periodic re-evaluation (条例 Art. 18)."""

    document = models.ForeignKey("documents.Document", on_delete=models.CASCADE, related_name="rereviews")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(ReviewTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("不予公开理由"), max_length=30, choices=WithheldReason.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=RereviewStatus.choices, default=RereviewStatus.ACTIVE
    )
    due_on = models.DateField(_("下次评估日期"), db_index=True)
    reminded_at = models.DateTimeField(_("最近提醒时间"), null=True, blank=True)
    last_reviewed_at = models.DateTimeField(_("最近评估时间"), null=True, blank=True)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("不予公开定期评估")
        verbose_name_plural = _("不予公开定期评估")
        constraints = [
            models.UniqueConstraint(
                fields=["document"], condition=Q(status="active"), name="one_active_rereview_per_document"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.due_on}"


class TargetedDisclosure(TimeStamped):
    """定向公开: an item shown only to named recipients (work plan 二十五: 定点、定向公开)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(
        "documents.Document", on_delete=models.CASCADE, related_name="targeted_disclosures"
    )
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=300)
    body_html = models.TextField(_("正文"), blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("定向公开")
        verbose_name_plural = _("定向公开")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("review:targeted", args=[self.pk])


class TargetedRecipient(TimeStamped):
    disclosure = models.ForeignKey(TargetedDisclosure, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    label = models.CharField(_("接收人"), max_length=100, blank=True)
    token = models.CharField(max_length=64, unique=True, null=True, blank=True, default=None)
    used_at = models.DateTimeField(_("链接使用时间"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure", "user"], condition=Q(user__isnull=False), name="unique_targeted_user"
            )
        ]

    def __str__(self) -> str:
        return self.label or str(self.user)


class TargetedAccess(models.Model):
    """Every view of a targeted item, with who and from where."""

    disclosure = models.ForeignKey(TargetedDisclosure, on_delete=models.CASCADE, related_name="accesses")
    recipient = models.ForeignKey(
        TargetedRecipient, null=True, on_delete=models.SET_NULL, related_name="accesses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accessed_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    granted = models.BooleanField(default=True)

    class Meta:
        ordering = ["-accessed_at"]

    def __str__(self) -> str:
        return f"{self.disclosure} {self.accessed_at:%Y-%m-%d %H:%M} {'✓' if self.granted else '✗'}"
