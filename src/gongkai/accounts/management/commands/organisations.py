"""`gongkai organisations import FILE` and `gongkai organisations list`: the organisation tree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.accounts import selectors, services
from gongkai.accounts.constants import OrganisationKind
from gongkai.accounts.models import User
from gongkai.accounts.orgfile import read_organisation_file
from gongkai.core.commandline import write_json


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [message for messages in exc.message_dict.values() for message in messages]
    return list(exc.messages)


class Command(BaseCommand):
    help = "机构：import 从 CSV 或 JSONL 文件新建或更新机构（按代码），list 列出机构树。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "import",
            help="导入机构（CSV 或 JSONL；列：code 代码, name 名称, short_name 简称, organ_code 机关代字, "
            "parent 上级代码, kind 类型）",
        )
        load.add_argument("file", metavar="FILE")
        load.add_argument("--actor", metavar="USERNAME", help="记录为操作人的平台管理员；缺省为系统")
        load.add_argument("--json", action="store_true", help="以 JSON 输出（一个对象）")
        listing = sub.add_parser("list", help="列出机构树")
        listing.add_argument("--json", action="store_true", help="以 JSON 输出（一个数组，可再导入）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options)
        else:
            self._list(options)

    def _import(self, options: dict[str, Any]) -> None:
        actor = None
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(f"用户“{options['actor']}”不存在。")
        path = Path(options["file"])
        try:
            result = services.import_organisations(
                actor=actor, rows=read_organisation_file(path.read_bytes())
            )
        except OSError as exc:
            raise CommandError(f"无法读取文件“{path}”：{exc.strerror or exc}") from None
        except ValidationError as exc:
            for message in _messages(exc):
                self.stderr.write(message)
            raise CommandError(f"文件“{path}”有错误，未导入任何机构。") from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        summary = (
            f"新建 {len(result.created)} 个机构，更新 {len(result.updated)} 个，"
            f"未变 {len(result.unchanged)} 个。"
        )
        if options["json"]:
            write_json(self, {"file": str(path), **result.as_dict()})
            self.stderr.write(summary)
        else:
            self.stdout.write(summary)

    def _list(self, options: dict[str, Any]) -> None:
        if options["json"]:
            write_json(self, selectors.organisation_rows())
            return
        tree = selectors.organisation_tree()
        for organisation, depth in tree:
            codes = "、".join(organisation.organ_codes())
            self.stdout.write(
                f"{'  ' * depth}{organisation.name}（{organisation.code}，"
                f"{OrganisationKind(organisation.kind).label}{'，' + codes if codes else ''}）"
            )
        if not tree:
            self.stderr.write("还没有机构：请用 gongkai organisations import FILE 导入。")
