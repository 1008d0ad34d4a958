"""The one filter of request lists: the staff worklist's form and the staff API's query parameters.

Deadline states come from FOIRequestQuerySet.overdue / .due_soon, the rules clock.urgency colours by
and the reminder task sends by. Scoping to the user's organisation is done before, by the selectors.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import ApplicantKind, Channel, RequestStatus
from .models import FOIRequestQuerySet

OPEN = "open"
STATUS_CHOICES = [(OPEN, _("办理中（全部）")), *RequestStatus.choices]
OVERDUE, SOON, LATE = "overdue", "soon", "late"
URGENCY_CHOICES = [
    (OVERDUE, _("已超期")),
    (SOON, _("3个工作日内到期")),
    (LATE, _("曾超过答复期限（含补正通知晚于答复期限）")),
]


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class FOIRequestFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=STATUS_CHOICES, empty_label=_("全部"), method="filter_status"
    )
    urgency = django_filters.ChoiceFilter(
        label=_("期限"), choices=URGENCY_CHOICES, empty_label=_("全部"), method="filter_urgency"
    )
    applicant_kind = django_filters.ChoiceFilter(
        label=_("申请人类型"), choices=ApplicantKind.choices, empty_label=_("全部")
    )
    channel = django_filters.ChoiceFilter(label=_("申请方式"), choices=Channel.choices, empty_label=_("全部"))
    year = YearFilter(label=_("年度"), min_value=2000, max_value=2100)
    q = django_filters.CharFilter(label=_("编号或申请人"), max_length=100, method="filter_q")
    overdue = django_filters.BooleanFilter(label=_("只看已超期"), method="filter_overdue")

    def filter_status(self, queryset: FOIRequestQuerySet, name: str, value: str) -> FOIRequestQuerySet:
        return queryset.still_open() if value == OPEN else queryset.filter(status=value)

    def filter_urgency(self, queryset: FOIRequestQuerySet, name: str, value: str) -> FOIRequestQuerySet:
        today = timezone.localdate()
        if value == LATE:  # a missed reply deadline stays visible after the clock moved (条例 Arts. 30, 33)
            return queryset.filter(reply_period_missed_on__isnull=False)
        return queryset.overdue(today) if value == OVERDUE else queryset.due_soon(today)

    def filter_q(self, queryset: FOIRequestQuerySet, name: str, value: str) -> FOIRequestQuerySet:
        return queryset.filter(Q(number__icontains=value) | Q(applicant_name__icontains=value))

    def filter_overdue(self, queryset: FOIRequestQuerySet, name: str, value: bool) -> FOIRequestQuerySet:
        return queryset.overdue(timezone.localdate()) if value else queryset


class WorklistFilterSet(FOIRequestFilterSet):
    """The worklist's form: "期限" stands for the API's overdue flag, and without a chosen status
    (including "全部") it lists the open requests, as it always has."""

    overdue = None

    def filter_queryset(self, queryset: FOIRequestQuerySet) -> FOIRequestQuerySet:
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.still_open()
        return super().filter_queryset(queryset)
