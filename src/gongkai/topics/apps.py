from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "gongkai.topics"
    verbose_name = "政策专题"

    def ready(self) -> None:
        from gongkai.search import selectors as search_selectors

        from .selectors import service_items_by_document

        def mark_service_items(results: list) -> None:
            """The 办 mark on search hits (阅办联动, work plan item 十九)."""
            by_document = service_items_by_document([result.document.pk for result in results])
            for result in results:
                result.document.service_item_list = by_document.get(result.document.pk, [])

        if mark_service_items.__qualname__ not in {
            f.__qualname__ for f in search_selectors.RESULT_ANNOTATORS
        }:
            search_selectors.RESULT_ANNOTATORS.append(mark_service_items)
