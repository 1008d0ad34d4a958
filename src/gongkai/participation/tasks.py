"""Mail of 公众参与: registrants' confirmations, adoption-report and catalogue reminders to staff."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.constants import OrganisationKind, Role
from gongkai.accounts.models import Organisation, User
from gongkai.core.http import site_url

from . import selectors
from .constants import RegistrationStatus
from .models import Consultation, Registration


def _editors(organisation_id: int) -> list[str]:
    """The organisation's editors, and for a government those of its general office (who act for it)."""
    users = (
        User.objects.filter(is_active=True)
        .filter(
            Q(organisation_id=organisation_id)
            | Q(organisation__parent_id=organisation_id, organisation__kind=OrganisationKind.GENERAL_OFFICE)
        )
        .filter(Q(groups__name=Role.EDITOR) | Q(groups__name=Role.ORG_ADMIN))
    )
    return sorted({user.email for user in users if user.email})


def _mail_registrant(registration: Registration, subject: str, body: str) -> bool:
    if "@" not in registration.contact:
        return False  # a phone number: the confirmation page showed the code; SMS is another app's channel
    send_mail(subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL,
              recipient_list=[registration.contact])  # fmt: skip
    return True


@shared_task
def notify_registered(registration_id: int) -> bool:
    registration = (
        Registration.objects.select_related("event__organisation").filter(pk=registration_id).first()
    )
    if registration is None:
        return False
    event = registration.event
    when = timezone.localtime(event.starts_at)
    link = site_url(reverse("participation:event-detail", args=[event.pk]))
    if registration.status == RegistrationStatus.CONFIRMED:
        state = f"报名成功。签到码：{registration.code}（请在活动现场出示）。"
    else:
        state = f"名额已满，您已进入候补名单（候补码 {registration.code}）。有人取消时按报名先后递补，递补成功会再通知您。"
    body = (f"{registration.name}：\n\n您报名参加的“{event.title}”（{when:%Y年%m月%d日 %H:%M}，{event.venue}）{state}\n\n"
            f"如需取消，请在活动页面凭签到码和报名时填写的联系方式办理：{link}\n")  # fmt: skip
    return _mail_registrant(registration, f"【{event.organisation.name}】活动报名确认：{event.title}", body)


@shared_task
def notify_promoted(registration_id: int) -> bool:
    registration = (
        Registration.objects.select_related("event__organisation").filter(pk=registration_id).first()
    )
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return False
    event = registration.event
    when = timezone.localtime(event.starts_at)
    body = (f"{registration.name}：\n\n有报名者取消，您已由候补转为正式报名“{event.title}”"
            f"（{when:%Y年%m月%d日 %H:%M}，{event.venue}）。签到码：{registration.code}。\n")  # fmt: skip
    return _mail_registrant(registration, f"【{event.organisation.name}】候补递补成功：{event.title}", body)


@shared_task
def send_report_reminders(today: str | None = None) -> int:
    """Once a day: each organisation's editors get the adoption reports due within 3 working days or overdue."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    by_org: dict[int, list[Consultation]] = defaultdict(list)
    for consultation in selectors.reports_to_remind(day):
        by_org[consultation.organisation_id].append(consultation)
    sent = 0
    for organisation_id, rows in by_org.items():
        recipients = _editors(organisation_id)
        if not recipients:
            continue
        lines = [
            f"{c.title}  决策公布 {c.decision_published_on:%Y-%m-%d}  采纳情况应于 {c.report_due_on:%Y-%m-%d} 前公布  "
            f"{selectors.report_urgency(c, day).label}  {site_url(reverse('participation:staff-consultation', args=[c.pk]))}"
            for c in rows
        ]
        send_mail(
            subject=f"【意见征集】{rows[0].organisation.name}有{len(rows)}项意见采纳情况即将到期或已超期",
            message="决策公布后10个工作日内应公布意见采纳情况（静安区政务公开工作要点二十二）：\n\n"
            + "\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
        Consultation.objects.filter(pk__in=[c.pk for c in rows]).update(last_reminded_on=day)
        sent += 1
    return sent


def _catalogue_reminder_day(day: dt.date) -> bool:
    if day.month < 3:
        return False
    return day.weekday() == 0 or (day.month == 3 and day.day >= 25)


@shared_task
def send_catalogue_reminders(today: str | None = None) -> int:
    """From 1 March, on Mondays and from 25 March daily: governments whose catalogue is not yet published."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    if not _catalogue_reminder_day(day):
        return 0
    sent = 0
    for organisation in Organisation.objects.filter(kind=OrganisationKind.GOVERNMENT):
        alert = selectors.catalogue_alert(organisation, day)
        recipients = _editors(organisation.pk) if alert else []
        if alert and recipients:
            send_mail(subject=f"【重大行政决策事项目录】{alert.message}", message=alert.message,
                      from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=recipients)  # fmt: skip
            sent += 1
    return sent
