"""The staff edit screen of a draft (我的文件 › 编辑): the fields an editor sets, checked here for
form and type only; the rules (文号 forms, date order, 不予公开理由, tags) stay in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.forms import NaturalMessagesMixin
from gongkai.taxonomy.selectors import active_tags

from .constants import DisclosureMode, DocType, WithheldReason
from .models import Document
from .selectors import themes

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ThemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.parent.display_name} › {obj.display_name}" if obj.parent_id else obj.display_name


class TagChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_dimension_display()}·{obj.display_name}"


class DocumentEditForm(NaturalMessagesMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=300)
    doc_number = forms.CharField(
        label=_("发文字号"), max_length=80, required=False, help_text=_("例如：静府办发〔2023〕5号。")
    )
    doc_type = forms.ChoiceField(label=_("文种"), choices=DocType.choices)
    written_date = forms.DateField(label=_("成文日期"), required=False, widget=DATE_WIDGET)
    effective_date = forms.DateField(label=_("施行日期"), required=False, widget=DATE_WIDGET)
    expiry_date = forms.DateField(label=_("有效期至"), required=False, widget=DATE_WIDGET)
    theme = ThemeChoiceField(
        label=_("主题分类"), queryset=themes(), to_field_name="code", required=False, empty_label="—"
    )
    tags = TagChoiceField(
        label=_("政策标签"), queryset=active_tags(), to_field_name="code", required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("按住 Ctrl（Mac 为 Command）可多选。政策文件提交审核前须至少有一个“对象”标签和一个“主题”标签。"),
    )  # fmt: skip
    is_normative = forms.BooleanField(label=_("规范性文件"), required=False)
    registration_number = forms.CharField(
        label=_("规范性文件登记号"), max_length=80, required=False, help_text=_("规范性文件备案登记的编号。")
    )
    disclosure_mode = forms.ChoiceField(
        label=_("公开方式"), choices=DisclosureMode.choices, widget=forms.RadioSelect
    )
    withheld_reason = forms.ChoiceField(
        label=_("不予公开理由"), choices=[("", "—"), *WithheldReason.choices], required=False,
        help_text=_("公开方式为“不予公开”时必选（条例第十四至十六条）。"),
    )  # fmt: skip
    summary = forms.CharField(label=_("摘要"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    body_html = forms.CharField(
        label=_("正文"), required=False, widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("正文为 HTML：每段一个 <p>，标题用 <h2>、<h3>，表格用 <table>；其他标签保存时会被去掉。"),
    )  # fmt: skip

    SERVICE_FIELDS = (
        "title", "doc_number", "doc_type", "written_date", "effective_date", "expiry_date", "theme",
        "is_normative", "registration_number", "disclosure_mode", "withheld_reason", "summary", "body_html",
    )  # fmt: skip

    @classmethod
    def initial_for(cls, document: Document) -> dict[str, Any]:
        initial = {name: getattr(document, name) for name in cls.SERVICE_FIELDS if name != "theme"}
        initial["theme"] = document.theme.code if document.theme_id else None
        initial["tags"] = [tag.code for tag in document.tags.all()]
        return initial

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as `documents.services.update_document` takes them."""
        return {name: self.cleaned_data[name] for name in self.SERVICE_FIELDS}

    def tag_codes(self) -> list[str]:
        return [tag.code for tag in self.cleaned_data.get("tags") or []]
