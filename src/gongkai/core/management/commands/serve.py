import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "用 gunicorn 启动门户网站（先收集静态文件）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("GONGKAI_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("GONGKAI_WORKERS", "2")))

    def handle(self, *args, **options) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)  # rate limits shared by the workers (core.cache)
        self.stdout.write(f"门户网站：http://{options['bind']}/   后台：http://{options['bind']}/admin/")
        sys.stdout.flush()
        os.execvp(
            sys.executable,
            [sys.executable, "-m", "gunicorn", "gongkai.wsgi:application", "--bind", options["bind"],
             "--workers", str(options["workers"]), "--access-logfile", "-"],
        )  # fmt: skip
