from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.documents.constants import DocType


class ConfirmForm(forms.Form):
    """The fields staff check before a staged file becomes a draft (values as extracted, editable)."""

    title = forms.CharField(label=_("标题"), max_length=300)
    doc_number = forms.CharField(label=_("发文字号"), max_length=80, required=False)
    doc_type = forms.ChoiceField(label=_("文种"), choices=DocType.choices)
    written_date = forms.DateField(
        label=_("成文日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    effective_date = forms.DateField(
        label=_("施行日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expiry_date = forms.DateField(
        label=_("有效期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
