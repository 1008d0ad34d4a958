from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Organisation

from .constants import ReportScope
from .models import AnnualReport


class OrganisationYearForm(forms.Form):
    """An organisation the user may act for (their own; any for a platform admin) and a year."""

    organisation = forms.ModelChoiceField(label=_("机构"), queryset=Organisation.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2008, max_value=2100)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organisation.objects.all()
        if user is not None and not user.is_platform_admin:
            qs = qs.filter(pk=user.organisation_id or -1)
        self.fields["organisation"].queryset = qs


class NewReportForm(OrganisationYearForm):
    scope = forms.ChoiceField(label=_("统计范围"), choices=ReportScope.choices, initial=ReportScope.OWN)


class ReportTextForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = ["scope", "overview_text", "problems_text", "other_text"]
        widgets = {
            "overview_text": forms.Textarea(attrs={"rows": 8}),
            "problems_text": forms.Textarea(attrs={"rows": 6}),
            "other_text": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"overview_text": _("主动公开和依申请公开的数字由平台数据自动生成，此处填写其余内容。")}


class FiguresForm(OrganisationYearForm):
    licensing_decisions = forms.IntegerField(label=_("行政许可本年处理决定数量"), min_value=0, initial=0)
    penalty_decisions = forms.IntegerField(label=_("行政处罚本年处理决定数量"), min_value=0, initial=0)
    enforcement_decisions = forms.IntegerField(label=_("行政强制本年处理决定数量"), min_value=0, initial=0)
    fees_amount = forms.DecimalField(
        label=_("行政事业性收费本年收费金额（万元）"), min_value=0, decimal_places=4, max_digits=14, initial=0
    )


class FiguresImportForm(forms.Form):
    file = forms.FileField(label=_("CSV文件"))
