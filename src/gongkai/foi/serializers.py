"""Serializers of the staff FOI API: the shapes of requests, letters and appeals, and of each action's
input. Input shape only; the rules are in services (rule 2)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from gongkai.accounts.models import Organisation

from . import clock
from .constants import (
    APPEAL_DECISION_CHOICES,
    OUTCOME_REPORT_ROW,
    UNLINKED_APPEAL_GROUNDS_CHOICES,
    AppealGrounds,
    AppealKind,
    ApplicantKind,
    Channel,
    ConsultationKind,
    DeliveryMethod,
    FeeStandard,
    IdType,
    InfoForm,
    Outcome,
    ServiceMethod,
)
from .models import FOIAppeal, FOIConsultation, FOILetter, FOIRequest


class ConsultationSerializer(serializers.ModelSerializer):
    class Meta:
        model = FOIConsultation
        fields = [
            "id", "kind", "party", "sent_date", "delivery_method", "delivered_date", "tracking_number",
            "answer_due_date", "answered_date", "no_answer",
        ]  # fmt: skip


class LetterSerializer(serializers.ModelSerializer):
    class Meta:
        model = FOILetter
        fields = [
            "id",
            "kind",
            "outcome",
            "to_applicant",
            "addressee",
            "title",
            "body",
            "status",
            "letter_number",
            "issued_date",
            "review_status",
            "reviewed_at",
            "review_note",
        ]


class AppealSerializer(serializers.ModelSerializer):
    class Meta:
        model = FOIAppeal
        fields = [
            "id", "request", "kind", "grounds", "subject", "result", "filed_date", "decided_date", "case_number", "body",
        ]  # fmt: skip


class FOIRequestSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    report_row = serializers.SerializerMethodField(help_text="年度报告表三中的行")
    reply_due_date = serializers.SerializerMethodField(help_text="答复期限；暂停计时期间为空")

    class Meta:
        model = FOIRequest
        fields = [
            "id", "number", "organisation", "channel", "received_date", "applicant_kind", "applicant_name",
            "id_type", "id_number", "credit_code", "contact_person", "phone", "email", "address", "postcode",
            "description", "known_titles", "purpose", "info_form", "delivery_method", "status", "due_date",
            "reply_due_date", "correction_notice_date", "correction_due_date", "correction_received_date",
            "extension_status", "extension_days", "fee_standard", "fee_quantity", "fee_amount", "fee_notice_date",
            "fee_notice_delivered_date", "fee_notice_delivered_by", "fee_due_date", "fee_paid_date",
            "reply_period_missed_on", "outcome", "report_row", "decided_date", "delivered_by",
            "delivery_date", "tracking_number",
        ]  # fmt: skip

    def get_report_row(self, obj: FOIRequest) -> str | None:
        return OUTCOME_REPORT_ROW.get(obj.outcome) if obj.outcome else None

    def get_reply_due_date(self, obj: FOIRequest) -> str | None:
        try:
            due = clock.reply_due_date(obj) if obj.is_open else None
        except DjangoValidationError:
            return None
        return due.isoformat() if due else None


class FOIRequestDetailSerializer(FOIRequestSerializer):
    consultations = ConsultationSerializer(many=True, read_only=True)
    letters = LetterSerializer(many=True, read_only=True)
    appeals = AppealSerializer(many=True, read_only=True)

    class Meta(FOIRequestSerializer.Meta):
        fields = [*FOIRequestSerializer.Meta.fields, "consultations", "letters", "appeals"]


class RegisterSerializer(serializers.Serializer):
    """Input shape only; the rules (ID checksum, credit code, receipt date) are in services."""

    organisation = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), required=False
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    received_date = serializers.CharField(help_text="收到申请日期（条例第三十一条），YYYY-MM-DD")
    applicant_kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    applicant_name = serializers.CharField(allow_blank=True)
    id_type = serializers.ChoiceField(choices=IdType.choices, required=False, allow_blank=True)
    id_number = serializers.CharField(required=False, allow_blank=True)
    credit_code = serializers.CharField(required=False, allow_blank=True)
    contact_person = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    postcode = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    known_titles = serializers.CharField(required=False, allow_blank=True)
    purpose = serializers.CharField(required=False, allow_blank=True)
    info_form = serializers.ChoiceField(choices=InfoForm.choices, required=False)
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.choices, required=False)


class RegisteredSerializer(FOIRequestSerializer):
    access_code = serializers.CharField(help_text="查询码：只返回这一次，请转告申请人")

    class Meta(FOIRequestSerializer.Meta):
        fields = [*FOIRequestSerializer.Meta.fields, "access_code"]


class DateSerializer(serializers.Serializer):
    date = serializers.CharField(help_text="YYYY-MM-DD")


class CorrectionNoticeSerializer(DateSerializer):
    items = serializers.CharField()
    correction_due_date = serializers.CharField(required=False, allow_blank=True)


class ConsultSerializer(DateSerializer):
    kind = serializers.ChoiceField(choices=ConsultationKind.choices)
    party = serializers.CharField()
    delivery_method = serializers.ChoiceField(
        choices=ServiceMethod.choices, required=False, allow_blank=True, help_text="已送达时填写"
    )
    delivered_date = serializers.CharField(
        required=False, allow_blank=True, help_text="对方收到征求意见函之日（条例第三十二条、第三十四条）"
    )


class ServedSerializer(DateSerializer):
    """The day a consultation letter or fee notice reached its addressee (`date`) and how."""

    delivery_method = serializers.ChoiceField(choices=ServiceMethod.choices)
    tracking_number = serializers.CharField(required=False, allow_blank=True)


class ConsultEndSerializer(serializers.Serializer):
    date = serializers.CharField(required=False, allow_blank=True)
    answer = serializers.CharField(required=False, allow_blank=True)
    no_answer = serializers.BooleanField(required=False, default=False)


class ExtensionSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=20)
    reason = serializers.CharField()
    date = serializers.CharField(required=False, allow_blank=True)


class ExtensionDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    date = serializers.CharField(required=False, allow_blank=True)


class FeeNoticeSerializer(DateSerializer):
    standard = serializers.ChoiceField(choices=FeeStandard.choices)
    pages = serializers.IntegerField(required=False, min_value=1)
    delivery_method = serializers.ChoiceField(
        choices=ServiceMethod.choices, required=False, allow_blank=True, help_text="已送达时填写"
    )
    delivered_date = serializers.CharField(
        required=False, allow_blank=True, help_text="申请人收到收费通知之日（国办函〔2020〕109号）"
    )


class FeePaidSerializer(DateSerializer):
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, required=False)


class ReplySerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[c for c in Outcome.choices if c[0] not in ("no_correction", "fee_unpaid")]
    )
    reason = serializers.CharField(required=False, allow_blank=True)
    body = serializers.CharField(required=False, allow_blank=True, help_text="修改后的答复书正文（可选）")
    decided_date = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="已停用：答复书须经公开审查通过后，通过 letters/{letter_id}/issue/ 出具（先审查、后公开）",
    )


class LetterReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", "审查通过"), ("refuse", "退回修改")])
    note = serializers.CharField(
        required=False, allow_blank=True, help_text="审查意见；退回修改或有检出内容时同意出具须填写"
    )


class LetterReviewResultSerializer(LetterSerializer):
    review_findings = serializers.SerializerMethodField(help_text="检出内容的类型与位置（不含原文）")

    class Meta(LetterSerializer.Meta):
        fields = [*LetterSerializer.Meta.fields, "review_findings"]

    def get_review_findings(self, letter: FOILetter) -> list[dict]:
        return [
            {"kind": f["kind"], "start": f["start"], "end": f["end"], "confidence": f["confidence"]}
            for f in letter.review_findings
        ]


class DeliverySerializer(DateSerializer):
    method = serializers.ChoiceField(choices=DeliveryMethod.choices)
    tracking_number = serializers.CharField(required=False, allow_blank=True)


class AppealInputSerializer(DateSerializer):
    kind = serializers.ChoiceField(choices=AppealKind.choices)
    grounds = serializers.ChoiceField(
        choices=AppealGrounds.choices, required=False, allow_blank=True,
        help_text="事由；不填时，已答复的申请为“对答复不服”，未答复的为“逾期未答复”",
    )  # fmt: skip
    case_number = serializers.CharField(required=False, allow_blank=True)
    body = serializers.CharField(required=False, allow_blank=True)


class UnlinkedAppealSerializer(DateSerializer):
    """A case linked to no request, e.g. about active disclosure (条例 Art. 51)."""

    kind = serializers.ChoiceField(choices=AppealKind.choices)
    grounds = serializers.ChoiceField(choices=UNLINKED_APPEAL_GROUNDS_CHOICES)
    subject = serializers.CharField(help_text="争议事项，如所涉主动公开的信息")
    case_number = serializers.CharField(required=False, allow_blank=True)
    body = serializers.CharField(required=False, allow_blank=True)


class AppealDecisionSerializer(DateSerializer):
    result = serializers.ChoiceField(choices=APPEAL_DECISION_CHOICES)


class AppealResultSerializer(DateSerializer):
    appeal = serializers.IntegerField()
    result = serializers.ChoiceField(choices=APPEAL_DECISION_CHOICES)
