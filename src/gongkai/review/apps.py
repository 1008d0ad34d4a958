from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "gongkai.review"
    verbose_name = "公开审查"

    def ready(self) -> None:
        from gongkai.documents import services as document_services
        from gongkai.documents import signals as document_signals

        from . import receivers, services

        if services.require_approved_review not in document_services.PUBLISH_CHECKS:
            document_services.PUBLISH_CHECKS.append(services.require_approved_review)
        document_signals.document_submitted.connect(
            receivers.open_task_on_submit, dispatch_uid="review-open-task"
        )
