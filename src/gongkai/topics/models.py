"""集成式发布 (work plan item 十五): topic pages combining policies, references of other levels,
interpretations, service items (阅办联动, item 十九) and progress records (items 三, 六, 八, 十)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import TimeStamped

from .constants import Level


class Topic(TimeStamped):
    code = models.SlugField(_("代码"), max_length=60, unique=True)
    title = models.CharField(_("专题名称"), max_length=100)
    summary = models.TextField(_("简介"), blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("维护单位"), on_delete=models.PROTECT, related_name="topics"
    )
    # Rules: a published, proactively disclosed document belongs to the topic when it has any of the
    # tags (or a tag below one), or comes from one of the organisations, or matches the saved search.
    rule_tags = models.ManyToManyField(
        "taxonomy.Tag", verbose_name=_("按标签归集"), blank=True, related_name="+"
    )
    rule_organisations = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("按发文机关归集"), blank=True, related_name="+"
    )
    rule_query = models.CharField(_("按检索式归集"), max_length=200, blank=True)
    pinned = models.ManyToManyField(
        "documents.Document", verbose_name=_("置顶文件"), blank=True, related_name="pinned_in_topics"
    )
    workplan_items = models.JSONField(
        _("对应工作要点条目"), default=list, blank=True, help_text=_('如 [{"number": "十五", "title": "…"}]')
    )
    is_published = models.BooleanField(_("已发布"), default=False)
    is_example = models.BooleanField(_("示例内容"), default=False, help_text=_("演示数据，页面标注“示例”。"))
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("专题")
        verbose_name_plural = _("专题")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("topics:detail", args=[self.code])


class ExternalReference(TimeStamped):
    """A document of another level (国家/市) shown on a topic page; its body stays at the source."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="references")
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices, default=Level.NATIONAL)
    title = models.CharField(_("标题"), max_length=300)
    doc_number = models.CharField(_("发文字号"), max_length=80, blank=True)
    issuer = models.CharField(_("发文机关"), max_length=100, blank=True)
    date = models.DateField(_("发布日期"), null=True, blank=True)
    url = models.URLField(_("原文链接"), max_length=500)

    class Meta:
        ordering = ["level", "-date", "id"]
        verbose_name = _("上级文件引用")
        verbose_name_plural = _("上级文件引用")

    def __str__(self) -> str:
        return self.title


class ServiceItem(TimeStamped):
    """An 一网通办 item a policy leads to (阅办联动: 办 mark on the policy, work plan item 十九)."""

    name = models.CharField(_("事项名称"), max_length=200)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("实施单位"),
        on_delete=models.PROTECT,
        related_name="service_items",
    )
    audience = models.CharField(_("办理对象"), max_length=200, blank=True)
    channel = models.CharField(_("办理渠道"), max_length=200, blank=True)
    url = models.URLField(_("办事页面"), max_length=500)
    documents = models.ManyToManyField(
        "documents.Document", verbose_name=_("依据文件"), blank=True, related_name="service_items"
    )
    basis_articles = models.CharField(_("依据条款"), max_length=200, blank=True)
    materials = models.TextField(_("申请材料"), blank=True)
    time_limit = models.CharField(_("办理时限"), max_length=100, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=60, blank=True)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("所属专题"), blank=True, related_name="service_items"
    )
    is_example = models.BooleanField(_("示例内容"), default=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("办事事项")
        verbose_name_plural = _("办事事项")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("topics:service", args=[self.pk])


class ProgressRecord(TimeStamped):
    """A project whose progress is disclosed (美丽街区, 养老床位, 旧改, 架空线入地…)."""

    title = models.CharField(_("项目名称"), max_length=200)
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="projects"
    )
    target = models.TextField(_("目标"), blank=True)
    milestones = models.JSONField(
        _("节点"), default=list, blank=True, help_text=_('如 [{"date": "2023-06-30", "title": "…"}]')
    )
    percent_complete = models.PositiveSmallIntegerField(_("完成进度（%）"), default=0)
    budget_amount = models.DecimalField(
        _("预算金额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    final_amount = models.DecimalField(
        _("决算金额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_disclosure_url = models.URLField(_("预决算公开链接"), max_length=500, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("所属专题"), blank=True, related_name="projects")
    is_published = models.BooleanField(_("已发布"), default=False)
    is_example = models.BooleanField(_("示例内容"), default=False)

    class Meta:
        ordering = ["-updated_at", "id"]
        verbose_name = _("项目进展")
        verbose_name_plural = _("项目进展")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("topics:project", args=[self.pk])


class ProgressUpdate(TimeStamped):
    record = models.ForeignKey(ProgressRecord, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("日期"))
    text = models.TextField(_("进展情况"))
    percent_complete = models.PositiveSmallIntegerField(_("完成进度（%）"), null=True, blank=True)
    photo = models.ImageField(_("照片"), upload_to="progress/%Y/", blank=True)
    photo_caption = models.CharField(_("照片说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("进展更新")
        verbose_name_plural = _("进展更新")
