"""`gongkai serve`: the portal under the production settings, served by granian (issue 20).

granian is an HTTP server written in Rust that calls the WSGI application (`gongkai.wsgi`) in a pool
of Python threads per worker process. Parsing HTTP, keep-alive and writing responses happen outside
Python, so a cached page answered by the page cache's front door (`portal.pagefront`) costs a fifth
of the server CPU it cost under gunicorn's gthread worker (docs/performance.md).

Request lines up to 64 KiB reach Django, which answers an over-long URL with its Chinese 414 page
(URL_MAX_LENGTH) and lets the search page cap an over-long query; granian answers a longer one with
a bare 414 (its URI limit, 65,534 bytes).
"""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.serving import poses_as_request_data


def listen_arguments(bind: str) -> list[str]:
    """granian's options for a gunicorn-style bind: HOST:PORT, [IPv6]:PORT or unix:PATH."""
    if bind.startswith("unix:"):
        return ["--uds", bind.removeprefix("unix:")]
    host, separator, port = bind.rpartition(":")
    if not separator or not port.isdigit():
        raise CommandError(f"--bind 应为 主机:端口 或 unix:路径，而不是 {bind!r}")
    return ["--host", host.strip("[]") or "127.0.0.1", "--port", port]


def server_environment() -> dict[str, str]:
    """This process's environment less the variables that would pose as request data: granian builds
    each request's environ on top of the process environment (core.serving)."""
    return {name: value for name, value in os.environ.items() if not poses_as_request_data(name)}


class Command(BaseCommand):
    help = "用 granian 启动门户网站（先收集静态文件）；默认使用生产环境设置。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("GONGKAI_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("GONGKAI_WORKERS", "2")))
        # Python threads per worker process that run requests: a slow request (a large export, a
        # search) holds up only its thread. Each concurrent search keeps its transient memory in the
        # worker, so more threads mean a larger worker (docs/performance.md, worker RSS).
        parser.add_argument("--threads", type=int, default=int(os.environ.get("GONGKAI_THREADS", "2")))

    def handle(self, *args, **options) -> None:
        listen = listen_arguments(options["bind"])
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)  # rate limits shared by the workers (core.cache)
        # a search index beside the database (tantivy, SQLite's default) that lacks published
        # documents (a new host, a lost directory, a switch of engine) is refilled before serving
        call_command("reindex", if_incomplete=True, verbosity=0, stdout=self.stdout, stderr=self.stderr)
        site = (os.environ.get("SITE_URL") or f"http://{options['bind']}").rstrip("/")  # as conf.base
        self.stdout.write(
            f"门户网站：{site}/   后台：{site}/admin/   "
            f"（监听 {options['bind']}，设置 {settings.SETTINGS_MODULE}，DEBUG={'开' if settings.DEBUG else '关'}）"
        )
        sys.stdout.flush()
        # The workers load the same settings module as this command, and derive SITE_URL from the bind.
        env = server_environment()
        env["DJANGO_SETTINGS_MODULE"] = settings.SETTINGS_MODULE
        env["GONGKAI_BIND"] = options["bind"]
        access_log = os.environ.get("GONGKAI_ACCESS_LOG", "1") != "0"
        os.execvpe(
            sys.executable,
            [sys.executable, "-m", "granian", "--interface", "wsgi", "gongkai.wsgi:application", *listen,
             "--workers", str(options["workers"]), "--blocking-threads", str(max(options["threads"], 1)),
             "--http", "1", "--no-ws", "--respawn-failed-workers", "--workers-kill-timeout", "30",
             "--access-log" if access_log else "--no-access-log"],
            env,
        )  # fmt: skip
