"""Ingestion bookkeeping: one ImportRecord per file content (sha256) and organisation, so imports
are idempotent and one organisation never learns what another uploaded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import TimeStamped


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("识别中")
    PENDING = "pending", _("待确认")
    FAILED = "failed", _("无法识别")
    IMPORTED = "imported", _("已导入")


class ImportRecord(TimeStamped):
    """A file read and extracted; `document` is set once it has been saved as a draft (or published)."""

    sha256 = models.CharField(_("内容摘要"), max_length=64)
    filename = models.CharField(_("文件名"), max_length=300)
    # an upload waiting for (or kept after) extraction in a task; its stored name is cut to fit
    upload = models.FileField(_("上传文件"), upload_to="ingest/%Y/%m/", max_length=300, blank=True)
    size = models.PositiveBigIntegerField(_("大小"), default=0)
    file_format = models.CharField(_("格式"), max_length=10, blank=True)
    error = models.TextField(_("识别错误"), blank=True)
    text = models.TextField(_("提取文本"), blank=True)
    extraction = models.JSONField(_("提取结果"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("公文"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sha256"], name="unique_import_per_organisation")
        ]
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")

    def __str__(self) -> str:
        return self.filename
