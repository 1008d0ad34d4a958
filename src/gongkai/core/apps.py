from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongkai.core"
    verbose_name = "核心"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        from .calendar import clear_cache
        from .models import WorkCalendar, WorkCalendarDay

        for model in (WorkCalendar, WorkCalendarDay):
            post_save.connect(clear_cache, sender=model, dispatch_uid=f"calendar-cache-{model.__name__}-save")
            post_delete.connect(
                clear_cache, sender=model, dispatch_uid=f"calendar-cache-{model.__name__}-delete"
            )
        post_migrate.connect(_reseed_calendar, sender=self, dispatch_uid="core-reseed-calendar")
        post_migrate.connect(_cache_table, sender=self, dispatch_uid="core-cache-table")


def _cache_table(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    from .cache import ensure_cache_table

    ensure_cache_table(using)


def _reseed_calendar(sender: AppConfig, **kwargs: object) -> None:
    """Re-seed the years chinesecalendar covers whenever the tables were emptied (flush); idempotent."""
    from .calendar import clear_cache, seed_from_chinesecalendar
    from .models import WorkCalendar, WorkCalendarDay

    if seed_from_chinesecalendar(WorkCalendar, WorkCalendarDay):
        clear_cache()
