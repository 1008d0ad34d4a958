"""`gongkai kb import FILE.jsonl [--json]` and `gongkai kb ask "QUESTION" [--limit N] [--json]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.commandline import write_json
from gongkai.interaction import kb


class Command(BaseCommand):
    help = "知识库：import 导入 JSONL 文件（按答案去重），ask 提问（最佳答案在前）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help='导入 JSONL：每行 {"answer", "keywords", "unit", "category"}，'
                                             '可选 "question"/"questions" 和 "document"（文号）')  # fmt: skip
        load.add_argument("file", metavar="FILE.jsonl")
        load.add_argument("--json", action="store_true", help="以 JSON 输出（一个对象）")
        ask = sub.add_parser("ask", help="向知识库提问")
        ask.add_argument("question", metavar="QUESTION")
        ask.add_argument("--limit", type=int, default=5, help="最多返回几条（默认 5）")
        ask.add_argument(
            "--json",
            action="store_true",
            help='以 JSON 输出（列表：{"id", "answer", "score", "unit", "category"}）',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options)
        else:
            self._ask(options)

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"无法读取文件“{path}”：{getattr(exc, 'strerror', None) or exc}") from None
        result = kb.import_entries(text.splitlines())
        for error in result.errors:
            self.stderr.write(f"第{error['line']}行已跳过：{'；'.join(error['errors'])}")
        summary = (f"新建 {len(result.created)} 条，更新 {len(result.updated)} 条，未变 {len(result.unchanged)} 条，"
                   f"跳过 {len(result.errors)} 行。")  # fmt: skip
        if options["json"]:
            write_json(self, {"file": str(path), **result.as_dict()})
            self.stderr.write(summary)
        else:
            self.stdout.write(summary)

    def _ask(self, options: dict[str, Any]) -> None:
        if options["limit"] < 1:
            raise CommandError("--limit 须为正整数。")
        try:
            answers = kb.ask(options["question"], limit=options["limit"])
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from None
        if options["json"]:
            write_json(self, [{"id": a["id"], "answer": a["answer"], "score": a["score"], "unit": a["unit"],
                               "category": a["category"]} for a in answers])  # fmt: skip
            return
        if not answers:
            self.stdout.write("知识库中没有找到答案。")
        for rank, answer in enumerate(answers, start=1):
            self.stdout.write(
                f"{rank}. [{answer['score']:.2f}] {answer['unit']} {answer['category']}\n   {answer['answer'][:200]}"
            )
