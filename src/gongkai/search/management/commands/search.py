import json

from django.core.management.base import BaseCommand, CommandParser

from gongkai.search import selectors


class Command(BaseCommand):
    help = "在已公开的文件中全文检索，输出按相关度排列的结果（id、标题、文号、得分、摘录）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", help="检索词，例如“政务公开”、托育 -补贴、静府办发[2023]5号")
        parser.add_argument("--limit", type=int, default=10, help="最多输出多少条（默认10）")
        parser.add_argument("--order", choices=["relevance", "date"], default="relevance")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, **options) -> None:
        limit = max(1, min(options["limit"], 1000))
        outcome = selectors.search(options["query"], order=options["order"], limit=limit, with_facets=False)
        hits = [
            {"id": r.document.pk, "title": r.document.title, "doc_number": r.document.doc_number,
             "score": r.score, "snippet": r.snippet, "url": r.document.get_absolute_url()}
            for r in outcome.results
        ]  # fmt: skip
        if outcome.redirect is not None and all(h["id"] != outcome.redirect.pk for h in hits):
            doc = outcome.redirect
            hits.insert(0, {"id": doc.pk, "title": doc.title, "doc_number": doc.doc_number, "score": None,
                            "snippet": "", "url": doc.get_absolute_url()})  # fmt: skip
        notices = [*outcome.notices, *([outcome.error] if outcome.error else [])]
        if options["json"]:
            document = outcome.redirect
            self.stdout.write(json.dumps({
                "query": outcome.query.raw, "count": outcome.total, "notices": notices,
                "document": {"id": document.pk, "title": document.title, "doc_number": document.doc_number}
                if document else None,
                "hits": hits[:limit],
            }, ensure_ascii=False))  # fmt: skip
            return
        for notice in notices:
            self.stderr.write(notice)
        if outcome.redirect is not None:
            self.stdout.write(f"文号对应文件：#{outcome.redirect.pk} {outcome.redirect.title}")
        self.stdout.write(f"共 {outcome.total} 份文件")
        for rank, hit in enumerate(hits[:limit], 1):
            score = "" if hit["score"] is None else f"{hit['score']:.3f}"
            self.stdout.write(f"{rank:>3}. #{hit['id']} {hit['title']} {hit['doc_number']} {score}")
            if hit["snippet"]:
                self.stdout.write(f"     {hit['snippet']}")
