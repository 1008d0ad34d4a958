from typing import Any
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


@register.filter
def page_numbers(page: Any, around: int = 2) -> list[int | None]:
    """The numbered page links: first, last and `around` either side of the current (None = gap)."""
    total, current = page.paginator.num_pages, page.number
    wanted = {1, total, *range(current - around, current + around + 1)}
    numbers: list[int | None] = []
    for number in sorted(n for n in wanted if 1 <= n <= total):
        if numbers and numbers[-1] is not None and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers
