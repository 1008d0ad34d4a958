from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import Outcome, ProgressStatus


class CatalogueUploadForm(forms.Form):
    file = forms.FileField(label=_("标准目录 XLSX 文件"))


class EvaluationForm(forms.Form):
    outcome = forms.ChoiceField(label=_("评估结论"), choices=Outcome.choices)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    new_expiry_date = forms.DateField(label=_("延期至（仅延期）"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip


class GazetteForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    number = forms.IntegerField(label=_("期号"), min_value=1, max_value=999)
    documents = forms.MultipleChoiceField(
        label=_("收录文件"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = [
            (str(d.pk), f"{d.title}（{d.doc_number or d.index_number}）") for d in candidates
        ]


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("进展"), choices=ProgressStatus.choices)
    text = forms.CharField(label=_("落实情况"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
