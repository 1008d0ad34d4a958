"""The openness office's records. Figures the platform can count are computed, never stored here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import TimeStamped

from .constants import (
    DEFAULT_TIME_LIMIT_DAYS,
    BudgetKind,
    GazetteStatus,
    IndicatorSource,
    Outcome,
    ProgressStatus,
)


class CatalogueItem(TimeStamped):
    """One row of the 政务公开标准目录 (work plan item 二十六) with what it is matched against."""

    code = models.CharField(_("编号"), max_length=40, unique=True)
    matter = models.CharField(_("公开事项"), max_length=200)
    content = models.TextField(_("公开内容（要素）"), blank=True)
    basis = models.TextField(_("公开依据"), blank=True)
    time_limit = models.CharField(_("公开时限"), max_length=200, blank=True)
    subject = models.CharField(_("公开主体"), max_length=200, blank=True)
    channels = models.CharField(_("公开渠道和载体"), max_length=300, blank=True)
    audience = models.CharField(_("公开对象"), max_length=100, blank=True)
    mode = models.CharField(_("公开方式"), max_length=100, blank=True)
    level = models.CharField(_("公开层级"), max_length=100, blank=True)
    time_limit_days = models.PositiveSmallIntegerField(_("时限（工作日）"), default=DEFAULT_TIME_LIMIT_DAYS)
    cycle_days = models.PositiveIntegerField(
        _("更新周期（日）"),
        null=True,
        blank=True,
        help_text=_("信息按此周期形成（如年度 365）；空表示按需。"),
    )
    organisations = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("责任单位"), blank=True, related_name="+"
    )
    themes = models.ManyToManyField(
        "documents.Theme", verbose_name=_("主题分类"), blank=True, related_name="+"
    )
    tags = models.ManyToManyField("taxonomy.Tag", verbose_name=_("标签"), blank=True, related_name="+")
    doc_types = models.JSONField(_("文种"), default=list, blank=True)
    normative_only = models.BooleanField(_("仅规范性文件"), default=False)
    topic = models.ForeignKey(
        "topics.Topic",
        verbose_name=_("专题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_example = models.BooleanField(_("示例内容"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("标准目录事项")
        verbose_name_plural = _("标准目录事项")

    def __str__(self) -> str:
        return f"{self.code} {self.matter}"


class SiteInspection(TimeStamped):
    """One run of the website self-inspection (work plan item 二十七, 国办秘函〔2019〕19号)."""

    url = models.URLField(_("网址"), max_length=400)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    vetoed = models.BooleanField(_("单项否决"), default=False)
    pages = models.PositiveIntegerField(_("检查页面数"), default=0)
    sheet = models.JSONField(_("评分表"), default=dict)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("网站自查")
        verbose_name_plural = _("网站自查")


class ExpiryWarning(TimeStamped):
    """A warning sent to the issuing organisation N months before a 规范性文件 expires (once per stage)."""

    document = models.ForeignKey("documents.Document", on_delete=models.CASCADE, related_name="+")
    months = models.PositiveSmallIntegerField(_("提前月数"))
    expiry_date = models.DateField(_("有效期至"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "months", "expiry_date"], name="unique_expiry_warning"
            )
        ]


class NormativeEvaluation(TimeStamped):
    """清理评估 record of one 规范性文件 (work plan item 十三)."""

    document = models.ForeignKey(
        "documents.Document", verbose_name=_("文件"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("清理年度"))
    outcome = models.CharField(_("评估结论"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("理由"))
    new_expiry_date = models.DateField(_("延期至"), null=True, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("清理评估记录")
        verbose_name_plural = _("清理评估记录")


class CleanupList(TimeStamped):
    """The yearly 清理 result list, public once published."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]


class GazetteIssue(TimeStamped):
    """政府公报 issue (work plan item 二十八)."""

    year = models.PositiveSmallIntegerField(_("年份"))
    number = models.PositiveSmallIntegerField(_("期号"))
    status = models.CharField(
        _("状态"), max_length=20, choices=GazetteStatus.choices, default=GazetteStatus.DRAFT
    )
    published_at = models.DateTimeField(_("出版时间"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("页数"), default=0)

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="unique_gazette_issue")]
        verbose_name = _("政府公报")
        verbose_name_plural = _("政府公报")

    def __str__(self) -> str:
        return f"{self.year}年第{self.number}期"


class GazetteEntry(models.Model):
    """One text of an issue: a published document or interpretation; the gazette text is the 标准文本."""

    issue = models.ForeignKey(GazetteIssue, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveSmallIntegerField(default=0)
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    interpretation = models.ForeignKey(
        "documents.Interpretation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=300)
    doc_number = models.CharField(_("文号"), max_length=80, blank=True)
    issuer = models.CharField(_("发文机关"), max_length=200, blank=True)
    body_text = models.TextField(_("正文"))
    start_page = models.PositiveIntegerField(_("起始页"), default=0)

    class Meta:
        ordering = ["issue", "position"]

    def __str__(self) -> str:
        return self.title


class BudgetDisclosure(TimeStamped):
    """A budget disclosure of one department and year (work plan item 十)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类别"), max_length=20, choices=BudgetKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    amount_yuan = models.DecimalField(_("金额（元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    budget_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    final_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.URLField(_("公开地址"), blank=True)
    is_secret = models.BooleanField(_("涉密"), default=False)
    secret_reason = models.CharField(_("涉密不公开理由"), max_length=300, blank=True)
    is_example = models.BooleanField(_("示例内容"), default=False)

    class Meta:
        ordering = ["organisation", "year", "kind", "id"]


class AssessmentScheme(TimeStamped):
    """考核评估 indicator system of one year (work plan items 三十–三十二)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("名称"), max_length=200)

    class Meta:
        ordering = ["-year"]


class Indicator(models.Model):
    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("指标"), max_length=100)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=1)
    source = models.CharField(_("数据来源"), max_length=20, choices=IndicatorSource.choices)

    class Meta:
        ordering = ["scheme", "position"]

    def __str__(self) -> str:
        return self.name


class ManualScore(TimeStamped):
    """A score staff enter where the platform has no data (0–100)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="manual_scores")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "organisation"], name="unique_manual_score")
        ]


class WorkPlan(TimeStamped):
    """A yearly 工作要点 tracked item by item (work plan item 三十三)."""

    year = models.PositiveSmallIntegerField(_("跟踪年度"), unique=True)
    title = models.CharField(_("名称"), max_length=200)
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_example = models.BooleanField(_("示例内容"), default=False)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title


class WorkPlanItem(models.Model):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("序号"))
    label = models.CharField(_("编号"), max_length=10)
    chapter = models.CharField(_("部分"), max_length=100, blank=True)
    title = models.CharField(_("事项"), max_length=200)
    text = models.TextField(_("内容"))
    organisations = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("责任单位"), related_name="+"
    )

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_workplan_item")]

    def __str__(self) -> str:
        return f"（{self.label}）{self.title}"


class ProgressReport(TimeStamped):
    item = models.ForeignKey(WorkPlanItem, on_delete=models.CASCADE, related_name="reports")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("进展"), max_length=20, choices=ProgressStatus.choices)
    text = models.TextField(_("落实情况"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_example = models.BooleanField(_("示例内容"), default=False)

    class Meta:
        ordering = ["item", "organisation", "-created_at", "-id"]
