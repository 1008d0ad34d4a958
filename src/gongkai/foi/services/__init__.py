"""Every write to a 依申请公开 request (rule 1: one transaction, an actor, an Event, on_commit effects).

Each step cites its article of the 《政府信息公开条例》 (国务院令第711号, "条例"). The steps live in
one module a topic; this package re-exports them, so callers keep `from gongkai.foi import services`.
"""

from .appeals import add_appeal, decide_appeal
from .deliveries import record_consultation_delivery, record_fee_notice_delivery
from .fees import applications_in_month, close_for_unpaid_fee, record_fee_payment, send_fee_notice
from .letter_review import letter_findings, letter_signature, review_letter
from .registration import (
    PUBLIC_ACTOR,
    access_code_hash,
    add_attachment,
    check_register_request,
    refresh_due_dates,
    register_request,
    submitted_request,
)
from .replies import archive_request, build_archive, edit_letter, issue_reply, prepare_reply, record_delivery
from .steps import (
    close_for_no_correction,
    correction_notice_late,
    decide_extension,
    end_consultation,
    receive_correction,
    request_extension,
    send_correction_notice,
    start_consultation,
)

__all__ = [
    "PUBLIC_ACTOR",
    "access_code_hash",
    "add_appeal",
    "add_attachment",
    "applications_in_month",
    "archive_request",
    "build_archive",
    "check_register_request",
    "close_for_no_correction",
    "close_for_unpaid_fee",
    "correction_notice_late",
    "decide_appeal",
    "decide_extension",
    "edit_letter",
    "end_consultation",
    "issue_reply",
    "letter_findings",
    "letter_signature",
    "prepare_reply",
    "receive_correction",
    "record_consultation_delivery",
    "record_delivery",
    "record_fee_notice_delivery",
    "record_fee_payment",
    "refresh_due_dates",
    "register_request",
    "request_extension",
    "review_letter",
    "send_correction_notice",
    "send_fee_notice",
    "start_consultation",
    "submitted_request",
]
