from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "gongkai.taxonomy"
    verbose_name = "政策标签"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, post_save

        from gongkai.accounts.models import Organisation

        post_migrate.connect(_reseed_tags, sender=self, dispatch_uid="taxonomy-reseed-tags")
        post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="taxonomy-region-tags")


def _reseed_tags(sender: AppConfig, **kwargs: object) -> None:
    """Put the shipped catalogue back whenever the table was emptied (flush); idempotent."""
    from gongkai.accounts.models import Organisation

    from .models import Tag
    from .seed import seed_region_tags, seed_tags

    seed_tags(Tag)
    seed_region_tags(Tag, Organisation)


def _organisation_saved(sender: type, instance: object, raw: bool = False, **kwargs: object) -> None:
    """A new street or town gets its 地域 tag (the district's regions come from the organisation tree)."""
    if raw:
        return
    from .models import Tag
    from .seed import sync_region_tag

    sync_region_tag(Tag, instance)
