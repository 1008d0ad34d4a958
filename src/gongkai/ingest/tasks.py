"""Heavy reading of uploads happens here, in a worker, never in the web request (issue 11)."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils.translation import gettext as _

# The readers stop hostile files within a second or two; these limits are the backstop.
EXTRACT_SOFT_LIMIT = 120
EXTRACT_HARD_LIMIT = 150


@shared_task(soft_time_limit=EXTRACT_SOFT_LIMIT, time_limit=EXTRACT_HARD_LIMIT, acks_late=True)
def extract_upload_task(record_id: int) -> str:
    """Read and extract one queued upload; returns the record's new status."""
    from .services import extract_upload, mark_extraction_failed

    try:
        return str(extract_upload(record_id).status)
    except SoftTimeLimitExceeded:
        message = _("识别超时（超过%(seconds)s秒），文件可能过于复杂。") % {"seconds": EXTRACT_SOFT_LIMIT}
        return str(mark_extraction_failed(record_id, message).status)
