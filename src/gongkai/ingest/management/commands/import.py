"""`gongkai import PATH... [--organisation CODE] [--create-organisations] [--publish]`: batch import.

Idempotent by content hash. Standard output lists the files (or, with --json, one JSON list with one
object per file); the summary and every failure go to standard error, and any failed file makes the
exit status 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from gongkai.accounts.models import User
from gongkai.accounts.selectors import organisation_by_code
from gongkai.core.commandline import write_json
from gongkai.ingest.services import import_file
from gongkai.text.readers import SUPPORTED_EXTENSIONS


def collect(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower().lstrip(".") in SUPPORTED_EXTENSIONS
            )
        else:
            files.append(path)
    return files


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return (
            "；".join(f"{message}" for messages in exc.message_dict.values() for message in messages)
            if hasattr(exc, "error_dict")
            else "；".join(exc.messages)
        )
    return str(exc)


class Command(BaseCommand):
    help = "批量导入公文文件（DOCX、PDF、OFD、HTML、文本）；同一文件内容只导入一次。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--organisation", metavar="CODE", help="主办机构代码；缺省时按文件中的发文机关识别"
        )
        parser.add_argument(
            "--create-organisations",
            action="store_true",
            help="发文机关尚未建立但能从内置机关代字表识别（名称或机关代字）时，自动新建该机构",
        )
        parser.add_argument("--publish", action="store_true", help="导入后提交审核并发布（需平台管理员）")
        parser.add_argument("--actor", metavar="USERNAME", help="记录为操作人的用户；缺省为系统")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出（一个数组，每个文件一个对象）")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = None
        if options["organisation"]:
            organisation = organisation_by_code(options["organisation"])
            if organisation is None:
                raise CommandError(f"机构代码“{options['organisation']}”不存在。")
        actor = None
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(f"用户“{options['actor']}”不存在。")
        if options["publish"]:
            actor = actor or User.objects.filter(is_superuser=True, is_active=True).order_by("id").first()
            if actor is None or not actor.is_platform_admin:
                raise CommandError("--publish 需要平台管理员：请用 --actor 指定一名平台管理员。")
        files = collect(options["paths"])
        if not files:
            raise CommandError("没有找到可导入的文件（DOCX、PDF、OFD、HTML、文本）。")
        rows = [self._import_one(path, actor, organisation, options)
                for path in tqdm(files, desc="导入", unit="件", disable=options["json"])]  # fmt: skip
        self._report(rows, options["json"])

    def _import_one(
        self, path: Path, actor: Any, organisation: Any, options: dict[str, Any]
    ) -> dict[str, Any]:
        row = {"file": str(path), "status": None, "document_id": None, "title": None, "organisation": None,
               "error": None}  # fmt: skip
        try:
            if not path.is_file():
                raise ValidationError({"file": f"文件“{path}”不存在。"})
            record, created = import_file(actor=actor, filename=path.name, content=path.read_bytes(),
                                          organisation=organisation, publish=options["publish"],
                                          create_organisations=options["create_organisations"])  # fmt: skip
            row.update(status="created" if created else "skipped", document_id=record.document_id,
                       title=record.document.title if record.document else None,
                       organisation=record.organisation.code)  # fmt: skip
        except (ValidationError, PermissionDenied, OSError) as exc:
            row.update(status="failed", error=_message(exc))
        return row

    def _report(self, rows: list[dict[str, Any]], as_json: bool) -> None:
        if as_json:
            write_json(self, rows)
        else:
            for row in rows:
                if row["status"] != "failed":
                    label = "新导入" if row["status"] == "created" else "已导入过"
                    self.stdout.write(f"{label}：{row['file']} → #{row['document_id']} {row['title']}")
        failed = [row for row in rows if row["status"] == "failed"]
        for row in failed:
            self.stderr.write(f"失败：{row['file']}：{row['error']}")
        created = sum(row["status"] == "created" for row in rows)
        skipped = sum(row["status"] == "skipped" for row in rows)
        self.stderr.write(f"新导入 {created} 件，已导入过 {skipped} 件，失败 {len(failed)} 件。")
        if failed:
            raise CommandError(f"{len(failed)} 个文件导入失败。")
