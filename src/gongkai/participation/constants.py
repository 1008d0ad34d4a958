"""Choices and statutory figures of 公众参与 (《重大行政决策程序暂行条例》, 国务院令第713号, and the work plan)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# 国务院令第713号 Art. 15: 公开征求意见的期限一般不少于30日 (calendar days); shorter only with a published reason.
MIN_COMMENT_DAYS = 30
# Work plan 二十二: the adoption of opinions is published within 10 working days of the decision's publication.
ADOPTION_REPORT_WORKING_DAYS = 10
# Staff see an adoption report as due soon when this many working days or fewer are left (as FOI does).
DUE_SOON_WORKING_DAYS = 3
# Work plan 二十二: the year's 重大行政决策事项目录 is published by 31 March; staff are warned from 1 March.
CATALOGUE_DEADLINE = (3, 31)
CATALOGUE_WARNING_FROM = (3, 1)
# Work plan 二十一: public representatives attend the district government's meetings at least 4 times a year.
MIN_ATTENDANCES_PER_YEAR = 4
# A comment, a proposal or a free-text answer: long enough for a real opinion, short enough to read.
MAX_COMMENT_CHARS = 5000
MAX_ANSWER_CHARS = 2000


class CatalogueStatus(models.TextChoices):
    DRAFT = "draft", _("未公布")
    PUBLISHED = "published", _("已公布")


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    DECIDED = "decided", _("已作出决策")
    REMOVED = "removed", _("已调出目录")


class ChangeKind(models.TextChoices):
    ADDED = "added", _("增加事项")
    CHANGED = "changed", _("调整事项")
    REMOVED = "removed", _("调出目录")


class StepKind(models.TextChoices):
    """The five statutory steps of 国务院令第713号 Chapters 2–3, in their order."""

    PUBLIC_PARTICIPATION = "public_participation", _("公众参与")
    EXPERT_REVIEW = "expert_review", _("专家论证")
    RISK_ASSESSMENT = "risk_assessment", _("风险评估")
    LEGALITY_REVIEW = "legality_review", _("合法性审查")
    COLLECTIVE_DECISION = "collective_decision", _("集体讨论决定")


STEP_ARTICLES = {
    StepKind.PUBLIC_PARTICIPATION: "第十四条至第十八条",
    StepKind.EXPERT_REVIEW: "第十九条至第二十一条",
    StepKind.RISK_ASSESSMENT: "第二十二条至第二十四条",
    StepKind.LEGALITY_REVIEW: "第二十五条至第二十八条",
    StepKind.COLLECTIVE_DECISION: "第二十九条至第三十一条",
}
# Art. 25: no draft goes to the meeting without the legality review, and it cannot be replaced by asking for
# opinions; Art. 30: the draft is discussed at the 常务会议 or 全体会议. Neither step can be left out.
MANDATORY_STEPS = frozenset({StepKind.LEGALITY_REVIEW, StepKind.COLLECTIVE_DECISION})


class StepStatus(models.TextChoices):
    PENDING = "pending", _("待履行")
    DONE = "done", _("已履行")
    OMITTED = "omitted", _("不适用")


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("未发布")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Phase(models.TextChoices):
    """Where a published consultation stands by its dates."""

    UPCOMING = "upcoming", _("即将开始")
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已结束")


class CommentSource(models.TextChoices):
    PUBLIC = "public", _("网上公开征集")
    INVITED = "invited", _("定向征求（企业、行业协会商会）")
    OFFLINE = "offline", _("座谈会、信函等其他途径")


class ModerationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("已公开")
    REJECTED = "rejected", _("不予公开")


class Adoption(models.TextChoices):
    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")


class PartyKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    ASSOCIATION = "association", _("行业协会商会")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("未公布")
    PUBLISHED = "published", _("已公布")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    SCALE = "scale", _("量表")
    TEXT = "text", _("文字")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("未发布")
    PUBLISHED = "published", _("已发布")


class SolicitationKind(models.TextChoices):
    PROJECT = "project", _("实事项目征集")
    ACTIVITY_THEME = "activity_theme", _("开放活动主题征集")
    POLICY_NEED = "policy_need", _("政策需求征集")


class EventKind(models.TextChoices):
    OPEN_DAY = "open_day", _("政府开放活动")
    BRIEFING = "briefing", _("政策沟通会")
    PRESS = "press", _("新闻发布会")
    LECTURE = "lecture", _("政策公开讲")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已确认")
    WAITLISTED = "waitlisted", _("候补")
    CANCELLED = "cancelled", _("已取消")


class RepresentativeKind(models.TextChoices):
    CITIZEN = "citizen", _("市民代表")
    ENTERPRISE = "enterprise", _("企业代表")
    EXPERT = "expert", _("专家学者")
    DEPUTY = "deputy", _("人大代表、政协委员")
    MEDIA = "media", _("媒体代表")
    OTHER = "other", _("其他")
