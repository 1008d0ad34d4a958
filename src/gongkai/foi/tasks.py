"""Periodic and after-commit work for 依申请公开: overdue reminders and applicant notifications."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.constants import Role
from gongkai.accounts.models import User
from gongkai.core.http import site_url

from . import selectors
from .models import FOILetter, FOIRequest


def _officers(organisation_id: int) -> list[str]:
    users = User.objects.filter(is_active=True, organisation_id=organisation_id).filter(
        Q(groups__name=Role.FOI_OFFICER) | Q(groups__name=Role.ORG_ADMIN)
    )
    return sorted({user.email for user in users if user.email})


@shared_task
def send_overdue_reminders(today: str | None = None) -> int:
    """Once a day: e-mail each organisation's FOI officers the open requests past their due date.

    A request is reminded at most once a day (last_reminded_on). Returns the number of e-mails sent.
    """
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    by_org: dict[int, list[FOIRequest]] = defaultdict(list)
    for request in selectors.reminders_due(day):
        by_org[request.organisation_id].append(request)
    sent = 0
    for organisation_id, requests in by_org.items():
        recipients = _officers(organisation_id)
        if not recipients:
            continue
        lines = [
            f"{r.number}  {r.get_status_display()}  期限 {r.due_date:%Y-%m-%d}  {site_url(reverse('foi:staff-detail', args=[r.pk]))}"
            for r in requests
        ]
        send_mail(
            subject=f"【依申请公开】{requests[0].organisation.name}有{len(requests)}件申请已超过期限",
            message="以下政府信息公开申请已超过期限，请尽快办理：\n\n" + "\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
        FOIRequest.objects.filter(pk__in=[r.pk for r in requests]).update(last_reminded_on=day)
        sent += 1
    return sent


@shared_task
def notify_applicant_letter(request_id: int, letter_id: int) -> bool:
    """Tell the applicant (if they gave an e-mail) that a letter is ready on the tracking page."""
    request = FOIRequest.objects.select_related("organisation").filter(pk=request_id).first()
    letter = FOILetter.objects.filter(pk=letter_id, to_applicant=True).first()
    if request is None or letter is None or not request.email:
        return False
    send_mail(
        subject=f"【{request.organisation.name}】您的政府信息公开申请 {request.number} 有新的文书",
        message=(
            f"{request.applicant_name}：\n\n{request.organisation.name}已就您的政府信息公开申请（编号 {request.number}）"
            f"出具《{letter.title}》。请凭申请编号和查询码在 {site_url(reverse('foi:track'))} 查看和下载。\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[request.email],
    )
    return True
