"""The result of extracting an official document: its elements, relations and 发文机关, and the
text helpers and 文种 table that the extraction steps share (see `gongkai.ingest.extract`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from gongkai.documents.constants import DocType, RelationType
from gongkai.text.docno import DocNumber

from .dates import CHINESE_DATE_PLAIN as CD
from .dates import NUMERIC_DATE_PLAIN as ND

# Output order of the elements (English keys, see glossary).
ELEMENT_KEYS = (
    "copy_number", "classification", "urgency", "issuer_mark", "doc_number", "signer", "title", "recipients",
    "body", "attachment_note", "signature", "written_date", "note", "attachments", "cc", "printed_by",
    "printed_date", "effective_date", "expiry_date",
)  # fmt: skip
ELEMENT_LABELS = {
    "copy_number": "份号", "classification": "密级和保密期限", "urgency": "紧急程度", "issuer_mark": "发文机关标志",
    "doc_number": "发文字号", "signer": "签发人", "title": "标题", "recipients": "主送机关", "body": "正文",
    "attachment_note": "附件说明", "signature": "发文机关署名", "written_date": "成文日期", "note": "附注",
    "attachments": "附件", "cc": "抄送机关", "printed_by": "印发机关", "printed_date": "印发日期",
    "effective_date": "施行日期", "expiry_date": "有效期至",
}  # fmt: skip

# 文种 by title ending, longest first (条例 Art. 8 plus the usual normative-document names).
DOC_TYPE_SUFFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        {
            "实施意见": DocType.IMPLEMENTING_OPINIONS,
            "指导意见": DocType.OPINION,
            "意见": DocType.OPINION,
            "决议": DocType.RESOLUTION,
            "决定": DocType.DECISION,
            "命令": DocType.ORDER,
            "令": DocType.ORDER,
            "公报": DocType.COMMUNIQUE,
            "公告": DocType.ANNOUNCEMENT,
            "通告": DocType.PUBLIC_NOTICE,
            "通知": DocType.NOTICE,
            "通报": DocType.BULLETIN,
            "报告": DocType.REPORT,
            "请示": DocType.REQUEST,
            "批复": DocType.REPLY,
            "议案": DocType.MOTION,
            "复函": DocType.LETTER,
            "函": DocType.LETTER,
            "纪要": DocType.MINUTES,
            "办法": DocType.MEASURES,
            "规定": DocType.PROVISIONS,
            "细则": DocType.DETAILED_RULES,
            "规则": DocType.RULES,
            "条例": DocType.REGULATIONS,
            "方案": DocType.PLAN,
            "规划": DocType.PROGRAMME,
            "纲要": DocType.PROGRAMME,
            "要点": DocType.KEY_POINTS,
            "指引": DocType.GUIDELINES,
            "指南": DocType.GUIDELINES,
            "计划": DocType.PLAN,
            "措施": DocType.MEASURES,
            "若干措施": DocType.MEASURES,
            "规程": DocType.RULES,
            "清单": DocType.OTHER,
            "目录": DocType.OTHER,
            "制度": DocType.PROVISIONS,
            "准则": DocType.RULES,
        }.items(),
        key=lambda item: -len(item[0]),
    )
)
TITLE_END = re.compile(
    r"(?:" + "|".join(re.escape(s) for s, _ in DOC_TYPE_SUFFIXES) + r")(?:[（(][^（）()]{1,20}[）)])?[》」]?$"
)
DATE_ONLY = re.compile(rf"^(?:{CD}|{ND})$")
RECIPIENTS_END = re.compile(r"[：:]$")
PROMULGATION = re.compile(rf"^(?P<date>{CD})[ \u3000]*(?P<rest>.*?)(?:公布|发布)\s*(?:根据)?\s*$")


@dataclass
class Element:
    value: Any
    start: int
    end: int
    confidence: float
    raw: str = ""

    def as_dict(self) -> dict:
        return {
            "value": self.value,
            "raw": self.raw,
            "start": self.start,
            "end": self.end,
            "confidence": round(self.confidence, 2),
        }


@dataclass
class Relation:
    relation_type: str
    target_title: str = ""
    target_doc_number: str = ""
    start: int = 0
    end: int = 0
    confidence: float = 0.8
    target_id: int | None = None

    def as_dict(self) -> dict:
        return {
            "type": self.relation_type, "label": str(RelationType(self.relation_type).label),
            "target_title": self.target_title, "target_doc_number": self.target_doc_number,
            "target_id": self.target_id, "start": self.start, "end": self.end, "confidence": round(self.confidence, 2),
        }  # fmt: skip


@dataclass
class Issuer:
    name: str
    source: str  # signature, mark, title, doc_number, promulgation
    confidence: float
    organisation: str = ""  # accounts.Organisation.code when known
    canonical_name: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "canonical_name": self.canonical_name or self.name, "organisation": self.organisation or None,
                "source": self.source, "confidence": round(self.confidence, 2)}  # fmt: skip


@dataclass
class Extraction:
    text: str
    elements: dict[str, Element] = field(default_factory=dict)
    doc_type: str = ""
    doc_type_confidence: float = 0.0
    doc_number: DocNumber | None = None
    issuers: list[Issuer] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    issued: list[dict] = field(default_factory=list)
    cc_list: list[str] = field(default_factory=list)
    recipients_list: list[str] = field(default_factory=list)

    def value(self, key: str, default: Any = None) -> Any:
        element = self.elements.get(key)
        return element.value if element is not None else default

    def as_dict(self, include_body: bool = False) -> dict:
        """The JSON shape of `gongkai extract --json` (values as they appear, dates ISO)."""
        data: dict[str, Any] = {}
        for key in ELEMENT_KEYS:
            element = self.elements.get(key)
            if key == "body" and not include_body:
                data[key] = (
                    None
                    if element is None
                    else {"start": element.start, "end": element.end, "chars": element.end - element.start}
                )
                continue
            data[key] = None if element is None else element.value
        data["doc_type"] = self.doc_type or None
        data["doc_type_label"] = str(DocType(self.doc_type).label) if self.doc_type else None
        data["doc_number_normalized"] = self.doc_number.normalized if self.doc_number else None
        data["doc_number_parts"] = (
            {"organ_code": self.doc_number.organ_code, "year": self.doc_number.year, "serial": self.doc_number.serial,
             "kind": self.doc_number.kind} if self.doc_number else None
        )  # fmt: skip
        data["issuers"] = [issuer.as_dict() for issuer in self.issuers]
        data["recipients_list"] = self.recipients_list
        data["cc_list"] = self.cc_list
        data["relations"] = [relation.as_dict() for relation in self.relations]
        data["issued_documents"] = self.issued
        data["confidence"] = {key: round(el.confidence, 2) for key, el in self.elements.items()}
        if self.doc_type:
            data["confidence"]["doc_type"] = round(self.doc_type_confidence, 2)
        data["spans"] = {key: [el.start, el.end] for key, el in self.elements.items()}
        data["raw"] = {key: el.raw for key, el in self.elements.items() if el.raw and el.raw != el.value}
        return data


@dataclass
class Line:
    start: int
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    offset = 0
    for raw in text.split("\n"):
        stripped = raw.strip(" \t\u3000\r\u00a0")
        if stripped and not stripped.startswith("<!--"):
            lead = len(raw) - len(raw.lstrip(" \t\u3000\r\u00a0"))
            lines.append(Line(offset + lead, offset + lead + len(stripped), stripped))
        offset += len(raw) + 1
    return lines


CJK = "\u4e00-\u9fff"
_INNER_SPACE = re.compile(
    rf"(?<=[{CJK}《》〈〉（）“”、])[ \u3000]+(?=[{CJK}《》〈〉（）“”、0-9])|(?<=[0-9])[ \u3000]+(?=[{CJK}])"
)


def clean_title(title: str) -> str:
    """Drop the spaces a layout or a line break left inside a title (PDF/HTML reflow)."""
    return _INNER_SPACE.sub("", " ".join(title.split()))


def squash(value: str) -> str:
    return re.sub(r"\s+", "", value)


def doc_type_for_title(title: str) -> tuple[str, float]:
    text = squash(title).rstrip("》」")
    text = re.sub(
        r"[（(](?:试行|暂行|修订|修正|草案|征求意见稿|\d{4}[—\-－~至]*\d*年?|[^（）()]{0,12}版)[）)]$",
        "",
        text,
    )
    if text.startswith("（已废止）") or text.startswith("(已废止)"):
        text = text[5:]
    for suffix, doc_type in DOC_TYPE_SUFFIXES:
        if text.endswith(suffix):
            return str(doc_type), 0.95 if len(suffix) > 1 else 0.7
    return str(DocType.OTHER), 0.3


def split_names(value: str) -> list[str]:
    """Split a 主送/抄送 list: on ，/； when used (then 、 joins parts of one name), else on 、."""
    value = value.strip().rstrip("。.；;：:")
    parts = re.split(r"[，,；;]\s*", value)
    if len(parts) == 1:
        parts = re.split(r"、\s*", value)
    return [part.strip() for part in parts if part.strip()]


def read_doc_type(result: Extraction) -> None:
    title = result.value("title")
    if title:
        result.doc_type, result.doc_type_confidence = doc_type_for_title(title)
    elif result.doc_number and result.doc_number.kind == "decree":
        result.doc_type, result.doc_type_confidence = str(DocType.ORDER), 0.6
