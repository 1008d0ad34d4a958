"""Helpers shared by the 依申请公开 services: permission, locking, state steps, the stored
deadline, letters and the decision that closes a request."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from gongkai.accounts.constants import Role
from gongkai.accounts.permissions import require_role
from gongkai.core.calendar import CalendarMissing
from gongkai.core.services import record_event
from gongkai.text.clean import strip_controls

from .. import clock, letters
from ..constants import SERVICE_ONLY_OUTCOMES, LetterKind, LetterStatus
from ..models import FOILetter, FOIRequest

# --- helpers ---------------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _officer(actor: Any, request: FOIRequest | None, action: str, organisation_id: int | None = None) -> None:
    require_role(actor, Role.FOI_OFFICER, organisation_id or request.organisation_id, action)  # type: ignore[union-attr]


def _locked(request: FOIRequest) -> FOIRequest:
    return FOIRequest.objects.select_for_update().select_related("organisation").get(pk=request.pk)


def _step(locked: FOIRequest, name: str, action: str) -> None:
    method = getattr(locked, name)
    if not can_proceed(method):
        raise ValidationError(
            {
                "status": _("申请当前状态为“%(status)s”，不能%(action)s。")
                % {"status": locked.get_status_display(), "action": action}
            }
        )
    method()


def _calendar(field: str, func: Any, *args: Any) -> Any:
    """Run a calendar computation; an unknown year becomes an error on `field` (never a guess)."""
    try:
        return func(*args)
    except CalendarMissing as exc:
        raise ValidationError({field: exc.messages}) from None


def _refresh_clock(locked: FOIRequest, *, strict: bool = True) -> bool:
    """Store the current deadline. Not strict (registration): an application is always accepted, and
    a deadline in a year without a calendar stays empty until staff enter that year (no guess)."""
    try:
        locked.due_date = clock.next_due_date(locked)
    except CalendarMissing as exc:
        if strict:
            raise ValidationError({"received_date": exc.messages}) from None
        locked.due_date = None
        return False
    return True


def _not_before(field: str, label: str, value: dt.date, earlier: dt.date | None, earlier_label: str) -> None:
    if earlier and value < earlier:
        raise ValidationError(
            {
                field: _("%(label)s不能早于%(other)s（%(date)s）。")
                % {"label": label, "other": earlier_label, "date": earlier}
            }
        )


def _letter(
    locked: FOIRequest,
    kind: str,
    body: str,
    *,
    to_applicant: bool = True,
    addressee: str = "",
    outcome: str = "",
    issue_on: dt.date | None = None,
) -> FOILetter:
    letter = FOILetter.objects.create(
        request=locked,
        kind=kind,
        outcome=outcome,
        to_applicant=to_applicant,
        addressee=strip_controls(addressee or locked.applicant_name),
        title=letters.LETTER_TITLES[kind],
        body=strip_controls(body),
    )
    if issue_on is not None:
        _issue(letter, issue_on)
    return letter


def _issue(letter: FOILetter, issued_date: dt.date) -> None:
    count = FOILetter.objects.filter(request=letter.request, status=LetterStatus.ISSUED).count() + 1
    letter.status = LetterStatus.ISSUED
    letter.issued_date = issued_date
    letter.letter_number = f"{letter.request.number}-{count:02d}"
    letter.save()
    if letter.to_applicant:
        request_id, letter_id = letter.request_id, letter.pk
        transaction.on_commit(lambda: _notify_applicant(request_id, letter_id))


def _letter_event(letter: FOILetter) -> dict[str, Any]:
    return {
        "letter_id": letter.pk,
        "kind": letter.kind,
        "number": letter.letter_number,
        "body_sha256": hashlib.sha256(letter.body.encode()).hexdigest(),
    }


# --- decision (条例 Arts. 35–39) ---------------------------------------------------------------------


def _decide(
    locked: FOIRequest, actor: Any, outcome: str, day: dt.date, reason: str, letter: FOILetter | None = None
) -> FOILetter:
    _not_before("decided_date", _("答复日期"), day, locked.received_date, _("收到申请日期"))
    due = locked.due_date
    if due and day > due and outcome not in SERVICE_ONLY_OUTCOMES and not locked.reply_period_missed_on:
        locked.reply_period_missed_on = due  # a late reply (条例 Art. 33), counted in the annual report
    locked.outcome = outcome
    locked.decided_date = day
    locked.decision_reason = reason
    locked.decided_by = actor
    locked.due_date = None
    locked.save()
    if letter is None:
        letter = _letter(
            locked, LetterKind.REPLY, letters.reply_text(locked, outcome, reason), outcome=outcome
        )
    _issue(letter, day)
    record_event("foi.decided", actor=actor, target=locked, organisation=locked.organisation,
                 data={"outcome": outcome, "decided_date": day, "due_date": due,
                       "late": bool(due and day > due), **_letter_event(letter)})  # fmt: skip
    return letter


def _notify_applicant(request_id: int, letter_id: int) -> None:
    from gongkai.core.tasks import run_task

    from ..tasks import notify_applicant_letter

    run_task(notify_applicant_letter, request_id, letter_id)


def close_as_abandoned(
    request: FOIRequest,
    *,
    actor: Any,
    decided_date: Any,
    due_field: str,
    still_running: str,
    step: str,
    step_label: str,
    outcome: str,
    unknown: str = "",
) -> tuple[FOIRequest, FOILetter]:
    """End a request the applicant is deemed to have abandoned, once its deadline (`due_field`) has passed.

    `unknown`: the error when the deadline is not known yet (e.g. the fee notice's delivery date)."""
    from gongkai.text.dates import clean_date

    _officer(actor, request, _("终止处理"))
    with transaction.atomic(durable=True):
        locked = _locked(request)
        day = clean_date("decided_date", _("终止处理日期"), decided_date, today=_today())
        due = getattr(locked, due_field)
        if due and day <= due:
            raise ValidationError({"decided_date": still_running % {"due": due}})
        _step(locked, step, step_label)
        if due is None and unknown:
            raise ValidationError({"decided_date": unknown})
        letter = _decide(locked, actor, outcome, day, "")
    return locked, letter
