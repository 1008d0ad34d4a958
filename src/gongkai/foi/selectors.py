"""Reads of 依申请公开: what a staff member may see, the filtered request lists, the requests to remind
about, and the counts the annual report publishes (Tables 三 and 四, 条例 Art. 50).

Other apps read 依申请公开 through this module, never through foi.models.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import QueryDict

from .constants import OUTCOME_REPORT_ROW
from .filters import WorklistFilterSet
from .models import FOIAppeal, FOILetter, FOIRequest, FOIRequestQuerySet

# --- staff scoping -------------------------------------------------------------------------------


def staff_requests(user: Any) -> FOIRequestQuerySet:
    """The requests of the user's organisation (every request for a platform admin)."""
    return FOIRequest.objects.of_organisation(user).select_related("organisation")


def staff_request_details(user: Any) -> FOIRequestQuerySet:
    """staff_requests with what a request's page and API detail show."""
    return staff_requests(user).prefetch_related("consultations", "letters", "appeals")


def staff_letters(user: Any) -> QuerySet[FOILetter]:
    return FOILetter.objects.filter(request__in=FOIRequest.objects.of_organisation(user)).select_related(
        "request"
    )


def staff_appeals(user: Any) -> QuerySet[FOIAppeal]:
    """The cases of the user's organisation, with or without a request (条例 Art. 51)."""
    if getattr(user, "is_platform_admin", False):
        return FOIAppeal.objects.all()
    return FOIAppeal.objects.filter(organisation_id=getattr(user, "organisation_id", None) or -1)


# --- lists -----------------------------------------------------------------------------------------


def worklist(user: Any, data: QueryDict) -> tuple[WorklistFilterSet, FOIRequestQuerySet]:
    """The worklist's filter form and its rows, the nearest deadline first."""
    filterset = WorklistFilterSet(data, queryset=staff_requests(user))
    return filterset, filterset.qs.order_by("due_date", "received_date", "id")


def api_list(user: Any) -> FOIRequestQuerySet:
    """The API list before its FOIRequestFilterSet (applied by DjangoFilterBackend)."""
    return staff_requests(user).order_by("due_date", "id")


def reminders_due(day: dt.date) -> FOIRequestQuerySet:
    """Overdue requests not yet reminded about on `day` (at most one reminder a day)."""
    return (
        FOIRequest.objects.overdue(day)
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=day))
        .select_related("organisation")
        .order_by("due_date")
    )


# --- the annual report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnualCounts:
    """One year's figures of a set of organisations, grouped as the annual report needs them.

    Applicant kinds are ApplicantKind values, report rows OUTCOME_REPORT_ROW values (None for an
    outcome without one), appeal kinds and results AppealKind / AppealResult values.
    """

    new: Counter[str]  # applicant kind -> requests received in the year
    carried_in: Counter[str]  # applicant kind -> open on 31 December of the year before
    carried_out: Counter[str]  # applicant kind -> open on 31 December of the year
    decided: Counter[tuple[str | None, str]]  # (report row, applicant kind) -> decided in the year
    appeals_pending: Counter[str]  # appeal kind -> filed in the year, not decided by its end
    appeals_decided: Counter[tuple[str, str]]  # (appeal kind, result) -> filed and decided in the year
    fees_collected: Decimal  # 信息处理费 paid in the year (条例 Art. 42; 国办函〔2020〕109号)
    # Cases filed in an earlier year and decided in this one: Table 四 counts a case in its filing year
    # only, so their results are reported in this year's text (docs/foi-rules.md).
    appeals_decided_from_earlier: Counter[tuple[str, str]] = field(default_factory=Counter)
    late_replies: int = 0  # decided in the year after the reply deadline had run out (条例 Art. 33)
    late_after_correction: int = 0  # of which the 补正 notice came after the deadline (Art. 30)


def _by_kind(queryset: FOIRequestQuerySet) -> Counter[str]:
    rows = queryset.values("applicant_kind").annotate(n=Count("pk")).order_by()
    return Counter({row["applicant_kind"]: row["n"] for row in rows})


def _decided(requests: FOIRequestQuerySet, start: dt.date, end: dt.date) -> Counter[tuple[str | None, str]]:
    decided = requests.filter(decided_date__range=(start, end), received_date__lte=end).exclude(outcome="")
    counts: Counter[tuple[str | None, str]] = Counter()
    for row in decided.values("outcome", "applicant_kind").annotate(n=Count("pk")).order_by():
        counts[(OUTCOME_REPORT_ROW.get(row["outcome"]), row["applicant_kind"])] += row["n"]
    return counts


def _appeals(organisation_ids: set[int], start: dt.date, end: dt.date) -> tuple[Counter, Counter]:
    appeals = FOIAppeal.objects.filter(organisation_id__in=organisation_ids, filed_date__range=(start, end))
    # Still pending at the year's end counts as 尚未审结 whatever the later result.
    pending = Q(decided_date__isnull=True) | Q(decided_date__gt=end) | Q(result="pending")
    open_ones: Counter[str] = Counter()
    for row in appeals.filter(pending).values("kind").annotate(n=Count("pk")).order_by():
        open_ones[row["kind"]] += row["n"]
    decided: Counter[tuple[str, str]] = Counter()
    for row in appeals.exclude(pending).values("kind", "result").annotate(n=Count("pk")).order_by():
        decided[(row["kind"], row["result"])] += row["n"]
    return open_ones, decided


def _appeals_from_earlier(
    organisation_ids: set[int], start: dt.date, end: dt.date
) -> Counter[tuple[str, str]]:
    decided = FOIAppeal.objects.filter(
        organisation_id__in=organisation_ids, filed_date__lt=start, decided_date__range=(start, end)
    ).exclude(result="pending")
    counts: Counter[tuple[str, str]] = Counter()
    for row in decided.values("kind", "result").annotate(n=Count("pk")).order_by():
        counts[(row["kind"], row["result"])] += row["n"]
    return counts


def _late(requests: FOIRequestQuerySet, start: dt.date, end: dt.date) -> tuple[int, int]:
    """Requests decided in the year that had missed their reply deadline, and those whose 补正 notice
    itself came after it (the restarted period does not hide the lateness)."""
    late = requests.filter(decided_date__range=(start, end), reply_period_missed_on__isnull=False)
    return late.count(), late.filter(correction_notice_date__gt=F("reply_period_missed_on")).count()


def fees_collected(organisation_ids: set[int], year: int) -> Decimal:
    """信息处理费 actually paid in the year (条例 Art. 42; 国办函〔2020〕109号)."""
    total = FOIRequest.objects.filter(
        organisation_id__in=organisation_ids,
        fee_paid_date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)),
    ).aggregate(total=Sum("fee_paid_amount"))["total"]
    return Decimal(total or 0)


def annual_counts(organisation_ids: set[int], year: int) -> AnnualCounts:
    """Every 依申请公开 figure of the annual report: a handful of grouped queries, whatever the volume.

    A request is open on day D when received by D and not decided by D (see foi.models).
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    requests = FOIRequest.objects.filter(organisation_id__in=organisation_ids)
    appeals_pending, appeals_decided = _appeals(organisation_ids, start, end)
    late_replies, late_after_correction = _late(requests, start, end)
    return AnnualCounts(
        new=_by_kind(requests.filter(received_date__range=(start, end))),
        carried_in=_by_kind(requests.open_on(start - dt.timedelta(days=1))),
        carried_out=_by_kind(requests.open_on(end)),
        decided=_decided(requests, start, end),
        appeals_pending=appeals_pending,
        appeals_decided=appeals_decided,
        fees_collected=fees_collected(organisation_ids, year),
        appeals_decided_from_earlier=_appeals_from_earlier(organisation_ids, start, end),
        late_replies=late_replies,
        late_after_correction=late_after_correction,
    )
