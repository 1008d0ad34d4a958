"""The reply clock of one request: start, pauses, extension (条例 Arts. 30, 32–34; 国办函〔2020〕109号)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongkai.core.calendar import (
    CalendarMissing,
    Pause,
    add_working_days,
    due_date,
    is_working_day,
    working_days_between,
)

from .constants import REPLY_PERIOD, ExtensionStatus, RequestStatus
from .models import FOIRequest


def online_receipt_date(submitted_on: dt.date) -> dt.date:
    """The receipt date of an application submitted on the portal (条例 Art. 31).

    Art. 31 takes online applications as received on the day both sides confirm (双方确认之日). The
    portal confirms at once with the application's number; the organ confirms on a day it works. An
    application submitted on a working day is received that day, whatever the hour; one submitted on a
    holiday or a weekend (even at 23:30) is received on the next working day. A next year whose holidays
    are not yet entered leaves the submission day (never a guess). See docs/foi-rules.md.
    """
    try:
        return submitted_on if is_working_day(submitted_on) else add_working_days(submitted_on, 1)
    except CalendarMissing:
        return submitted_on


def clock_start(request: FOIRequest) -> dt.date:
    """Art. 30: after a 补正 the period runs from the day the corrected application is received."""
    return request.correction_received_date or request.received_date


def pauses(request: FOIRequest) -> list[Pause]:
    """Stretches excluded from the reply period.

    - consultations of third parties and co-producing organs (Art. 33 ¶3), from the day after the letter
      to the day the answer arrives (or the 15-working-day answer period ends);
    - the fee notice until payment (国办函〔2020〕109号; exclusion of this period is common practice, [U]
      in requirements-cn §1.6).
    """
    start = clock_start(request)
    if request.pk is None:
        return []
    found = [Pause(c.sent_date, c.answered_date) for c in request.consultations.all() if c.sent_date >= start]
    if request.fee_notice_date and request.fee_notice_date >= start:
        found.append(Pause(request.fee_notice_date, request.fee_paid_date))
    return found


def period_days(request: FOIRequest) -> int:
    extension = request.extension_days if request.extension_status == ExtensionStatus.APPROVED else 0
    return REPLY_PERIOD + extension  # Art. 33 ¶2


def reply_due_date(request: FOIRequest) -> dt.date | None:
    """The reply deadline, or None while the clock stands still (awaiting 补正, consultation or fee)."""
    if request.status == RequestStatus.AWAITING_CORRECTION:
        return None
    return due_date(clock_start(request), period_days(request), pauses(request))


def next_due_date(request: FOIRequest) -> dt.date | None:
    """The deadline that matters in the current state: what the worklist sorts and colours by."""
    if not request.is_open:
        return None
    if request.status == RequestStatus.AWAITING_CORRECTION:
        return request.correction_due_date
    if request.status == RequestStatus.CONSULTING:
        # Arts. 32, 34: a letter whose delivery is not yet recorded has no answer date yet
        open_ones = [
            c.answer_due_date
            for c in request.consultations.all()
            if c.answered_date is None and c.answer_due_date is not None
        ]
        return min(open_ones) if open_ones else None
    if request.status == RequestStatus.AWAITING_FEE:
        return request.fee_due_date
    return reply_due_date(request)


def paused_label(request: FOIRequest) -> str:
    """Why an open request has no deadline: a letter whose delivery date is still unknown, or a pause."""
    if request.status == RequestStatus.CONSULTING and any(
        c.answered_date is None and c.answer_due_date is None for c in request.consultations.all()
    ):
        return "征求意见函待送达"  # Arts. 32, 34: the 15 working days start on receipt
    if request.status == RequestStatus.AWAITING_FEE and request.fee_due_date is None:
        return "收费通知待送达"  # 国办函〔2020〕109号: the 20 working days start after receipt
    return "暂停计时"


@dataclass(frozen=True)
class Urgency:
    level: str  # "overdue", "soon", "ok", "paused", "closed"
    label: str
    working_days_left: int | None


def urgency(request: FOIRequest, today: dt.date) -> Urgency:
    """The worklist colour. "overdue" and "soon" are FOIRequest.is_overdue / .is_due_soon, the row
    versions of the querysets the worklist filter, the API and the reminders use; a received request
    whose deadline cannot be computed (calendar missing) is shown red too, with the calendar message."""
    if not request.is_open:
        return Urgency("closed", "已办结", None)
    due = request.due_date
    if due is None:
        if request.status == RequestStatus.RECEIVED:
            try:
                next_due_date(request)
            except CalendarMissing as exc:
                return Urgency("overdue", exc.messages[0], None)
        return Urgency("paused", paused_label(request), None)
    if request.is_overdue(today):
        return Urgency("overdue", "已超期", -working_days_between(due, today))
    left = working_days_between(today, due)
    if request.is_due_soon(today):
        return Urgency("soon", f"剩余{left}个工作日", left)
    return Urgency("ok", f"剩余{left}个工作日", left)
