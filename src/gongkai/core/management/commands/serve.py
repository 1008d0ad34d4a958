import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from gongkai.core.gunicorn import REQUEST_LINE_BOUND

# Request lines up to REQUEST_LINE_BOUND (64 KiB) reach Django, which answers an over-long URL with its
# own 414 page (URL_MAX_LENGTH) and lets the search page cap an over-long query; longer ones get the
# same Chinese 414 page from the worker (core.gunicorn).
WORKER_CLASS = "gongkai.core.gunicorn.Worker"
THREADED_WORKER_CLASS = "gongkai.core.gunicorn.ThreadedWorker"


class Command(BaseCommand):
    help = "用 gunicorn 启动门户网站（先收集静态文件）；默认使用生产环境设置。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("GONGKAI_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("GONGKAI_WORKERS", "2")))
        # Threads per worker (gunicorn's gthread worker): keep-alive connections, and a slow request
        # (a large export, a search) no longer holds up every visitor of its worker.
        parser.add_argument("--threads", type=int, default=int(os.environ.get("GONGKAI_THREADS", "2")))

    def handle(self, *args, **options) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)  # rate limits shared by the workers (core.cache)
        site = (os.environ.get("SITE_URL") or f"http://{options['bind']}").rstrip("/")  # as conf.base
        self.stdout.write(
            f"门户网站：{site}/   后台：{site}/admin/   "
            f"（监听 {options['bind']}，设置 {settings.SETTINGS_MODULE}，DEBUG={'开' if settings.DEBUG else '关'}）"
        )
        sys.stdout.flush()
        # The workers load the same settings module as this command, and derive SITE_URL from the bind.
        os.environ["DJANGO_SETTINGS_MODULE"] = settings.SETTINGS_MODULE
        os.environ["GONGKAI_BIND"] = options["bind"]
        os.execvp(
            sys.executable,
            [sys.executable, "-m", "gunicorn", "gongkai.wsgi:application", "--bind", options["bind"],
             "--workers", str(options["workers"]), "--threads", str(options["threads"]),
             "--limit-request-line", str(REQUEST_LINE_BOUND),
             "--worker-class", THREADED_WORKER_CLASS if options["threads"] > 1 else WORKER_CLASS,
             "--access-logfile", "-"],
        )  # fmt: skip
