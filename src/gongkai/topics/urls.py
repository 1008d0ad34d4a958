from django.urls import path

from . import feeds, views

app_name = "topics"

urlpatterns = [
    path("", views.topic_list, name="list"),
    path("staff/", views.staff_dashboard, name="staff"),
    path("services/<int:pk>/", views.service_detail, name="service"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/feed.rss", feeds.ProjectFeed(), name="project-rss"),
    path("photos/<int:pk>/", views.progress_photo, name="photo"),
    path("<slug:code>/", views.topic_detail, name="detail"),
    path("<slug:code>/feed.rss", feeds.TopicFeed(), name="rss"),
    path("<slug:code>/feed.atom", feeds.TopicAtom(), name="atom"),
]
