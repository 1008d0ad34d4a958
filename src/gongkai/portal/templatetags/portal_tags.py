from urllib.parse import urlencode

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.simple_tag
def query_with(params: dict, key: str, value) -> str:
    """The current filters with `key` set to `value` (page reset unless it is the page)."""
    merged = {k: v for k, v in params.items() if k != "page"}
    merged[key] = value
    return urlencode(merged)


@register.simple_tag
def query_without(params: dict, key: str) -> str:
    return urlencode({k: v for k, v in params.items() if k not in (key, "page")})
