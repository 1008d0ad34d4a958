from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("documents/<int:pk>/", views.task_for_document, name="task-for-document"),
    path("interpretations/<int:pk>/", views.task_for_interpretation, name="task-for-interpretation"),
    path("tasks/<uuid:pk>/", views.task_detail, name="task"),
    path("tasks/<uuid:pk>/decide/", views.decide, name="decide"),
    path("tasks/<uuid:pk>/targeted/", views.targeted_create, name="targeted-create"),
    path("rereviews/", views.rereview_list, name="rereviews"),
    path("rereviews/<int:pk>/", views.rereview_decide, name="rereview-decide"),
    path("targeted/<uuid:pk>/", views.targeted_detail, name="targeted"),
    path("t/<str:token>/", views.targeted_link, name="targeted-link"),
]
