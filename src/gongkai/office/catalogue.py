"""政务公开标准目录 (work plan item 二十六): items with the national columns, XLSX in and out, and
the compliance monitor (条例 Art. 26: within 20 working days of the information being formed)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from gongkai.accounts.models import Organisation
from gongkai.accounts.selectors import organisation_by_code
from gongkai.core.calendar import add_working_days, working_days_between
from gongkai.core.services import record_event
from gongkai.documents import selectors as documents
from gongkai.documents.constants import DocType
from gongkai.taxonomy.selectors import tags_by_codes
from gongkai.topics.selectors import published_topics, topic_documents

from .constants import AMBER_WORKING_DAYS, CATALOGUE_COLUMNS, LINK_COLUMNS, Light
from .models import CatalogueItem
from .permissions import require_office

HEADERS = [label for _key, label in CATALOGUE_COLUMNS + LINK_COLUMNS]
REQUIRED = [label for _key, label in CATALOGUE_COLUMNS]
SCALARS = [key for key, _label in CATALOGUE_COLUMNS]


def _split(value: Any) -> list[str]:
    text = str(value or "").replace("，", ",").replace("、", ",").replace(";", ",").replace("；", ",")
    return [part.strip() for part in text.split(",") if part.strip()]


def _clean_row(row: dict[str, Any], line: int) -> dict[str, Any]:
    """One sheet row → the item's fields; every problem is a ValidationError naming the row and column."""
    where = _("第%(line)d行") % {"line": line}
    values = {key: str(row.get(label) or "").strip() for key, label in CATALOGUE_COLUMNS}
    if not values["matter"]:
        raise ValidationError({"file": _("%(where)s：“公开事项”不能为空。") % {"where": where}})
    try:
        days = int(row.get("时限（工作日）") or 20)
        cycle = int(row["更新周期（日）"]) if row.get("更新周期（日）") not in (None, "") else None
    except (TypeError, ValueError):
        raise ValidationError(
            {"file": _("%(where)s：“时限（工作日）”和“更新周期（日）”须为整数。") % {"where": where}}
        ) from None
    if days < 1 or days > 365 or (cycle is not None and cycle < 1):
        raise ValidationError({"file": _("%(where)s：“时限（工作日）”须在1到365之间。") % {"where": where}})
    organisations = []
    for code in _split(row.get("责任单位代码")):
        organisation = organisation_by_code(code)
        if organisation is None:
            raise ValidationError(
                {"file": _("%(where)s：责任单位代码“%(code)s”不存在。") % {"where": where, "code": code}}
            )
        organisations.append(organisation)
    themes = []
    for code in _split(row.get("主题分类代码")):
        theme = documents.theme_by_code(code)
        if theme is None:
            raise ValidationError(
                {"file": _("%(where)s：主题分类代码“%(code)s”不存在。") % {"where": where, "code": code}}
            )
        themes.append(theme)
    try:
        tags = tags_by_codes(_split(row.get("标签代码")), field="file")
    except ValidationError as exc:
        raise ValidationError({"file": f"{where}：{'；'.join(exc.messages)}"}) from None
    doc_types = _split(row.get("文种"))
    unknown = [t for t in doc_types if t not in DocType.values]
    if unknown:
        raise ValidationError(
            {"file": _("%(where)s：文种“%(value)s”不存在。") % {"where": where, "value": "、".join(unknown)}}
        )
    topic = None
    if row.get("专题代码"):
        topic = published_topics().filter(code=str(row["专题代码"]).strip()).first()
        if topic is None:
            raise ValidationError(
                {
                    "file": _("%(where)s：专题“%(code)s”不存在或未发布。")
                    % {"where": where, "code": row["专题代码"]}
                }
            )
    normative = str(row.get("仅规范性文件") or "").strip() in ("是", "1", "true", "True", "Y")
    return {
        **values, "time_limit_days": days, "cycle_days": cycle, "doc_types": doc_types,
        "normative_only": normative, "topic": topic,
        "_code": str(row.get("编号") or "").strip(), "_organisations": organisations, "_themes": themes, "_tags": tags,
    }  # fmt: skip


def read_catalogue_xlsx(content: bytes) -> list[dict[str, Any]]:
    """Rows of the first sheet keyed by header; missing national columns are named in the error."""
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not XLSX
        raise ValidationError({"file": _("文件不是有效的 XLSX 表格。")}) from None
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        raise ValidationError({"file": _("表格为空：第一行须为列名。")})
    header = [str(cell or "").strip() for cell in rows[0]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ValidationError(
            {"file": _("表格缺少国家标准目录的列：%(columns)s。") % {"columns": "、".join(missing)}}
        )
    out = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell not in (None, "") for cell in cells):
            continue
        out.append((number, dict(zip(header, cells, strict=False))))
    return [_clean_row(row, number) for number, row in out]


def import_catalogue(*, actor: Any, content: bytes) -> list[CatalogueItem]:
    """All or nothing: every row is checked before anything is written. Items are keyed by 编号 when
    the sheet has that column, otherwise by 公开事项."""
    require_office(actor, _("导入标准目录"))
    rows = read_catalogue_xlsx(content)
    if not rows:
        raise ValidationError({"file": _("表格没有任何事项。")})
    items = []
    with transaction.atomic(durable=True):
        for row in rows:
            organisations, themes, tags = row.pop("_organisations"), row.pop("_themes"), row.pop("_tags")
            code = row.pop("_code")
            existing = (
                CatalogueItem.objects.filter(code=code)
                if code
                else CatalogueItem.objects.filter(matter=row["matter"])
            )
            item = existing.first() or CatalogueItem(code=code or f"C{CatalogueItem.objects.count() + 1:04d}")
            for key, value in row.items():
                setattr(item, key, value)
            item.save()
            item.organisations.set(organisations)
            item.themes.set(themes)
            item.tags.set(tags)
            items.append(item)
        record_event("office.catalogue_imported", actor=actor, data={"items": len(items)})
    return items


def export_catalogue(items: QuerySet[CatalogueItem] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "政务公开标准目录"
    sheet.append(["编号", *HEADERS])
    for item in (items if items is not None else CatalogueItem.objects.all()).prefetch_related(
        "organisations", "themes", "tags"
    ):
        sheet.append([
            item.code, *[getattr(item, key) for key in SCALARS], item.time_limit_days, item.cycle_days,
            ",".join(o.code for o in item.organisations.all()), ",".join(t.code for t in item.themes.all()),
            ",".join(t.code for t in item.tags.all()), ",".join(item.doc_types),
            "是" if item.normative_only else "", item.topic.code if item.topic else "",
        ])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- the monitor --------------------------------------------------------------------------------


@dataclass
class Status:
    item: CatalogueItem
    organisation: Organisation
    light: str
    latest: Any = None
    due: dt.date | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def light_label(self) -> str:
        return str(Light(self.light).label)


def matching_documents(item: CatalogueItem) -> QuerySet:
    """Public documents the item covers: its topic's documents, or its themes, tags and 文种."""
    if item.topic_id:
        return topic_documents(item.topic)
    queryset = documents.public_documents()
    condition = Q()
    themes = list(item.themes.all())
    if themes:
        ids = [t.pk for theme in themes for t in documents.theme_with_children(theme)]
        condition |= Q(theme_id__in=ids)
    for tag in item.tags.all():
        condition |= documents.has_tag_or_below(tag.code)
    if item.doc_types:
        condition |= Q(doc_type__in=item.doc_types)
    if condition:
        queryset = queryset.filter(condition)
    elif not item.normative_only:
        return queryset.none()
    if item.normative_only:
        queryset = queryset.filter(is_normative=True)
    return queryset


def _working_days(start: dt.date, end: dt.date) -> int | None:
    try:
        return working_days_between(start, end)
    except Exception:  # a year the work calendar does not know (e.g. a 1990s document)
        return None


def _remaining(today: dt.date, due: dt.date) -> int:
    """Working days left; beyond the years the work calendar knows, five in seven calendar days."""
    left = _working_days(today, due)
    return left if left is not None else (due - today).days * 5 // 7


def item_status(item: CatalogueItem, organisation: Organisation, today: dt.date | None = None) -> Status:
    """Green: the latest publication is on time and the next one is not yet due; amber: published late
    or due within five working days; red: nothing published, or overdue (条例 Art. 26)."""
    today = today or timezone.localdate()
    latest = (
        matching_documents(item)
        .filter(Q(organisation=organisation) | Q(issuer_links__organisation=organisation))
        .order_by("-published_date", "-id")
        .first()
    )
    status = Status(item=item, organisation=organisation, light=Light.GREEN, latest=latest)
    if latest is None or latest.published_date is None:
        status.light = Light.RED
        status.problems.append(_("未发布任何符合该事项的信息。"))
        return status
    formed = latest.written_date or latest.published_date
    late = _working_days(formed, latest.published_date)
    if late is not None and late > item.time_limit_days:
        status.light = Light.AMBER
        status.problems.append(
            _("最近一次发布距信息形成%(days)d个工作日，超过%(limit)d个工作日的时限。")
            % {"days": late, "limit": item.time_limit_days}
        )
    if item.cycle_days:
        try:
            status.due = add_working_days(formed + dt.timedelta(days=item.cycle_days), item.time_limit_days)
        except Exception:
            status.due = formed + dt.timedelta(days=item.cycle_days + item.time_limit_days * 7 // 5)
        if status.due < today:
            status.light = Light.RED
            status.problems.append(_("应于%(due)s前更新，已超期。") % {"due": status.due.isoformat()})
        elif _remaining(today, status.due) <= AMBER_WORKING_DAYS and status.light == Light.GREEN:
            status.light = Light.AMBER
            status.problems.append(_("应于%(due)s前更新，即将到期。") % {"due": status.due.isoformat()})
    return status


def monitor(today: dt.date | None = None, organisation: Organisation | None = None) -> list[Status]:
    """Every (item, responsible organisation) pair with its light, red first."""
    out = []
    for item in CatalogueItem.objects.prefetch_related("organisations", "themes", "tags").select_related(
        "topic"
    ):
        for org in item.organisations.all():
            if organisation is None or org.pk == organisation.pk:
                out.append(item_status(item, org, today))
    order = {Light.RED: 0, Light.AMBER: 1, Light.GREEN: 2}
    return sorted(out, key=lambda s: (order[s.light], s.item.code, s.organisation.name))


def timeliness_rate(organisation: Organisation, today: dt.date | None = None) -> float | None:
    """Share of the organisation's catalogue items that are green (for the assessment)."""
    rows = monitor(today, organisation)
    if not rows:
        return None
    return sum(1 for row in rows if row.light == Light.GREEN) / len(rows)
