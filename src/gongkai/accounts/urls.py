from django.urls import path

from . import public_views, views

app_name = "accounts"

urlpatterns = [
    path("two-factor/", views.two_factor, name="two-factor"),
    path("register/", public_views.register, name="register"),
    path("verify/<str:uidb64>/<str:token>/", public_views.verify, name="verify"),
    path("login/", public_views.PublicLoginView.as_view(), name="login"),
    path("logout/", public_views.logout_view, name="logout"),
    path("delete/", public_views.delete_account, name="delete"),
    path("password-reset/", public_views.password_reset, name="password-reset"),
    path("password-reset/done/", public_views.password_reset_done, name="password-reset-done"),
    path(
        "reset/<str:uidb64>/<str:token>/", public_views.password_reset_confirm, name="password-reset-confirm"
    ),
    path("reset/done/", public_views.password_reset_complete, name="password-reset-complete"),
]
