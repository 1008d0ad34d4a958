from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "government", _("区政府")
    GENERAL_OFFICE = "general_office", _("政府办公室")
    DEPARTMENT = "department", _("委办局")
    STREET = "street", _("街道")
    TOWN = "town", _("镇")
    NATIONAL = "national", _("国家或市级机关")
    OTHER = "other", _("其他")


class Role(models.TextChoices):
    """Staff roles; each is a Django group with the model permissions the role needs."""

    EDITOR = "editor", _("编辑")
    REVIEWER = "reviewer", _("审核人")
    FOI_OFFICER = "foi_officer", _("依申请公开经办人")
    APPROVER = "approver", _("审批人")
    ORG_ADMIN = "org_admin", _("单位管理员")
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")


class UserKind(models.TextChoices):
    """Staff work in the back office; people and enterprises use the public site only."""

    STAFF = "staff", _("工作人员")
    PERSON = "person", _("个人")
    ENTERPRISE = "enterprise", _("企业")


PUBLIC_KINDS = (UserKind.PERSON, UserKind.ENTERPRISE)


class EnterpriseSize(models.TextChoices):
    """统计上大中小微型企业划分办法（2017）: the four sizes of the national classification."""

    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")
