"""Back office: the read-only audit log, and the work calendar that staff extend each year."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from .calendar import missing_next_year_warning
from .models import Event, WorkCalendar, WorkCalendarDay


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The audit log is read-only: rows are only ever appended by services."""

    list_display = ("created_at", "actor_label", "verb", "target_label", "organisation")
    list_filter = ("verb",)
    search_fields = ("target_label", "actor_label", "verb")
    readonly_fields = [f.name for f in Event._meta.fields]

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        if request.user.is_platform_admin:
            return queryset
        return queryset.filter(organisation_id=request.user.organisation_id or -1)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class WorkCalendarDayForm(forms.ModelForm):
    class Meta:
        model = WorkCalendarDay
        fields = ["date", "kind", "name"]

    def clean(self) -> dict:
        data = super().clean()
        day, kind = data.get("date"), data.get("kind")
        calendar = (
            self.instance.calendar if self.instance.calendar_id else getattr(self, "parent_calendar", None)
        )
        if day and calendar and day.year != calendar.year:
            raise ValidationError({"date": _("日期必须在%(year)s年内。") % {"year": calendar.year}})
        if day and kind == WorkCalendarDay.Kind.WORKDAY and day.weekday() < 5:
            raise ValidationError({"kind": _("调休上班日应为星期六或星期日。")})
        return data


class WorkCalendarDayInline(admin.TabularInline):
    model = WorkCalendarDay
    form = WorkCalendarDayForm
    extra = 10

    def get_formset(self, request: HttpRequest, obj: WorkCalendar | None = None, **kwargs: object):
        formset = super().get_formset(request, obj, **kwargs)

        class WithParent(formset):  # type: ignore[misc, valid-type]
            def _construct_form(self, i: int, **kw: object):
                form = super()._construct_form(i, **kw)
                form.parent_calendar = self.instance
                return form

        return WithParent


@admin.register(WorkCalendar)
class WorkCalendarAdmin(admin.ModelAdmin):
    list_display = ["year", "is_complete", "source", "holiday_count", "workday_count", "updated_at"]
    inlines = [WorkCalendarDayInline]

    @admin.display(description=_("节假日天数"))
    def holiday_count(self, obj: WorkCalendar) -> int:
        return obj.days.filter(kind=WorkCalendarDay.Kind.HOLIDAY).count()

    @admin.display(description=_("调休上班天数"))
    def workday_count(self, obj: WorkCalendar) -> int:
        return obj.days.filter(kind=WorkCalendarDay.Kind.WORKDAY).count()

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        warning = missing_next_year_warning()  # from 1 November, when next year is missing
        if warning:
            messages.warning(request, warning)
        return super().changelist_view(request, extra_context)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(
            request.user.is_active
            and (request.user.is_superuser or request.user.has_perm("core.view_workcalendar"))
        )
