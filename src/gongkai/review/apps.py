from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "gongkai.review"
    verbose_name = "公开审查"

    def ready(self) -> None:
        from gongkai.documents import interpretations as interpretation_services
        from gongkai.documents import services as document_services
        from gongkai.documents import signals as document_signals

        from . import interpretations, receivers, services

        if services.require_approved_review not in document_services.PUBLISH_CHECKS:
            document_services.PUBLISH_CHECKS.append(services.require_approved_review)
        checks = interpretation_services.INTERPRETATION_PUBLISH_CHECKS
        if interpretations.require_approved_interpretation_review not in checks:
            checks.append(interpretations.require_approved_interpretation_review)
        document_signals.interpretation_submitted.connect(
            receivers.open_task_on_interpretation_submit, dispatch_uid="review-open-interpretation-task"
        )
        document_signals.document_submitted.connect(
            receivers.open_task_on_submit, dispatch_uid="review-open-task"
        )
