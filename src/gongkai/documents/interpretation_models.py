"""政策解读 (work plan item 十七): an item of its own, linked to the documents it interprets.

Under 三同步 an interpretation of a policy not yet published is submitted, reviewed and published
together with that policy (`submitted_with`); one added after the policy is out is a 动态解读 with
its own review and publication date.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin

from gongkai.core.models import TimeStamped

from .constants import INTERPRETATION_SECTIONS, SECTION_FIELDS, DocumentStatus, InterpretationKind
from .workflow import publication_transitions


class InterpretationQuerySet(models.QuerySet["Interpretation"]):
    def published(self) -> InterpretationQuerySet:
        return self.filter(status=DocumentStatus.PUBLISHED)

    def visible_to(self, user: Any) -> InterpretationQuerySet:
        """Published ones for everyone, plus any of the user's own organisation (platform admins: all)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.published()
        if getattr(user, "is_platform_admin", False):
            return self
        return self.filter(
            models.Q(status=DocumentStatus.PUBLISHED) | models.Q(organisation_id=user.organisation_id or -1)
        )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _section(label: Any) -> models.TextField:
    return models.TextField(label, blank=True)


class Interpretation(FSMModelMixin, TimeStamped):
    documents = models.ManyToManyField(
        "documents.Document", verbose_name=_("所解读的文件"), related_name="interpretations"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("解读发布机构"), on_delete=models.PROTECT,
        related_name="interpretations",
    )  # fmt: skip
    kind = models.CharField(
        _("解读形式"), max_length=30, choices=InterpretationKind.choices, default=InterpretationKind.TEXT
    )
    title = models.CharField(_("标题"), max_length=300)
    summary = models.TextField(_("导语"), blank=True)
    body = models.TextField(_("正文"), blank=True, help_text=_("问答形式可按“问：……”“答：……”逐行填写。"))
    core_concepts = _section(_("核心概念"))
    keywords = _section(_("关键词"))
    scope = _section(_("适用范围"))
    service_guide = _section(_("办事指南"))
    procedure = _section(_("操作方法"))
    criteria = _section(_("执行口径"))
    benefits = _section(_("惠民利企举措"))
    changes = _section(_("新旧政策差异"))
    author = models.CharField(_("解读人或来源"), max_length=120, blank=True)
    media_url = models.URLField(_("视频、图解或课件地址"), max_length=500, blank=True)
    is_example = models.BooleanField(
        _("示例"),
        default=False,
        help_text=_("演示用的示例解读，并非任何机关发布的官方解读；页面上标注“示例”。"),
    )
    is_follow_up = models.BooleanField(_("动态解读"), default=False)
    submitted_with = models.ForeignKey(
        "documents.Document", verbose_name=_("随文件同步提交"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="bundled_interpretations",
    )  # fmt: skip
    status = FSMField(_("状态"), default=DocumentStatus.DRAFT, choices=DocumentStatus.choices, protected=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_date = models.DateField(_("发布日期"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content_hash = models.CharField(max_length=64, blank=True)

    objects = InterpretationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_date", "-id"]
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:interpretation-detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status == DocumentStatus.PUBLISHED

    def sections(self) -> list[tuple[str, str, str]]:
        """(field, heading, text) of every non-empty section, in the work plan's order."""
        return [
            (name, str(label), getattr(self, name).strip())
            for name, label in INTERPRETATION_SECTIONS
            if getattr(self, name).strip()
        ]

    def section_paragraphs(self) -> list[tuple[str, str, list[str]]]:
        """(field, heading, paragraphs) of every non-empty section: one paragraph per line."""
        return [(name, heading, _lines(text)) for name, heading, text in self.sections()]

    def body_paragraphs(self) -> list[str]:
        return _lines(self.body)

    def texts(self) -> list[tuple[str, str]]:
        """Every public text as (source, text): what the disclosure review scans and search indexes."""
        parts = [("title", self.title), ("summary", self.summary), ("body", self.body)]
        parts += [(name, getattr(self, name)) for name in SECTION_FIELDS]
        return [(source, text) for source, text in parts if text]

    # The workflow (documents.workflow); the services wrap each transition (rule 1).
    submit, reject, publish, withdraw, reopen = publication_transitions(status)
