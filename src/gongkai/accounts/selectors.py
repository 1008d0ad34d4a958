"""Read side of accounts: organisations as a tree, in the shape `gongkai organisations import` reads."""

from __future__ import annotations

from typing import Any

from .models import Organisation

# The columns of an organisations file, in order; `organisation_rows` returns the same keys, so a
# listing can be edited and imported back.
ORGANISATION_COLUMNS = (
    "code", "name", "short_name", "organ_code", "extra_organ_codes", "parent", "kind", "index_prefix",
    "sort_order",
)  # fmt: skip


def organisation_by_code(code: str) -> Organisation | None:
    return Organisation.objects.filter(code=code).first()


def organisation_by_name(name: str) -> Organisation | None:
    return Organisation.objects.filter(name=name).first()


def organisation_tree() -> list[tuple[Organisation, int]]:
    """Every organisation with its depth, parents before children, siblings by sort order."""
    organisations = list(Organisation.objects.select_related("parent").order_by("sort_order", "id"))
    children: dict[int | None, list[Organisation]] = {}
    for organisation in organisations:
        children.setdefault(organisation.parent_id, []).append(organisation)
    ordered: list[tuple[Organisation, int]] = []
    stack = [(organisation, 0) for organisation in reversed(children.get(None, []))]
    while stack:
        organisation, depth = stack.pop()
        ordered.append((organisation, depth))
        stack += [(child, depth + 1) for child in reversed(children.get(organisation.pk, []))]
    return ordered


def organisation_rows() -> list[dict[str, Any]]:
    """The organisations as rows of ORGANISATION_COLUMNS (parent as its code), in tree order."""
    return [
        {
            "code": organisation.code,
            "name": organisation.name,
            "short_name": organisation.short_name,
            "organ_code": organisation.organ_code,
            "extra_organ_codes": organisation.extra_organ_codes,
            "parent": organisation.parent.code if organisation.parent else "",
            "kind": organisation.kind,
            "index_prefix": organisation.index_prefix,
            "sort_order": organisation.sort_order,
        }
        for organisation, _depth in organisation_tree()
    ]
