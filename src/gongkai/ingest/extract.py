"""Extract the elements of an official document (条例 Art. 9; GB/T 9704-2012 §7) from its text.

Every element comes with the span of text it was read from and a confidence in [0, 1], so staff can
check it on the confirm screen. The layout rules followed are GB/T 9704-2012: 版头 (份号, 密级, 紧急
程度, 发文机关标志, 发文字号, 签发人), 主体 (标题, 主送机关, 正文, 附件说明, 署名, 成文日期, 附注, 附件)
and 版记 (抄送机关, 印发机关和印发日期). Pure Python: no database access here.

The steps live in sibling modules, one part of the document each: `extract_head` (版头 and 标题),
`extract_body` (主体), `extract_record` (版记), `extract_relations` (relations and validity) and
`extract_issuers` (发文机关 against the organisations directory); `extract_base` holds the result
classes and the helpers they share. This module runs the steps in order and keeps the public names.
"""

from __future__ import annotations

from .extract_base import (
    DOC_TYPE_SUFFIXES,
    ELEMENT_KEYS,
    ELEMENT_LABELS,
    Element,
    Extraction,
    Issuer,
    Relation,
    clean_title,
    doc_type_for_title,
    read_doc_type,
    split_lines,
)
from .extract_body import read_body, read_promulgation, read_recipients, read_signature
from .extract_head import read_doc_number, read_issuer_mark, read_marks, read_title
from .extract_issuers import read_issuers
from .extract_record import read_record
from .extract_relations import read_issued, read_relations, read_validity
from .orgs import OrgDirectory

__all__ = [
    "DOC_TYPE_SUFFIXES",
    "ELEMENT_KEYS",
    "ELEMENT_LABELS",
    "Element",
    "Extraction",
    "Extractor",
    "Issuer",
    "Relation",
    "clean_title",
    "doc_type_for_title",
    "extract_text",
]


class Extractor:
    def __init__(self, directory: OrgDirectory | None = None) -> None:
        self.directory = directory or OrgDirectory.builtin()

    def extract(self, text: str) -> Extraction:
        result = Extraction(text=text)
        lines = split_lines(text)
        if not lines:
            return result
        head_end = min(len(lines), 25)
        position = read_marks(result, lines)
        number_index = read_doc_number(result, lines, position, head_end)
        title_index = read_title(result, lines, position, number_index, head_end)
        read_issuer_mark(result, lines, position, number_index, title_index)
        body_index = read_recipients(result, lines, title_index)
        printed_index = read_record(result, lines)
        end_index = printed_index if printed_index is not None else len(lines)
        signature_index = read_signature(result, lines, body_index, end_index)
        read_promulgation(result, lines, head_end)
        read_body(result, lines, body_index, signature_index, end_index)
        read_issued(result, lines, signature_index, end_index)
        read_doc_type(result)
        read_relations(result, text)
        read_validity(result, text)
        read_issuers(result, self.directory)
        return result


def extract_text(text: str, directory: OrgDirectory | None = None) -> Extraction:
    return Extractor(directory).extract(text)
