from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils.translation import gettext_noop

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


# The back-office links and the roles that may use them: the navigation shows only what the user's
# roles allow (a platform admin holds every role, User.has_role).
STAFF_LINKS = [
    ("documents:mine", gettext_noop("我的文件"), ("editor", "org_admin")),
    ("ingest:upload", gettext_noop("导入公文"), ("editor", "org_admin")),
    ("review:queue", gettext_noop("公开审查"), ("reviewer", "approver")),
    ("foi:staff-list", gettext_noop("申请办理"), ("foi_officer", "approver", "org_admin")),
    ("documents:missing-interpretations", gettext_noop("应解读尽解读"), ("editor", "reviewer", "org_admin")),
    ("reports:manage", gettext_noop("年报管理"), ("editor", "reviewer", "approver", "org_admin")),
    ("participation:staff", gettext_noop("公众参与工作台"), ("editor", "org_admin")),
    ("interaction:staff", gettext_noop("留言办理"), ("editor", "reviewer", "org_admin")),
    ("subscriptions:staff-status", gettext_noop("推送状态"), ("editor", "reviewer", "approver", "org_admin")),
    ("office:dashboard", gettext_noop("政务公开工作台"), ("editor", "org_admin", "platform_admin")),
    ("admin:index", gettext_noop("后台"), ("org_admin", "platform_admin")),
]


@register.simple_tag
def staff_links(user: Any) -> list[tuple[str, str]]:
    from django.urls import reverse
    from django.utils.translation import gettext

    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return []
    return [
        (reverse(name), gettext(label))
        for name, label, roles in STAFF_LINKS
        if any(user.has_role(role) for role in roles)
    ]
