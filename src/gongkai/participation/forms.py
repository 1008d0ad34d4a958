"""Input shapes of the participation screens. Rules live in the services; forms parse and show errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Organisation
from gongkai.documents.selectors import public_documents, title_or_number_q

from .constants import MAX_ANSWER_CHARS, MAX_COMMENT_CHARS, EventKind, QuestionKind, SolicitationKind
from .models import Consultation, Survey
from .permissions import acting_for


class ServiceErrorsMixin:
    def add_service_errors(self, exc: ValidationError) -> None:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)  # type: ignore[attr-defined]


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class CommentForm(ServiceErrorsMixin, forms.Form):
    article_number = forms.TypedChoiceField(label=_("针对条文"), coerce=int, required=False, empty_value=None)
    body = forms.CharField(
        label=_("意见内容"), widget=forms.Textarea(attrs={"rows": 6}), max_length=MAX_COMMENT_CHARS
    )
    display_name = forms.CharField(
        label=_("署名（公开显示，可不填）"),
        max_length=40,
        required=False,
        help_text=_("不填则显示为“网友”。"),
    )
    contact = forms.CharField(
        label=_("联系方式（不公开，可不填）"), max_length=120, required=False,
        help_text=_("仅用于工作人员就您的意见与您联系，不在网站上显示。"),
    )  # fmt: skip

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["article_number"].choices = [("", _("草案整体"))] + [
            (article["number"], f"{article['label']} {article['text'][:24]}…")
            for article in consultation.articles
            if article.get("number")
        ]


class PartyCommentForm(ServiceErrorsMixin, forms.Form):
    article_number = forms.TypedChoiceField(label=_("针对条文"), coerce=int, required=False, empty_value=None)
    body = forms.CharField(
        label=_("意见内容"), widget=forms.Textarea(attrs={"rows": 8}), max_length=MAX_COMMENT_CHARS
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["article_number"].choices = [("", _("草案整体"))] + [
            (a["number"], a["label"]) for a in consultation.articles if a.get("number")
        ]


class SurveyForm(ServiceErrorsMixin, forms.Form):
    """One field per question, named q<question id>."""

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in survey.questions.all():
            label = f"{question.position}. {question.text}"
            if question.kind == QuestionKind.TEXT:
                field: forms.Field = forms.CharField(
                    label=label, required=question.required, max_length=MAX_ANSWER_CHARS,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )  # fmt: skip
            elif question.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(label=label, required=question.required, choices=question.choices,
                                                  widget=forms.CheckboxSelectMultiple)  # fmt: skip
            else:
                field = forms.ChoiceField(label=label, required=question.required, choices=question.choices,
                                          widget=forms.RadioSelect)  # fmt: skip
                if question.kind == QuestionKind.SCALE and question.scale_labels:
                    field.help_text = question.scale_labels
            self.fields[question.field_name] = field


class ProposalForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("建议标题"), max_length=120)
    body = forms.CharField(
        label=_("建议内容"), widget=forms.Textarea(attrs={"rows": 6}), max_length=MAX_COMMENT_CHARS
    )
    display_name = forms.CharField(label=_("署名（公开显示，可不填）"), max_length=40, required=False)
    contact = forms.CharField(label=_("联系方式（不公开，可不填）"), max_length=120, required=False)


class RegistrationForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=40)
    contact = forms.CharField(
        label=_("手机号码或电子邮箱"), max_length=120, help_text=_("用于报名确认、候补递补通知，不公开。")
    )


class CancelForm(ServiceErrorsMixin, forms.Form):
    code = forms.CharField(label=_("签到码"), max_length=12)
    contact = forms.CharField(label=_("报名时填写的手机号码或电子邮箱"), max_length=120)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # shown on the event page beside the sign-up form: its own ids (no duplicate id_contact)
        kwargs.setdefault("auto_id", "id_cancel_%s")
        super().__init__(*args, **kwargs)


# Staff ---------------------------------------------------------------------------------------------


def own_organisations(user: Any) -> Any:
    rows = Organisation.objects.order_by("sort_order", "id")
    return rows if user.is_platform_admin else rows.filter(pk__in=acting_for(user))


class ConsultationForm(ServiceErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("征集单位"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("草案名称"), max_length=200)
    body_text = forms.CharField(
        label=_("草案全文"), widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("每条以“第X条”开头另起一行，公众可逐条提出意见。"),
    )  # fmt: skip
    explanation = forms.CharField(
        label=_("起草说明"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    opens_on = forms.DateField(label=_("征集开始日期"), widget=_date())
    closes_on = forms.DateField(
        label=_("征集截止日期"), widget=_date(), help_text=_("一般不少于30日（第十五条）。")
    )
    short_period_reason = forms.CharField(
        label=_("缩短征集期限的理由（少于30日时必填，随草案公布）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    how_to_comment = forms.CharField(
        label=_("其他提出意见的方式（信函、电子邮件等）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    concerns_enterprises = forms.BooleanField(
        label=_("涉企政策（须定向征求企业和行业协会商会意见）"), required=False
    )
    is_sample = forms.BooleanField(label=_("示例（非真实草案）"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = own_organisations(user)


class CatalogueForm(ServiceErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("决策机关"), queryset=Organisation.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("标题（可不填）"), max_length=200, required=False)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = own_organisations(user)


class EventForm(ServiceErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("主办单位"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=EventKind.choices)
    title = forms.CharField(label=_("活动名称"), max_length=200)
    description = forms.CharField(
        label=_("活动介绍"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    venue = forms.CharField(label=_("地点"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    signup_closes_at = forms.DateTimeField(
        label=_("报名截止时间（可不填）"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    capacity = forms.IntegerField(label=_("名额（0 表示无需报名）"), min_value=0)
    waitlist_size = forms.IntegerField(
        label=_("候补名额（不填则与名额相同，0 表示不设候补）"), min_value=0, required=False
    )
    documents = forms.CharField(
        label=_("相关政策文件（文号或标题，每行一个，可不填）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    feedback_survey = forms.ModelChoiceField(
        label=_("活动反馈问卷（可不填）"), queryset=Survey.objects.none(), required=False
    )
    publish = forms.BooleanField(label=_("立即发布"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = own_organisations(user)
        surveys = Survey.objects.all()
        self.fields["feedback_survey"].queryset = (
            surveys if user.is_platform_admin else surveys.filter(organisation_id__in=acting_for(user))
        )

    def clean_documents(self) -> list[Any]:
        """Each line a 文号 (any messy form) or the words of a title, matching exactly one public document."""
        found, missing = [], []
        for line in (line.strip() for line in self.cleaned_data["documents"].splitlines()):
            if not line:
                continue
            matches = list(public_documents().filter(title_or_number_q(line))[:2])
            if len(matches) == 1:
                found.append(matches[0])
            else:
                missing.append(line)
        if missing:
            raise ValidationError(
                _("找不到或不能唯一确定以下公开文件：%(lines)s") % {"lines": "；".join(missing)}
            )
        return found


class SurveyCreateForm(ServiceErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("发起单位"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("标题"), max_length=200)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    opens_on = forms.DateField(label=_("开始日期"), widget=_date())
    closes_on = forms.DateField(label=_("截止日期"), widget=_date())
    requires_login = forms.BooleanField(label=_("须登录后参与"), required=False)
    results_public = forms.BooleanField(label=_("公开调查结果"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = own_organisations(user)


class SolicitationForm(ServiceErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("发起单位"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=SolicitationKind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    opens_on = forms.DateField(label=_("开始日期"), widget=_date())
    closes_on = forms.DateField(label=_("截止日期"), widget=_date())
    publish = forms.BooleanField(label=_("立即发布"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = own_organisations(user)
