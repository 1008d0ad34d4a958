from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class DocType(models.TextChoices):
    """文种: the 15 types of 《党政机关公文处理工作条例》 Art. 8, then normative-document titles.

    Labels are the statutory Chinese terms; the English pages show their English names.
    """

    RESOLUTION = "resolution", _("决议")
    DECISION = "decision", _("决定")
    ORDER = "order", _("命令（令）")
    COMMUNIQUE = "communique", _("公报")
    ANNOUNCEMENT = "announcement", _("公告")
    PUBLIC_NOTICE = "public_notice", _("通告")
    OPINION = "opinion", _("意见")
    NOTICE = "notice", _("通知")
    BULLETIN = "bulletin", _("通报")
    REPORT = "report", _("报告")
    REQUEST = "request", _("请示")
    REPLY = "reply", _("批复")
    MOTION = "motion", _("议案")
    LETTER = "letter", _("函")
    MINUTES = "minutes", _("纪要")
    MEASURES = "measures", _("办法")
    PROVISIONS = "provisions", _("规定")
    DETAILED_RULES = "detailed_rules", _("细则")
    RULES = "rules", _("规则")
    IMPLEMENTING_OPINIONS = "implementing_opinions", _("实施意见")
    REGULATIONS = "regulations", _("条例")
    PLAN = "plan", _("方案")
    PROGRAMME = "programme", _("规划")
    KEY_POINTS = "key_points", _("要点")
    GUIDELINES = "guidelines", _("指引")
    OTHER = "other", _("其他")


# The 15 statutory types (条例 Art. 8); the rest are titles of normative documents and plans.
STATUTORY_DOC_TYPES = frozenset(list(DocType)[:15])


# 文种 that make a document a policy (with 规范性文件): tagged by the tag catalogue before review
# (work plan item 十二) and interpreted under 三同步 (item 十七).
POLICY_DOC_TYPES = frozenset(
    {
        DocType.DECISION, DocType.OPINION, DocType.MEASURES, DocType.PROVISIONS, DocType.DETAILED_RULES,
        DocType.RULES, DocType.IMPLEMENTING_OPINIONS, DocType.REGULATIONS, DocType.PLAN, DocType.GUIDELINES,
    }
)  # fmt: skip


class Validity(models.TextChoices):
    VALID = "valid", _("有效")
    NOT_YET_EFFECTIVE = "not_yet_effective", _("尚未生效")
    AMENDED = "amended", _("已修改")
    REPEALED = "repealed", _("已废止")
    EXPIRED = "expired", _("已失效")


class DisclosureMode(models.TextChoices):
    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    WITHHELD = "withheld", _("不予公开")


class WithheldReason(models.TextChoices):
    """Reason categories for 不予公开, 条例 Arts. 14–16 (requirements-cn §1.2)."""

    STATE_SECRET = "state_secret", "属于国家秘密（第十四条）"
    PROHIBITED_BY_LAW = "prohibited_by_law", "其他法律行政法规禁止公开（第十四条）"
    ENDANGERS_SECURITY = "endangers_security", "危及“三安全一稳定”（第十四条）"
    THIRD_PARTY = "third_party", "保护第三方合法权益（第十五条）"
    INTERNAL_AFFAIRS = "internal_affairs", "属于三类内部事务信息（第十六条第一款）"
    PROCESS_INFO = "process_info", "属于四类过程性信息（第十六条第二款）"
    ENFORCEMENT_FILE = "enforcement_file", "属于行政执法案卷（第十六条第二款）"


class RelationType(models.TextChoices):
    AMENDS = "amends", _("修改")
    REPEALS = "repeals", _("废止")
    BASED_ON = "based_on", _("依据")
    ISSUES = "issues", _("印发")
    FORWARDS = "forwards", _("转发")
    INTERPRETS = "interprets", _("解读")


# The label shown on the *target* of a relation ("this document was ... by").
RELATION_INVERSE_LABELS = {
    RelationType.AMENDS: _("被修改"),
    RelationType.REPEALS: _("被废止"),
    RelationType.BASED_ON: _("被依据"),
    RelationType.ISSUES: _("印发文件"),
    RelationType.FORWARDS: _("被转发"),
    RelationType.INTERPRETS: _("政策解读"),
}


class InterpretationKind(models.TextChoices):
    """Forms of 政策解读 (work plan items 十七–十八)."""

    TEXT = "text", _("文字解读")
    GRAPHIC = "graphic", _("图解")
    VIDEO = "video", _("视频")
    QA = "qa", _("问答")
    PRESS_CONFERENCE = "press_conference", _("新闻发布会")
    LECTURE = "lecture", _("政策公开讲（辅导课件）")
    EXPERT = "expert", _("专家解读")
    MEDIA = "media", _("媒体解读")


# The substantive content a 解读 should cover, in the work plan's order (item 十七); empty ones are
# not shown. Field name on `Interpretation` → heading.
INTERPRETATION_SECTIONS = (
    ("core_concepts", _("核心概念")),
    ("keywords", _("关键词")),
    ("scope", _("适用范围")),
    ("service_guide", _("办事指南")),
    ("procedure", _("操作方法")),
    ("criteria", _("执行口径")),
    ("benefits", _("惠民利企举措")),
    ("changes", _("新旧政策差异")),
)
SECTION_FIELDS = tuple(name for name, _label in INTERPRETATION_SECTIONS)
