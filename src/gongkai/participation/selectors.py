"""Read side of 公众参与: public lists, staff scoping, due dates and urgency, yearly figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.calendar import working_days_between

from .constants import (
    CATALOGUE_DEADLINE,
    CATALOGUE_WARNING_FROM,
    DUE_SOON_WORKING_DAYS,
    Adoption,
    CatalogueStatus,
    ConsultationStatus,
    ModerationStatus,
    RegistrationStatus,
    ReportStatus,
)
from .models import (
    Attendance,
    Comment,
    Consultation,
    DecisionCatalogue,
    Event,
    Proposal,
    Solicitation,
    Survey,
)
from .permissions import acting_for


def _org_filter(user: Any, field: str = "organisation_id") -> dict[str, Any]:
    """Staff see their organisation's items, and a general office also its government's (acting_for)."""
    if getattr(user, "is_platform_admin", False):
        return {}
    return {f"{field}__in": acting_for(user) or [-1]}


# Public -------------------------------------------------------------------------------------------


def public_catalogues() -> QuerySet[DecisionCatalogue]:
    return DecisionCatalogue.objects.filter(status=CatalogueStatus.PUBLISHED).select_related("organisation")


def public_consultations() -> QuerySet[Consultation]:
    return Consultation.objects.filter(status=ConsultationStatus.PUBLISHED).select_related(
        "organisation", "item"
    )


def published_comments(consultation: Consultation) -> QuerySet[Comment]:
    return consultation.comments.filter(moderation=ModerationStatus.PUBLISHED, source="public")


def public_surveys() -> QuerySet[Survey]:
    return Survey.objects.filter(status="published").select_related("organisation")


def public_solicitations() -> QuerySet[Solicitation]:
    return Solicitation.objects.filter(is_published=True).select_related("organisation")


def published_proposals(solicitation: Solicitation) -> QuerySet[Proposal]:
    return solicitation.proposals.filter(moderation=ModerationStatus.PUBLISHED)


def public_events() -> QuerySet[Event]:
    return Event.objects.filter(is_published=True).select_related("organisation", "feedback_survey")


# Adoption -----------------------------------------------------------------------------------------


def counted_comments(consultation: Consultation) -> QuerySet[Comment]:
    """Every opinion received, whatever its channel; rejected ones (spam, abuse) are not opinions."""
    return consultation.comments.exclude(moderation=ModerationStatus.REJECTED)


def adoption_counts(consultation: Consultation) -> dict[str, int]:
    """The counts recorded on the platform: received and each adoption decision."""
    rows = counted_comments(consultation).aggregate(
        received=Count("id"),
        adopted=Count("id", filter=Q(adoption=Adoption.ADOPTED)),
        partly=Count("id", filter=Q(adoption=Adoption.PARTLY)),
        not_adopted=Count("id", filter=Q(adoption=Adoption.NOT_ADOPTED)),
        undecided=Count("id", filter=Q(adoption="")),
    )
    return {name: rows[name] or 0 for name in ("received", "adopted", "partly", "not_adopted", "undecided")}


def article_comment_counts(consultation: Consultation) -> dict[int | None, int]:
    rows = published_comments(consultation).values("article_number").annotate(n=Count("id"))
    return {row["article_number"]: row["n"] for row in rows}


@dataclass(frozen=True)
class Urgency:
    level: str  # overdue | soon | ok | done | none
    label: str
    left: int | None = None


def report_urgency(consultation: Consultation, today: dt.date | None = None) -> Urgency:
    """How the adoption report stands against its due date (the staff list's colours and the reminders)."""
    today = today or timezone.localdate()
    report = getattr(consultation, "report", None)  # the reverse one-to-one raises AttributeError when absent
    if report is not None and report.status == ReportStatus.PUBLISHED:
        late = consultation.report_due_on and report.published_on > consultation.report_due_on
        return Urgency("done", _("已逾期公布") if late else _("已按时公布"))
    due = consultation.report_due_on
    if due is None:
        return Urgency("none", _("决策尚未公布"))
    try:
        left = working_days_between(today, due)
    except ValidationError:
        return Urgency("soon", _("节假日安排尚未录入"))
    if left < 0:
        return Urgency("overdue", _("已超期%(n)d个工作日") % {"n": -left}, left)
    if left <= DUE_SOON_WORKING_DAYS:
        return Urgency("soon", _("剩余%(n)d个工作日") % {"n": left}, left)
    return Urgency("ok", _("剩余%(n)d个工作日") % {"n": left}, left)


def reports_to_remind(today: dt.date) -> list[Consultation]:
    """Decisions published whose adoption report is not published and is due soon or overdue."""
    rows = (
        Consultation.objects.filter(report_due_on__isnull=False, status=ConsultationStatus.PUBLISHED)
        .exclude(report__status=ReportStatus.PUBLISHED)
        .exclude(last_reminded_on=today)
        .select_related("organisation")
    )
    return [c for c in rows if report_urgency(c, today).level in ("overdue", "soon")]


# Staff --------------------------------------------------------------------------------------------


def staff_consultations(user: Any) -> QuerySet[Consultation]:
    return (
        Consultation.objects.filter(**_org_filter(user))
        .select_related("organisation", "report")
        .annotate(
            pending=Count(
                "comments", filter=Q(comments__moderation=ModerationStatus.PENDING, comments__source="public")
            ),
            undecided=Count(
                "comments",
                filter=Q(comments__adoption="") & ~Q(comments__moderation=ModerationStatus.REJECTED),
            ),
        )
    )


def staff_catalogues(user: Any) -> QuerySet[DecisionCatalogue]:
    return DecisionCatalogue.objects.filter(**_org_filter(user)).select_related("organisation")


def staff_events(user: Any) -> QuerySet[Event]:
    return Event.objects.filter(**_org_filter(user)).select_related("organisation")


def staff_surveys(user: Any) -> QuerySet[Survey]:
    return Survey.objects.filter(**_org_filter(user)).select_related("organisation")


def staff_solicitations(user: Any) -> QuerySet[Solicitation]:
    return Solicitation.objects.filter(**_org_filter(user)).select_related("organisation")


def staff_attendances(user: Any) -> QuerySet[Attendance]:
    return Attendance.objects.filter(**_org_filter(user)).select_related("organisation", "item")


@dataclass(frozen=True)
class CatalogueAlert:
    level: str  # warning | alarm
    message: str


def catalogue_alert(organisation: Any, today: dt.date | None = None) -> CatalogueAlert | None:
    """Work plan 二十二: the year's catalogue is published by 31 March; warn from 1 March, alarm after."""
    today = today or timezone.localdate()
    if (today.month, today.day) < CATALOGUE_WARNING_FROM:
        return None
    if (
        not DecisionCatalogue.objects.filter(organisation=organisation).exists()
        and organisation.kind != "government"
    ):
        return None  # only governments (and bodies that keep a catalogue) publish one
    if DecisionCatalogue.objects.filter(
        organisation=organisation, year=today.year, status=CatalogueStatus.PUBLISHED
    ).exists():
        return None
    params = {"name": organisation.name, "year": today.year}
    if (today.month, today.day) > CATALOGUE_DEADLINE:
        return CatalogueAlert(
            "alarm", _("%(name)s%(year)s年度重大行政决策事项目录应于3月31日前公布，现已逾期。") % params
        )
    return CatalogueAlert(
        "warning", _("%(name)s%(year)s年度重大行政决策事项目录应于3月31日前公布，请抓紧报批。") % params
    )


# Figures ------------------------------------------------------------------------------------------


def attendance_counts(year: int, organisation_ids: list[int] | None = None) -> dict[str, int]:
    """列席 in a year: invitations and attendances (work plan 二十一 asks for at least 4 a year)."""
    rows = Attendance.objects.filter(meeting_date__year=year)
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=organisation_ids)
    figures = rows.aggregate(
        n_invited=Count("id"),
        n_attended=Count("id", filter=Q(attended=True)),
        n_meetings=Count("meeting_date", distinct=True, filter=Q(attended=True)),
    )
    return {name: figures[f"n_{name}"] or 0 for name in ("invited", "attended", "meetings")}


def event_figures(event: Event) -> dict[str, Any]:
    rows = event.registrations.aggregate(
        confirmed=Count("id", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waitlisted=Count("id", filter=Q(status=RegistrationStatus.WAITLISTED)),
        cancelled=Count("id", filter=Q(status=RegistrationStatus.CANCELLED)),
        checked_in=Count("id", filter=Q(status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=False)),
    )
    figures = {name: rows[name] or 0 for name in ("confirmed", "waitlisted", "cancelled", "checked_in")}
    figures["capacity"] = event.capacity
    figures["free"] = max(event.capacity - figures["confirmed"], 0)
    figures["rate"] = (
        round(100 * figures["checked_in"] / figures["confirmed"]) if figures["confirmed"] else None
    )
    return figures
