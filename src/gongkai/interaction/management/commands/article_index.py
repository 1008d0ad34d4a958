"""`gongkai article_index [--if-stale] [--no-wait] [--json]`: build 搜问一体's article index files."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.core.commandline import write_json
from gongkai.interaction import article_index


class Command(BaseCommand):
    help = "重建搜问一体的政策条款索引（数据目录中的文件，每台主机一份，由数据库重建）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-stale", action="store_true", help="索引已与数据库一致时不重建")
        parser.add_argument("--no-wait", action="store_true", help="本机已有重建在进行时直接退出")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = article_index.build(if_stale=options["if_stale"], wait=not options["no_wait"])
        if options["json"]:
            write_json(self, {"built": manifest is not None, **(manifest or {})})
        elif manifest is None:
            self.stdout.write("条款索引无需重建（已是最新，或本机另有重建在进行）。")
        else:
            self.stdout.write(self.style.SUCCESS(
                f"条款索引已重建：数据版本 {manifest['version']}，用时 {manifest['cpu_seconds']} 秒 CPU。"
            ))  # fmt: skip
