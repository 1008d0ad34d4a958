from django.apps import AppConfig


class FOIConfig(AppConfig):
    name = "gongkai.foi"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from gongkai.review.selectors import QUEUE_PROVIDERS

        from .review_queue import letters_awaiting_review

        if letters_awaiting_review not in QUEUE_PROVIDERS:
            QUEUE_PROVIDERS.append(letters_awaiting_review)
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from gongkai.core.models import WorkCalendar, WorkCalendarDay

        def calendar_changed(sender: object, **kwargs: object) -> None:
            if kwargs.get("raw"):  # rows loaded as they were (restore, fixtures): due dates are restored too
                return
            # Staff entered or corrected a year's holidays: stored due dates may move (rule 4: a signal
            # across apps). Deadlines that were unknown ("尚未录入") get their dates now.
            from .services import refresh_due_dates

            transaction.on_commit(refresh_due_dates)

        for model in (WorkCalendar, WorkCalendarDay):
            post_save.connect(
                calendar_changed, sender=model, dispatch_uid=f"foi-refresh-{model.__name__}-save", weak=False
            )
            post_delete.connect(
                calendar_changed, sender=model, dispatch_uid=f"foi-refresh-{model.__name__}-del", weak=False
            )
