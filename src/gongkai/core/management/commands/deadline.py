"""`gongkai deadline --from YYYY-MM-DD --working-days N [--json]`: the N-th working day after a date."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.calendar import add_working_days, is_working_day
from gongkai.core.commandline import write_json


class Command(BaseCommand):
    help = "计算法定期限：起算日当天不计入（民法典第二百零一条），输出其后第 N 个工作日。"
    # no system checks (they import every URL conf and view): this command starts in <= 0.5 s (issue 20)
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from", dest="start", required=True, help="起算日期，如 2025-09-28（收到申请之日）"
        )
        parser.add_argument("--working-days", dest="days", type=int, required=True, help="工作日数，如 20")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: object, **options: object) -> None:
        try:
            start = dt.date.fromisoformat(str(options["start"]))
        except ValueError:
            raise CommandError(f"起算日期“{options['start']}”不是有效日期，应为 YYYY-MM-DD。") from None
        days = int(options["days"])  # type: ignore[arg-type]
        if days < 0:
            raise CommandError("工作日数不能为负数。")
        try:
            due = add_working_days(start, days)
            start_is_working_day = is_working_day(start)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        if options["json"]:
            payload = {
                "from": start.isoformat(),
                "working_days": days,
                "due_date": due.isoformat(),
                "from_is_working_day": start_is_working_day,
                "rule": "起算日当天不计入，期限为其后第N个工作日（民法典第二百零一条）",
            }
            write_json(self, payload)
        else:
            weekday = "一二三四五六日"[due.weekday()]
            self.stdout.write(f"{start:%Y-%m-%d} 之后第 {days} 个工作日：{due:%Y-%m-%d}（星期{weekday}）")
