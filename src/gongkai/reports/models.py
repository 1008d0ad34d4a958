"""Annual reports (政府信息公开工作年度报告, 条例 Art. 49–50) and the figures staff enter for them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import TimeStamped

from .constants import ReportScope, ReportSource, ReportStatus


class ActiveDisclosureFigures(TimeStamped):
    """Table 二 figures that come from other systems (条例 Art. 20 items (五)(六)(八)), per year."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="disclosure_figures",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    licensing_decisions = models.PositiveIntegerField(_("行政许可本年处理决定数量"), default=0)
    penalty_decisions = models.PositiveIntegerField(_("行政处罚本年处理决定数量"), default=0)
    enforcement_decisions = models.PositiveIntegerField(_("行政强制本年处理决定数量"), default=0)
    fees_amount = models.DecimalField(
        _("行政事业性收费本年收费金额（万元）"),
        max_digits=14,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("主动公开数据")
        verbose_name_plural = _("主动公开数据")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="reports_figures_org_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class AnnualReport(TimeStamped):
    """One organisation's report for one year: staff-edited sections plus the tables.

    While a draft, the tables are computed from the platform's data on every view; publishing
    freezes them in `data` (and the findings in `findings`, which must be empty to publish).
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    scope = models.CharField(
        _("统计范围"), max_length=20, choices=ReportScope.choices, default=ReportScope.OWN
    )
    source = models.CharField(
        _("数据来源"), max_length=20, choices=ReportSource.choices, default=ReportSource.GENERATED
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    overview_text = models.TextField(_("一、总体情况"), blank=True)
    problems_text = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    other_text = models.TextField(_("六、其他需要报告的事项"), blank=True)
    data = models.JSONField(_("表格数据"), default=dict, blank=True)
    findings = models.JSONField(_("核查结果"), default=list, blank=True)
    processing_fee = models.DecimalField(_("信息处理费（元）"), max_digits=12, decimal_places=2, default=0)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "organisation__sort_order", "organisation_id"]
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="reports_report_org_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name}{self.year}年政府信息公开工作年度报告"

    @property
    def title(self) -> str:
        return str(self)

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.organisation.code, self.year])
