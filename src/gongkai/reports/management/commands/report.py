"""`gongkai report annual|check|publish|import-figures`: the annual report from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.accounts.models import Organisation, User
from gongkai.core.commandline import write_json

from ... import render as rendering
from ... import selectors, services
from ...constants import ReportScope
from ...models import AnnualReport
from ...pdfcheck import check_files


def _actor(username: str | None) -> Any:
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在。")
        return user
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if admin is None:
        raise CommandError("请用 --user 指定操作人。")
    return admin


class Command(BaseCommand):
    help = "政府信息公开工作年度报告：生成（annual）、核查（check）、发布（publish）、导入主动公开数据（import-figures）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        annual = sub.add_parser("annual", help="生成年度报告")
        annual.add_argument("--year", type=int, required=True)
        annual.add_argument("--organisation", required=True, help="机构代码")
        annual.add_argument("--format", choices=["json", "docx", "xlsx", "html"], default="json")
        annual.add_argument("--output", help="输出文件（默认标准输出，仅 json/html）")
        annual.add_argument("--aggregate", action="store_true", help="汇总所属部门、街镇的数据")
        annual.add_argument("--json", action="store_true", help="同 --format json")

        check = sub.add_parser("check", help="核查已发布的年度报告PDF")
        check.add_argument("files", nargs="+")
        check.add_argument("--json", action="store_true")

        publish = sub.add_parser("publish", help="核查并发布年度报告")
        publish.add_argument("--year", type=int, required=True)
        publish.add_argument("--organisation", required=True)
        publish.add_argument("--aggregate", action="store_true")
        publish.add_argument(
            "--from-json", help="人工录入的表格数据（与 report annual --format json 相同结构）"
        )
        publish.add_argument("--user")
        publish.add_argument("--json", action="store_true")

        figures = sub.add_parser("import-figures", help="导入行政许可、处罚、强制、收费数据（CSV）")
        figures.add_argument("file")
        figures.add_argument("--user")
        figures.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"].replace("-", "_"))(options)

    def _organisation(self, code: str) -> Organisation:
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            raise CommandError(f"机构代码“{code}”不存在。")
        return organisation

    def do_annual(self, options: dict[str, Any]) -> None:
        organisation = self._organisation(options["organisation"])
        scope = ReportScope.AGGREGATE if options["aggregate"] else ReportScope.OWN
        report = AnnualReport.objects.filter(organisation=organisation, year=options["year"]).first()
        if report is None:
            report = AnnualReport(organisation=organisation, year=options["year"], scope=scope)
        elif options["aggregate"]:
            report.scope = scope
        data, paragraphs = selectors.report_with_sections(report)
        if not report.is_published:
            # the checks of `report publish`, carry-over against last year's published report included,
            # whether or not this year's report has been saved
            data["findings"] = services.report_findings(report, data)
        fmt = "json" if options["json"] else options["format"]
        if fmt == "json":
            body: bytes | str = rendering.to_json(data)
        elif fmt == "html":
            body = rendering.to_html(data, paragraphs)
        elif fmt == "docx":
            body = rendering.to_docx(data, paragraphs)
        else:
            body = rendering.to_xlsx(data)
        if options.get("output"):
            path = Path(options["output"])
            path.write_bytes(body if isinstance(body, bytes) else body.encode())
            self.stderr.write(f"已写入 {path}")
        elif isinstance(body, bytes):
            raise CommandError("DOCX/XLSX 请用 --output 指定文件。")
        else:
            self.stdout.write(body)

    def do_check(self, options: dict[str, Any]) -> None:
        for name in options["files"]:
            if not Path(name).is_file():
                raise CommandError(f"文件不存在：{name}")
        results = check_files(options["files"])
        if options["json"]:
            write_json(self, results)
        else:
            for result in results:
                self.stdout.write(f"{result['file']}：{result.get('organisation')}{result.get('year')}年")
                for f in result["findings"]:
                    self.stdout.write(f"  [{f['rule_name']}] {f['detail']}")
                if not result["findings"]:
                    self.stdout.write("  未发现问题。")
        if any(r["findings"] for r in results):
            sys.exit(1)

    def do_publish(self, options: dict[str, Any]) -> None:
        organisation = self._organisation(options["organisation"])
        actor = _actor(options.get("user"))
        scope = ReportScope.AGGREGATE if options["aggregate"] else ReportScope.OWN
        try:
            if options.get("from_json"):
                data = json.loads(Path(options["from_json"]).read_text(encoding="utf-8"))
                report = services.save_manual_report(
                    actor=actor, organisation=organisation, year=options["year"], data=data
                )
            else:
                report = services.get_or_create_report(
                    actor=actor, organisation=organisation, year=options["year"], scope=scope
                )
            report = services.publish_report(actor=actor, report=report)
        except ValidationError as exc:
            report = AnnualReport.objects.filter(organisation=organisation, year=options["year"]).first()
            if options["json"]:
                write_json(
                    self,
                    {
                        "published": False,
                        "findings": report.findings if report else [],
                        "errors": exc.messages,
                    },
                )
            raise CommandError("；".join(exc.messages)) from None
        if options["json"]:
            write_json(self, {"published": True, "url": report.get_absolute_url()})
        else:
            self.stdout.write(f"已发布：{report.title}")

    def do_import_figures(self, options: dict[str, Any]) -> None:
        actor = _actor(options.get("user"))
        try:
            saved = services.import_figures_csv(actor=actor, content=Path(options["file"]).read_bytes())
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        if options["json"]:
            write_json(self, {"imported": len(saved)})
        else:
            self.stdout.write(f"已导入{len(saved)}条。")
