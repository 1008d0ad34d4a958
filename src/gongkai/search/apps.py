from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "gongkai.search"
