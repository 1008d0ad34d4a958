from django.db import models
from django.utils.translation import gettext_lazy as _


class FindingKind(models.TextChoices):
    ID_CARD = "id_card", _("身份证号")
    MOBILE = "mobile", _("手机号码")
    LANDLINE = "landline", _("固定电话")
    BANK_CARD = "bank_card", _("银行卡号")
    EMAIL = "email", _("电子邮箱")
    USCC = "uscc", _("统一社会信用代码（企业标识）")
    PASSPORT = "passport", _("护照或通行证号")
    PLATE = "plate", _("机动车号牌")
    ADDRESS = "address", _("详细住址")
    NAME = "name", _("个人姓名")
    SECRECY = "secrecy", _("密级或不公开标志")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("待审查")
    APPROVED = "approved", _("同意公开")
    APPROVED_MASKED = "approved_masked", _("遮蔽后公开")
    REFUSED = "refused", _("不予公开")
    CANCELLED = "cancelled", _("已撤销")


class Decision(models.TextChoices):
    APPROVE = "approve", _("同意公开")
    APPROVE_MASKED = "approve_masked", _("遮蔽后公开")
    REFUSE = "refuse", _("不予公开")


class RereviewStatus(models.TextChoices):
    ACTIVE = "active", _("继续不予公开")
    RELEASED = "released", _("情形变化，可以公开")
