from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from gongkai.core.commandline import write_json
from gongkai.search import services
from gongkai.search.backends import get_backend


class Command(BaseCommand):
    help = "重建全文检索索引（只收录已发布且主动公开的文件），显示进度。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果（不显示进度条）")

    def handle(self, *args, **options) -> None:
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if options["json"]:
                return
            if bar is None:
                bar = tqdm(total=total, unit="份", desc="重建索引", file=self.stderr._out)
            bar.update(done - bar.n)

        count = services.rebuild_index(progress=progress)
        if bar is not None:
            bar.close()
        backend = get_backend()
        if options["json"]:
            write_json(self, {"documents": count, "backend": backend.vendor})
        else:
            self.stdout.write(self.style.SUCCESS(f"索引已重建：{count} 份文件（{backend.vendor}）。"))
