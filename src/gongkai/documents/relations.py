"""Relations between documents (修改/废止/依据/印发/转发/解读) and the 有效性 they imply."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.constants import Role
from gongkai.accounts.permissions import require_role
from gongkai.core.services import record_event
from gongkai.text.dates import clean_date

from . import signals
from .attachments import mark_edited
from .constants import RelationType, Validity
from .models import Document, DocumentRelation
from .validation import clean_date as clean_document_date
from .validation import require_editable


def add_relation(
    source: Document,
    *,
    actor: Any,
    relation_type: RelationType | str,
    target: Document | None = None,
    target_title: str = "",
    target_doc_number: str = "",
    note: str = "",
    check_permission: bool = True,
) -> DocumentRelation:
    if check_permission:
        require_role(actor, Role.EDITOR, source.organisation_id, _("维护关联关系"))
        require_editable(source)  # a relation is part of what the review approved (e.g. a 废止 clause)
    if relation_type not in RelationType.values:
        raise ValidationError({"relation_type": _("关系类型“%(value)s”不存在。") % {"value": relation_type}})
    if target is None and not (target_title or target_doc_number):
        raise ValidationError({"target": _("请选择关联文件，或填写其标题或文号。")})
    if len(target_title) > 300 or len(target_doc_number) > 80 or len(note) > 300:
        raise ValidationError(
            {"target_title": _("关联文件的标题不能超过300个字，文号不能超过80个字，备注不能超过300个字。")}
        )
    if target is not None and target.pk == source.pk:
        raise ValidationError({"target": _("文件不能与自身关联。")})
    if check_permission and target is not None:
        _check_relation_target(actor, source, relation_type, target)
    with transaction.atomic():
        # A target inside the library identifies the relation; an outside one is told apart by its title and 文号.
        identity = (
            {"target": target}
            if target is not None
            else {"target": None, "target_title": target_title, "target_doc_number": target_doc_number}
        )
        relation, created = DocumentRelation.objects.get_or_create(
            source=source, relation_type=relation_type, **identity,
            defaults={"target_title": target_title or (target.title if target else ""),
                      "target_doc_number": target_doc_number or (target.doc_number if target else ""), "note": note},
        )  # fmt: skip
        if created:
            mark_edited(source, actor)
        record_event("document.relation_added", actor=actor, target=source, organisation=source.organisation,
                     data={"relation_type": str(relation_type), "target_id": target.pk if target else None,
                           "target_title": relation.target_title})  # fmt: skip
        if target is not None:
            refresh_validity(target)
    return relation


def _check_relation_target(actor: Any, source: Document, relation_type: str, target: Document) -> None:
    if not Document.objects.visible_to(actor).filter(pk=target.pk).exists():
        raise ValidationError({"target": _("关联文件不存在或您无权查看。")})
    if relation_type in (RelationType.AMENDS, RelationType.REPEALS) and not getattr(
        actor, "is_platform_admin", False
    ):
        owners = {target.organisation_id, *target.issuer_links.values_list("organisation_id", flat=True)}
        if source.organisation_id not in owners:
            raise ValidationError(
                {
                    "relation_type": _(
                        "只能修改或废止本单位发布（含联合发布）的文件；其他单位的文件请用“依据”等关系关联。"
                    )
                }
            )


def remove_relation(relation: DocumentRelation, *, actor: Any) -> None:
    source = relation.source
    require_role(actor, Role.EDITOR, source.organisation_id, _("维护关联关系"))
    require_editable(source)
    with transaction.atomic():
        target = relation.target
        record_event("document.relation_removed", actor=actor, target=source, organisation=source.organisation,
                     data={"relation_type": relation.relation_type, "target_id": relation.target_id,
                           "target_title": relation.target_title})  # fmt: skip
        relation.delete()
        mark_edited(source, actor)
        if target is not None:
            refresh_validity(target)


ENDED = (Validity.REPEALED, Validity.EXPIRED)


def set_validity(document: Document, *, actor: Any, validity: str, validity_date: Any = None) -> Document:
    """Staff override of 有效性 (empty string goes back to the computed value).

    已废止 / 已失效 set by hand need the date the document stopped being in force (`validity_date`):
    the annual report counts it as repealed in that year and in force before (条例 Art. 20).
    """
    require_role(actor, Role.EDITOR, document.organisation_id, _("设置有效性"))
    if validity and validity not in Validity.values:
        raise ValidationError({"validity": _("有效性“%(value)s”不存在。") % {"value": validity}})
    ended_on = _clean_validity_date(document, validity, validity_date)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        before = locked.validity
        locked.validity_override = validity
        locked.validity_override_date = ended_on
        locked.validity = locked.computed_validity()
        locked.save(update_fields=["validity_override", "validity_override_date", "validity", "updated_at"])
        record_event(
            "document.validity_set",
            actor=actor,
            target=locked,
            organisation=locked.organisation,
            data={"validity": validity, "validity_date": ended_on},
        )
        if locked.validity != before and locked.is_public:  # followers and the index hear of it
            transaction.on_commit(lambda: signals.document_changed.send(sender=Document, document=locked))
    return locked


def extend_expiry(document: Document, *, actor: Any, expiry_date: Any, reason: str) -> Document:
    """延期 after a 清理评估 (work plan item 十三): a published document's 有效期至 moves later.

    The decision to extend is the organisation's, taken on an evaluation with a reason; the text the
    review approved does not change, so no new review is opened. Plain `atomic()`: the office's
    evaluation service calls it inside its transaction.
    """
    require_role(actor, Role.EDITOR, document.organisation_id, _("延长有效期"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("延长有效期须填写理由。")})
    if expiry_date in (None, ""):
        raise ValidationError({"expiry_date": _("请填写新的有效期至。")})
    new = clean_document_date("expiry_date", expiry_date)
    if new <= timezone.localdate() or (document.expiry_date and new <= document.expiry_date):
        raise ValidationError({"expiry_date": _("新的有效期至须晚于今天和原有效期。")})
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        old = locked.expiry_date
        locked.expiry_date = new
        locked.validity = locked.computed_validity()
        locked.save(update_fields=["expiry_date", "validity", "updated_at"])
        record_event(
            "document.expiry_extended",
            actor=actor,
            target=locked,
            organisation=locked.organisation,
            data={"from": old, "to": new, "reason": reason.strip()},
        )
        if locked.is_public:
            transaction.on_commit(lambda: signals.document_changed.send(sender=Document, document=locked))
    return locked


def _clean_validity_date(document: Document, validity: str, value: Any) -> dt.date | None:
    if validity not in ENDED:
        return None
    label = _("废止日期") if validity == Validity.REPEALED else _("失效日期")
    if value in (None, ""):
        raise ValidationError(
            {"validity_date": _("将有效性设为“%(validity)s”须填写%(label)s（年度报告表二按此日期统计本年废止件数）。")
             % {"validity": Validity(validity).label, "label": label}}
        )  # fmt: skip
    value = clean_date("validity_date", label, value, today=timezone.localdate())
    issued = document.written_date or document.published_date
    if issued and value < issued:
        raise ValidationError(
            {"validity_date": _("%(label)s不能早于成文日期（%(date)s）。") % {"label": label, "date": issued}}
        )
    return value


def refresh_validity(document: Document, today: dt.date | None = None) -> bool:
    """Recompute the stored 有效性; returns True when it changed."""
    new = document.computed_validity(today)
    if new == document.validity:
        return False
    old = document.validity
    Document.objects.filter(pk=document.pk).update(validity=new)
    document.validity = new
    record_event(
        "document.validity_changed",
        actor=None,
        target=document,
        organisation=document.organisation,
        data={"from": old, "to": new},
    )
    if document.is_public:
        transaction.on_commit(lambda: signals.document_changed.send(sender=Document, document=document))
    return True


def _refresh_related_validity(document: Document) -> None:
    for relation in document.outgoing_relations.select_related("target").exclude(target=None):
        refresh_validity(relation.target)
