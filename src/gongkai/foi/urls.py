from django.urls import path

from . import staff_views, views

app_name = "foi"

urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("apply/done/", views.confirmation, name="confirmation"),
    path("track/", views.track, name="track"),
    path("track/exit/", views.track_exit, name="track-exit"),
    path("track/letters/<int:pk>.docx", views.track_letter, name="track-letter"),
    path("staff/", staff_views.worklist, name="staff-list"),
    path("staff/new/", staff_views.register, name="staff-new"),
    path("staff/<int:pk>/", staff_views.detail, name="staff-detail"),
    path("staff/<int:pk>/actions/<slug:name>/", staff_views.action, name="staff-action"),
    path("staff/<int:pk>/files/", staff_views.upload, name="staff-upload"),
    path("staff/<int:pk>/files/<int:file_pk>/", staff_views.download, name="staff-file"),
    path("staff/appeals/", staff_views.appeals, name="staff-appeals"),
    path("staff/appeals/<int:pk>/result/", staff_views.appeal_result, name="staff-appeal-result"),
    path("staff/letters/<int:pk>/", staff_views.letter, name="staff-letter"),
    path("staff/letters/<int:pk>/review/", staff_views.letter_review, name="staff-letter-review"),
    path("staff/letters/<int:pk>.docx", staff_views.letter_docx, name="staff-letter-docx"),
]
