"""Read an organisations file (CSV, JSON Lines or a JSON array) into rows for `import_organisations`.

Columns (English or Chinese headings): code/代码, name/名称, short_name/简称, organ_code/机关代字,
extra_organ_codes/其他机关代字, parent/上级 (the parent's code), kind/类型, index_prefix/索引号前缀,
sort_order/排序. A JSON array is what `gongkai organisations list --json` prints, so a listing can be
edited and imported back.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .selectors import ORGANISATION_COLUMNS

COLUMN_ALIASES = {
    "代码": "code", "机构代码": "code", "名称": "name", "机构名称": "name", "简称": "short_name",
    "short name": "short_name", "机关代字": "organ_code", "organ code": "organ_code",
    "其他机关代字": "extra_organ_codes", "上级": "parent", "上级代码": "parent", "上级机构": "parent",
    "类型": "kind", "索引号前缀": "index_prefix", "排序": "sort_order",
}  # fmt: skip

Row = tuple[int, dict[str, Any]]  # (line or item number, {column: value})


def _column(name: str, line: int) -> str:
    key = " ".join(str(name).replace("\ufeff", "").split()).lower()
    key = COLUMN_ALIASES.get(key, key.replace(" ", "_"))
    if key not in ORGANISATION_COLUMNS:
        raise ValidationError(
            {"file": _("第%(line)d行：未知的列“%(name)s”；可用的列：%(columns)s")
             % {"line": line, "name": name, "columns": "、".join(ORGANISATION_COLUMNS)}}
        )  # fmt: skip
    return key


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # spreadsheets in China save CSV as GBK
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError({"file": _("文件既不是 UTF-8 也不是 GB18030 编码的文本。")})


def _clean(row: dict[Any, Any], line: int) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name, value in row.items():
        if name is None:  # a CSV line with more cells than headings
            raise ValidationError({"file": _("第%(line)d行：单元格比列标题多。") % {"line": line}})
        cleaned[_column(name, line)] = "" if value is None else value
    return cleaned


def _json_rows(text: str) -> list[Row]:
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                {"file": _("JSON 格式错误：第%(line)d行。") % {"line": exc.lineno}}
            ) from None
        numbered = list(enumerate(items, 1))
    else:
        numbered = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                numbered.append((number, json.loads(line)))
            except json.JSONDecodeError:
                raise ValidationError(
                    {"file": _("第%(line)d行不是有效的 JSON 对象。") % {"line": number}}
                ) from None
    rows = []
    for number, item in numbered:
        if not isinstance(item, dict):
            raise ValidationError({"file": _("第%(line)d行不是 JSON 对象。") % {"line": number}})
        rows.append((number, _clean(item, number)))
    return rows


def read_organisation_file(content: bytes) -> list[Row]:
    """Rows keyed by ORGANISATION_COLUMNS, each with its line number; ValidationError({"file": …})."""
    text = _decode(content)
    if text.lstrip().startswith(("{", "[")):
        rows = _json_rows(text)
    else:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames:
            raise ValidationError({"file": _("文件为空。")})
        for name in reader.fieldnames:
            _column(name, 1)
        rows = [(reader.line_num, _clean(row, reader.line_num)) for row in reader if any(row.values())]
    if not rows:
        raise ValidationError({"file": _("文件中没有机构。")})
    return rows
