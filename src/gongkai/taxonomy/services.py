"""Writes to the tag catalogue (rule 1): create, edit, merge, delete only when unused."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.services import record_event

from .constants import Dimension
from .models import Tag
from .selectors import usage_count

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$|^[a-z]+-[A-Za-z0-9]{1,8}$")


def _require_catalogue_editor(actor: Any) -> None:
    """The catalogue is shared by every organisation: platform administrators (or the command line,
    whose actor is a label such as "gongkai tags") edit it."""
    if isinstance(actor, str) or getattr(actor, "is_platform_admin", False):
        return
    raise PermissionDenied(_("维护政策标签目录需要“平台管理员”角色。"))


def _check_tag(
    *, code: str, name: str, dimension: str, parent: Tag | None, instance: Tag | None = None
) -> None:
    errors: dict[str, str] = {}
    if not CODE_RE.match(code or ""):
        errors["code"] = _("代码：只能使用小写字母、数字和连字符，例如 veterans。")
    elif Tag.objects.filter(code=code).exclude(pk=getattr(instance, "pk", None)).exists():
        errors["code"] = _("代码：“%(code)s”已被其他标签使用。") % {"code": code}
    if not (name or "").strip():
        errors["name"] = _("名称：请填写标签名称。")
    elif len(name) > 60:
        errors["name"] = _("名称：不能超过 60 个字。")
    if dimension not in Dimension.values:
        errors["dimension"] = _("维度：请选择对象、行业、生命周期、主题或地域。")
    if parent is not None:
        if parent.dimension != dimension:
            errors["parent"] = _("上级标签：须与本标签属于同一维度（%(dimension)s）。") % {
                "dimension": Dimension(parent.dimension).label
            }
        ancestor: Tag | None = parent
        while ancestor is not None:
            if instance is not None and ancestor.pk == instance.pk:
                errors["parent"] = _("上级标签：不能是本标签或其下级。")
                break
            ancestor = ancestor.parent
    if errors:
        raise ValidationError(errors)


def create_tag(
    *,
    actor: Any,
    code: str,
    name: str,
    dimension: str,
    parent: Tag | None = None,
    keywords: list[str] | None = None,
) -> Tag:
    _require_catalogue_editor(actor)
    _check_tag(code=code, name=name, dimension=dimension, parent=parent)
    with transaction.atomic():
        tag = Tag.objects.create(
            code=code, name=name.strip(), dimension=dimension, parent=parent, keywords=list(keywords or [])
        )
        record_event("taxonomy.tag_created", actor=actor, target=tag, data={"code": code, "name": tag.name})
    return tag


def update_tag(tag: Tag, *, actor: Any, **fields: Any) -> Tag:
    _require_catalogue_editor(actor)
    values = {key: fields.get(key, getattr(tag, key)) for key in ("code", "name", "dimension", "parent")}
    if values["code"] != tag.code and usage_count(tag):
        raise ValidationError({"code": _("代码：标签已在使用，代码不能修改（其他系统按代码引用它）。")})
    _check_tag(instance=tag, **values)
    with transaction.atomic():
        for key, value in fields.items():
            setattr(tag, key, value)
        tag.save()
        record_event("taxonomy.tag_updated", actor=actor, target=tag, data={"fields": sorted(fields)})
    return tag


def merge_tags(source: Tag, target: Tag, *, actor: Any) -> int:
    """Move every use of `source` to `target` and retire `source`; returns how many links moved.

    Works for any model that points at Tag (documents, profiles, topics…) without importing them:
    the relations are read from Tag's own metadata.
    """
    _require_catalogue_editor(actor)
    if source.pk == target.pk:
        raise ValidationError({"target": _("合并目标：不能合并到标签自身。")})
    if source.dimension != target.dimension:
        raise ValidationError({"target": _("合并目标：只能合并到同一维度的标签。")})
    moved = 0
    with transaction.atomic():
        for relation in Tag._meta.related_objects:
            if relation.related_model is Tag:
                continue
            if relation.many_to_many:
                through = relation.through
                source_field = relation.field.m2m_reverse_field_name()
                owner_field = relation.field.m2m_field_name()
                owners_with_target = through.objects.filter(**{source_field: target}).values(owner_field)
                links = through.objects.filter(**{source_field: source})
                links.filter(**{f"{owner_field}__in": owners_with_target}).delete()
                moved += links.update(**{source_field: target})
            elif relation.one_to_many:
                moved += relation.related_model._base_manager.filter(**{relation.field.name: source}).update(
                    **{relation.field.name: target}
                )
        Tag.objects.filter(parent=source).update(parent=target)
        source.merged_into = target
        source.is_active = False
        source.save(update_fields=["merged_into", "is_active"])
        record_event(
            "taxonomy.tags_merged", actor=actor, target=target, data={"source": source.code, "moved": moved}
        )
    return moved


def delete_tag(tag: Tag, *, actor: Any) -> None:
    _require_catalogue_editor(actor)
    used = usage_count(tag)
    if used or tag.children.exists():
        raise ValidationError(
            {"tag": _("标签“%(name)s”正在使用（%(count)s 处）或有下级标签，不能删除；请改为合并到其他标签。")
             % {"name": tag.name, "count": used}}
        )  # fmt: skip
    with transaction.atomic():
        record_event("taxonomy.tag_deleted", actor=actor, data={"code": tag.code, "name": tag.name})
        tag.delete()
