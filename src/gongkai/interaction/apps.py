from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "gongkai.interaction"
    verbose_name = "政民互动"

    def ready(self) -> None:
        from . import hooks

        hooks.register()
