from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    verbose_name = "机构与用户"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from .middleware import remember_login_time
        from .roles import ensure_role_groups

        user_logged_in.connect(remember_login_time, dispatch_uid="gongkai-login-time")

        # Every app's post_migrate: permissions of apps migrated later exist only by then.
        post_migrate.connect(ensure_role_groups, dispatch_uid="gongkai-role-groups")
