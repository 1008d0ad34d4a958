from django.urls import path

from . import views

app_name = "ingest"

urlpatterns = [
    path("upload/", views.upload, name="upload"),
    path("records/", views.record_list, name="record-list"),
    path("records/<int:pk>/", views.record_confirm, name="record-confirm"),
    path("records/<int:pk>/status/", views.record_status, name="record-status"),
]
