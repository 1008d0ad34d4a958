"""`gongkai messages import FILE.jsonl|FILE.xlsx [--json]`: 12345 work orders and 中国政府网 messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.commandline import write_json
from gongkai.interaction import workorders


class Command(BaseCommand):
    help = "政民互动：import 导入12345工单或中国政府网转办留言（JSONL 或 XLSX，按外部编号去重）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help='每行 {"external_id", "channel", "organisation", "category", "subject", "body", "contact", "name", "received_on"}')  # fmt: skip
        load.add_argument("file", metavar="FILE")
        load.add_argument("--json", action="store_true", help="以 JSON 输出（一个对象）")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            rows = workorders.read_rows(path.name, path.read_bytes())
        except OSError as exc:
            raise CommandError(f"无法读取文件“{path}”：{exc.strerror or exc}") from None
        except Exception as exc:  # an unreadable workbook
            raise CommandError(f"无法读取文件“{path}”：{exc}") from None
        result = workorders.import_work_orders(rows)
        for error in result.errors:
            self.stderr.write(f"第{error['line']}行已跳过：{'；'.join(error['errors'])}")
        summary = f"新建 {len(result.created)} 条，已存在 {len(result.duplicates)} 条，跳过 {len(result.errors)} 行。"
        if options["json"]:
            write_json(self, {"file": str(path), **result.as_dict()})
            self.stderr.write(summary)
        else:
            self.stdout.write(summary)
