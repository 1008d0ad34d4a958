from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from gongkai.core.commandline import write_json
from gongkai.demo.loader import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "迁移数据库、载入演示内容（真实公文），并启动门户网站。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="只载入数据，不启动服务")
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出载入结果")

    def handle(self, *args, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        quiet = options["json"]
        summary = load_demo(progress=(lambda _msg: None) if quiet else self.stdout.write)
        if quiet:
            write_json(self, summary)
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"演示数据就绪：{summary['documents_total']} 份公文（本次新增 {summary['documents_created']} 份），"
                    f"{summary['organisations']} 个机构。"
                )
            )
            self.stdout.write(f"演示工作人员账号（后台 /admin/，密码均为 {DEMO_PASSWORD}）：")
            for username, role in [("admin", "平台管理员"), ("editor", "区府办 编辑"), ("reviewer", "区府办 审核人/审批人"),
                                   ("foi", "区府办 依申请公开经办人"), ("edu_editor", "区教育局 编辑/单位管理员"),
                                   ("edu_reviewer", "区教育局 审核人")]:  # fmt: skip
                self.stdout.write(f"  {username:<13} {role}")
            self.stdout.write("演示公众账号（/accounts/login/，密码同上）：citizen@example.com 市民（我的政策），"
                              "association@example.com 协会运营账号（/my/relay/ 接力转发）")  # fmt: skip
            from gongkai.demo.foi_demo import demo_tracking

            if tracking := demo_tracking():
                self.stdout.write(
                    f"演示依申请公开（/foi/track/ 申请进度查询）：申请编号 {tracking[0]}，查询码 {tracking[1]}"
                )
        if not options["no_serve"]:
            # with --json the JSON document stays the only thing this command prints on stdout
            call_command("serve", bind=options["bind"], stdout=self.stderr if quiet else self.stdout)
