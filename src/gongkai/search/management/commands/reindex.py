from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from gongkai.core.commandline import write_json
from gongkai.search import services
from gongkai.search.backends import get_backend


class Command(BaseCommand):
    help = "重建全文检索索引（只收录已发布且主动公开的文件），显示进度。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果（不显示进度条）")
        parser.add_argument(
            "--if-incomplete",
            action="store_true",
            help="只在数据库外的索引（tantivy）缺少已发布文件时重建（gongkai serve 启动前执行）",
        )

    def handle(self, *args, **options) -> None:
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if options["json"]:
                return
            if bar is None:
                bar = tqdm(total=total, unit="份", desc="重建索引", file=self.stderr._out)
            bar.update(done - bar.n)

        if options["if_incomplete"]:
            count = services.rebuild_index_if_incomplete(progress=progress)
        else:
            count = services.rebuild_index(progress=progress)
        if bar is not None:
            bar.close()
        backend = get_backend()
        if options["json"]:
            write_json(self, {"documents": count, "backend": backend.vendor, "rebuilt": count is not None})
        elif count is None:
            if options["verbosity"] > 0:
                self.stdout.write(f"索引完整，无需重建（{backend.vendor}）。")
        else:
            self.stdout.write(self.style.SUCCESS(f"索引已重建：{count} 份文件（{backend.vendor}）。"))
