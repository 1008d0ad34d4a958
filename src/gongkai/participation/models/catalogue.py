"""重大行政决策事项目录 (国务院令第713号 Art. 3), its items, their statutory steps and the published changes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import TimeStamped

from ..constants import CatalogueStatus, ChangeKind, ItemStatus, StepKind, StepStatus


class DecisionCatalogue(TimeStamped):
    """One government's catalogue of major decisions for one year."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("决策机关")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    note = models.TextField(_("说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=CatalogueStatus.choices, default=CatalogueStatus.DRAFT
    )
    # Art. 3: published after the same-level Party committee agreed; the date is what the public sees.
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    is_sample = models.BooleanField(_("示例"), default=False, help_text=_("内容不是真实目录时标注“示例”。"))

    class Meta:
        verbose_name = _("重大行政决策事项目录")
        verbose_name_plural = _("重大行政决策事项目录")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="unique_catalogue_per_year")
        ]
        ordering = ["-year", "organisation_id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == CatalogueStatus.PUBLISHED


class DecisionItem(TimeStamped):
    """A decision in the catalogue: what, who leads, when it is planned, where it stands."""

    catalogue = models.ForeignKey(DecisionCatalogue, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("决策事项"), max_length=200)
    description = models.TextField(_("事项说明"), blank=True)
    lead_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("承办单位")
    )
    planned_time = models.CharField(_("计划完成时间"), max_length=60, help_text=_("例如“2023年第三季度”。"))
    status = models.CharField(
        _("状态"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.PLANNED
    )
    # Art. 32: the decision is published; the date starts nothing here (the consultation's report clock does).
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

    class Meta:
        verbose_name = _("决策事项")
        verbose_name_plural = _("决策事项")
        ordering = ["catalogue_id", "position"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "position"], name="unique_item_position")]

    def __str__(self) -> str:
        return self.title


class CatalogueChange(TimeStamped):
    """A change to a published catalogue, published with its reason (Art. 3: 根据实际情况调整)."""

    catalogue = models.ForeignKey(DecisionCatalogue, on_delete=models.PROTECT, related_name="changes")
    item = models.ForeignKey(DecisionItem, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(_("调整类型"), max_length=12, choices=ChangeKind.choices)
    description = models.TextField(_("调整内容"))
    reason = models.TextField(_("调整理由"))
    changed_on = models.DateField(_("调整日期"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("目录调整")
        verbose_name_plural = _("目录调整")
        ordering = ["changed_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.item}"


class DecisionStep(TimeStamped):
    """One statutory step of one decision: done (date, record), pending, or left out with a reason."""

    item = models.ForeignKey(DecisionItem, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("程序"), max_length=24, choices=StepKind.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=StepStatus.choices, default=StepStatus.PENDING
    )
    done_on = models.DateField(_("履行日期"), null=True, blank=True)
    summary = models.TextField(_("履行情况"), blank=True)
    record_title = models.CharField(_("相关材料"), max_length=300, blank=True)
    record_url = models.URLField(_("材料链接"), blank=True)
    omit_reason = models.TextField(_("未履行理由"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("决策程序")
        verbose_name_plural = _("决策程序")
        constraints = [models.UniqueConstraint(fields=["item", "kind"], name="unique_step_per_item")]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_kind_display()}"

    @property
    def order(self) -> int:
        return list(StepKind.values).index(self.kind)
