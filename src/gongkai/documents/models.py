"""The 公文库: documents with every element the official libraries show, their files and relations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin

from gongkai.core.i18n import localized_name
from gongkai.core.models import TimeStamped
from gongkai.taxonomy.constants import Dimension

from .constants import (
    DisclosureMode,
    DocType,
    DocumentStatus,
    RelationType,
    Validity,
    WithheldReason,
)
from .workflow import publication_transitions


class Theme(models.Model):
    """主题分类: two levels, seeded with the State Council policy library's national taxonomy."""

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    # the name on the English pages; empty falls back to the Chinese name
    name_en = models.CharField(_("英文名称"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")

    def __str__(self) -> str:
        return f"{self.parent.display_name}/{self.display_name}" if self.parent_id else self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language: English on the English pages when it has one."""
        return localized_name(self.name, self.name_en)


class DocumentQuerySet(models.QuerySet["Document"]):
    def published(self) -> DocumentQuerySet:
        """What the public may see: published and proactively disclosed."""
        return self.filter(status=DocumentStatus.PUBLISHED, disclosure_mode=DisclosureMode.PROACTIVE)

    def visible_to(self, user: Any) -> DocumentQuerySet:
        """Published items for everyone, plus non-public items of the user's own organisation."""
        if user is None or not user.is_authenticated:
            return self.published()
        if getattr(user, "is_platform_admin", False):
            return self
        if user.organisation_id is None:
            return self.published()
        return self.filter(
            Q(status=DocumentStatus.PUBLISHED, disclosure_mode=DisclosureMode.PROACTIVE)
            | Q(organisation_id=user.organisation_id)
        )

    def of_organisation(self, user: Any) -> DocumentQuerySet:
        if getattr(user, "is_platform_admin", False):
            return self
        return self.filter(organisation_id=getattr(user, "organisation_id", None) or -1)


class Document(FSMModelMixin, TimeStamped):
    index_number = models.CharField(_("索引号"), max_length=60, unique=True, editable=False)
    title = models.CharField(_("标题"), max_length=300)
    doc_number = models.CharField(_("发文字号"), max_length=80, blank=True, db_index=True)
    organ_code = models.CharField(_("机关代字"), max_length=40, blank=True)
    doc_year = models.PositiveIntegerField(_("文号年份"), null=True, blank=True)
    doc_serial = models.PositiveIntegerField(_("文号序号"), null=True, blank=True)
    doc_type = models.CharField(_("文种"), max_length=30, choices=DocType.choices, default=DocType.NOTICE)

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("主办机构"),
        on_delete=models.PROTECT,
        related_name="documents",
        help_text=_("牵头发文机关，由其工作人员管理本文件。"),
    )
    issuers = models.ManyToManyField(
        "accounts.Organisation",
        through="DocumentIssuer",
        related_name="issued_documents",
        verbose_name=_("发文机关"),
    )

    written_date = models.DateField(_("成文日期"), null=True, blank=True)
    published_date = models.DateField(_("发布日期"), null=True, blank=True, db_index=True)
    effective_date = models.DateField(_("施行日期"), null=True, blank=True)
    expiry_date = models.DateField(_("有效期至"), null=True, blank=True)

    theme = models.ForeignKey(
        Theme,
        verbose_name=_("主题分类"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    tags = models.ManyToManyField(
        "taxonomy.Tag", verbose_name=_("政策标签"), blank=True, related_name="documents"
    )

    disclosure_mode = models.CharField(
        _("公开方式"), max_length=20, choices=DisclosureMode.choices, default=DisclosureMode.PROACTIVE
    )
    withheld_reason = models.CharField(
        _("不予公开理由"), max_length=30, choices=WithheldReason.choices, blank=True
    )

    is_normative = models.BooleanField(_("规范性文件"), default=False)
    registration_number = models.CharField(_("登记号"), max_length=80, blank=True)
    # 三同步 (work plan item 十七): empty means the default rule of `needs_interpretation`.
    interpretation_required = models.BooleanField(
        _("需解读"), null=True, blank=True,
        help_text=_("留空按默认规则：规范性文件和标注了“对象”标签的文件需解读。取消须说明理由。"),
    )  # fmt: skip
    interpretation_waiver_reason = models.CharField(_("不需解读的理由"), max_length=300, blank=True)

    body_html = models.TextField(_("正文（富文本）"), blank=True)
    body_text = models.TextField(_("正文（纯文本）"), blank=True)
    summary = models.TextField(_("摘要"), blank=True)

    status = FSMField(_("状态"), default=DocumentStatus.DRAFT, choices=DocumentStatus.choices, protected=True)
    validity = models.CharField(
        _("有效性"), max_length=20, choices=Validity.choices, default=Validity.VALID, editable=False
    )
    validity_override = models.CharField(
        _("人工设定有效性"), max_length=20, choices=Validity.choices, blank=True
    )
    # The day a document staff mark 已废止 / 已失效 by hand stopped being in force: Table 二 counts it in
    # that year's 本年废止件数 and in every earlier year's 现行有效件数 (条例 Art. 20; 2021 format).
    validity_override_date = models.DateField(_("人工设定的废止或失效日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who last changed the text (fields, attachments, relations): with the drafter, the one person
    # who may not approve or publish this version (separation of duties).
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-published_date", "-id"]
        verbose_name = _("公文")
        verbose_name_plural = _("公文")
        indexes = [
            models.Index(fields=["status", "disclosure_mode", "-published_date"]),
            models.Index(fields=["organ_code", "doc_year", "doc_serial"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:document-detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status == DocumentStatus.PUBLISHED and self.disclosure_mode == DisclosureMode.PROACTIVE

    @property
    def needs_interpretation(self) -> bool:
        """需解读: staff's explicit mark, else 规范性文件 or a document with an 对象 tag (三同步)."""
        if self.interpretation_required is not None:
            return self.interpretation_required
        if self.is_normative:
            return True
        return self.pk is not None and self.tags.filter(dimension=Dimension.AUDIENCE).exists()

    def is_author(self, user: Any) -> bool:
        """Whether `user` drafted this document or last changed its text: then they cannot approve it."""
        pk = getattr(user, "pk", None)
        return pk is not None and pk in {self.created_by_id, self.last_edited_by_id}

    def issuer_names(self) -> list[str]:
        return [link.organisation.name for link in self.issuer_links.select_related("organisation").all()]

    # The workflow (documents.workflow); the services wrap each transition (rule 1).
    submit, reject, publish, withdraw, reopen = publication_transitions(status)

    def computed_validity(self, today: dt.date | None = None) -> str:
        """有效性 from staff override, then relations from published documents, then dates."""
        if self.validity_override:
            return self.validity_override
        today = today or dt.date.today()
        # Only a proactively published source changes what the public sees: a 依申请公开 or withheld
        # repeal would mark the document 已废止 with no repealing document anyone can read.
        incoming = set(
            self.incoming_relations.filter(
                source__status=DocumentStatus.PUBLISHED, source__disclosure_mode=DisclosureMode.PROACTIVE
            ).values_list("relation_type", flat=True)
        )
        if RelationType.REPEALS in incoming:
            return Validity.REPEALED
        if self.expiry_date and self.expiry_date < today:
            return Validity.EXPIRED
        if RelationType.AMENDS in incoming:
            return Validity.AMENDED
        if self.effective_date and self.effective_date > today:
            return Validity.NOT_YET_EFFECTIVE
        return Validity.VALID


class DocumentIssuer(models.Model):
    """One issuing organisation of a (possibly joint) document; position 0 is the lead organ."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="issuer_links")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "organisation"], name="unique_document_issuer")
        ]

    def __str__(self) -> str:
        return f"{self.document_id}:{self.organisation_id}"


class IndexSequence(models.Model):
    """Last 索引号 serial per organisation and year; rows are locked while a number is taken."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="unique_index_sequence")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last_serial}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.document.index_number.replace('/', '_')}/{filename}"


class Attachment(TimeStamped):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("标题"), max_length=300)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=400)
    # the name the file was uploaded with, in full (the stored one may be cut to fit the file system);
    # downloads are offered under it. Empty on attachments added before it was kept.
    original_name = models.CharField(_("原文件名"), max_length=500, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    extracted_text = models.TextField(_("提取文本"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:attachment-download", args=[self.document_id, self.pk])


class DocumentRelation(TimeStamped):
    """source --relation_type--> target, e.g. a new rule 废止 an old one, a 解读 interprets a policy.

    The target may be outside the library: then only its title and/or 文号 are recorded.
    """

    source = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="outgoing_relations")
    relation_type = models.CharField(_("关系"), max_length=20, choices=RelationType.choices)
    target = models.ForeignKey(
        Document,
        verbose_name=_("关联文件"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="incoming_relations",
    )
    target_title = models.CharField(_("关联文件标题"), max_length=300, blank=True)
    target_doc_number = models.CharField(_("关联文件文号"), max_length=80, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("关系")
        verbose_name_plural = _("关联关系")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "relation_type", "target"],
                name="unique_relation",
                condition=Q(target__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_relation_type_display()} {self.target or self.target_title}"


from .interpretation_models import Interpretation  # noqa: E402 (registers the model with this app)

__all__ = [
    "Attachment",
    "Document",
    "DocumentIssuer",
    "DocumentRelation",
    "IndexSequence",
    "Interpretation",
    "Theme",
]


class DataVersion(models.Model):
    """One row whose token changes with every write of the rows facet counts read (issue 20).

    Database triggers (SQLite, migration 0007) replace the token on any insert, delete or relevant
    update of documents, their issuers and their tags, queryset updates and raw SQL included, so the
    per-process facet table (`facet_index`) knows when it must be rebuilt. The token is random, so
    a rolled-back write never leaves a token that a later commit could reuse.
    """

    token = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("数据版本")
        verbose_name_plural = _("数据版本")

    def __str__(self) -> str:
        return str(self.token)
