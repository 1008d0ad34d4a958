from django.urls import path

from . import staff_views, views

app_name = "documents"

urlpatterns = [
    path("mine/", staff_views.my_documents, name="mine"),
    path("<int:pk>/submit/", staff_views.submit, name="submit"),
    path("<int:pk>/edit/", staff_views.edit, name="edit"),
    path("<int:pk>/reading/", views.reading_page, name="reading"),
    path("<int:pk>/compare/<int:old_pk>/", views.compare_page, name="compare"),
    path("<int:pk>/interpretation-requirement/", views.requirement, name="requirement"),
    path("interpretations/missing/", views.missing_report, name="missing-interpretations"),
]
