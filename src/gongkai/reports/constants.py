"""Labels of the national annual-report format (国办公开办函〔2021〕30号), exactly as printed.

The JSON the platform produces and the JSON `report check` extracts use these labels as keys
(requirements-cn §2). Nothing here may be reworded: a renamed row is itself a finding.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- Table 二: 主动公开政府信息情况 (条例 Art. 20 items (一)(五)(六)(八)) ---
ISSUED = "本年制发件数"
REPEALED = "本年废止件数"
IN_FORCE = "现行有效件数"
DECISIONS = "本年处理决定数量"
FEE_AMOUNT = "本年收费金额（单位：万元）"

RULES_ROW = "规章"
NORMATIVE_ROW = "行政规范性文件"
LICENSING_ROW = "行政许可"
PENALTY_ROW = "行政处罚"
ENFORCEMENT_ROW = "行政强制"
FEES_ROW = "行政事业性收费"

# (block heading, [(row label, [column labels])])
TABLE2_BLOCKS: list[tuple[str, list[tuple[str, list[str]]]]] = [
    (
        "第二十条第（一）项",
        [(RULES_ROW, [ISSUED, REPEALED, IN_FORCE]), (NORMATIVE_ROW, [ISSUED, REPEALED, IN_FORCE])],
    ),
    ("第二十条第（五）项", [(LICENSING_ROW, [DECISIONS])]),
    ("第二十条第（六）项", [(PENALTY_ROW, [DECISIONS]), (ENFORCEMENT_ROW, [DECISIONS])]),
    ("第二十条第（八）项", [(FEES_ROW, [FEE_AMOUNT])]),
]
TABLE2_ROWS: dict[str, list[str]] = {row: cols for _h, rows in TABLE2_BLOCKS for row, cols in rows}

# --- Table 三: 收到和处理政府信息公开申请情况 ---
TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
PERSON_COL = "自然人"
ORG_GROUP = "法人或其他组织"
APPLICANT_COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
TOTAL_COL = "总计"
TABLE3_COLUMNS = [*APPLICANT_COLUMNS, TOTAL_COL]

# foi ApplicantKind value -> Table 三 column (contract with the foi app)
APPLICANT_KIND_COLUMN = {
    "person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social_welfare": "社会公益组织",
    "legal_services": "法律服务机构",
    "other_org": "其他",
}

NEW_ROW = "一、本年新收政府信息公开申请数量"
CARRIED_IN_ROW = "二、上年结转政府信息公开申请数量"
RESULTS_HEADING = "三、本年度办理结果"
CARRIED_OUT_ROW = "四、结转下年度继续办理"

DISCLOSED = "（一）予以公开"
PARTIAL = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
WITHHELD = "（三）不予公开"
UNABLE = "（四）无法提供"
NOT_PROCESSED = "（五）不予处理"
OTHER = "（六）其他处理"
RESULTS_TOTAL = "（七）总计"

# Outcome groups with their sub-rows, in printed order (the numbering is part of the label).
OUTCOME_GROUPS: list[tuple[str, list[str]]] = [
    (DISCLOSED, []),
    (PARTIAL, []),
    (
        WITHHELD,
        [
            "1.属于国家秘密",
            "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”",
            "4.保护第三方合法权益",
            "5.属于三类内部事务信息",
            "6.属于四类过程性信息",
            "7.属于行政执法案卷",
            "8.属于行政查询事项",
        ],
    ),
    (UNABLE, ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]),
    (
        NOT_PROCESSED,
        [
            "1.信访举报投诉类申请",
            "2.重复申请",
            "3.要求提供公开出版物",
            "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息",
        ],
    ),
    (
        OTHER,
        [
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "3.其他",
        ],
    ),
]


def _outcome_keys() -> list[str]:
    keys: list[str] = []
    for group, subs in OUTCOME_GROUPS:
        keys += [f"{group}/{sub}" for sub in subs] if subs else [group]
    return keys


# The rows that carry figures and add up to （七）总计.
OUTCOME_ROW_KEYS: list[str] = _outcome_keys()
TABLE3_ROW_KEYS: list[str] = [NEW_ROW, CARRIED_IN_ROW, *OUTCOME_ROW_KEYS, RESULTS_TOTAL, CARRIED_OUT_ROW]
LEGACY_OTHER_KEY = OTHER  # the 2019 format's single 其他处理 row

# --- Table 四: 政府信息公开行政复议、行政诉讼情况 ---
RECONSIDERATION = "行政复议"
LITIGATION = "行政诉讼"
LIT_DIRECT_SUB = "未经复议直接起诉"
LIT_AFTER_SUB = "复议后起诉"
LIT_DIRECT = f"{LITIGATION}/{LIT_DIRECT_SUB}"
LIT_AFTER = f"{LITIGATION}/{LIT_AFTER_SUB}"
TABLE4_GROUPS = [RECONSIDERATION, LIT_DIRECT, LIT_AFTER]
TABLE4_RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结"]
TABLE4_COLUMNS = [*TABLE4_RESULTS, TOTAL_COL]

# foi FOIAppeal.kind / .result -> Table 四 group / column (contract with the foi app)
APPEAL_KIND_GROUP = {
    "reconsideration": RECONSIDERATION,
    "litigation_direct": LIT_DIRECT,
    "litigation_after_reconsideration": LIT_AFTER,
}
APPEAL_RESULT_COLUMN = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
}

# --- Sections, fixed order (条例 Art. 50; 2021 format §2.1) ---
SECTION_TITLES = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


# --- Consistency rules: the names findings carry ---
class Rule(models.TextChoices):
    CROSS_FOOTING = "table3_cross_footing", "表三勾稽关系：一+二=三（七）总计+四"
    ROW_TOTAL = "table3_row_total", "表三各行总计等于六类申请人之和"
    RESULTS_TOTAL = "table3_results_total", "表三（七）总计等于各办理结果之和"
    TABLE4_TOTAL = "table4_group_total", "表四各组总计等于四项结果之和"
    MISSING_ROW = "missing_row", "缺少国家格式规定的行"
    RENAMED_ROW = "renamed_row", "行名称与国家格式不一致"
    LEGACY_OTHER_ROW = "legacy_2019_other_row", "（六）其他处理未按2021年格式分为三项"
    LEGACY_FORMAT = "legacy_2019_format", "使用了2019年格式的栏目"
    TEXT_MISMATCH = "text_table_mismatch", "正文数字与表格不一致"
    CARRY_OVER = "year_over_year_carry_over", "上年结转与上一年度结转下年度不一致"
    UNREADABLE = "unreadable", "无法从文件中读出表格"
    NEGATIVE = "negative_value", "数值不能为负数"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class ReportSource(models.TextChoices):
    GENERATED = "generated", _("由平台数据生成")
    MANUAL = "manual", _("人工录入")


class ReportScope(models.TextChoices):
    OWN = "own", _("本机关")
    AGGREGATE = "aggregate", _("本机关及所属部门、街镇汇总")
