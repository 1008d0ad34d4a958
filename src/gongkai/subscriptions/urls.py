from django.urls import path

from . import staff_views, views

app_name = "subscriptions"

urlpatterns = [
    path("my/policies/", views.my_policies, name="my-policies"),
    path("my/policies/<int:pk>/", views.inbox_action, name="inbox-action"),
    path("my/profile/", views.profile, name="profile"),
    path("my/subscriptions/", views.my_subscriptions, name="mine"),
    path("my/subscriptions/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("my/relay/", views.relay_home, name="relay-home"),
    path("my/relay/tasks/<int:pk>/forward/", views.relay_forward, name="relay-forward"),
    path("my/relay/<int:pk>/members/", views.relay_import, name="relay-import"),
    path("subscriptions/new/", views.subscribe, name="subscribe"),
    path("subscriptions/confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscriptions/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("subscriptions/open/<str:token>/", views.open_link, name="open"),
    path("policy-calculator/", views.calculator, name="calculator"),
    path("staff/push/", staff_views.status, name="staff-status"),
    path("staff/push/relays/", staff_views.relays, name="staff-relays"),
    path("staff/push/relays/<int:pk>/", staff_views.relay_detail, name="relay"),
    path("staff/push/relays/<int:pk>/push/", staff_views.relay_push, name="relay-push"),
]
