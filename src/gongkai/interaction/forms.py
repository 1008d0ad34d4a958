"""Forms of 政民互动 (rule 2: parsing only; the rules live in validation.py and services.py)."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Organisation, User

from .constants import MAX_NAME_CHARS, MAX_QUESTION_CHARS, MAX_REPLY_CHARS, Category, Moderation


class ServiceErrorsMixin:
    def add_service_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for key, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(key if key in self.fields else None, message)  # type: ignore[attr-defined]
        else:
            for message in exc.messages:
                self.add_error(None, message)  # type: ignore[attr-defined]


class QuestionForm(ServiceErrorsMixin, forms.Form):
    body = forms.CharField(
        label=_("您的问题"), max_length=MAX_QUESTION_CHARS, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写留言内容。")},
    )  # fmt: skip
    contact = forms.CharField(
        label=_("联系方式"), max_length=100, help_text=_("电子邮箱或电话号码，仅用于答复，不会公开。"),
        error_messages={"required": _("请填写联系方式（电子邮箱或电话号码）。"),
                        "max_length": _("联系方式须为电子邮箱或电话号码。")},
    )  # fmt: skip
    name = forms.CharField(label=_("称呼（选填）"), max_length=MAX_NAME_CHARS, required=False,
                           error_messages={"max_length": _("称呼不能超过50个字。")})  # fmt: skip
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["token"] = secrets.token_urlsafe(16)
        # over-long input gets the service's Chinese message rather than the browser cutting it silently
        self.fields["body"].max_length = None
        self.fields["body"].validators = []


class ConsultationForm(QuestionForm):
    organisation = forms.ModelChoiceField(label=_("咨询单位"), queryset=Organisation.objects.none())

    field_order = ["organisation", "body", "contact", "name", "token"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("sort_order", "id")


class MailboxForm(ConsultationForm):
    """领导信箱 and 人民意见征集信箱 (issue 16): the category decides the reply limit."""

    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    subject = forms.CharField(label=_("标题"), max_length=200, error_messages={"required": _("请填写标题。")})

    field_order = ["organisation", "category", "subject", "body", "contact", "name", "token"]


class TrackForm(forms.Form):
    number = forms.CharField(label=_("留言编号"), max_length=20)
    code = forms.CharField(label=_("查询码"), max_length=20)


class FeedbackForm(ServiceErrorsMixin, forms.Form):
    solved = forms.TypedChoiceField(
        label=_("答复是否解决了您的问题？"), choices=[("1", _("已解决")), ("0", _("未解决"))],
        coerce=lambda v: v == "1", widget=forms.RadioSelect,
    )  # fmt: skip
    efficiency = forms.TypedChoiceField(label=_("办理效率（选填，1至5分）"), choices=[(str(i), str(i)) for i in range(1, 6)],
                                        coerce=int, required=False, empty_value=None, widget=forms.RadioSelect)  # fmt: skip
    attitude = forms.TypedChoiceField(label=_("服务态度（选填，1至5分）"), choices=[(str(i), str(i)) for i in range(1, 6)],
                                      coerce=int, required=False, empty_value=None, widget=forms.RadioSelect)  # fmt: skip
    result = forms.TypedChoiceField(label=_("办理结果（选填，1至5分）"), choices=[(str(i), str(i)) for i in range(1, 6)],
                                    coerce=int, required=False, empty_value=None, widget=forms.RadioSelect)  # fmt: skip
    feedback = forms.CharField(
        label=_("意见（选填）"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(ServiceErrorsMixin, forms.Form):
    assignee = forms.ModelChoiceField(label=_("经办人"), queryset=User.objects.none())

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(
            organisation_id=organisation_id, is_active=True
        )


class ModerateForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("处理意见"), choices=Moderation.choices)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class DispatchForm(ServiceErrorsMixin, forms.Form):
    handling_field = forms.ChoiceField(
        label=_("办理领域"), help_text=_("系统建议的领域已预选；如不对请更正，更正会用于训练下一版模型。")
    )
    organisation = forms.ModelChoiceField(
        label=_("承办单位"), queryset=Organisation.objects.order_by("sort_order", "id")
    )
    reason = forms.CharField(label=_("分办理由"), max_length=300)

    def __init__(self, *args: Any, fields: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handling_field"].choices = [(f, f) for f in fields]


class FieldForm(ServiceErrorsMixin, forms.Form):
    handling_field = forms.ChoiceField(label=_("办理领域"))

    def __init__(self, *args: Any, fields: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handling_field"].choices = [(f, f) for f in fields]


class ReturnForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("退回理由"), max_length=300)


class ReplyForm(ServiceErrorsMixin, forms.Form):
    body = forms.CharField(
        label=_("答复内容"), max_length=MAX_REPLY_CHARS, widget=forms.Textarea(attrs={"rows": 6})
    )


class ReviewForm(ServiceErrorsMixin, forms.Form):
    decision = forms.ChoiceField(label=_("审查决定"), choices=[("approve", _("同意公开")), ("refuse", _("退回修改"))],
                                 widget=forms.RadioSelect)  # fmt: skip
    note = forms.CharField(label=_("审查意见"), max_length=500, required=False)


class FAQForm(ServiceErrorsMixin, forms.Form):
    messages = forms.CharField(widget=forms.HiddenInput)
    question = forms.CharField(label=_("常见问题"), max_length=300)
    answer = forms.CharField(
        label=_("回答"), max_length=MAX_REPLY_CHARS, widget=forms.Textarea(attrs={"rows": 5})
    )
