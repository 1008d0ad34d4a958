"""The 依申请公开 timeline as staff read it: Chinese step names and the staff member's display name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    import datetime as dt

# Each audit event of a request, named as the statute and the 办理流程 name the step.
STEP_NAMES = {
    "foi.registered": _("登记申请"),
    "foi.attachment_added": _("上传材料"),
    "foi.correction_requested": _("发出补正通知（条例第三十条）"),
    "foi.correction_received": _("收到补正材料"),
    "foi.consultation_started": _("发出征求意见函（条例第三十二条）"),
    "foi.consultation_delivered": _("征求意见函送达"),
    "foi.consultation_ended": _("征求意见结束"),
    "foi.extension_requested": _("申请延期答复（条例第三十三条）"),
    "foi.extension_approved": _("延期答复获批准"),
    "foi.extension_rejected": _("延期答复未获批准"),
    "foi.fee_notice": _("发出收费通知（条例第四十二条）"),
    "foi.fee_notice_delivered": _("收费通知送达"),
    "foi.fee_paid": _("申请人已缴费"),
    "foi.reply_drafted": _("起草答复书"),
    "foi.letter_edited": _("修改文书"),
    "foi.letter_reviewed": _("文书公开审查"),
    "foi.decided": _("作出答复"),
    "foi.delivered": _("答复送达"),
    "foi.appeal_filed": _("申请人提起复议或诉讼"),
    "foi.appeal_decided": _("复议或诉讼结果"),
    "foi.archived": _("办结归档"),
}


@dataclass
class Step:
    at: dt.datetime
    name: str
    actor: str


def timeline_rows(events: Any) -> list[Step]:
    rows = []
    for event in events.select_related("actor") if hasattr(events, "select_related") else events:
        actor = event.actor
        if actor is not None:
            who = actor.display_name or actor.username
        elif event.actor_label in ("", "system"):
            who = _("系统")
        else:  # 公众申请人: an application submitted on the portal
            who = event.actor_label
        rows.append(Step(event.created_at, str(STEP_NAMES.get(event.verb, event.verb)), str(who)))
    return rows
