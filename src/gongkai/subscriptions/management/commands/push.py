"""`gongkai push preview --tags CODE[,CODE...] [--json]`: the audience size of a tag set, sending nothing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.commandline import write_json
from gongkai.subscriptions.selectors import preview_tags


class Command(BaseCommand):
    help = "精准推送：preview 预览一组标签会匹配多少个画像（不发送）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        preview = sub.add_parser("preview", help="预览受众人数")
        preview.add_argument("--tags", required=True, metavar="CODE[,CODE...]", help="标签代码，逗号分隔")
        preview.add_argument(
            "--json", action="store_true", help='以 JSON 输出：{"tags": [...], "matched": n}'
        )

    def handle(self, *args: Any, **options: Any) -> None:
        codes = [code.strip() for code in options["tags"].replace("，", ",").split(",") if code.strip()]
        if not codes:
            raise CommandError("请用 --tags 给出至少一个标签代码。")
        try:
            result = preview_tags(codes)
        except ValidationError as exc:
            message = "；".join(m for ms in exc.message_dict.values() for m in ms)
            if options["json"]:  # the one JSON document still comes; the exit status tells the failure
                write_json(self, {"tags": codes, "matched": None, "error": message})
            raise CommandError(message) from None
        if options["json"]:
            write_json(self, result)
        else:
            self.stdout.write(f"标签 {'、'.join(result['tags'])}：匹配 {result['matched']} 个画像。")
