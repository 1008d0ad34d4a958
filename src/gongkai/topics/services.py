"""Writes for topic pages, service items and progress records (rule 1: one transaction, an audit
event, a keyword-only actor). Staff of the owning organisation edit; bad input changes nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.constants import Role
from gongkai.accounts.permissions import require_role
from gongkai.core.services import record_event
from gongkai.documents.selectors import all_documents
from gongkai.taxonomy.selectors import tags_by_codes

from .constants import MAX_PHOTO_BYTES, Level
from .models import ExternalReference, ProgressRecord, ProgressUpdate, ServiceItem, Topic

TOPIC_FIELDS = ("title", "summary", "rule_query", "workplan_items", "is_example", "sort_order")


def _require_editor(actor: Any, organisation_id: int | None, action: str) -> None:
    if isinstance(actor, str):  # the command line and the demo loader
        return
    require_role(actor, Role.EDITOR, organisation_id, action)


def _check_url(url: str, field: str, label: str) -> None:
    if not (url or "").strip():
        raise ValidationError({field: _("%(label)s：请填写链接。") % {"label": label}})
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            {field: _("%(label)s：“%(url)s”不是有效的网址。") % {"label": label, "url": url}}
        ) from None


def _check_topic(code: str, title: str, instance: Topic | None = None) -> None:
    errors: dict[str, str] = {}
    if not code or not code.replace("-", "").isalnum() or not code.isascii() or code != code.lower():
        errors["code"] = _("代码：只能使用小写字母、数字和连字符。")
    elif Topic.objects.filter(code=code).exclude(pk=getattr(instance, "pk", None)).exists():
        errors["code"] = _("代码：“%(code)s”已被其他专题使用。") % {"code": code}
    if not (title or "").strip():
        errors["title"] = _("专题名称：请填写。")
    if errors:
        raise ValidationError(errors)


def save_topic(
    *,
    actor: Any,
    organisation: Any,
    code: str,
    title: str,
    topic: Topic | None = None,
    tags: Iterable[str] | None = None,
    organisations: Iterable[Any] | None = None,
    pinned: Iterable[int] | None = None,
    **fields: Any,
) -> Topic:
    """Create or update a topic and its rules (tags by code, organisations, pinned document ids)."""
    _require_editor(actor, organisation.pk, _("维护专题"))
    _check_topic(code, title, topic)
    rule_tags = tags_by_codes(tags or [], field="rule_tags") if tags is not None else None
    pinned_docs = list(all_documents().filter(pk__in=list(pinned))) if pinned is not None else None
    if pinned is not None and len(pinned_docs or []) != len(set(pinned)):
        raise ValidationError({"pinned": _("置顶文件：有文件不存在。")})
    unknown = set(fields) - set(TOPIC_FIELDS)
    if unknown:
        raise ValueError(f"unknown topic fields: {sorted(unknown)}")
    with transaction.atomic():
        topic = topic or Topic(organisation=organisation)
        topic.code, topic.title, topic.organisation = code, title.strip(), organisation
        for key, value in fields.items():
            setattr(topic, key, value)
        topic.save()
        if rule_tags is not None:
            topic.rule_tags.set(rule_tags)
        if organisations is not None:
            topic.rule_organisations.set(list(organisations))
        if pinned_docs is not None:
            topic.pinned.set(pinned_docs)
        record_event("topic.saved", actor=actor, target=topic, organisation=organisation, data={"code": code})
    return topic


def set_topic_published(topic: Topic, *, actor: Any, published: bool) -> Topic:
    _require_editor(actor, topic.organisation_id, _("发布专题"))
    with transaction.atomic():
        topic.is_published = published
        topic.save(update_fields=["is_published", "updated_at"])
        record_event("topic.published" if published else "topic.unpublished", actor=actor, target=topic,
                     organisation=topic.organisation)  # fmt: skip
    return topic


def add_reference(
    topic: Topic, *, actor: Any, title: str, url: str, level: str = Level.NATIONAL, doc_number: str = "",
    issuer: str = "", date: dt.date | str | None = None,
) -> ExternalReference:  # fmt: skip
    """A document of another level: title and URL are required (its text stays at the source)."""
    _require_editor(actor, topic.organisation_id, _("维护专题"))
    if not (title or "").strip():
        raise ValidationError({"title": _("标题：请填写上级文件的标题。")})
    _check_url(url, "url", _("原文链接"))
    if level not in Level.values:
        raise ValidationError({"level": _("层级：请选择国家、市级或区级。")})
    if isinstance(date, str) and date:
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            raise ValidationError({"date": _("发布日期：请按 YYYY-MM-DD 填写。")}) from None
    with transaction.atomic():
        reference = ExternalReference.objects.create(
            topic=topic, title=title.strip(), url=url.strip(), level=level, doc_number=doc_number.strip(),
            issuer=issuer.strip(), date=date or None,
        )  # fmt: skip
        record_event("topic.reference_added", actor=actor, target=topic, organisation=topic.organisation,
                     data={"title": reference.title, "url": reference.url})  # fmt: skip
    return reference


def save_service_item(
    *, actor: Any, organisation: Any, name: str, url: str, item: ServiceItem | None = None,
    documents: Iterable[int] = (), topics: Iterable[Topic] = (), **fields: Any,
) -> ServiceItem:  # fmt: skip
    _require_editor(actor, organisation.pk, _("维护办事事项"))
    if not (name or "").strip():
        raise ValidationError({"name": _("事项名称：请填写。")})
    _check_url(url, "url", _("办事页面"))
    document_ids = list(documents)
    docs = list(all_documents().filter(pk__in=document_ids))
    if len(docs) != len(set(document_ids)):
        raise ValidationError({"documents": _("依据文件：有文件不存在。")})
    with transaction.atomic():
        item = item or ServiceItem(organisation=organisation)
        item.name, item.url, item.organisation = name.strip(), url.strip(), organisation
        for key, value in fields.items():
            setattr(item, key, value)
        item.save()
        item.documents.set(docs)
        item.topics.set(list(topics))
        record_event("topic.service_item_saved", actor=actor, target=item, organisation=organisation,
                     data={"name": item.name, "documents": sorted(document_ids)})  # fmt: skip
    return item


def _amount(value: Any, field: str, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: _("%(label)s：请填写数字（万元）。") % {"label": label}}) from None
    if amount < 0:
        raise ValidationError({field: _("%(label)s：不能为负数。") % {"label": label}})
    return amount


def save_project(
    *, actor: Any, organisation: Any, title: str, project: ProgressRecord | None = None,
    topics: Iterable[Topic] = (), budget_amount: Any = None, final_amount: Any = None, **fields: Any,
) -> ProgressRecord:  # fmt: skip
    _require_editor(actor, organisation.pk, _("维护项目进展"))
    if not (title or "").strip():
        raise ValidationError({"title": _("项目名称：请填写。")})
    budget = _amount(budget_amount, "budget_amount", _("预算金额"))
    final = _amount(final_amount, "final_amount", _("决算金额"))
    if fields.get("budget_disclosure_url"):
        _check_url(fields["budget_disclosure_url"], "budget_disclosure_url", _("预决算公开链接"))
    percent = fields.get("percent_complete", 0)
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise ValidationError({"percent_complete": _("完成进度：请填写 0–100 的整数。")})
    with transaction.atomic():
        project = project or ProgressRecord(organisation=organisation)
        project.title, project.organisation = title.strip(), organisation
        project.budget_amount, project.final_amount = budget, final
        for key, value in fields.items():
            setattr(project, key, value)
        project.save()
        project.topics.set(list(topics))
        record_event("topic.project_saved", actor=actor, target=project, organisation=organisation,
                     data={"title": project.title, "budget_amount": str(budget or "")})  # fmt: skip
    return project


def _check_photo(filename: str, content: bytes) -> None:
    """An image must really be one (Pillow reads it), whatever its name says."""
    from PIL import Image, UnidentifiedImageError

    if len(content) > MAX_PHOTO_BYTES:
        raise ValidationError({"photo": _("照片：文件不能超过 10 MB。")})
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            if image.format not in ("JPEG", "PNG", "GIF", "WEBP"):
                raise ValidationError({"photo": _("照片：只接受 JPEG、PNG、GIF 或 WebP 图片。")})
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            {"photo": _("照片：“%(name)s”不是有效的图片文件。") % {"name": filename}}
        ) from None


def add_progress_update(
    project: ProgressRecord, *, actor: Any, date: dt.date | str, text: str, percent_complete: int | None = None,
    photo: tuple[str, bytes] | None = None, photo_caption: str = "",
) -> ProgressUpdate:  # fmt: skip
    """A dated update; the project's percent complete follows the latest one."""
    _require_editor(actor, project.organisation_id, _("更新项目进展"))
    errors: dict[str, str] = {}
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            errors["date"] = _("日期：请按 YYYY-MM-DD 填写。")
    if not (text or "").strip():
        errors["text"] = _("进展情况：请填写。")
    if percent_complete is not None and not 0 <= percent_complete <= 100:
        errors["percent_complete"] = _("完成进度：请填写 0–100 的整数。")
    if errors:
        raise ValidationError(errors)
    if photo is not None:
        _check_photo(*photo)
    with transaction.atomic():
        update = ProgressUpdate(record=project, date=date, text=text.strip(), percent_complete=percent_complete,
                                photo_caption=photo_caption.strip(),
                                created_by=actor if getattr(actor, "pk", None) else None)  # fmt: skip
        if photo is not None:
            update.photo.save(photo[0][-100:], ContentFile(photo[1]), save=False)
        update.save()
        if percent_complete is not None:
            project.percent_complete = percent_complete
            project.save(update_fields=["percent_complete", "updated_at"])
        record_event("topic.progress_updated", actor=actor, target=project, organisation=project.organisation,
                     data={"date": str(date), "percent_complete": percent_complete})  # fmt: skip
    return update


def set_project_published(project: ProgressRecord, *, actor: Any, published: bool) -> ProgressRecord:
    _require_editor(actor, project.organisation_id, _("发布项目进展"))
    with transaction.atomic():
        project.is_published = published
        project.save(update_fields=["is_published", "updated_at"])
        record_event("topic.project_published" if published else "topic.project_unpublished", actor=actor,
                     target=project, organisation=project.organisation)  # fmt: skip
    return project
