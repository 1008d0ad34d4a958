"""`gongkai site inspect [URL] [--json]`: the website self-inspection (国办秘函〔2019〕19号)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.commandline import write_json

from ...inspect import format_sheet, inspect_site
from ...services import run_inspection


class Command(BaseCommand):
    help = "政府网站自查：抓取公开网站，按《政府网站与政务新媒体检查指标》评分（inspect）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        inspect = sub.add_parser("inspect", help="抓取网站并输出评分表")
        inspect.add_argument("url", nargs="?", default="", help="网站首页地址（默认 SITE_URL）")
        inspect.add_argument("--json", action="store_true", help="以 JSON 输出评分表")
        inspect.add_argument("--max-pages", type=int, default=300, help="最多抓取的页面数（默认 300）")
        inspect.add_argument("--no-external", action="store_true", help="不检查站外链接")
        inspect.add_argument(
            "--interval", type=float, default=1.0, help="同一站外主机两次请求的最小间隔（秒）"
        )
        inspect.add_argument(
            "--timeout", type=float, default=10.0, help="每个页面的等待时间（秒，默认 10；超时记为错误页面）"
        )
        inspect.add_argument("--no-save", action="store_true", help="不保存到自查历史")

    def handle(self, *args, **options) -> None:
        settings_options = {
            "max_pages": options["max_pages"], "external": not options["no_external"], "interval": options["interval"],
            "timeout": options["timeout"],
        }  # fmt: skip
        try:
            if options["no_save"]:
                from django.conf import settings

                sheet = inspect_site(
                    options["url"] or settings.SITE_URL.rstrip("/") + "/", **settings_options
                )
            else:
                sheet = run_inspection(actor=None, url=options["url"], **settings_options).sheet
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        if options["json"]:
            write_json(self, sheet)
        else:
            self.stdout.write(format_sheet(sheet))
