"""`gongkai tags list [--dimension D] [--json]`, `gongkai tags suggest FILE…`, `gongkai tags merge A B`."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.taxonomy import services
from gongkai.taxonomy.constants import Dimension
from gongkai.taxonomy.selectors import tag_rows, tags_by_codes


class Command(BaseCommand):
    help = "政策标签目录：list 列出标签；merge 把一个标签合并到另一个（转移全部使用）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="列出标签")
        listing.add_argument("--dimension", choices=Dimension.values, help="只列出一个维度")
        listing.add_argument("--json", action="store_true", help="以 JSON 输出")
        merge = sub.add_parser("merge", help="把 SOURCE 合并到 TARGET")
        merge.add_argument("source")
        merge.add_argument("target")

    def handle(self, *args: object, **options: object) -> None:
        if options["action"] == "list":
            rows = tag_rows(str(options["dimension"]) if options["dimension"] else None)
            if options["json"]:
                self.stdout.write(json.dumps(rows, ensure_ascii=False))
                return
            for row in rows:
                label = Dimension(row["dimension"]).label
                self.stdout.write(f"{row['code']:<28} {label}  {row['name']}  {row['parent'] or ''}")
            self.stdout.write(f"共 {len(rows)} 个标签")
            return
        try:
            source, target = tags_by_codes([str(options["source"]), str(options["target"])])
            moved = services.merge_tags(source, target, actor="gongkai tags merge")
        except ValueError:
            raise CommandError("请给出两个不同的标签代码。") from None
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(f"已把“{source.name}”合并到“{target.name}”，转移 {moved} 处使用。")
