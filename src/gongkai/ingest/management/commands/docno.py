"""`gongkai docno normalize [STRING...]`: canonical 发文字号 and its parts (stdin when no argument)."""

from __future__ import annotations

import os
import sys
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.core.commandline import write_json
from gongkai.text.docno import DocNumberError, parse_doc_number


def _row(value: str) -> dict:
    return {"input": value, "normalized": None, "organ_code": None, "year": None, "serial": None, "kind": None,
            "error": None}  # fmt: skip


def normalize_lines(values: list[str]) -> list[dict]:
    rows = []
    for value in values:
        row = _row(value)
        try:
            parsed = parse_doc_number(value)
        except DocNumberError as exc:
            row["error"] = exc.reason
        else:
            row.update(parsed.as_dict())
        rows.append(row)
    return rows


def _decoded(data: bytes, where: str) -> tuple[str, str | None]:
    """The text (bad bytes replaced by U+FFFD) and an error when `data` is not UTF-8."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), f"{where}不是有效的 UTF-8 文本"


def read_inputs(arguments: list[str], stream: IO[Any]) -> list[tuple[str, str | None]]:
    """(value, error) for each argument, or each non-blank line of `stream`, read as bytes when it can be."""
    if arguments:  # undecodable argv bytes arrive as surrogates (PEP 383)
        return [
            _decoded(os.fsencode(value), f"第{number}个参数") for number, value in enumerate(arguments, 1)
        ]
    stream = getattr(stream, "buffer", stream)  # sys.stdin: its bytes, not the locale's decoding of them
    inputs = []
    for number, raw in enumerate(stream, 1):
        line = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogateescape")
        if line.strip():
            text, error = _decoded(line.rstrip(b"\r\n"), f"第{number}行")
            inputs.append((text.removeprefix("\ufeff") if number == 1 else text, error))
    return inputs


class Command(BaseCommand):
    help = "发文字号工具：normalize 规范化文号（〔〕、去前导零和空格；公告号、令号各按其格式）。"
    # no system checks (they import every URL conf and view): this command starts in <= 0.5 s (issue 20)
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        normalize = sub.add_parser("normalize", help="规范化文号；不带参数时从标准输入逐行读取")
        normalize.add_argument("values", nargs="*", metavar="STRING")
        normalize.add_argument(
            "--json", action="store_true", help="以 JSON 输出（一个数组，每个输入一个对象）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        inputs = read_inputs(options["values"], sys.stdin)
        rows = normalize_lines([value for value, _error in inputs])
        for row, (_value, error) in zip(rows, inputs, strict=True):
            if error:  # never a 文号 made of replacement characters
                row.update(_row(row["input"]), error=error)
        if options["json"]:
            write_json(self, rows)
            return
        for row in rows:
            if row["error"]:
                self.stdout.write(f"{row['input']}\t错误：{row['error']}")
            else:
                self.stdout.write(
                    f"{row['input']}\t{row['normalized']}\t{row['organ_code']}\t{row['year'] or ''}\t{row['serial']}"
                )
