"""Form conventions every public form shares (issue 19, GOV.UK-style error handling).

`NaturalMessagesMixin` replaces Django's generic messages ("确保该变量包含不超过 18 字符") with
Chinese that names the field; `marked_required` lists fields a service requires though the form
field itself is optional (the rule stays in the service), so the page marks them required too.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class NaturalMessagesMixin:
    marked_required: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            label = field.label or name
            messages = {
                "required": format_lazy(_("请填写“{label}”。"), label=label),
                "invalid_choice": format_lazy(_("请从列表中选择“{label}”。"), label=label),
                "invalid": format_lazy(_("“{label}”的格式不正确，请核对。"), label=label),
            }
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField) or isinstance(
                field.widget, forms.RadioSelect | forms.Select
            ):
                messages["required"] = format_lazy(_("请选择“{label}”。"), label=label)
            if isinstance(field, forms.CharField) and field.max_length:
                messages["max_length"] = format_lazy(
                    _("“{label}”最多填写{limit}个字，现在是%(show_value)d个。"),
                    label=label,
                    limit=field.max_length,
                )
            field.error_messages.update(messages)
            if name in self.marked_required:
                field.widget.attrs["aria-required"] = "true"
                field.marked_required = True  # type: ignore[attr-defined]
