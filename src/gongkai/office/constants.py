"""Choices and fixed figures of the openness office's tools."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# 政务公开标准目录: the columns of the national standard (国办发〔2019〕54号 附件, 26 个试点领域).
CATALOGUE_COLUMNS: list[tuple[str, str]] = [
    ("matter", "公开事项"),
    ("content", "公开内容（要素）"),
    ("basis", "公开依据"),
    ("time_limit", "公开时限"),
    ("subject", "公开主体"),
    ("channels", "公开渠道和载体"),
    ("audience", "公开对象"),
    ("mode", "公开方式"),
    ("level", "公开层级"),
]
# Our own columns after the national ones: how an item is matched to publications.
LINK_COLUMNS: list[tuple[str, str]] = [
    ("time_limit_days", "时限（工作日）"),
    ("cycle_days", "更新周期（日）"),
    ("organisations", "责任单位代码"),
    ("themes", "主题分类代码"),
    ("tags", "标签代码"),
    ("doc_types", "文种"),
    ("normative_only", "仅规范性文件"),
    ("topic", "专题代码"),
]

# 条例 Art. 26: 属于主动公开范围的政府信息，应当自该政府信息形成或者变更之日起20个工作日内及时公开。
DEFAULT_TIME_LIMIT_DAYS = 20
AMBER_WORKING_DAYS = 5  # due within five working days: amber


class Light(models.TextChoices):
    GREEN = "green", _("正常")
    AMBER = "amber", _("预警")
    RED = "red", _("超期或缺失")


class Outcome(models.TextChoices):
    """清理评估 outcomes (《上海市行政规范性文件管理规定》: 有效期届满前评估)."""

    CONTINUE = "continue", _("继续有效")
    AMEND = "amend", _("修改")
    REPEAL = "repeal", _("废止")
    EXTEND = "extend", _("延期")


# Shanghai (《上海市行政规范性文件管理规定》): 有效期一般不超过5年，文件另有规定的除外.
DEFAULT_VALIDITY_YEARS = 5
WARNING_MONTHS = (6, 2, 1)


class GazetteStatus(models.TextChoices):
    DRAFT = "draft", _("编辑中")
    PUBLISHED = "published", _("已出版")


class BudgetKind(models.TextChoices):
    BUDGET = "budget", _("部门预算")
    FINAL = "final", _("部门决算")
    PROJECT = "project", _("项目预决算")
    PERFORMANCE = "performance", _("专项资金绩效")
    DEBT = "debt", _("政府债务限额和余额")
    DIRECT = "direct", _("财政资金直达基层")


# 工作要点 item 十: 预算金额1000万以上的项目全部实行项目预决算信息公开（涉密信息除外）.
PROJECT_THRESHOLD_YUAN = 10_000_000


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")


class IndicatorSource(models.TextChoices):
    MANUAL = "manual", _("人工评分")
    CATALOGUE = "catalogue", _("按标准目录及时公开率")
    FOI_ON_TIME = "foi_on_time", _("依申请公开按期答复率")
    INTERPRETATION = "interpretation", _("政策解读率")
    SITE = "site", _("网站自查得分")
    MESSAGES = "messages", _("留言按期答复率")


# Who is ranked in the assessment and checked for budget disclosure: the district's own bodies.
DISTRICT_ORGANISATION_KINDS = ("general_office", "department", "street", "town")
