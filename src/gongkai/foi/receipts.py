"""The applicant's receipt (条例 Art. 31): the request number and verification code by e-mail and SMS.

Sent after the registration commits, in-process: the code is never stored in clear or put on a
task queue. A failed e-mail or SMS is logged and does not undo the application; the code was
shown on the confirmation page too. SMS goes through `FOI_SMS_SENDER`, the dotted path of a
callable `(phone, text) -> None` a deployment provides for its SMS gateway (none by default).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.module_loading import import_string

from gongkai.core.http import site_url

from .models import FOIRequest

logger = logging.getLogger(__name__)


def receipt_text(request: FOIRequest, code: str) -> str:
    return (
        f"{request.applicant_name}：\n\n"
        f"{request.organisation.name}已收到您的政府信息公开申请。\n"
        f"申请编号：{request.number}\n"
        f"查询码：{code}（不区分大小写）\n"
        f"收到申请日期：{request.received_date.year}年{request.received_date.month}月{request.received_date.day}日\n\n"
        f"请凭申请编号和查询码在 {site_url(reverse('foi:track'))} 查询办理进度、下载答复文书。"
        "查询码只发送这一次，请妥善保存，不要告诉他人。\n"
    )


def send_receipt(request_id: int, code: str) -> dict[str, bool]:
    request = FOIRequest.objects.select_related("organisation").filter(pk=request_id).first()
    sent = {"email": False, "sms": False}
    if request is None:
        return sent
    text = receipt_text(request, code)
    if request.email:
        try:
            send_mail(
                subject=f"【{request.organisation.name}】政府信息公开申请回执 {request.number}",
                message=text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[request.email],
            )
            sent["email"] = True
        except Exception:  # the application stands; the receipt page showed the code
            logger.exception("receipt e-mail for %s failed", request.number)
    sender_path = getattr(settings, "FOI_SMS_SENDER", "")
    if sender_path and request.phone:
        try:
            import_string(sender_path)(
                request.phone, f"【{request.organisation.short_name or request.organisation.name}】"
                f"您的政府信息公开申请编号{request.number}，查询码{code}。"
            )  # fmt: skip
            sent["sms"] = True
        except Exception:
            logger.exception("receipt SMS for %s failed", request.number)
    return sent
