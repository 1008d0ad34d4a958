"""`gongkai interpretations missing --year Y [--organisation CODE] [--json]`: 应解读、尽解读.

Per organisation, the year's published documents that need an interpretation (三同步, work plan
item 十七), how many have one, which have none, and which staff marked as not needing one (with the
reason). With --json: one JSON list, one object per organisation.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.accounts.selectors import organisation_by_code
from gongkai.core.commandline import write_json
from gongkai.documents.interpretation_selectors import missing_interpretations


class Command(BaseCommand):
    help = "政策解读：missing 列出某年已发布但尚无解读的需解读文件（应解读、尽解读），按机构汇总。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        missing = sub.add_parser("missing", help="列出尚无解读的需解读文件")
        missing.add_argument("--year", type=int, default=None, help="发布年份（默认今年）")
        missing.add_argument("--organisation", default="", help="机构代码（默认全部机构）")
        missing.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"] or timezone.localdate().year
        if not 1949 <= year <= 2100:
            raise CommandError(f"年份不合理：{year}")
        organisation = None
        if options["organisation"]:
            organisation = organisation_by_code(options["organisation"])
            if organisation is None:
                raise CommandError(f"机构代码不存在：{options['organisation']}")
        rows = missing_interpretations(year, organisation)
        if options["json"]:
            for row in rows:
                row.pop("organisation_sort", None)
            write_json(self, rows)
            return
        if not rows:
            self.stdout.write(f"{year}年没有已发布的需解读文件。")
            return
        for row in rows:
            self.stdout.write(f"{row['organisation_name']}（{row['organisation']}）：应解读 {row['required']}，"
                              f"已解读 {row['interpreted']}，未解读 {row['missing_count']}，说明不需解读 {len(row['waived'])}")  # fmt: skip
            for doc in row["missing"]:
                self.stdout.write(f"  未解读  {doc['published_date']}  {doc['title']}  {doc['doc_number']}")
            for doc in row["waived"]:
                self.stdout.write(f"  不需解读  {doc['title']}：{doc['reason']}")
