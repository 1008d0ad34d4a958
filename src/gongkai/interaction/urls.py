from django.urls import path

from . import staff_views, views

app_name = "interaction"

urlpatterns = [
    path("interaction/ask/", views.consult, name="consult"),
    path("interaction/mine/", views.mine, name="mine"),
    path("interaction/write/<str:box>/", views.write, name="write"),
    path("interaction/track/", views.track, name="track"),
    path("interaction/documents/<int:pk>/ask/", views.ask_document, name="ask-document"),
    path("interaction/follow/<uuid:public_id>/", views.follow, name="follow"),
    path("kb/", views.kb_page, name="kb"),
    path("kb/export.<str:fmt>", views.kb_export, name="kb-export"),
    path("kb/<int:pk>/", views.kb_entry, name="kb-entry"),
    path("interaction/staff/", staff_views.queue, name="staff"),
    path("interaction/staff/dashboard/", staff_views.dashboard, name="staff-dashboard"),
    path("interaction/staff/<int:pk>/", staff_views.message_detail, name="staff-message"),
    path("interaction/staff/<int:pk>/assign/", staff_views.assign, name="staff-assign"),
    path("interaction/staff/<int:pk>/moderate/", staff_views.moderate, name="staff-moderate"),
    path("interaction/staff/<int:pk>/dispatch/", staff_views.dispatch, name="staff-dispatch"),
    path("interaction/staff/<int:pk>/field/", staff_views.confirm_field, name="staff-field"),
    path("interaction/staff/<int:pk>/return/", staff_views.return_, name="staff-return"),
    path("interaction/staff/<int:pk>/reopen/", staff_views.reopen, name="staff-reopen"),
    path("interaction/staff/<int:pk>/publication/", staff_views.publication, name="staff-publication"),
    path("interaction/staff/<int:pk>/reply/", staff_views.reply, name="staff-reply"),
    path("interaction/staff/<int:pk>/review/", staff_views.review, name="staff-review"),
    path("interaction/staff/faq/", staff_views.promote, name="staff-faq"),
    path("interaction/staff/kb/<int:pk>/confirm/", staff_views.confirm_entry, name="staff-kb-confirm"),
    path(
        "interaction/staff/kb/unanswered/<int:pk>/learn/", staff_views.learn_question, name="staff-kb-learn"
    ),
]
