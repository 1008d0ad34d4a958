"""Accessible form fields: ids for hints and errors wired to aria-describedby, aria-invalid on error."""

from __future__ import annotations

from typing import Any

from django import forms, template

register = template.Library()


def _anchor(field: Any) -> str:
    """The id the error summary links to: the first option of a radio group, else the field."""
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{field.auto_id}_0"
    return field.auto_id


@register.filter
def field_anchor(field: Any) -> str:
    return _anchor(field)


@register.filter
def is_group(field: Any) -> bool:
    return isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def is_required(field: Any) -> bool:
    return bool(field.field.required or getattr(field.field, "marked_required", False))


@register.simple_tag
def accessible_widget(field: Any, hint: str = "") -> str:
    """The widget with aria-describedby naming only ids that exist on the page."""
    described = []
    if hint:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-errors")
    attrs: dict[str, str] = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if is_required(field) and not is_group(field):
        attrs["aria-required"] = "true"
    return field.as_widget(attrs=attrs)
