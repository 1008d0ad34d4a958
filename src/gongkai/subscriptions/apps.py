from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "gongkai.subscriptions"
    verbose_name = "订阅与精准推送"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
