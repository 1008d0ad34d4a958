from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "gongkai.documents"
    verbose_name = "公文库"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_reseed_themes, sender=self, dispatch_uid="documents-reseed-themes")


def _reseed_themes(sender: AppConfig, **kwargs: object) -> None:
    """Put the default taxonomy back whenever the table was emptied (flush); idempotent."""
    from .taxonomy import seed_themes

    seed_themes()
