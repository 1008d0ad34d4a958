"""Organisations (a tree of 发文机关/部门/街镇) and the staff users who belong to them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import TimeStamped

from .constants import EnterpriseSize, OrganisationKind, Role, UserKind


class Organisation(TimeStamped):
    code = models.SlugField(
        _("代码"), max_length=40, unique=True, help_text=_("用于网址和命令行的英文代码。")
    )
    name = models.CharField(_("名称"), max_length=120, unique=True)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    organ_code = models.CharField(
        _("机关代字"), max_length=30, blank=True, db_index=True, help_text=_("机关代字，如“静府办”")
    )
    extra_organ_codes = models.CharField(
        _("其他机关代字"), max_length=200, blank=True, help_text=_("其他机关代字，用逗号分隔。")
    )
    kind = models.CharField(
        _("类型"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.DEPARTMENT
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    index_prefix = models.CharField(
        _("索引号前缀"), max_length=30, blank=True, help_text=_("索引号前缀，默认为机构代码。")
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    # 条例 Art. 27: an applicant applies to the organ that holds the information; only organisations
    # that handle applications on this platform are offered on the public form (not the national
    # bodies named in documents).
    accepts_requests = models.BooleanField(
        _("受理依申请公开"),
        default=False,
        help_text=_("在本平台受理政府信息公开申请的机构，才出现在申请表的受理机关列表中。"),
    )

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")

    def __str__(self) -> str:
        return self.name

    def organ_codes(self) -> list[str]:
        codes = [self.organ_code] if self.organ_code else []
        codes += [c.strip() for c in self.extra_organ_codes.replace("，", ",").split(",") if c.strip()]
        return codes

    def descendant_ids(self) -> set[int]:
        """Ids of this organisation and every organisation below it."""
        ids = {self.pk}
        frontier = [self.pk]
        while frontier:
            frontier = list(Organisation.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids.update(frontier)
        return ids


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    display_name = models.CharField(_("姓名"), max_length=60, blank=True)
    kind = models.CharField(_("账号类型"), max_length=12, choices=UserKind.choices, default=UserKind.STAFF)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_public(self) -> bool:
        """A citizen's or an enterprise's account: never staff, never any role."""
        return self.kind != UserKind.STAFF

    def has_role(self, role: Role | str) -> bool:
        if not self.is_active or self.kind != UserKind.STAFF:
            return False
        if self.is_superuser:
            return True
        names = getattr(self, "_role_cache", None)
        if names is None:
            names = set(self.groups.values_list("name", flat=True))
            self._role_cache = names
        return str(role) in names or Role.PLATFORM_ADMIN.value in names

    @property
    def is_platform_admin(self) -> bool:
        return self.is_superuser or self.has_role(Role.PLATFORM_ADMIN)


class PublicAccount(TimeStamped):
    """What a citizen or an enterprise tells about itself (个人信息保护法 Arts. 13–15: consent,
    withdrawal; Art. 47: deleting the account deletes this row with it)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="public_account")
    email_verified_at = models.DateTimeField(_("邮箱验证时间"), null=True, blank=True)
    # Enterprise attributes (企业专属网页)
    enterprise_name = models.CharField(_("企业名称"), max_length=120, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    industry_code = models.CharField(_("行业（GB/T 4754）"), max_length=8, blank=True)
    size = models.CharField(_("企业规模"), max_length=10, choices=EnterpriseSize.choices, blank=True)
    street = models.CharField(_("所在街镇"), max_length=60, blank=True)
    park = models.CharField(_("所在园区"), max_length=120, blank=True)
    associations = models.CharField(_("所属协会商会"), max_length=300, blank=True)
    # Consent to the profile being used for push (个人信息保护法 Art. 14), and its withdrawal (Art. 15)
    consent_at = models.DateTimeField(_("同意时间"), null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("撤回同意时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公众账号资料")
        verbose_name_plural = _("公众账号资料")

    def __str__(self) -> str:
        return self.enterprise_name or str(self.user)

    @property
    def has_consent(self) -> bool:
        return self.consent_at is not None and self.consent_withdrawn_at is None
