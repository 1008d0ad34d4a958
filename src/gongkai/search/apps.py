from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "gongkai.search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import receivers

        receivers.connect()
        post_migrate.connect(_reseed_synonyms, sender=self, dispatch_uid="search-reseed-synonyms")


def _reseed_synonyms(sender: AppConfig, **kwargs: object) -> None:
    from .synonyms import seed_synonyms

    seed_synonyms()
