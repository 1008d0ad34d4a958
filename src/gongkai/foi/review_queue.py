"""依申请公开 letters waiting for their disclosure review, listed in /review/ with the other review
tasks (条例 Arts. 14–17: 先审查、后公开). Registered in FoiConfig.ready() into review's queue hook."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai.accounts.constants import Role
from gongkai.review.selectors import QueueItem

from .constants import LetterReviewStatus, LetterStatus
from .selectors import staff_letters


def letters_awaiting_review(user: Any) -> list[QueueItem]:
    if not (user.has_role(Role.REVIEWER) or user.has_role(Role.APPROVER)):
        return []
    letters = staff_letters(user).filter(status=LetterStatus.DRAFT, review_status=LetterReviewStatus.PENDING)
    return [
        QueueItem(
            title=f"{letter.title}（{letter.request.number}）",
            url=reverse("foi:staff-letter", args=[letter.pk]),
            kind=_("依申请公开文书"),
            submitted_at=letter.updated_at,
            note=letter.get_kind_display(),
        )
        for letter in letters.order_by("updated_at")[:100]
    ]
