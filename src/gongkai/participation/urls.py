from django.urls import path

from . import engage_views, event_views, staff_catalogue_views, staff_engage_views, staff_views, views

app_name = "participation"

urlpatterns = [
    path("", views.index, name="index"),
    path("catalogues/", views.catalogue_list, name="catalogue-list"),
    path("catalogues/<slug:code>/<int:year>/", views.catalogue_detail, name="catalogue-detail"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision-detail"),
    path("consultations/", views.consultation_list, name="consultation-list"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation-detail"),
    path("invited/<str:token>/", views.party_comment, name="party-comment"),
    path("surveys/", engage_views.survey_list, name="survey-list"),
    path("surveys/<int:pk>/", engage_views.survey_detail, name="survey-detail"),
    path("surveys/<int:pk>/results/", engage_views.survey_results_page, name="survey-results"),
    path("solicitations/", engage_views.solicitation_list, name="solicitation-list"),
    path("solicitations/<int:pk>/", engage_views.solicitation_detail, name="solicitation-detail"),
    path(
        "solicitations/<int:pk>/proposals/<int:proposal_pk>/vote/",
        engage_views.proposal_vote,
        name="proposal-vote",
    ),
    path("events/", event_views.event_list, name="event-list"),
    path("events.ics", event_views.calendar_ics, name="calendar-ics"),
    path("events/<int:pk>/", event_views.event_detail, name="event-detail"),
    path("events/<int:pk>/event.ics", event_views.event_ics, name="event-ics"),
    path("events/<int:pk>/registered/", event_views.registration_done, name="registration-done"),
    path("events/<int:pk>/cancel/", event_views.registration_cancel, name="registration-cancel"),
    path(
        "events/<int:pk>/materials/<int:material_pk>/",
        event_views.material_download,
        name="material-download",
    ),
    path("staff/", staff_views.dashboard, name="staff"),
    path("staff/consultations/new/", staff_views.consultation_new, name="staff-consultation-new"),
    path("staff/consultations/<int:pk>/", staff_views.consultation, name="staff-consultation"),
    path(
        "staff/consultations/<int:pk>/actions/<slug:name>/",
        staff_views.consultation_action,
        name="staff-consultation-action",
    ),
    path("staff/catalogues/new/", staff_catalogue_views.catalogue_new, name="staff-catalogue-new"),
    path("staff/catalogues/<int:pk>/", staff_catalogue_views.catalogue, name="staff-catalogue"),
    path(
        "staff/catalogues/<int:pk>/actions/<slug:name>/",
        staff_catalogue_views.catalogue_action,
        name="staff-catalogue-action",
    ),
    path("staff/decisions/<int:pk>/", staff_catalogue_views.item, name="staff-item"),
    path("staff/decisions/<int:pk>/step/", staff_catalogue_views.item_step, name="staff-item-step"),
    path("staff/attendance/", staff_catalogue_views.attendance, name="staff-attendance"),
    path(
        "staff/attendance/actions/<slug:name>/",
        staff_catalogue_views.attendance_action,
        name="staff-attendance-action",
    ),
    path("staff/events/new/", staff_engage_views.event_new, name="staff-event-new"),
    path("staff/events/<int:pk>/", staff_engage_views.event, name="staff-event"),
    path(
        "staff/events/<int:pk>/actions/<slug:name>/",
        staff_engage_views.event_action,
        name="staff-event-action",
    ),
    path("staff/surveys/new/", staff_engage_views.survey_new, name="staff-survey-new"),
    path("staff/surveys/<int:pk>/", staff_engage_views.survey, name="staff-survey"),
    path(
        "staff/surveys/<int:pk>/actions/<slug:name>/",
        staff_engage_views.survey_action,
        name="staff-survey-action",
    ),
    path(
        "staff/surveys/<int:pk>/export.<str:fmt>",
        staff_engage_views.survey_export,
        name="staff-survey-export",
    ),
    path("staff/solicitations/new/", staff_engage_views.solicitation_new, name="staff-solicitation-new"),
    path("staff/solicitations/<int:pk>/", staff_engage_views.solicitation, name="staff-solicitation"),
    path(
        "staff/solicitations/<int:pk>/actions/<slug:name>/",
        staff_engage_views.solicitation_action,
        name="staff-solicitation-action",
    ),
]
