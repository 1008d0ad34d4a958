"""`gongkai search QUERY... [--limit N] [--order date] [--json]`: full-text search from the command line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.urls import include, path, reverse

from gongkai.core.commandline import write_json
from gongkai.search import selectors

# Only the portal's routes, mounted where the site mounts them: a result's URL is reversed without
# importing every app's views, as the full URL conf would (about 0.7 s of start-up, issue 20).
urlpatterns = [path("", include("gongkai.portal.urls"))]


def document_url(pk: int) -> str:
    return reverse("portal:document-detail", args=[pk], urlconf=__name__)


class QueryParser(CommandParser):
    """`-政务` excludes a word (search.query): a query word, not an unknown option, with or without `--`."""

    def _parse_optional(self, arg_string: str) -> Any:
        if (
            len(arg_string) > 1
            and arg_string[0] == "-"
            and arg_string[1] != "-"
            and arg_string[:2] not in self._option_string_actions  # -h, -v stay options
        ):
            return None  # argparse: a positional argument
        return super()._parse_optional(arg_string)


class Command(BaseCommand):
    help = "在已公开的文件中全文检索，输出按相关度排列的结果（id、标题、文号、得分、摘录）。"
    # no system checks (they import every URL conf and view): this command starts in <= 0.5 s (issue 20)
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = QueryParser  # same state, one more rule for words starting with "-"
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "query", nargs="+", help="检索词（可分成多个参数），例如“政务公开”、托育 -补贴、静府办发[2023]5号"
        )
        parser.add_argument("--limit", type=int, default=10, help="最多输出多少条（默认10）")
        parser.add_argument("--order", choices=["relevance", "date"], default="relevance")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出（一个对象）")

    def handle(self, *args: Any, **options: Any) -> None:
        limit = max(1, min(options["limit"], 1000))
        query = " ".join(options["query"])
        outcome = selectors.search(query, order=options["order"], limit=limit, with_facets=False)
        hits = [
            {"id": r.document.pk, "title": r.document.title, "doc_number": r.document.doc_number,
             "score": r.score, "snippet": r.snippet, "url": document_url(r.document.pk)}
            for r in outcome.results
        ]  # fmt: skip
        if outcome.redirect is not None and all(h["id"] != outcome.redirect.pk for h in hits):
            doc = outcome.redirect
            hits.insert(0, {"id": doc.pk, "title": doc.title, "doc_number": doc.doc_number, "score": None,
                            "snippet": "", "url": document_url(doc.pk)})  # fmt: skip
        notices = [*outcome.notices, *([outcome.error] if outcome.error else [])]
        if options["json"]:
            document = outcome.redirect
            write_json(self, {
                "query": outcome.query.raw, "count": outcome.total, "notices": notices,
                "document": {"id": document.pk, "title": document.title, "doc_number": document.doc_number}
                if document else None,
                "hits": hits[:limit],
            })  # fmt: skip
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
