from django.db import models
from django.utils.translation import gettext_lazy as _


class ProfileKind(models.TextChoices):
    PERSON = "person", _("个人")
    ENTERPRISE = "enterprise", _("企业")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("即时")
    DAILY = "daily", _("每日摘要")
    WEEKLY = "weekly", _("每周摘要")


FREQUENCY_ORDER = (Frequency.IMMEDIATE, Frequency.DAILY, Frequency.WEEKLY)


class Channel(models.TextChoices):
    INBOX = "inbox", _("我的政策")
    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("网页推送接口")
    SMS = "sms", _("短信")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    OPENED = "opened", _("已打开")


class SubscriptionKind(models.TextChoices):
    ORGANISATION = "organisation", _("发布机构")
    THEME = "theme", _("主题分类")
    TAG = "tag", _("政策标签")
    TOPIC = "topic", _("政策专题")
    SEARCH = "search", _("保存的检索")
    DOCUMENT = "document", _("关注文件")


class RelayKind(models.TextChoices):
    ASSOCIATION = "association", _("行业协会")
    PARK = "park", _("产业园区")
    BUILDING = "building", _("楼宇")
    CHAMBER = "chamber", _("商会")


# What a delivery is about: the publication itself, or a later event of a followed document.
OCCASION_PUBLISHED = "published"

# Enterprise size (统计上大中小微型企业划分办法) -> the 对象 tag it implies.
SIZE_TAGS = {"large": "large", "medium": "medium", "small": "small-micro", "micro": "small-micro"}

WEBHOOK_MAX_ATTEMPTS = 6
WEBHOOK_BASE_DELAY_SECONDS = 30  # then 60, 120, 240… (exponential backoff)
WEBHOOK_TIMEOUT_SECONDS = 10
