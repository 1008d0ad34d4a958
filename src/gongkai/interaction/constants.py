"""Choices of 政民互动: channels, categories, message states, moderation outcomes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_REPLY_DAYS = 5  # working days (work plan 十九: answer in time; configurable per organisation)
DUE_SOON_DAYS = 2  # working days left when a message turns "due soon"
MAX_QUESTION_CHARS = 2000
MAX_NAME_CHARS = 50
MAX_REPLY_CHARS = 5000


class Channel(models.TextChoices):
    """Where a message came in (issue 15: the policy board; issue 16: the mailboxes and work orders)."""

    BOARD = "board", _("政策留言板")
    CONSULTATION = "consultation", _("网上咨询")
    LEADER_MAILBOX = "leader_mailbox", _("领导信箱")
    OPINION_MAILBOX = "opinion_mailbox", _("人民意见征集信箱")
    HOTLINE_12345 = "hotline_12345", _("12345市民服务热线")
    GOV_CN = "gov_cn", _("中国政府网转办留言")


class Category(models.TextChoices):
    CONSULT = "consult", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SUGGESTION = "suggestion", _("建议")
    PRAISE = "praise", _("表扬")


# Reply limits in working days by category for the mailboxes and work orders (issue 16), unless
# settings.INTERACTION_CATEGORY_DAYS overrides them per channel. No national rule fixes these figures:
# they are the platform's defaults (README), inside the national inspection's single-veto rule that no
# message stays unanswered for more than three months (政府网站与政务新媒体检查指标, 单项否决).
DEFAULT_CATEGORY_DAYS = {
    "consult": 5,
    "help": 5,
    "complaint": 10,
    "report": 15,
    "suggestion": 15,
    "praise": 5,
}
UNANSWERED_ALARM_DAYS = 90  # calendar days: a message older than this without an answer fails the site


class MessageStatus(models.TextChoices):
    RECEIVED = "received", _("待处理")
    ASSIGNED = "assigned", _("办理中")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")
    REJECTED = "rejected", _("不予受理")
    TRANSFERRED = "transferred", _("已转信箱")


class Moderation(models.TextChoices):
    SPAM = "spam", _("垃圾信息")
    ABUSE = "abuse", _("辱骂或攻击性内容")
    OFF_TOPIC = "off_topic", _("与本政策无关")
    TRANSFER = "transfer", _("属投诉举报，转领导信箱办理")


class ReplyReview(models.TextChoices):
    PENDING = "pending", _("待审查")
    APPROVED = "approved", _("审查通过")
    REFUSED = "refused", _("退回修改")


class KnowledgeStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    NEEDS_REVIEW = "needs_review", _("依据已废止或修改，待复核")
    RETIRED = "retired", _("已停用")
