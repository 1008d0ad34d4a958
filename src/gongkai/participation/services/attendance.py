"""公众代表列席 government meetings (work plan 二十一: at least 4 times a year for the district government)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation
from gongkai.core.services import record_event

from ..constants import RepresentativeKind
from ..models import Attendance, DecisionItem
from .base import clean_text, not_in_future, parse_date, require_editor


def invite_representative(
    *, actor: Any, organisation: Organisation, meeting_title: str, meeting_date: Any, representative_name: str,
    representative_kind: str, invited_on: Any, item: DecisionItem | None = None,
) -> Attendance:  # fmt: skip
    with transaction.atomic(durable=True):
        require_editor(actor, organisation.pk, _("邀请公众代表列席"))
        if representative_kind not in RepresentativeKind.values:
            raise ValidationError({"representative_kind": _("请选择代表类别。")})
        meeting = parse_date(meeting_date, "meeting_date", _("会议日期"))
        invited = parse_date(invited_on, "invited_on", _("邀请日期"))
        if invited > meeting:
            raise ValidationError({"invited_on": _("邀请日期不能晚于会议日期。")})
        not_in_future(invited, "invited_on", _("邀请日期"))
        attendance = Attendance.objects.create(
            organisation=organisation, item=item, meeting_date=meeting, invited_on=invited,
            meeting_title=clean_text(meeting_title, "meeting_title", _("会议名称"), max_chars=200),
            representative_name=clean_text(representative_name, "representative_name", _("代表姓名"), max_chars=40),
            representative_kind=representative_kind,
        )  # fmt: skip
        record_event("participation.attendance_invited", actor=actor, target=attendance, organisation=organisation,
                     data={"kind": representative_kind, "meeting_date": meeting})  # fmt: skip
        return attendance


def record_attendance(attendance: Attendance, *, actor: Any, attended: bool, remarks: str = "") -> Attendance:
    with transaction.atomic(durable=True):
        attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
        require_editor(actor, attendance.organisation_id, _("记录列席情况"))
        not_in_future(attendance.meeting_date, "attended", _("会议日期"))
        attendance.attended = bool(attended)
        attendance.remarks = clean_text(remarks, "remarks", _("发言要点"), max_chars=5000, required=False)
        attendance.save(update_fields=["attended", "remarks", "updated_at"])
        record_event("participation.attendance_recorded", actor=actor, target=attendance,
                     organisation=attendance.organisation, data={"attended": attendance.attended})  # fmt: skip
        return attendance
