"""`gongkai restore FILE [--yes] [--json]`: replace the database and files with a backup's."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.backup import restore_backup


class Command(BaseCommand):
    help = "从 gongkai backup 生成的备份文件恢复数据库与附件文件，并重建检索索引（会替换现有全部数据）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="备份文件（.tar.gz）")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接替换现有数据")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: object, **options: object) -> None:
        path = Path(str(options["file"]))
        if not path.is_file():
            raise CommandError(f"备份文件不存在：{path}")
        if not options["yes"]:
            answer = input("恢复会替换现有的全部数据和附件文件。输入 yes 继续：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，未做任何改动。")
        quiet = bool(options["json"])
        try:
            result = restore_backup(
                path, actor="gongkai restore", progress=None if quiet else self.stderr.write
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages) + " 未做任何改动。") from None
        if quiet:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"恢复完成：{result['rows_total']} 行数据，{result['media_files']} 个附件文件；"
                    f"检索索引已重建。可运行 gongkai audit verify 校验审计日志。"
                )
            )
