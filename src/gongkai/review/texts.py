"""The disclosure review of a short text another app publishes (a reply to a citizen, a letter):
the same rules as `foi`'s reply letters (条例 Arts. 14–17: 先审查、后公开, 一事一审).

The reviewer sees the detector's findings on the exact text; what is approved is the SHA-256 of that
text, so an edited text needs a new review; the public form masks the personal data found
(`public_form`). The caller stores the status, hash and signature on its own row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from gongkai.accounts.constants import Role
from gongkai.accounts.permissions import require_role

from .detector import MASKABLE_KINDS, REPORT_THRESHOLD, detect, mask_text, mask_values


def text_sha256(text: str) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()


def text_findings(text: str) -> list[dict[str, Any]]:
    """The detector's reported findings in `text` (as stored with the decision)."""
    return [finding.as_dict() for finding in detect(text or "", min_confidence=REPORT_THRESHOLD)]


# A citizen's own text is masked more eagerly than a government document: masking a number that only
# looks personal costs nothing there, publishing a real one is a breach (条例 Art. 15).
PUBLIC_FORM_CONFIDENCE = 0.3


def public_form(text: str, *, known: list[tuple[str, str]] = ()) -> str:
    """`text` with every personal datum the detector finds masked (138****5678, 张*), and the
    values the caller knows to be personal (`known`: (kind, value), e.g. the asker's contact)."""
    findings = [
        f for f in detect(text or "", min_confidence=PUBLIC_FORM_CONFIDENCE) if f.kind in MASKABLE_KINDS
    ]
    return mask_values(mask_text(text or "", findings), [(k, v) for k, v in known if v])


def check_reviewer(actor: Any, *, organisation_id: int, drafter_id: int | None, action: str) -> None:
    """A reviewer of the organisation who did not draft the text (一事一审)."""
    require_role(actor, Role.REVIEWER, organisation_id, action)
    if drafter_id and drafter_id == actor.pk and not actor.is_platform_admin:
        raise PermissionDenied(_("起草或修改该文本的人员不能审查它（职责分离）。"))


def check_decision(*, approve: bool, findings: list[dict], note: str) -> None:
    """Approving a text with findings needs a note (the data may be disclosed, 条例 Art. 15);
    refusing needs a note for the drafter."""
    if approve and findings and not note:
        raise ValidationError({"note": _("文本中检出%(count)d处个人信息或涉密标识，同意公开须填写审查意见。")
                               % {"count": len(findings)}})  # fmt: skip
    if not approve and not note:
        raise ValidationError({"note": _("退回修改须填写审查意见。")})


def signature(*, item: str, body_hash: str, decision: str, actor: Any, when: dt.datetime) -> str:
    """SHA-256 over which item, which text, what decision, by whom and when."""
    payload = {
        "item": item, "body_sha256": body_hash, "decision": decision, "reviewer_id": actor.pk,
        "reviewer": actor.get_username(), "at": when.isoformat(),
    }  # fmt: skip
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
