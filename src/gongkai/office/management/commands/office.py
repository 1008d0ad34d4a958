"""`gongkai office …`: the openness office's tools from the command line."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.commandline import write_json

from ... import catalogue, normative
from ...gazette_render import render_docx, render_pdf
from ...models import GazetteIssue


class Command(BaseCommand):
    help = "政务公开办公室工具：标准目录导入导出与监测、规范性文件到期预警、政府公报输出。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("catalogue-import", help="导入标准目录 XLSX（全部或全不）")
        imp.add_argument("file")
        exp = sub.add_parser("catalogue-export", help="导出标准目录 XLSX")
        exp.add_argument("file")
        mon = sub.add_parser("monitor", help="标准目录发布监测（红黄绿）")
        mon.add_argument("--json", action="store_true")
        warn = sub.add_parser("expiry", help="列出到期预警并向制定机关发送（每档一次）")
        warn.add_argument("--json", action="store_true")
        gaz = sub.add_parser("gazette", help="输出一期政府公报")
        gaz.add_argument("year", type=int)
        gaz.add_argument("number", type=int)
        gaz.add_argument("--pdf")
        gaz.add_argument("--docx")

    def handle(self, *args, **options) -> None:
        try:
            getattr(self, "do_" + options["action"].replace("-", "_"))(options)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None

    def do_catalogue_import(self, options: dict) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        items = catalogue.import_catalogue(actor=None, content=path.read_bytes())
        self.stdout.write(f"已导入 {len(items)} 项。")

    def do_catalogue_export(self, options: dict) -> None:
        Path(options["file"]).write_bytes(catalogue.export_catalogue())
        self.stdout.write(f"已导出到 {options['file']}")

    def do_monitor(self, options: dict) -> None:
        rows = [
            {"code": s.item.code, "matter": s.item.matter, "organisation": s.organisation.code, "light": s.light,
             "latest": s.latest.title if s.latest else None, "due": s.due, "problems": s.problems}
            for s in catalogue.monitor()
        ]  # fmt: skip
        if options["json"]:
            write_json(self, rows)
            return
        for row in rows:
            self.stdout.write(
                f"[{row['light']:5}] {row['code']} {row['matter']} / {row['organisation']}：{'；'.join(row['problems']) or '正常'}"
            )

    def do_expiry(self, options: dict) -> None:
        terms = [t for t in normative.terms() if t.stage]
        sent = normative.send_expiry_warnings()
        rows = [{"document": t.document.title, "organisation": t.document.organisation.code, "expiry": t.expiry,
                 "warning": t.warning} for t in terms]  # fmt: skip
        if options["json"]:
            write_json(self, {"warnings": rows, "sent": sent})
            return
        for row in rows:
            self.stdout.write(f"{row['warning']}：{row['document']}（{row['expiry']}）")
        self.stdout.write(f"本次发送预警 {sent} 份。")

    def do_gazette(self, options: dict) -> None:
        issue = GazetteIssue.objects.filter(year=options["year"], number=options["number"]).first()
        if issue is None:
            raise CommandError(f"{options['year']}年第{options['number']}期公报不存在。")
        if not options["pdf"] and not options["docx"]:
            raise CommandError("请用 --pdf 或 --docx 指定输出文件。")
        if options["pdf"]:
            Path(options["pdf"]).write_bytes(render_pdf(issue))
        if options["docx"]:
            Path(options["docx"]).write_bytes(render_docx(issue))
        self.stdout.write(f"已输出 {issue}。")
