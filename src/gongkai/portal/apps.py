from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkai.portal"

    def ready(self) -> None:
        from . import pagecache

        pagecache.connect()  # public pages are rendered afresh after every write that can change them
