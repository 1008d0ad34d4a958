"""`gongkai import PATH... [--organisation CODE] [--publish]`: batch import, idempotent by content hash."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from gongkai.accounts.models import Organisation, User
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
        parser.add_argument("--publish", action="store_true", help="导入后提交审核并发布（需平台管理员）")
        parser.add_argument("--actor", metavar="USERNAME", help="记录为操作人的用户；缺省为系统")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options) -> None:
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(code=options["organisation"]).first()
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
        rows = []
        for path in tqdm(files, desc="导入", unit="件", disable=options["json"] or not files):
            row = {"file": str(path), "status": None, "document_id": None, "title": None, "error": None}
            try:
                if not path.is_file():
                    raise ValidationError({"file": f"文件“{path}”不存在。"})
                record, created = import_file(actor=actor, filename=path.name, content=path.read_bytes(),
                                              organisation=organisation, publish=options["publish"])  # fmt: skip
                row.update(status="created" if created else "skipped", document_id=record.document_id,
                           title=record.document.title if record.document else None)  # fmt: skip
            except (ValidationError, PermissionDenied, OSError) as exc:
                row.update(status="failed", error=_message(exc))
            rows.append(row)
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        created = sum(row["status"] == "created" for row in rows)
        skipped = sum(row["status"] == "skipped" for row in rows)
        failed = [row for row in rows if row["status"] == "failed"]
        self.stdout.write(f"新导入 {created} 件，已导入过 {skipped} 件，失败 {len(failed)} 件。")
        for row in failed:
            self.stdout.write(f"  失败：{row['file']}：{row['error']}")
