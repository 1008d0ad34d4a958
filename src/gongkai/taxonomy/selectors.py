"""Reading the tag catalogue: by code, by dimension, with descendants (for matching and filters)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .constants import Dimension
from .models import Tag, TagQuerySet


def all_tags() -> TagQuerySet:
    return Tag.objects.select_related("parent")


def active_tags() -> TagQuerySet:
    return Tag.objects.active().select_related("parent")


def tags_by_codes(codes: Iterable[str], *, field: str = "tags") -> list[Tag]:
    """The tags named by `codes`, in order, each once; merged tags resolve to their target.

    Raises ValidationError({field: …}) naming every unknown code, so bad input changes nothing.
    """
    wanted = [code.strip() for code in codes if code and code.strip()]
    found = {tag.code: tag for tag in Tag.objects.filter(code__in=wanted).select_related("merged_into")}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise ValidationError(
            {field: _("标签：没有代码为 %(codes)s 的标签。") % {"codes": "、".join(unknown)}}
        )
    result: list[Tag] = []
    for code in wanted:
        tag = found[code]
        while tag.merged_into_id is not None:
            tag = tag.merged_into
        if tag not in result:
            result.append(tag)
    return result


def descendant_ids(tag_ids: Iterable[int]) -> set[int]:
    """The tags and every tag below them (a profile tag 'below' a policy tag matches it)."""
    parents = {tag_id: parent for tag_id, parent in Tag.objects.values_list("id", "parent_id")}
    children: dict[int, list[int]] = {}
    for tag_id, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(tag_id)
    result: set[int] = set()
    stack = list(tag_ids)
    while stack:
        current = stack.pop()
        if current in result:
            continue
        result.add(current)
        stack.extend(children.get(current, []))
    return result


def usage_count(tag: Tag) -> int:
    """How many rows of any app point at the tag (documents, profiles, topics…)."""
    total = 0
    for relation in Tag._meta.related_objects:
        if relation.related_model is Tag:
            continue
        if relation.many_to_many:
            total += relation.through.objects.filter(**{relation.field.m2m_reverse_field_name(): tag}).count()
        elif relation.one_to_many:
            total += relation.related_model._base_manager.filter(**{relation.field.name: tag}).count()
    return total


def tag_rows(dimension: str | None = None) -> list[dict[str, Any]]:
    """`gongkai tags list --json`: [{code, name, dimension, parent}] with parent a code or null."""
    queryset = active_tags()
    if dimension:
        queryset = queryset.filter(dimension=dimension)
    return [
        {
            "code": tag.code,
            "name": tag.name,
            "dimension": tag.dimension,
            "parent": tag.parent.code if tag.parent else None,
        }
        for tag in queryset
    ]


def dimension_label(dimension: str) -> str:
    return str(Dimension(dimension).label)


def tags_for_suggestion() -> list[Tag]:
    """Active tags with `has_children` set (a broad tag needs more evidence before it is suggested)."""
    from django.db.models import Exists, OuterRef

    return list(active_tags().annotate(has_children=Exists(Tag.objects.filter(parent=OuterRef("pk")))))
