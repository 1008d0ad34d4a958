"""`gongkai docno normalize [STRING...]`: canonical 发文字号 and its parts (stdin when no argument)."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandParser

from gongkai.text.docno import DocNumberError, parse_doc_number


def normalize_lines(values: list[str]) -> list[dict]:
    rows = []
    for value in values:
        row = {
            "input": value,
            "normalized": None,
            "organ_code": None,
            "year": None,
            "serial": None,
            "kind": None,
            "error": None,
        }
        try:
            parsed = parse_doc_number(value)
        except DocNumberError as exc:
            row["error"] = exc.reason
        else:
            row.update(parsed.as_dict())
        rows.append(row)
    return rows


class Command(BaseCommand):
    help = "发文字号工具：normalize 规范化文号（〔〕、去前导零和空格）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        normalize = sub.add_parser("normalize", help="规范化文号；不带参数时从标准输入逐行读取")
        normalize.add_argument("values", nargs="*", metavar="STRING")
        normalize.add_argument("--json", action="store_true")

    def handle(self, *args, **options) -> None:
        values = options["values"] or [line.rstrip("\r\n") for line in sys.stdin if line.strip()]
        rows = normalize_lines(values)
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            if row["error"]:
                self.stdout.write(f"{row['input']}\t错误：{row['error']}")
            else:
                self.stdout.write(
                    f"{row['input']}\t{row['normalized']}\t{row['organ_code']}\t{row['year'] or ''}\t{row['serial']}"
                )
