from django.apps import AppConfig


class FOIConfig(AppConfig):
    name = "gongkai.foi"
