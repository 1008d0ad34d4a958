"""Input shapes for the FOI screens. Rules live in services.py; these only parse and display errors."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Organisation
from gongkai.core.forms import NaturalMessagesMixin

from .constants import (
    ApplicantKind,
    Channel,
    ConsultationKind,
    DeliveryMethod,
    IdType,
    InfoForm,
    Outcome,
)
from .validation import APPLICANT_FIELDS, CONTENT_FIELDS, clean_applicant, clean_contact, clean_content

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_submission_token() -> str:
    return secrets.token_urlsafe(24)


def attachment_limits() -> tuple[int, int]:
    """(files, total bytes) one application may attach."""
    return settings.FOI_APPLY_MAX_FILES, settings.FOI_APPLY_MAX_BYTES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class ApplicationForm(NaturalMessagesMixin, forms.Form):
    """条例 Art. 29: who applies, what they want, in which form and how they get it."""

    # required by clean_applicant / clean_content (条例 Art. 29 (一)(二)), marked on the page too
    marked_required = ("applicant_name", "description")

    organisation = forms.ModelChoiceField(
        label=_("受理机关"),
        queryset=Organisation.objects.filter(accepts_requests=True).order_by("sort_order", "id"),
        empty_label=_("请选择"),
    )
    applicant_kind = forms.ChoiceField(
        label=_("申请人类型"), choices=ApplicantKind.choices, widget=forms.RadioSelect
    )
    applicant_name = forms.CharField(
        label=_("姓名或名称"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_type = forms.ChoiceField(label=_("证件类型"), choices=[("", "—"), *IdType.choices], required=False)
    id_number = forms.CharField(label=_("证件号码"), max_length=40, required=False)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=18, required=False,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )  # fmt: skip
    contact_person = forms.CharField(label=_("联系人（法人或其他组织）"), max_length=60, required=False)
    phone = forms.CharField(
        label=_("联系电话"), max_length=40, required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )  # fmt: skip
    email = forms.CharField(
        label=_("电子邮箱"), max_length=254, required=False,
        help_text=_("填写后，申请编号和查询码会同时发到这个邮箱。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )  # fmt: skip
    address = forms.CharField(
        label=_("通信地址"), max_length=300, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )  # fmt: skip
    postcode = forms.CharField(
        label=_("邮政编码"), max_length=6, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code", "pattern": "[0-9]*"}),
    )  # fmt: skip
    description = forms.CharField(
        label=_("所需信息的内容描述"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    known_titles = forms.CharField(label=_("信息名称或文号（如知道）"), max_length=500, required=False)
    purpose = forms.CharField(label=_("用途说明（选填）"), max_length=300, required=False)
    info_form = forms.ChoiceField(
        label=_("信息的提供形式"), choices=InfoForm.choices, initial=InfoForm.ELECTRONIC
    )
    delivery_method = forms.ChoiceField(
        label=_("获取信息的方式"), choices=DeliveryMethod.choices, initial=DeliveryMethod.EMAIL
    )
    attachments = MultipleFileField(label=_("附件（身份证明等，选填）"), required=False)
    # One token per rendered form: a retried submission carries the same one and gets the first
    # result back instead of a second application (issue 11).
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", new_submission_token())

    def clean_attachments(self) -> list:
        files = self.cleaned_data.get("attachments") or []
        limit_files, limit_bytes = attachment_limits()
        if len(files) > limit_files:
            raise ValidationError(_("附件最多%(count)s个。") % {"count": limit_files})
        if sum(f.size for f in files) > limit_bytes:
            raise ValidationError(_("附件总大小不能超过%(mb)s MB。") % {"mb": limit_bytes // (1024 * 1024)})
        return files

    def clean(self) -> dict[str, Any]:
        """Every error at once: the service's field rules (which it checks again) run on what the form
        could not clean too, so the applicant fixes the page in one round, not field by field."""
        data = super().clean()
        raw = {key: data.get(key, self.data.get(key, "")) for key in (*APPLICANT_FIELDS, *CONTENT_FIELDS)}
        for check in (clean_applicant, clean_content, clean_contact):
            try:
                check(raw)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    if field in self.fields and field not in self.errors:
                        self.add_error(field, messages)
        return data

    def clean_submission_token(self) -> str:
        token = self.cleaned_data.get("submission_token") or ""
        return token if TOKEN_PATTERN.fullmatch(token) else ""

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {key: data.get(key, "") for key in (*APPLICANT_FIELDS, *CONTENT_FIELDS)}

    def add_service_errors(self, exc: ValidationError) -> None:
        for field, messages in exc.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class StaffApplicationForm(ApplicationForm):
    """Staff register applications from every channel with the receipt date of Art. 31."""

    channel = forms.ChoiceField(label=_("申请方式"), choices=Channel.choices)
    received_date = forms.CharField(
        label=_("收到申请日期"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )

    field_order = ["channel", "received_date"]


class TrackForm(NaturalMessagesMixin, forms.Form):
    number = forms.CharField(
        label=_("申请编号"), max_length=60, widget=forms.TextInput(attrs={"spellcheck": "false"})
    )
    code = forms.CharField(
        label=_("查询码"), max_length=20, help_text=_("不区分大小写。"),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false", "autocomplete": "off"}),
    )  # fmt: skip


OUTCOME_CHOICES = [
    (code, label) for code, label in Outcome.choices if code not in ("no_correction", "fee_unpaid")
]
CONSULTATION_CHOICES = ConsultationKind.choices
