"""Choices for 依申请公开 requests. The codes are a contract with `reports` (annual report, issue 6)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# Statutory periods, in working days (counted on gongkai.core.calendar).
REPLY_PERIOD = 20  # 条例 Art. 33 ¶2: reply within 20 working days of receipt
EXTENSION_MAX = 20  # 条例 Art. 33 ¶2: one extension of at most 20 working days
CORRECTION_NOTICE_PERIOD = 7  # 条例 Art. 30: one-time 补正 notice within 7 working days of receipt
CONSULTATION_PERIOD = 15  # 条例 Arts. 32, 34: third party / co-producer answers within 15 working days
FEE_PAYMENT_PERIOD = (
    20  # 国办函〔2020〕109号: pay within 20 working days from the day after receiving the notice
)
DEFAULT_CORRECTION_PERIOD = 15  # "a reasonable period" (Art. 30), set per notice; this is the default
DUE_SOON_DAYS = 3  # worklist: amber when this many working days or fewer are left
RECONSIDERATION_DAYS = 60  # 行政复议法 Art. 20: 60 days (calendar) from knowing of the decision
LITIGATION_MONTHS = 6  # 行政诉讼法 Art. 46: six months from knowing of the decision


class ApplicantKind(models.TextChoices):
    """The six applicant columns of the annual report's Table 三 (国办公开办函〔2021〕30号)."""

    PERSON = "person", _("自然人")
    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    SOCIAL_WELFARE = "social_welfare", _("社会公益组织")
    LEGAL_SERVICES = "legal_services", _("法律服务机构")
    OTHER_ORG = "other_org", _("其他")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO_PERMIT = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN_PERMIT = "taiwan", _("台湾居民来往大陆通行证")
    FOREIGN_PR = "foreign_pr", _("外国人永久居留身份证")
    OTHER = "other", _("其他有效证件")


class Channel(models.TextChoices):
    """How the application arrived; each has its own receipt date (条例 Art. 31)."""

    IN_PERSON = "in_person", _("当面提交")
    POST_SIGNED = "post_signed", _("邮寄（需签收）")
    ORDINARY_LETTER = "ordinary_letter", _("平常信函")
    ONLINE = "online", _("网络")
    FAX = "fax", _("传真")
    EMAIL = "email", _("电子邮件")


CHANNEL_RECEIPT_RULE = {
    Channel.IN_PERSON: _("当面提交的，以提交之日为收到申请之日。"),
    Channel.POST_SIGNED: _("以邮政等需要签收的方式提交的，以行政机关签收之日为收到申请之日。"),
    Channel.ORDINARY_LETTER: _("以平常信函等无需签收的方式提交的，以与申请人确认之日为收到申请之日。"),
    Channel.ONLINE: _(
        "通过互联网渠道提交的，以双方确认之日为收到申请之日；在法定节假日或休息日提交的，以其后第一个工作日为收到申请之日。"
    ),
    Channel.FAX: _("通过传真提交的，以双方确认之日为收到申请之日。"),
    Channel.EMAIL: _("通过电子邮件提交的，以双方确认之日为收到申请之日。"),
}


class ServiceMethod(models.TextChoices):
    """How a letter of the organ (consultation letter, fee notice) reached its addressee: the day it
    arrived starts the addressee's period (条例 Arts. 32, 34; 国办函〔2020〕109号)."""

    IN_PERSON = "in_person", _("直接送达")
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    FAX = "fax", _("传真")
    ONLINE = "online", _("网上送达")
    OTHER = "other", _("其他方式")


class InfoForm(models.TextChoices):
    """The form wanted (条例 Art. 29 (3), Art. 40)."""

    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子文件")
    INSPECTION = "inspection", _("当场查阅")
    OTHER = "other", _("其他")


class DeliveryMethod(models.TextChoices):
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    IN_PERSON = "in_person", _("当面领取")
    ONLINE = "online", _("网上获取")
    FAX = "fax", _("传真")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("办理中")
    AWAITING_CORRECTION = "awaiting_correction", _("待补正")
    CONSULTING = "consulting", _("征求意见中")
    AWAITING_FEE = "awaiting_fee", _("待缴费")
    REPLIED = "replied", _("已答复")
    DELIVERED = "delivered", _("已送达")
    ARCHIVED = "archived", _("已归档")


OPEN_STATUSES = (
    RequestStatus.RECEIVED,
    RequestStatus.AWAITING_CORRECTION,
    RequestStatus.CONSULTING,
    RequestStatus.AWAITING_FEE,
)


class Outcome(models.TextChoices):
    """Every reply type of 条例 Arts. 30, 35–39; each maps to exactly one Table 三 row (requirements §2.3)."""

    ALREADY_PUBLIC = "already_public", _("予以公开：已主动公开，告知获取方式和途径（第三十六条第一项）")
    DISCLOSED = "disclosed", _("予以公开（第三十六条第二项）")
    PARTIAL = "partial", _("部分公开（第三十七条）")
    WITHHELD_STATE_SECRET = "withheld_state_secret", _("不予公开：属于国家秘密（第十四条）")
    WITHHELD_LAW_PROHIBITED = "withheld_law_prohibited", _("不予公开：其他法律行政法规禁止公开（第十四条）")
    WITHHELD_SECURITY = "withheld_security", _("不予公开：危及“三安全一稳定”（第十四条）")
    WITHHELD_THIRD_PARTY = "withheld_third_party", _("不予公开：保护第三方合法权益（第十五条）")
    WITHHELD_INTERNAL = "withheld_internal", _("不予公开：属于三类内部事务信息（第十六条第一款）")
    WITHHELD_PROCESS = "withheld_process", _("不予公开：属于四类过程性信息（第十六条第二款）")
    WITHHELD_ENFORCEMENT = "withheld_enforcement", _("不予公开：属于行政执法案卷（第十六条第二款）")
    WITHHELD_ADMIN_INQUIRY = "withheld_admin_inquiry", _("不予公开：属于行政查询事项（第三十六条第七项）")
    NOT_EXIST = "not_exist", _("无法提供：政府信息不存在（第三十六条第四项）")
    NOT_THIS_ORGAN = "not_this_organ", _("无法提供：非本机关负责公开（第三十六条第五项）")
    NEEDS_CREATION = "needs_creation", _("无法提供：没有现成信息需要另行制作（第三十八条）")
    UNCLEAR_AFTER_CORRECTION = "unclear_after_correction", _("无法提供：补正后申请内容仍不明确（第三十条）")
    PETITION = "petition", _("不予处理：信访举报投诉类申请（第三十九条第一款）")
    REPEAT = "repeat", _("不予处理：重复申请（第三十六条第六项）")
    PUBLICATION = "publication", _("不予处理：要求提供公开出版物（第三十九条第二款）")
    EXCESSIVE = "excessive", _("不予处理：无正当理由大量反复申请（第三十五条）")
    CONFIRMATION = "confirmation", _("不予处理：要求确认或重新出具已获取信息")
    NO_CORRECTION = "no_correction", _("其他处理：申请人无正当理由逾期不补正（第三十条）")
    FEE_UNPAID = "fee_unpaid", _("其他处理：申请人逾期未缴纳信息处理费（国办函〔2020〕109号）")
    OTHER = "other", _("其他处理：其他（如申请人撤回申请）")


# Exact row keys of Table 三 as issue 6 (reports) writes them: top rows alone, sub-rows "parent/child".
ROW_DISCLOSED = "（一）予以公开"
ROW_PARTIAL = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
_WITHHELD = "（三）不予公开"
_UNAVAILABLE = "（四）无法提供"
_NOT_PROCESSED = "（五）不予处理"
_OTHER = "（六）其他处理"

OUTCOME_REPORT_ROW: dict[str, str] = {
    Outcome.ALREADY_PUBLIC: ROW_DISCLOSED,  # Art. 36 (1)
    Outcome.DISCLOSED: ROW_DISCLOSED,  # Art. 36 (2)
    Outcome.PARTIAL: ROW_PARTIAL,  # Art. 37; counted only here, never also under （三）
    Outcome.WITHHELD_STATE_SECRET: f"{_WITHHELD}/1.属于国家秘密",  # Art. 14
    Outcome.WITHHELD_LAW_PROHIBITED: f"{_WITHHELD}/2.其他法律行政法规禁止公开",  # Art. 14
    Outcome.WITHHELD_SECURITY: f"{_WITHHELD}/3.危及“三安全一稳定”",  # Art. 14
    Outcome.WITHHELD_THIRD_PARTY: f"{_WITHHELD}/4.保护第三方合法权益",  # Art. 15
    Outcome.WITHHELD_INTERNAL: f"{_WITHHELD}/5.属于三类内部事务信息",  # Art. 16 ¶1
    Outcome.WITHHELD_PROCESS: f"{_WITHHELD}/6.属于四类过程性信息",  # Art. 16 ¶2
    Outcome.WITHHELD_ENFORCEMENT: f"{_WITHHELD}/7.属于行政执法案卷",  # Art. 16 ¶2
    Outcome.WITHHELD_ADMIN_INQUIRY: f"{_WITHHELD}/8.属于行政查询事项",  # Art. 36 (7)
    Outcome.NOT_EXIST: f"{_UNAVAILABLE}/1.本机关不掌握相关政府信息",  # Art. 36 (4)
    Outcome.NOT_THIS_ORGAN: f"{_UNAVAILABLE}/1.本机关不掌握相关政府信息",  # Art. 36 (5)
    Outcome.NEEDS_CREATION: f"{_UNAVAILABLE}/2.没有现成信息需要另行制作",  # Art. 38
    Outcome.UNCLEAR_AFTER_CORRECTION: f"{_UNAVAILABLE}/3.补正后申请内容仍不明确",  # Art. 30
    Outcome.PETITION: f"{_NOT_PROCESSED}/1.信访举报投诉类申请",  # Art. 39 ¶1
    Outcome.REPEAT: f"{_NOT_PROCESSED}/2.重复申请",  # Art. 36 (6)
    Outcome.PUBLICATION: f"{_NOT_PROCESSED}/3.要求提供公开出版物",  # Art. 39 ¶2
    Outcome.EXCESSIVE: f"{_NOT_PROCESSED}/4.无正当理由大量反复申请",  # Art. 35
    Outcome.CONFIRMATION: f"{_NOT_PROCESSED}/5.要求行政机关确认或重新出具已获取信息",
    Outcome.NO_CORRECTION: f"{_OTHER}/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",  # Art. 30
    Outcome.FEE_UNPAID: f"{_OTHER}/2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    Outcome.OTHER: f"{_OTHER}/3.其他",
}

# Outcomes a decision may not be taken with directly: they close a request through their own service.
SERVICE_ONLY_OUTCOMES = (Outcome.NO_CORRECTION, Outcome.FEE_UNPAID)


class FeeStandard(models.TextChoices):
    """国办函〔2020〕109号: one standard per application, never both."""

    PER_APPLICATION = "per_application", _("按件计收")
    PER_PAGE = "per_page", _("按量计收")


class ConsultationKind(models.TextChoices):
    THIRD_PARTY = "third_party", _("征求第三方意见（第三十二条）")
    CO_PRODUCER = "co_producer", _("征求共同制作机关意见（第三十四条）")


class LetterKind(models.TextChoices):
    CORRECTION_NOTICE = "correction_notice", _("补正申请告知书")
    CONSULTATION = "consultation", _("征求意见函")
    EXTENSION_NOTICE = "extension_notice", _("延期答复告知书")
    FEE_NOTICE = "fee_notice", _("收费通知书")
    REPLY = "reply", _("政府信息公开申请答复书")


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已出具")


class LetterReviewStatus(models.TextChoices):
    """The disclosure review of a letter before it is issued (条例 Arts. 14–17: 先审查、后公开)."""

    PENDING = "pending", _("待审查")
    APPROVED = "approved", _("审查通过")
    REFUSED = "refused", _("退回修改")


class ExtensionStatus(models.TextChoices):
    NONE = "", _("无")
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class AppealKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION_DIRECT = "litigation_direct", _("行政诉讼（未经复议直接起诉）")
    LITIGATION_AFTER_RECONSIDERATION = "litigation_after_reconsideration", _("行政诉讼（复议后起诉）")


class AppealGrounds(models.TextChoices):
    """What a 行政复议 or 行政诉讼 is about (条例 Art. 51): every case counts in Table 四."""

    REPLY = "reply", _("对答复不服")
    NO_REPLY = "no_reply", _("逾期未答复")
    ACTIVE_DISCLOSURE = "active_disclosure", _("主动公开")
    OTHER = "other", _("其他政府信息公开行为")


class AppealResult(models.TextChoices):
    UPHELD = "upheld", _("维持")
    CORRECTED = "corrected", _("纠正")
    OTHER = "other", _("其他")
    PENDING = "pending", _("尚未审结")


# Choice subsets offered by single API endpoints (named in the OpenAPI schema by settings).
APPEAL_DECISION_CHOICES = [choice for choice in AppealResult.choices if choice[0] != AppealResult.PENDING]
UNLINKED_APPEAL_GROUNDS_CHOICES = [
    choice
    for choice in AppealGrounds.choices
    if choice[0] in (AppealGrounds.ACTIVE_DISCLOSURE, AppealGrounds.OTHER)
]
