"""Open days and briefings (work plan 二十四): sign-up with a waiting list, check-in, materials."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation
from gongkai.core.services import record_event

from ..constants import EventKind, RegistrationStatus
from ..models import Event, EventMaterial, Registration, Survey
from .base import clean_text, require_editor

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the door


def _aware(value: Any, field: str, label: str) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError({field: _("%(label)s格式不正确。") % {"label": label}}) from None
    if not isinstance(value, dt.datetime):
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def create_event(
    *, actor: Any, organisation: Organisation, kind: str, title: str, venue: str, starts_at: Any, ends_at: Any,
    capacity: int, description: str = "", signup_closes_at: Any = None, linked_documents: list[Any] = (),
    waitlist_size: Any = None,
    feedback_survey: Survey | None = None, is_sample: bool = False, publish: bool = False,
) -> Event:  # fmt: skip
    with transaction.atomic(durable=True):
        require_editor(actor, organisation.pk, _("发布活动"))
        if kind not in EventKind.values:
            raise ValidationError({"kind": _("请选择活动类型。")})
        starts, ends = (
            _aware(starts_at, "starts_at", _("开始时间")),
            _aware(ends_at, "ends_at", _("结束时间")),
        )
        if ends <= starts:
            raise ValidationError({"ends_at": _("结束时间应晚于开始时间。")})
        closes = _aware(signup_closes_at, "signup_closes_at", _("报名截止时间")) if signup_closes_at else None
        if closes and closes > starts:
            raise ValidationError({"signup_closes_at": _("报名截止时间不能晚于活动开始时间。")})
        try:
            capacity = int(capacity)
        except (TypeError, ValueError):
            capacity = -1
        if not 0 <= capacity <= 100_000:
            raise ValidationError({"capacity": _("名额应为0到100000之间的整数。")})
        waitlist_size = _waitlist_size(waitlist_size)
        if feedback_survey is not None and feedback_survey.organisation_id != organisation.pk:
            raise ValidationError({"feedback_survey": _("只能使用本单位的问卷。")})
        event = Event.objects.create(
            organisation=organisation, kind=kind, title=clean_text(title, "title", _("活动名称"), max_chars=200),
            venue=clean_text(venue, "venue", _("地点"), max_chars=200), starts_at=starts, ends_at=ends,
            description=clean_text(description, "description", _("活动介绍"), max_chars=10_000, required=False),
            capacity=capacity, waitlist_size=waitlist_size, signup_closes_at=closes, feedback_survey=feedback_survey, is_sample=is_sample,
            is_published=publish,
        )  # fmt: skip
        event.linked_documents.set(linked_documents)
        record_event("participation.event_created", actor=actor, target=event, organisation=organisation,
                     data={"capacity": capacity, "published": publish})  # fmt: skip
        return event


def _waitlist_size(value: Any) -> int | None:
    """The waiting list's size: None (as many as the seats) or a number of places, 0 for none."""
    if value in (None, ""):
        return None
    try:
        size = int(value)
    except (TypeError, ValueError):
        size = -1
    if not 0 <= size <= 100_000:
        raise ValidationError({"waitlist_size": _("候补名额应为0到100000之间的整数。")})
    return size


def publish_event(event: Event, *, actor: Any) -> Event:
    with transaction.atomic(durable=True):
        event = Event.objects.select_for_update().get(pk=event.pk)
        require_editor(actor, event.organisation_id, _("发布活动"))
        if event.is_published:
            raise ValidationError({"status": _("活动已发布。")})
        event.is_published = True
        event.save(update_fields=["is_published", "updated_at"])
        record_event(
            "participation.event_published", actor=actor, target=event, organisation=event.organisation
        )
        return event


def add_material(event: Event, *, actor: Any, title: str, filename: str, content: bytes) -> EventMaterial:
    with transaction.atomic(durable=True):
        require_editor(actor, event.organisation_id, _("上传活动资料"))
        name = re.sub(r"[^\w.\-\u4e00-\u9fff]+", "_", filename or "")[-120:].lstrip(".")
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in settings.ATTACHMENT_EXTENSIONS:
            raise ValidationError({"file": _("不支持的文件类型：%(ext)s") % {"ext": extension or "—"}})
        if len(content) > settings.ATTACHMENT_MAX_BYTES:
            raise ValidationError({"file": _("文件过大。")})
        material = EventMaterial(
            event=event, title=clean_text(title, "title", _("标题"), max_chars=200), size=len(content)
        )
        material.file.save(name, ContentFile(content), save=False)
        material.save()
        record_event("participation.material_added", actor=actor, target=event, organisation=event.organisation,
                     data={"material": material.pk, "size": len(content)})  # fmt: skip
        return material


def contact_key(contact: str) -> str:
    """Phones and e-mail addresses compared without spaces, dashes or case: one sign-up per person."""
    normal = re.sub(r"[\s\-()（）]", "", contact).lower()
    return hashlib.sha256(normal.encode()).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(8))


def register(event: Event, *, name: str, contact: str, user: Any = None) -> Registration:
    """A seat while there is one, else a place on the waiting list; each with its check-in code."""
    name = clean_text(name, "name", _("姓名"), max_chars=40)
    contact = clean_text(contact, "contact", _("联系方式"), max_chars=120)
    if not re.search(r"\d{7,}|@", contact.replace(" ", "").replace("-", "")):
        raise ValidationError({"contact": _("请填写手机号码或电子邮箱，以便通知候补和活动变更。")})
    try:
        with transaction.atomic(durable=True):
            event = Event.objects.select_for_update().get(pk=event.pk)  # one sign-up at a time per event
            now = timezone.now()
            if not event.is_published or event.capacity == 0:
                raise ValidationError({"name": _("该活动无需报名。")})
            if now >= (event.signup_closes_at or event.starts_at):
                raise ValidationError({"name": _("报名已截止。")})
            confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
            status = (
                RegistrationStatus.CONFIRMED if confirmed < event.capacity else RegistrationStatus.WAITLISTED
            )
            if status == RegistrationStatus.WAITLISTED and (
                event.registrations.filter(status=RegistrationStatus.WAITLISTED).count()
                >= event.waitlist_limit
            ):
                raise ValidationError({"name": _("名额和候补名额均已满，报名已结束。")})
            registration = Registration.objects.create(
                event=event, name=name, contact=contact, contact_key=contact_key(contact), status=status,
                code=_new_code(), user=user if getattr(user, "is_authenticated", False) else None,
            )  # fmt: skip
            record_event("participation.registered", actor=registration.user, target=event,
                         organisation=event.organisation, data={"registration": registration.pk, "status": status})  # fmt: skip
            transaction.on_commit(lambda: _tell("notify_registered", registration.pk))
    except IntegrityError:
        raise ValidationError({"contact": _("该联系方式已报名本活动，请勿重复报名。")}) from None
    return registration


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return (
        registration.event.registrations.filter(
            status=RegistrationStatus.WAITLISTED, created_at__lte=registration.created_at
        )
        .exclude(created_at=registration.created_at, id__gt=registration.id)
        .count()
    )


def registration_for(event: Event, code: str, contact: str) -> Registration | None:
    """A registration by its code and the contact it was made with (both needed: codes are short)."""
    code = (code or "").strip().upper()
    return Registration.objects.filter(event=event, code=code, contact_key=contact_key(contact or "")).first()


def cancel_registration(registration: Registration, *, actor: Any = None) -> Registration | None:
    """Cancel a sign-up; a freed seat goes to the first on the waiting list (returned, to be told)."""
    with transaction.atomic(durable=True):
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            raise ValidationError({"code": _("该报名已取消。")})
        if timezone.now() >= event.starts_at:
            raise ValidationError({"code": _("活动已开始，不能取消报名。")})
        freed = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        promoted = None
        if freed:
            promoted = (
                event.registrations.filter(status=RegistrationStatus.WAITLISTED)
                .order_by("created_at", "id")
                .first()
            )
            if promoted is not None:
                promoted.status, promoted.promoted_at = RegistrationStatus.CONFIRMED, timezone.now()
                promoted.save(update_fields=["status", "promoted_at", "updated_at"])
                transaction.on_commit(lambda: _tell("notify_promoted", promoted.pk))
        record_event("participation.registration_cancelled", actor=actor, target=event, organisation=event.organisation,
                     data={"registration": registration.pk, "promoted": promoted.pk if promoted else None})  # fmt: skip
        return promoted


def _tell(task_name: str, registration_id: int) -> None:
    """Mail the registrant (confirmation with the check-in code, or a seat freed for them) after commit."""
    from gongkai.core.tasks import run_task

    from .. import tasks

    run_task(getattr(tasks, task_name), registration_id)


def check_in(event: Event, *, actor: Any, code: str) -> Registration:
    with transaction.atomic(durable=True):
        require_editor(actor, event.organisation_id, _("活动签到"))
        registration = (
            Registration.objects.select_for_update()
            .filter(event=event, code=(code or "").strip().upper())
            .first()
        )
        if registration is None:
            raise ValidationError({"code": _("签到码不正确。")})
        if registration.status != RegistrationStatus.CONFIRMED:
            raise ValidationError(
                {
                    "code": _("该报名为%(status)s状态，不能签到。")
                    % {"status": registration.get_status_display()}
                }
            )
        if registration.checked_in_at:
            raise ValidationError(
                {
                    "code": _("该签到码已于%(time)s签到。")
                    % {"time": f"{timezone.localtime(registration.checked_in_at):%H:%M}"}
                }
            )
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["checked_in_at", "updated_at"])
        record_event("participation.checked_in", actor=actor, target=event, organisation=event.organisation,
                     data={"registration": registration.pk})  # fmt: skip
        return registration
