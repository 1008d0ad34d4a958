"""Seeding the tag catalogue: the shipped lists, GB/T 4754-2017, and the district's streets and towns.

Idempotent and conservative: a missing tag is created, an existing one (staff may have renamed it or
changed its keywords) is left alone. Used by the data migration and after every migrate (a test
database flush empties the table).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .constants import INDUSTRY_PREFIX, REGION_PREFIX, Dimension

DATA = Path(__file__).resolve().parent / "data"
REGION_KINDS = ("street", "town")


def has_english_name(model: Any) -> bool:
    """False for the historical models of the migrations before `name_en` was added."""
    return any(field.name == "name_en" for field in model._meta.get_fields())


def catalogue_rows() -> list[dict[str, Any]]:
    """Every shipped tag as {code, name, dimension, parent, keywords, sort_order}, parents first."""
    rows = []
    for order, row in enumerate(json.loads((DATA / "tags.json").read_text(encoding="utf-8"))["tags"]):
        rows.append(
            {**row, "parent": row.get("parent"), "keywords": row.get("keywords", []), "sort_order": order}
        )
    industry = json.loads((DATA / "gbt4754-2017.json").read_text(encoding="utf-8"))["rows"]
    for order, row in enumerate(industry):
        rows.append(
            {
                "code": INDUSTRY_PREFIX + row["code"],
                "name": row["name"],
                "dimension": Dimension.INDUSTRY.value,
                "parent": INDUSTRY_PREFIX + row["parent"] if row["parent"] else None,
                "keywords": [row["name"]] if "、" not in row["name"] else row["name"].split("、"),
                "sort_order": order,
            }
        )
    return rows


def seed_tags(tag_model: Any) -> int:
    """Create the shipped tags that are missing; returns how many were created."""
    existing = {tag.code: tag for tag in tag_model.objects.all()}
    created = 0
    for row in catalogue_rows():
        if row["code"] in existing:
            continue
        tag = tag_model.objects.create(
            code=row["code"],
            name=row["name"],
            **({"name_en": row.get("name_en", "")} if has_english_name(tag_model) else {}),
            dimension=row["dimension"],
            parent=existing.get(row["parent"]) if row["parent"] else None,
            keywords=row["keywords"],
            sort_order=row["sort_order"],
        )
        existing[tag.code] = tag
        created += 1
    return created


def region_code(organisation_code: str) -> str:
    return REGION_PREFIX + organisation_code


def sync_region_tag(tag_model: Any, organisation: Any) -> Any | None:
    """The 地域 tag of a street or town (its short name, e.g. 江宁路街道); created when missing."""
    if organisation.kind not in REGION_KINDS:
        return None
    name = (organisation.short_name or organisation.name)[:60]
    tag, _created = tag_model.objects.get_or_create(
        code=region_code(organisation.code),
        defaults={
            "name": name,
            "dimension": Dimension.REGION.value,
            "keywords": [name, organisation.name],
            "sort_order": organisation.sort_order,
        },
    )
    return tag


def seed_region_tags(tag_model: Any, organisation_model: Any) -> int:
    created = 0
    for organisation in organisation_model.objects.filter(kind__in=REGION_KINDS):
        before = tag_model.objects.filter(code=region_code(organisation.code)).exists()
        sync_region_tag(tag_model, organisation)
        created += not before
    return created


def sync_theme_tag(
    tag_model: Any, code: str, name: str, parent_code: str | None, sort_order: int, name_en: str = ""
) -> Any:
    """The 主题 tag mirroring a 主题分类 entry (the documents app owns the themes and calls this)."""
    from .constants import THEME_PREFIX

    parent = tag_model.objects.filter(code=THEME_PREFIX + parent_code).first() if parent_code else None
    tag, created = tag_model.objects.get_or_create(
        code=THEME_PREFIX + code,
        defaults={
            "name": name[:60],
            **({"name_en": name_en[:120]} if has_english_name(tag_model) else {}),
            "dimension": Dimension.THEME.value,
            "parent": parent,
            "keywords": [name] if len(name) >= 2 else [],
            "sort_order": sort_order,
        },
    )
    if not created and name_en and has_english_name(tag_model) and not tag.name_en:
        tag.name_en = name_en[:120]
        tag.save(update_fields=["name_en"])
    return tag


def fill_english_names(tag_model: Any) -> None:
    """English names of the shipped tags on the tags that have none (staff edits are kept)."""
    for row in catalogue_rows():
        if row.get("name_en"):
            tag_model.objects.filter(code=row["code"], name_en="").update(name_en=row["name_en"])
