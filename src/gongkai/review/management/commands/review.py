"""`gongkai review scan FILE... [--json]` and `gongkai review crawl [URL] [--json]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.commandline import write_json
from gongkai.core.http import site_url
from gongkai.review.constants import FindingKind
from gongkai.review.crawl import crawl
from gongkai.review.detector import REPORT_THRESHOLD, detect
from gongkai.text.readers import ReadError, read_bytes


class Command(BaseCommand):
    help = "公开审查：扫描文件中的个人信息和密级标志（scan），或巡查公开网站上未遮蔽的个人信息（crawl）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        scan = sub.add_parser("scan", help="扫描文本、DOCX、PDF 文件")
        scan.add_argument("files", nargs="+")
        scan.add_argument("--json", action="store_true", help="以 JSON 输出（一个数组，每个文件一个对象）")
        scan.add_argument("--min-confidence", type=float, default=REPORT_THRESHOLD)
        crawl_parser = sub.add_parser("crawl", help="巡查公开网站")
        crawl_parser.add_argument("url", nargs="?", help="网站地址，默认 SITE_URL")
        crawl_parser.add_argument("--max-pages", type=int, default=300)
        crawl_parser.add_argument("--json", action="store_true", help="以 JSON 输出（一个对象）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "scan":
            self._scan(options)
        else:
            self._crawl(options)

    def _scan(self, options: dict) -> None:
        results = []
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                results.append({"file": name, "error": f"文件不存在或不可读：{name}", "findings": []})
                continue
            try:  # the same readers as ingestion: every format and encoding it accepts
                text = read_bytes(path.read_bytes(), path.name).text
            except ReadError as exc:
                results.append({"file": name, "error": exc.message, "findings": []})
                continue
            except OSError as exc:
                results.append(
                    {"file": name, "error": f"无法读取文件：{exc.strerror or exc}", "findings": []}
                )
                continue
            except Exception as exc:  # one bad file never ends the batch (issue 11)
                results.append(
                    {"file": name, "error": f"处理文件时出错：{exc.__class__.__name__}", "findings": []}
                )
                continue
            findings = [
                {
                    "kind": str(f.kind),
                    "text": f.text,
                    "start": f.start,
                    "end": f.end,
                    "confidence": f.confidence,
                    "note": f.note,
                }
                for f in detect(text, min_confidence=options["min_confidence"])
            ]
            results.append({"file": name, "findings": findings})
        if options["json"]:  # one JSON list, one object per file in order (the --json convention)
            write_json(self, results)
        else:
            for result in results:
                if result.get("error"):
                    self.stderr.write(f"{result['file']}: {result['error']}")
                    continue
                self.stdout.write(f"{result['file']}: {len(result['findings'])} 处")
                for f in result["findings"]:
                    self.stdout.write(
                        f"  [{FindingKind(f['kind']).label}] {f['text']} ({f['start']}-{f['end']}, {f['confidence']:.2f})"
                    )
        failed = sum(1 for r in results if r.get("error"))
        if failed == len(results):
            raise CommandError("没有可扫描的文件。")
        if failed:  # every file was reported above; the exit status says that some failed
            raise CommandError(f"{failed} 个文件未能扫描。")

    def _crawl(self, options: dict) -> None:
        options["url"] = options["url"] or site_url()
        report = crawl(options["url"], max_pages=options["max_pages"])
        if options["json"]:
            write_json(self, {"url": options["url"], "pages": report.pages, "findings": report.findings,
                              "errors": report.errors})  # fmt: skip
        else:
            self.stdout.write(f"巡查 {report.pages} 个页面，发现未遮蔽个人信息 {len(report.findings)} 处。")
            for f in report.findings:
                self.stdout.write(
                    f"  {f['url']} [{FindingKind(f['kind']).label}] {f['text']} ({f['confidence']:.2f})"
                )
            for error in report.errors:
                self.stderr.write(f"  {error['url']}: {error['error']}")
        if report.pages == 0:
            raise CommandError(f"无法访问 {options['url']}。")
