"""重大行政决策事项目录 and the statutory steps of each decision (国务院令第713号)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation
from gongkai.core.services import record_event

from ..constants import CatalogueStatus, ChangeKind, ItemStatus, StepKind
from ..models import CatalogueChange, DecisionCatalogue, DecisionItem, DecisionStep
from .base import clean_text, not_in_future, parse_date, require_editor, today

ITEM_FIELDS = ("title", "description", "lead_organisation", "planned_time")


def create_catalogue(
    *,
    actor: Any,
    organisation: Organisation,
    year: int,
    title: str = "",
    note: str = "",
    is_sample: bool = False,
) -> DecisionCatalogue:
    with transaction.atomic(durable=True):
        require_editor(actor, organisation.pk, _("编制重大行政决策事项目录"))
        if not 2000 <= int(year) <= today().year + 1:
            raise ValidationError({"year": _("年度不正确。")})
        if DecisionCatalogue.objects.filter(organisation=organisation, year=year).exists():
            raise ValidationError({"year": _("%(year)s年度目录已存在。") % {"year": year}})
        catalogue = DecisionCatalogue.objects.create(
            organisation=organisation,
            year=year,
            title=clean_text(title, "title", _("标题"), max_chars=200, required=False)
            or _("%(name)s%(year)s年度重大行政决策事项目录") % {"name": organisation.name, "year": year},
            note=clean_text(note, "note", _("说明"), max_chars=5000, required=False),
            is_sample=is_sample,
        )
        record_event(
            "participation.catalogue_created", actor=actor, target=catalogue, organisation=organisation
        )
        return catalogue


def _item_values(fields: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "title" in fields:
        values["title"] = clean_text(fields["title"], "title", _("决策事项"), max_chars=200)
    if "description" in fields:
        values["description"] = clean_text(
            fields["description"], "description", _("事项说明"), max_chars=5000, required=False
        )
    if "planned_time" in fields:
        values["planned_time"] = clean_text(
            fields["planned_time"], "planned_time", _("计划完成时间"), max_chars=60
        )
    if "lead_organisation" in fields:
        if not isinstance(fields["lead_organisation"], Organisation):
            raise ValidationError({"lead_organisation": _("请选择承办单位。")})
        values["lead_organisation"] = fields["lead_organisation"]
    return values


def _change_reason(catalogue: DecisionCatalogue, reason: str) -> str:
    """A change to a published catalogue is published with its reason (Art. 3: 根据实际情况调整)."""
    reason = clean_text(reason, "reason", _("调整理由"), max_chars=2000, required=catalogue.is_published)
    return reason


def add_item(catalogue: DecisionCatalogue, *, actor: Any, reason: str = "", **fields: Any) -> DecisionItem:
    """A new decision with its five statutory steps pending; on a published catalogue, with a reason."""
    with transaction.atomic(durable=True):
        catalogue = DecisionCatalogue.objects.select_for_update().get(pk=catalogue.pk)
        require_editor(actor, catalogue.organisation_id, _("编制重大行政决策事项目录"))
        values = _item_values({**{name: "" for name in ITEM_FIELDS if name != "lead_organisation"}, **fields})
        if "lead_organisation" not in values:
            raise ValidationError({"lead_organisation": _("请选择承办单位。")})
        reason = _change_reason(catalogue, reason)
        position = (catalogue.items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        item = DecisionItem.objects.create(catalogue=catalogue, position=position, **values)
        DecisionStep.objects.bulk_create([DecisionStep(item=item, kind=kind) for kind in StepKind.values])
        if catalogue.is_published:
            CatalogueChange.objects.create(
                catalogue=catalogue, item=item, kind=ChangeKind.ADDED, changed_on=today(), changed_by=actor,
                description=_("增加“%(title)s”") % {"title": item.title}, reason=reason,
            )  # fmt: skip
        record_event("participation.item_added", actor=actor, target=item, organisation=catalogue.organisation,
                     data={"catalogue": catalogue.pk, "reason": reason})  # fmt: skip
        return item


def change_item(item: DecisionItem, *, actor: Any, reason: str = "", **fields: Any) -> DecisionItem:
    """Change what a decision is, who leads it or when; a published catalogue shows the change and why."""
    with transaction.atomic(durable=True):
        item = DecisionItem.objects.select_for_update().select_related("catalogue").get(pk=item.pk)
        require_editor(actor, item.catalogue.organisation_id, _("调整重大行政决策事项目录"))
        if item.status == ItemStatus.REMOVED:
            raise ValidationError({"status": _("该事项已调出目录。")})
        values = _item_values(fields)
        changed = {name: value for name, value in values.items() if getattr(item, name) != value}
        if not changed:
            return item
        reason = _change_reason(item.catalogue, reason)
        before = {name: str(getattr(item, name)) for name in changed}
        for name, value in changed.items():
            setattr(item, name, value)
        item.save()
        if item.catalogue.is_published:
            labels = [str(DecisionItem._meta.get_field(name).verbose_name) for name in changed]
            description = "；".join(
                f"{label}：{before[name]} → {getattr(item, name)}"
                for label, name in zip(labels, changed, strict=True)
            )
            CatalogueChange.objects.create(catalogue=item.catalogue, item=item, kind=ChangeKind.CHANGED,
                                           changed_on=today(), changed_by=actor, description=description, reason=reason)  # fmt: skip
        record_event("participation.item_changed", actor=actor, target=item, organisation=item.catalogue.organisation,
                     data={"fields": sorted(changed), "reason": reason})  # fmt: skip
        return item


def remove_item(item: DecisionItem, *, actor: Any, reason: str) -> DecisionItem:
    """Take a decision out of the catalogue; it stays listed as removed, with the reason."""
    with transaction.atomic(durable=True):
        item = DecisionItem.objects.select_for_update().select_related("catalogue").get(pk=item.pk)
        require_editor(actor, item.catalogue.organisation_id, _("调整重大行政决策事项目录"))
        if item.status in (ItemStatus.REMOVED, ItemStatus.DECIDED):
            raise ValidationError({"status": _("已作出决策或已调出的事项不能再调出目录。")})
        reason = clean_text(reason, "reason", _("调整理由"), max_chars=2000)
        item.status = ItemStatus.REMOVED
        item.save(update_fields=["status", "updated_at"])
        if item.catalogue.is_published:
            CatalogueChange.objects.create(catalogue=item.catalogue, item=item, kind=ChangeKind.REMOVED, changed_on=today(),
                                           changed_by=actor, description=_("调出“%(title)s”") % {"title": item.title}, reason=reason)  # fmt: skip
        record_event("participation.item_removed", actor=actor, target=item, organisation=item.catalogue.organisation,
                     data={"reason": reason})  # fmt: skip
        return item


def publish_catalogue(
    catalogue: DecisionCatalogue, *, actor: Any, published_on: Any = None
) -> DecisionCatalogue:
    """Publish the catalogue (Art. 3: after the same-level Party committee agreed); due by 31 March."""
    with transaction.atomic(durable=True):
        catalogue = DecisionCatalogue.objects.select_for_update().get(pk=catalogue.pk)
        require_editor(actor, catalogue.organisation_id, _("公布重大行政决策事项目录"))
        if catalogue.is_published:
            raise ValidationError({"status": _("目录已经公布。")})
        if not catalogue.items.exists():
            raise ValidationError({"items": _("目录中还没有决策事项，不能公布。")})
        day = parse_date(published_on, "published_on", _("公布日期"), required=False) or today()
        not_in_future(day, "published_on", _("公布日期"))
        if day.year < catalogue.year - 1:
            raise ValidationError({"published_on": _("公布日期与目录年度不符。")})
        catalogue.status = CatalogueStatus.PUBLISHED
        catalogue.published_on = day
        catalogue.save(update_fields=["status", "published_on", "updated_at"])
        record_event("participation.catalogue_published", actor=actor, target=catalogue,
                     organisation=catalogue.organisation, data={"published_on": day})  # fmt: skip
        return catalogue


def set_item_status(item: DecisionItem, *, actor: Any, status: str) -> DecisionItem:
    """Progress of a decision (未启动 → 推进中); 已作出决策 follows from the collective-decision step."""
    with transaction.atomic(durable=True):
        item = DecisionItem.objects.select_for_update().select_related("catalogue").get(pk=item.pk)
        require_editor(actor, item.catalogue.organisation_id, _("更新决策事项进度"))
        if status not in (ItemStatus.PLANNED, ItemStatus.IN_PROGRESS) or item.status in (
            ItemStatus.REMOVED,
            ItemStatus.DECIDED,
        ):
            raise ValidationError({"status": _("不能把事项改为该状态。")})
        item.status = status
        item.save(update_fields=["status", "updated_at"])
        record_event("participation.item_status", actor=actor, target=item, organisation=item.catalogue.organisation,
                     data={"status": status})  # fmt: skip
        return item
