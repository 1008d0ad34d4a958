"""The disclosure review of a reply letter before it is issued (条例 Arts. 14–18: 先审查、后公开, 一事一审).

A reviewer of the letter's organisation, other than its drafter, checks the body the detector scanned
and approves or refuses it. `issue_reply` issues only a body whose hash equals the approved one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.constants import Role
from gongkai.accounts.permissions import require_role
from gongkai.core.services import record_event
from gongkai.review.detector import REPORT_THRESHOLD, detect

from ..constants import LetterReviewStatus, LetterStatus
from ..models import FOILetter


def letter_findings(text: str) -> list[dict[str, Any]]:
    """The detector's reported findings (confidence >= REPORT_THRESHOLD) in `text`, as stored on the letter."""
    return [finding.as_dict() for finding in detect(text, min_confidence=REPORT_THRESHOLD)]


def letter_signature(
    letter: FOILetter, *, body_hash: str, decision: str, actor: Any, when: dt.datetime
) -> str:
    """SHA-256 over which letter, which body, what decision, by whom and when."""
    payload = {
        "letter": letter.pk, "body_sha256": body_hash, "decision": decision, "reviewer_id": actor.pk,
        "reviewer": actor.get_username(), "at": when.isoformat(),
    }  # fmt: skip
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _authorise(letter: FOILetter, actor: Any) -> None:
    require_role(actor, Role.REVIEWER, letter.request.organisation_id, _("审查答复书"))
    # 一事一审: the drafter does not review their own letter
    if letter.edited_by_id and letter.edited_by_id == actor.pk and not actor.is_platform_admin:
        raise PermissionDenied(_("起草或修改答复书的人员不能审查该答复书。"))


def review_letter(letter: FOILetter, *, actor: Any, approve: bool, note: str = "") -> FOILetter:
    """Approve or refuse a draft letter after scanning its body for personal data and secrecy markers.

    Approving a body with findings needs a note: the reviewer confirms the data is the applicant's own
    or may be disclosed (条例 Art. 15). Refusing needs a note and returns the letter for editing.
    """
    with transaction.atomic(durable=True):
        locked = FOILetter.objects.select_for_update().select_related("request").get(pk=letter.pk)
        _authorise(locked, actor)
        if locked.status != LetterStatus.DRAFT:
            raise ValidationError({"letter": _("文书已出具，不能再审查。")})
        note = (note or "").strip()
        findings = letter_findings(locked.body)
        if approve and findings and not note:
            raise ValidationError(
                {"note": _("答复书中检出%(count)d处个人信息或涉密标识，同意出具须填写审查意见，"
                           "说明其属申请人本人信息或可以公开。") % {"count": len(findings)}}
            )  # fmt: skip
        if not approve and not note:
            raise ValidationError({"note": _("退回修改须填写审查意见。")})
        now = timezone.now()
        body_hash = locked.body_sha256
        decision = "approved" if approve else "refused"
        locked.review_status = LetterReviewStatus.APPROVED if approve else LetterReviewStatus.REFUSED
        locked.reviewed_by = actor
        locked.reviewed_at = now
        locked.reviewed_hash = body_hash if approve else ""
        locked.review_findings = findings
        locked.review_note = note
        locked.save()
        signature = letter_signature(locked, body_hash=body_hash, decision=decision, actor=actor, when=now)
        # counts and kinds only: never the personal values themselves
        record_event("foi.letter_reviewed", actor=actor, target=locked.request, organisation=locked.request.organisation,
                     data={"letter_id": locked.pk, "decision": decision, "body_sha256": body_hash,
                           "findings": len(findings), "finding_kinds": sorted({f["kind"] for f in findings}),
                           "reviewed_at": now.isoformat(), "signature": signature})  # fmt: skip
    return locked


def reset_review(letter: FOILetter) -> None:
    """An edited body needs a new review (caller saves)."""
    letter.review_status = LetterReviewStatus.PENDING
    letter.reviewed_by = None
    letter.reviewed_at = None
    letter.reviewed_hash = ""
    letter.review_findings = []
    letter.review_note = ""
