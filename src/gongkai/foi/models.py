"""依申请公开: requests, their clock pauses, letters, files and appeals (条例 Chapter 4).

The annual report (reports app) counts these rows; see constants.OUTCOME_REPORT_ROW. A request is
open on a date D when received_date <= D and (decided_date is null or decided_date > D).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from gongkai.core.calendar import CalendarMissing, is_working_day
from gongkai.core.models import TimeStamped

from .constants import (
    DUE_SOON_DAYS,
    OPEN_STATUSES,
    AppealGrounds,
    AppealKind,
    AppealResult,
    ApplicantKind,
    Channel,
    ConsultationKind,
    DeliveryMethod,
    ExtensionStatus,
    FeeStandard,
    IdType,
    InfoForm,
    LetterKind,
    LetterReviewStatus,
    LetterStatus,
    Outcome,
    RequestStatus,
    ServiceMethod,
)


def due_soon_until(today: dt.date) -> dt.date:
    """The last due date that is "due soon" on `today`: at most DUE_SOON_DAYS working days left.

    Working days left until D are those in (today, D] (core.calendar.working_days_between), so the
    horizon is the day before the (DUE_SOON_DAYS + 1)-th working day after today: a deadline on the
    weekend after the third working day still has only three left. The walk stops before a year whose
    holiday arrangement is missing (the clock never guesses).
    """
    day, counted = today, 0
    while True:
        following = day + dt.timedelta(days=1)
        try:
            if is_working_day(following):
                counted += 1
        except CalendarMissing:
            return day
        if counted > DUE_SOON_DAYS:
            return day
        day = following


class FOIRequestQuerySet(models.QuerySet["FOIRequest"]):
    def open_on(self, day: dt.date) -> FOIRequestQuerySet:
        return self.filter(received_date__lte=day).filter(
            Q(decided_date__isnull=True) | Q(decided_date__gt=day)
        )

    def still_open(self) -> FOIRequestQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    # The two deadline states of the worklist, the API and the reminders; FOIRequest.is_overdue and
    # .is_due_soon are the same rules on one row (clock.urgency colours by them).
    def overdue(self, today: dt.date) -> FOIRequestQuerySet:
        """Open requests whose current deadline (due_date) has passed; a closed request never is."""
        return self.still_open().filter(due_date__lt=today)

    def due_soon(self, today: dt.date) -> FOIRequestQuerySet:
        """Open requests due today or within DUE_SOON_DAYS working days."""
        return self.still_open().filter(due_date__gte=today, due_date__lte=due_soon_until(today))

    def of_organisation(self, user: Any) -> FOIRequestQuerySet:
        if getattr(user, "is_platform_admin", False):
            return self
        return self.filter(organisation_id=getattr(user, "organisation_id", None) or -1)


class FOIRequest(FSMModelMixin, TimeStamped):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("受理机关"),
        on_delete=models.PROTECT,
        related_name="foi_requests",
    )
    number = models.CharField(_("申请编号"), max_length=60, editable=False)
    year = models.PositiveIntegerField(_("登记年度"), editable=False)
    serial = models.PositiveIntegerField(_("登记序号"), editable=False)
    access_code_hash = models.CharField(max_length=64, editable=False)
    # the public form's token: a retried submission finds its application instead of making another
    submission_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    # Receipt (条例 Art. 31)
    channel = models.CharField(_("申请方式"), max_length=20, choices=Channel.choices)
    received_date = models.DateField(_("收到申请日期"), db_index=True)
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Applicant (条例 Art. 29 (1))
    applicant_kind = models.CharField(
        _("申请人类型"), max_length=20, choices=ApplicantKind.choices, db_index=True
    )
    applicant_name = models.CharField(_("申请人姓名或名称"), max_length=200)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices, blank=True)
    id_number = models.CharField(_("证件号码"), max_length=40, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=300, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)

    # Content (条例 Art. 29 (2)(3))
    description = models.TextField(_("所需信息的内容描述"))
    known_titles = models.CharField(_("信息名称或文号"), max_length=500, blank=True)
    purpose = models.CharField(_("用途说明"), max_length=300, blank=True)
    info_form = models.CharField(
        _("信息的指定提供形式"), max_length=20, choices=InfoForm.choices, default=InfoForm.ELECTRONIC
    )
    delivery_method = models.CharField(
        _("获取信息的方式"), max_length=20, choices=DeliveryMethod.choices, default=DeliveryMethod.EMAIL
    )

    status = FSMField(
        _("状态"), default=RequestStatus.RECEIVED, choices=RequestStatus.choices, protected=True
    )

    # 补正 (条例 Art. 30)
    correction_notice_date = models.DateField(_("补正通知日期"), null=True, blank=True)
    correction_items = models.TextField(_("补正事项"), blank=True)
    correction_due_date = models.DateField(_("补正期限"), null=True, blank=True)
    correction_received_date = models.DateField(_("收到补正日期"), null=True, blank=True)

    # Extension (条例 Art. 33 ¶2)
    extension_status = models.CharField(
        _("延期状态"),
        max_length=10,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.NONE,
        blank=True,
    )
    extension_days = models.PositiveSmallIntegerField(_("延长工作日"), default=0)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    extension_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    extension_date = models.DateField(_("延期批准日期"), null=True, blank=True)

    # 信息处理费 (条例 Art. 42, 国办函〔2020〕109号)
    fee_standard = models.CharField(_("收费标准"), max_length=20, choices=FeeStandard.choices, blank=True)
    fee_quantity = models.PositiveIntegerField(_("计费数量"), null=True, blank=True)
    fee_amount = models.DecimalField(
        _("信息处理费（元）"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    fee_notice_date = models.DateField(_("收费通知日期"), null=True, blank=True)
    # The 20 working days run from the day after the applicant receives the notice (国办函〔2020〕109号):
    # fee_due_date stays empty until the delivery date is known.
    fee_notice_delivered_date = models.DateField(_("收费通知送达日期"), null=True, blank=True)
    fee_notice_delivered_by = models.CharField(
        _("收费通知送达方式"), max_length=20, choices=ServiceMethod.choices, blank=True
    )
    fee_due_date = models.DateField(_("缴费期限"), null=True, blank=True)
    fee_paid_date = models.DateField(_("缴费日期"), null=True, blank=True)
    fee_paid_amount = models.DecimalField(
        _("实收金额（元）"), max_digits=10, decimal_places=2, default=Decimal("0")
    )

    # Decision (条例 Arts. 35–39, 30)
    outcome = models.CharField(
        _("办理结果"), max_length=30, choices=Outcome.choices, blank=True, db_index=True
    )
    decided_date = models.DateField(_("答复日期"), null=True, blank=True, db_index=True)
    decision_reason = models.TextField(_("答复理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Delivery and archive (条例 Art. 45; 国办公开办函〔2016〕235号)
    delivery_date = models.DateField(_("送达日期"), null=True, blank=True)
    delivered_by = models.CharField(_("送达方式"), max_length=20, choices=DeliveryMethod.choices, blank=True)
    tracking_number = models.CharField(_("邮件号码"), max_length=60, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    archive_file = models.FileField(_("归档文件"), upload_to="foi/archive/", blank=True, max_length=300)

    # The reply deadline this request missed (条例 Art. 33), kept when a later step moves the clock:
    # a 补正 notice sent after the period ran out restarts it (Art. 30) but the lateness stays visible.
    reply_period_missed_on = models.DateField(_("已超过的答复期限"), null=True, blank=True)

    # Denormalised clock, refreshed by services after every step (for the worklist and reminders).
    due_date = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)

    objects = FOIRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_date", "-id"]
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "serial"], name="unique_foi_serial"),
            models.UniqueConstraint(fields=["organisation", "number"], name="unique_foi_number"),
        ]
        indexes = [models.Index(fields=["organisation", "status", "due_date"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_person(self) -> bool:
        return self.applicant_kind == ApplicantKind.PERSON

    def is_overdue(self, today: dt.date) -> bool:
        """FOIRequestQuerySet.overdue for this row."""
        return self.is_open and self.due_date is not None and self.due_date < today

    def is_due_soon(self, today: dt.date) -> bool:
        """FOIRequestQuerySet.due_soon for this row."""
        return self.is_open and self.due_date is not None and today <= self.due_date <= due_soon_until(today)

    # --- the state machine; services.py wraps each transition (rule 1) ---
    @transition(field=status, source=RequestStatus.RECEIVED, target=RequestStatus.AWAITING_CORRECTION)
    def ask_correction(self) -> None:
        """补正 notice sent (条例 Art. 30): the clock stops until the corrected application arrives."""

    @transition(field=status, source=RequestStatus.AWAITING_CORRECTION, target=RequestStatus.RECEIVED)
    def receive_correction(self) -> None:
        """Corrected application received: the 20 working days start again from that day (Art. 30)."""

    @transition(field=status, source=RequestStatus.RECEIVED, target=RequestStatus.CONSULTING)
    def start_consultation(self) -> None:
        """Third party or co-producing organ consulted (Arts. 32, 34); the time is not counted (Art. 33)."""

    @transition(field=status, source=RequestStatus.CONSULTING, target=RequestStatus.RECEIVED)
    def end_consultation(self) -> None:
        """Consultation answered, or its 15 working days have passed (Arts. 32, 34)."""

    @transition(field=status, source=RequestStatus.RECEIVED, target=RequestStatus.AWAITING_FEE)
    def ask_fee(self) -> None:
        """Processing-fee notice sent (Art. 42, 国办函〔2020〕109号)."""

    @transition(field=status, source=RequestStatus.AWAITING_FEE, target=RequestStatus.RECEIVED)
    def pay_fee(self) -> None:
        """Fee paid within its 20 working days."""

    @transition(field=status, source=RequestStatus.RECEIVED, target=RequestStatus.REPLIED)
    def reply(self) -> None:
        """The reply decision is issued (Arts. 35–39)."""

    @transition(field=status, source=RequestStatus.AWAITING_CORRECTION, target=RequestStatus.REPLIED)
    def close_without_correction(self) -> None:
        """Deemed abandoned: no correction without good reason (Art. 30)."""

    @transition(field=status, source=RequestStatus.AWAITING_FEE, target=RequestStatus.REPLIED)
    def close_unpaid(self) -> None:
        """Deemed abandoned: the fee was not paid in time."""

    @transition(field=status, source=RequestStatus.REPLIED, target=RequestStatus.DELIVERED)
    def deliver(self) -> None:
        """The reply reached the applicant (Art. 40)."""

    @transition(field=status, source=RequestStatus.DELIVERED, target=RequestStatus.ARCHIVED)
    def archive(self) -> None:
        """Closed and archived with every letter and file."""


class FOISequence(models.Model):
    """Last registration serial per organisation and year; the row is locked while a number is taken."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="unique_foi_sequence")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last_serial}"


class FOIConsultation(TimeStamped):
    """A third-party (Art. 32) or co-producer (Art. 34) consultation; its time is excluded (Art. 33 ¶3)."""

    request = models.ForeignKey(FOIRequest, on_delete=models.CASCADE, related_name="consultations")
    kind = models.CharField(_("类型"), max_length=20, choices=ConsultationKind.choices)
    party = models.CharField(_("征求对象"), max_length=200)
    sent_date = models.DateField(_("发函日期"))
    # The 15 working days run from the day the party receives the letter (Arts. 32, 34): the answer
    # date stays empty ("待送达") until the delivery date is recorded.
    delivery_method = models.CharField(
        _("送达方式"), max_length=20, choices=ServiceMethod.choices, blank=True
    )
    delivered_date = models.DateField(_("送达日期"), null=True, blank=True)
    tracking_number = models.CharField(_("邮件号码"), max_length=60, blank=True)
    answer_due_date = models.DateField(_("答复期限"), null=True, blank=True)
    answered_date = models.DateField(_("收到意见日期"), null=True, blank=True)
    answer = models.TextField(_("意见"), blank=True)
    no_answer = models.BooleanField(_("逾期未答复"), default=False)

    class Meta:
        ordering = ["sent_date", "id"]
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.party}"


def letter_path(instance: FOILetter, filename: str) -> str:
    return (
        f"foi/{instance.request.organisation_id}/{instance.request.year}/{instance.request.serial}/{filename}"
    )


class FOILetter(TimeStamped):
    """A letter the organ issues: 补正告知、征求意见函、延期告知、收费通知、答复书. Editable until issued."""

    request = models.ForeignKey(FOIRequest, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("文书类型"), max_length=30, choices=LetterKind.choices)
    outcome = models.CharField(_("办理结果"), max_length=30, choices=Outcome.choices, blank=True)
    to_applicant = models.BooleanField(_("致申请人"), default=True)
    addressee = models.CharField(_("收件人"), max_length=200)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    status = models.CharField(
        _("状态"), max_length=10, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    letter_number = models.CharField(_("文书编号"), max_length=80, blank=True)
    issued_date = models.DateField(_("出具日期"), null=True, blank=True)
    # who drafted or last edited the body: they may not review it (一事一审, 条例 Arts. 14–17)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_status = models.CharField(
        _("公开审查"), max_length=10, choices=LetterReviewStatus.choices, default=LetterReviewStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    reviewed_hash = models.CharField(
        _("审查正文摘要"), max_length=64, blank=True
    )  # sha256 of the body reviewed
    review_findings = models.JSONField(_("检出内容"), default=list, blank=True)
    review_note = models.TextField(_("审查意见"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("文书")
        verbose_name_plural = _("文书")

    def __str__(self) -> str:
        return f"{self.request.number} {self.get_kind_display()}"

    @property
    def body_sha256(self) -> str:
        return hashlib.sha256(self.body.encode()).hexdigest()

    @property
    def review_current(self) -> bool:
        """Approved, and the body is still the one the reviewer approved (先审查、后公开)."""
        return self.review_status == LetterReviewStatus.APPROVED and self.reviewed_hash == self.body_sha256


def attachment_path(instance: FOIAttachment, filename: str) -> str:
    return f"foi/{instance.request.organisation_id}/{instance.request.year}/{instance.request.serial}/files/{filename}"


class FOIAttachment(TimeStamped):
    """Files of a request: the applicant's uploads, the corrected application, the information provided."""

    request = models.ForeignKey(FOIRequest, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=300)
    from_applicant = models.BooleanField(_("申请人提交"), default=False)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self) -> str:
        return self.title


class FOIAppeal(TimeStamped):
    """行政复议 / 行政诉讼 about the organ's 政府信息公开 work (条例 Art. 51; annual report Table 四): about a
    reply, about a request left unanswered, or about active disclosure (then linked to no request)."""

    request = models.ForeignKey(
        FOIRequest, on_delete=models.CASCADE, related_name="appeals", null=True, blank=True
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="foi_appeals"
    )
    kind = models.CharField(_("类型"), max_length=40, choices=AppealKind.choices)
    grounds = models.CharField(
        _("事由"), max_length=20, choices=AppealGrounds.choices, default=AppealGrounds.REPLY
    )
    subject = models.CharField(_("争议事项"), max_length=300, blank=True)
    result = models.CharField(
        _("结果"), max_length=10, choices=AppealResult.choices, default=AppealResult.PENDING
    )
    filed_date = models.DateField(_("立案或收到日期"))
    decided_date = models.DateField(_("审结日期"), null=True, blank=True)
    case_number = models.CharField(_("案号"), max_length=80, blank=True)
    body = models.CharField(_("复议机关或法院"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        ordering = ["filed_date", "id"]
        verbose_name = _("复议诉讼")
        verbose_name_plural = _("复议诉讼")

    def __str__(self) -> str:
        about = self.request.number if self.request_id else self.subject
        return f"{about} {self.get_kind_display()} {self.get_result_display()}"
