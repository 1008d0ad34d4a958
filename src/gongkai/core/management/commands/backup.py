"""`gongkai backup [--output FILE] [--json]`: the database and uploaded files in one .tar.gz."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from gongkai.core.backup import create_backup


class Command(BaseCommand):
    help = "备份数据库与上传的附件文件到一个 .tar.gz 文件（恢复用 gongkai restore）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", "-o", help="备份文件路径（默认 $GONGKAI_DATA_DIR/backups/gongkai-时间.tar.gz）"
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: object, **options: object) -> None:
        output = options["output"] or (
            Path(settings.DATA_DIR) / "backups" / f"gongkai-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        )
        quiet = bool(options["json"])
        summary = create_backup(
            Path(str(output)), actor="gongkai backup", progress=None if quiet else self.stderr.write
        )
        if quiet:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False))
        else:
            total = sum(summary.rows.values())
            self.stdout.write(
                self.style.SUCCESS(
                    f"备份完成：{summary.path}（{total} 行数据，{summary.media_files} 个附件文件，"
                    f"{summary.bytes / 1048576:.1f} MiB）。"
                )
            )
