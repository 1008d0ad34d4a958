"""Staff forms for interpretations; every rule is checked by the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import INTERPRETATION_SECTIONS, InterpretationKind


class InterpretationDraftForm(forms.Form):
    kind = forms.ChoiceField(label=_("解读形式"), choices=InterpretationKind.choices)
    title = forms.CharField(label=_("标题"), max_length=300)
    summary = forms.CharField(label=_("导语"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(label=_("正文"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    author = forms.CharField(label=_("解读人或来源"), required=False, max_length=120)
    media_url = forms.CharField(label=_("视频、图解或课件地址"), required=False, max_length=500)
    is_example = forms.BooleanField(label=_("示例（并非官方发布的解读）"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, label in INTERPRETATION_SECTIONS:
            self.fields[name] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 4})
            )

    def service_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items()}


class RequirementForm(forms.Form):
    required = forms.ChoiceField(
        label=_("是否需解读"),
        choices=[("default", _("按默认规则")), ("yes", _("需解读")), ("no", _("不需解读（须说明理由）"))],
    )
    reason = forms.CharField(label=_("不需解读的理由"), required=False, max_length=300)

    def value(self) -> bool | None:
        return {"default": None, "yes": True, "no": False}[self.cleaned_data["required"]]
