"""The one tag model every app shares: demand-side policy tags in dimensions (work plan item 十二).

Documents, interpretations, topics, profiles and subscriptions all point at `Tag`; a tag is never
deleted while something points at it (merge it into another instead).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.i18n import localized_name

from .constants import Dimension


class TagQuerySet(models.QuerySet["Tag"]):
    def active(self) -> TagQuerySet:
        return self.filter(is_active=True, merged_into__isnull=True)


class Tag(models.Model):
    code = models.SlugField(_("代码"), max_length=64, unique=True, allow_unicode=False)
    name = models.CharField(_("名称"), max_length=60)
    # the name on the English pages; empty falls back to the Chinese name
    name_en = models.CharField(_("英文名称"), max_length=120, blank=True)
    dimension = models.CharField(_("维度"), max_length=20, choices=Dimension.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级标签"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    keywords = models.JSONField(
        _("触发词"), default=list, blank=True, help_text=_("正文出现这些词时建议此标签。")
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("已合并到"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["dimension", "sort_order", "code"]
        verbose_name = _("政策标签")
        verbose_name_plural = _("政策标签")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "parent", "name"], name="taxonomy_tag_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}·{self.display_name}"

    @property
    def display_name(self) -> str:
        """The name in the active language: English on the English pages when it has one."""
        return localized_name(self.name, self.name_en)
