from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.manage_create, name="manage-create"),
    path("manage/figures/", views.figures, name="figures"),
    path("manage/<int:pk>/", views.manage_detail, name="manage-detail"),
    path("manage/<int:pk>/export/<str:fmt>/", views.manage_export, name="manage-export"),
    path("<slug:code>/<int:year>/", views.report_detail, name="detail"),
]
