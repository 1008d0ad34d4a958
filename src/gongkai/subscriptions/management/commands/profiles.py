"""`gongkai profiles import FILE.jsonl [--json]`: push profiles from another system (一网通办)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.commandline import write_json
from gongkai.subscriptions.profile_import import import_profiles


class Command(BaseCommand):
    help = "推送画像：import 从 JSONL 文件导入（按 external_id 新建或更新）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "import", help='每行一个 JSON 对象：{"external_id", "kind", "tags", "email", "webhook"}'
        )
        load.add_argument("file", metavar="FILE.jsonl")
        load.add_argument(
            "--json", action="store_true", help='以 JSON 输出：{"created", "updated", "errors"}'
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            with path.open("rb") as handle:
                result = import_profiles(handle)
        except OSError as exc:
            message = f"无法读取文件“{path}”：{exc.strerror or exc}"
            if options["json"]:
                write_json(
                    self,
                    {"created": 0, "updated": 0, "errors": [{"line": 0, "field": None, "error": message}]},
                )
            raise CommandError(message) from None
        summary = (
            f"新建 {result.created} 个画像，更新 {result.updated} 个，{len(result.errors)} 行有错误已跳过。"
        )
        if options["json"]:
            write_json(self, result.as_dict())
            self.stderr.write(summary)
        else:
            for error in result.errors:
                self.stderr.write(f"第{error['line']}行：{error['error']}")
            self.stdout.write(summary)
