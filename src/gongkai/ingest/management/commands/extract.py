"""`gongkai extract FILE... [--json]`: the elements of each official document, one result per file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from gongkai.core.commandline import write_json
from gongkai.ingest.extract import ELEMENT_KEYS, ELEMENT_LABELS
from gongkai.ingest.orgs import OrgDirectory
from gongkai.ingest.services import extract_bytes, match_relations
from gongkai.text.readers import ReadError


def _directory() -> tuple[OrgDirectory, bool]:
    try:
        return OrgDirectory.from_database(), True
    except DatabaseError:  # no database yet: the built-in code table still works
        return OrgDirectory.builtin(), False


def extract_paths(paths: list[str], include_text: bool = False) -> list[dict]:
    directory, has_db = _directory()
    results = []
    for name in paths:
        path = Path(name)
        try:
            if not path.is_file():
                raise ReadError("missing", "文件不存在或不是普通文件。")
            data = extract_bytes(path.read_bytes(), path.name, directory)
            if has_db:
                try:
                    match_relations(data)
                except DatabaseError as exc:  # relations stay unmatched; say so instead of hiding it
                    data.setdefault("warnings", []).append(
                        f"未能在公文库中匹配关联文件：{exc.__class__.__name__}"
                    )
            if not include_text:
                data.pop("text", None)
            results.append({"file": name, "error": None, **data})
        except ReadError as exc:
            results.append({"file": name, "error": {"code": exc.code, "message": exc.message}})
        except OSError as exc:
            results.append(
                {"file": name, "error": {"code": "io", "message": f"无法读取文件：{exc.strerror or exc}"}}
            )
        except Exception as exc:  # one bad file never ends the batch (issue 11)
            results.append(
                {
                    "file": name,
                    "error": {"code": "internal", "message": f"处理文件时出错：{exc.__class__.__name__}"},
                }
            )
    return results


class Command(BaseCommand):
    help = "识别公文要素（标题、发文字号、发文机关、成文日期、主送、抄送、印发等）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--json", action="store_true", help="输出 JSON（每个文件一个对象，按输入顺序）")
        parser.add_argument("--text", action="store_true", help="在 JSON 中包含提取的全文")

    def handle(self, *args, **options) -> None:
        results = extract_paths(options["files"], include_text=options["text"])
        self._write(results, options)
        failed = sum(1 for result in results if result["error"])
        if failed:  # every file was reported above; the exit status says that some failed
            raise CommandError(f"{failed} 个文件未能识别。")

    def _write(self, results: list[dict], options: dict) -> None:
        if options["json"]:
            write_json(self, results)
            return
        for result in results:
            self.stdout.write(f"== {result['file']}")
            if result["error"]:
                self.stdout.write(f"  错误：{result['error']['message']}")
                continue
            for warning in result["warnings"]:
                self.stdout.write(f"  提示：{warning}")
            for key in ELEMENT_KEYS:
                value = result.get(key)
                if value in (None, "", []) or key == "body":
                    continue
                confidence = result["confidence"].get(key)
                self.stdout.write(f"  {ELEMENT_LABELS[key]}：{value}  （置信度 {confidence}）")
            if result["doc_type"]:
                self.stdout.write(f"  文种：{result['doc_type_label']}")
            for issuer in result["issuers"]:
                self.stdout.write(f"  发文机关：{issuer['canonical_name']}（来源：{issuer['source']}）")
            for relation in result["relations"]:
                target = relation["target_title"] or relation["target_doc_number"]
                self.stdout.write(
                    f"  关系：{relation['label']} 《{target}》"
                    if relation["target_title"]
                    else f"  关系：{relation['label']} {target}"
                )
