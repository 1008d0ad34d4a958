"""`gongkai audit verify [--json]`: walk the hash-chained audit log and report the first broken link."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.commandline import write_json
from gongkai.core.models import Event
from gongkai.core.services import verify_chain


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链，报告第一处被篡改或删除的记录。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"], help="verify：校验审计日志哈希链")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: object, **options: object) -> None:
        report = verify_chain()
        broken = None
        if not report.ok:
            event = Event.objects.filter(pk=report.broken_at).first()
            broken = {
                "event_id": report.broken_at,
                "reason": report.reason,
                "created_at": event.created_at.isoformat() if event else None,
                "verb": event.verb if event else None,
            }
        if options["json"]:
            write_json(self, {"ok": report.ok, "checked": report.checked, "broken": broken})
        elif report.ok:
            self.stdout.write(f"审计日志完整：已校验 {report.checked} 条记录，哈希链无断裂。")
        else:
            self.stdout.write(
                f"审计日志被篡改：第 {report.checked + 1} 条记录（id={report.broken_at}，{broken['verb']}）"
                f"校验失败：{report.reason}"
            )
        if not report.ok:
            raise CommandError("审计日志哈希链校验失败。", returncode=2)
