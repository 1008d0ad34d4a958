from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo content and the `demo` command; sits on top of every app it loads data into."""

    name = "gongkai.demo"
    label = "demo"
    verbose_name = "演示数据"
