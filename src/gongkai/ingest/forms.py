from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.documents.constants import DocType
from gongkai.documents.selectors import themes
from gongkai.taxonomy.selectors import active_tags


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
    theme = forms.ModelChoiceField(
        label=_("主题分类"), queryset=themes(), to_field_name="code", required=False
    )
    is_normative = forms.BooleanField(label=_("规范性文件"), required=False)
    suggested_tags = forms.MultipleChoiceField(
        label=_("建议标签（勾选即采纳）"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("根据正文建议，括号内为触发词。"),
    )  # fmt: skip
    tags = forms.ModelMultipleChoiceField(
        label=_("其他政策标签"), queryset=active_tags(), to_field_name="code", required=False,
        help_text=_("政策文件提交审核前须至少有一个“对象”标签和一个“主题”标签。"),
    )  # fmt: skip

    def __init__(self, *args, suggestions: list[dict] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suggested_tags"].choices = [
            (s["code"], f"{s['dimension_label']}·{s['name']}（{'、'.join(s['words'])}）")
            for s in suggestions or []
        ]
        if not self.fields["suggested_tags"].choices:
            del self.fields["suggested_tags"]

    def tag_codes(self) -> list[str]:
        codes = list(self.cleaned_data.get("suggested_tags") or [])
        return codes + [tag.code for tag in self.cleaned_data.get("tags") or [] if tag.code not in codes]
