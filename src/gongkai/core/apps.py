from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongkai.core"
    verbose_name = "核心"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .calendar import clear_cache
        from .models import WorkCalendar, WorkCalendarDay

        for model in (WorkCalendar, WorkCalendarDay):
            post_save.connect(clear_cache, sender=model, dispatch_uid=f"calendar-cache-{model.__name__}-save")
            post_delete.connect(
                clear_cache, sender=model, dispatch_uid=f"calendar-cache-{model.__name__}-delete"
            )
