"""`gongkai messages import FILE.jsonl|FILE.xlsx [--json]`: 12345 work orders and 中国政府网 messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.commandline import write_json
from gongkai.interaction import classify, workorders
from gongkai.text.classify import classify_many


class Command(BaseCommand):
    help = "政民互动：import 导入12345工单或中国政府网转办留言（JSONL 或 XLSX，按外部编号去重）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help='每行 {"external_id", "channel", "organisation", "category", "subject", "body", "contact", "name", "received_on"}')  # fmt: skip
        load.add_argument("file", metavar="FILE")
        load.add_argument("--json", action="store_true", help="以 JSON 输出（一个对象）")
        train = sub.add_parser(
            "train", help='训练办理领域分类模型：每行 {"subject", "body", "category"}；或 --from-platform'
        )
        train.add_argument("file", metavar="FILE.jsonl", nargs="?")
        train.add_argument(
            "--from-platform", action="store_true",
            help="用平台上分办时确认或更正了办理领域的留言（加上现有模型的训练数据）重新训练",
        )  # fmt: skip
        train.add_argument("--json", action="store_true", help="以 JSON 输出（一个对象）")
        classify = sub.add_parser("classify", help='建议办理领域：每行 {"subject", "body"}')
        classify.add_argument("file", metavar="FILE.jsonl")
        classify.add_argument(
            "--json", action="store_true", help='以 JSON 输出（列表，每行一个 {"category", "confidence"}）'
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] in ("train", "classify"):
            self._model(options)
            return
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

    def _model(self, options: dict[str, Any]) -> None:
        if options["action"] == "train" and options.get("from_platform"):
            if options["file"]:
                raise CommandError("--from-platform 与 FILE 只能选一个。")
            try:
                _model, counts = classify.train_from_platform()
            except ValidationError as exc:
                raise CommandError(exc.messages[0]) from None
            summary = {"from_platform": True, **counts, "errors": [], "model": str(classify.model_path())}
            if options["json"]:
                write_json(self, summary)
            else:
                self.stdout.write(
                    f"已用 {counts['trained']} 条留言训练模型（其中平台确认 {counts['from_platform']} 条），"
                    f"保存在 {summary['model']}。"
                )
            return
        if not options["file"]:
            raise CommandError("请给出训练文件 FILE.jsonl，或使用 --from-platform。")
        path = Path(options["file"])
        try:
            rows = workorders.read_rows(path.name, path.read_bytes())
        except OSError as exc:
            raise CommandError(f"无法读取文件“{path}”：{exc.strerror or exc}") from None
        if options["action"] == "train":
            try:
                _model, trained, errors = classify.train(rows)
            except ValidationError as exc:
                raise CommandError(exc.messages[0]) from None
            for error in errors:
                self.stderr.write(f"第{error['line']}行已跳过：{'；'.join(error['errors'])}")
            summary = {"file": str(path), "trained": trained, "errors": errors,
                       "model": str(classify.model_path())}  # fmt: skip
            if options["json"]:
                write_json(self, summary)
            else:
                self.stdout.write(f"已用 {summary['trained']} 条留言训练模型，保存在 {summary['model']}。")
            return
        messages = []
        for number, row in enumerate(rows, start=1):
            try:
                messages.append(classify.clean_example(row, labelled=False)[:2])
            except ValidationError as exc:
                raise CommandError(f"第{number}行：{exc.messages[0]}") from None
        result = classify_many(classify.load(), messages) if messages else []
        if options["json"]:
            write_json(self, result)
        else:
            for row in result:
                self.stdout.write(f"{row['category']}\t{row['confidence']:.2f}")
