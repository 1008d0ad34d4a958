"""Extract the elements of an official document (条例 Art. 9; GB/T 9704-2012 §7) from its text.

Every element comes with the span of text it was read from and a confidence in [0, 1], so staff can
check it on the confirm screen. The layout rules followed are GB/T 9704-2012: 版头 (份号, 密级, 紧急
程度, 发文机关标志, 发文字号, 签发人), 主体 (标题, 主送机关, 正文, 附件说明, 署名, 成文日期, 附注, 附件)
and 版记 (抄送机关, 印发机关和印发日期). Pure Python: no database access here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from gongkai.documents.constants import DocType, RelationType

from .dates import CHINESE_DATE_PLAIN as CD
from .dates import NUMERIC_DATE_PLAIN as ND
from .dates import FoundDate, add_years, find_dates
from .docno import DocNumber, FoundNumber, chinese_number, find_doc_numbers
from .orgs import ORG_SUFFIX, OrgDirectory, looks_like_org

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
_TITLE_END = re.compile(
    r"(?:" + "|".join(re.escape(s) for s, _ in DOC_TYPE_SUFFIXES) + r")(?:[（(][^（）()]{1,20}[）)])?[》」]?$"
)
_DATE_ONLY = re.compile(rf"^(?:{CD}|{ND})$")
_COPY_NUMBER = re.compile(r"^(?:份号[：:]?\s*)?(?P<value>[0-9０-９]{1,6})$")
_CLASSIFICATION = re.compile(r"(?P<value>(?:绝密|机密|秘密)(?:\s*★\s*[^\s]{0,8})?)")
_URGENCY = re.compile(r"^(?:紧急程度[：:]\s*)?(?P<value>特急|加急|特提|平急)$")
_SIGNER = re.compile(r"签发人[：:]\s*(?P<value>[\u4e00-\u9fff·]{2,4}(?:[ \u3000]+[\u4e00-\u9fff·]{2,4})*)")
_RECIPIENTS_END = re.compile(r"[：:]$")
_ATTACHMENT_NOTE = re.compile(r"^附\s*件[：:\s]")
_ATTACHMENT_HEAD = re.compile(r"^附\s*件\s*[0-9０-９一二三四五六七八九十]*[：:]?$")
_PRINTED = re.compile(rf"^(?P<org>.*?)[ \u3000]*(?P<date>{CD})[ \u3000]*印发$")
_CC = re.compile(r"^抄\s*送[：:]\s*")
_NOTE = re.compile(r"^[（(](?!\s*[一二三四五六七八九十0-9])[^（()）]{2,80}[）)]$")
_ISSUES_TITLE = re.compile(r"(?P<verb>印发|颁布|发布|转发|批转)(?P<rest>.*?)的(?:通知|决定|函|公告|令)")
_QUOTED = re.compile(r"[《〈](?P<title>[^《》〈〉]{2,120})[》〉]")
_OUTLINE = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇0-9]+[章节条编]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[.、．])"
)
_MARKDOWN_HEADING = re.compile(r"^#{1,2}\s+(?P<value>.+)$")
_SENTENCE_SPLIT = re.compile(r"(?<=[。；;！!？?\n])")
_REPEAL_SENTENCE = re.compile(r"废止|不再执行|停止执行")
_BASED_ON = re.compile(
    r"(?:根据|依据|依照)(?P<list>(?:[《〈][^《》〈〉]{2,120}[》〉](?:\s*[（(][^（）()]{2,40}[）)])?[、和及与以]?){1,12})"
)
_AMEND = re.compile(
    r"对(?P<list>[《〈][^《》〈〉]{2,120}[》〉](?:\s*[（(][^（）()]{2,40}[）)])?)作(?:如下|以下|出如下)?修改"
)
_CITED = re.compile(r"[《〈](?P<title>[^《》〈〉]{2,120})[》〉](?:\s*[（(](?P<paren>[^（）()]{2,40})[）)])?")
_EFFECTIVE = re.compile(rf"自\s*(?P<date>{CD}|{ND})\s*起(?:施行|实施|执行|生效)")
_EFFECTIVE_ON_ISSUE = re.compile(r"自(?P<what>印发|发布|公布|签发)之日起(?:施行|实施|执行|生效)")
_EFFECTIVE_LINE = re.compile(rf"^(?P<date>{CD})[ \u3000]*(?:起)?施行$")
_EXPIRY_DATE = re.compile(rf"有效期至\s*(?P<date>{CD}|{ND})")
_EXPIRY_YEARS = re.compile(
    r"有效期(?:为|是)?\s*(?P<years>[0-9０-９]{1,2}|[一二三四五六七八九十两]{1,3})\s*年"
)
_PROMULGATION = re.compile(rf"^(?P<date>{CD})[ \u3000]*(?P<rest>.*?)(?:公布|发布)\s*(?:根据)?\s*$")


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
        data["doc_type_label"] = DocType(self.doc_type).label if self.doc_type else None
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
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    offset = 0
    for raw in text.split("\n"):
        stripped = raw.strip(" \t\u3000\r\u00a0")
        if stripped and not stripped.startswith("<!--"):
            lead = len(raw) - len(raw.lstrip(" \t\u3000\r\u00a0"))
            lines.append(_Line(offset + lead, offset + lead + len(stripped), stripped))
        offset += len(raw) + 1
    return lines


_CJK = "\u4e00-\u9fff"
_INNER_SPACE = re.compile(
    rf"(?<=[{_CJK}《》〈〉（）“”、])[ \u3000]+(?=[{_CJK}《》〈〉（）“”、0-9])|(?<=[0-9])[ \u3000]+(?=[{_CJK}])"
)


def clean_title(title: str) -> str:
    """Drop the spaces a layout or a line break left inside a title (PDF/HTML reflow)."""
    return _INNER_SPACE.sub("", " ".join(title.split()))


def _squash(value: str) -> str:
    return re.sub(r"\s+", "", value)


def doc_type_for_title(title: str) -> tuple[str, float]:
    text = _squash(title).rstrip("》」")
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


def _split_names(value: str) -> list[str]:
    """Split a 主送/抄送 list: on ，/； when used (then 、 joins parts of one name), else on 、."""
    value = value.strip().rstrip("。.；;：:")
    parts = re.split(r"[，,；;]\s*", value)
    if len(parts) == 1:
        parts = re.split(r"、\s*", value)
    return [part.strip() for part in parts if part.strip()]


class Extractor:
    def __init__(self, directory: OrgDirectory | None = None) -> None:
        self.directory = directory or OrgDirectory.builtin()

    # ------------------------------------------------------------------------------------------
    def extract(self, text: str) -> Extraction:
        result = Extraction(text=text)
        lines = _lines(text)
        if not lines:
            return result
        els = result.elements
        head_end = min(len(lines), 25)
        position = 0

        # 版头: 份号, 密级和保密期限, 紧急程度 (GB/T 9704 §7.2.1–7.2.3), first lines only.
        for index in range(min(4, len(lines))):
            line = lines[index]
            if "copy_number" not in els and index == 0 and (m := _COPY_NUMBER.match(line.text)):
                els["copy_number"] = Element(
                    m["value"], line.start + m.start("value"), line.start + m.end("value"), 0.85
                )
                position = index + 1
            elif (
                "classification" not in els
                and len(line.text) <= 20
                and (m := _CLASSIFICATION.search(line.text))
            ):
                els["classification"] = Element(
                    _squash(m["value"]), line.start + m.start("value"), line.start + m.end("value"), 0.9
                )
                position = index + 1
                rest = line.text[m.end() :].strip()
                if rest and (u := _URGENCY.match(rest)):
                    offset = line.start + line.text.index(rest)
                    els["urgency"] = Element(u["value"], offset, offset + len(rest), 0.9)
            elif "urgency" not in els and (m := _URGENCY.match(line.text)):
                els["urgency"] = Element(
                    m["value"], line.start + m.start("value"), line.start + m.end("value"), 0.9
                )
                position = index + 1

        number_index = self._doc_number(result, lines, position, head_end)
        title_index = self._title(result, lines, position, number_index, head_end)
        self._issuer_mark(result, lines, position, number_index, title_index)
        body_index = self._recipients(result, lines, title_index)
        printed_index = self._record(result, lines)
        end_index = printed_index if printed_index is not None else len(lines)
        signature_index = self._signature(result, lines, body_index, end_index)
        self._promulgation(result, lines, head_end)
        self._body(result, lines, body_index, signature_index, end_index)
        self._issued(result, lines, signature_index, end_index)
        self._doc_type(result)
        self._relations(result, text)
        self._validity(result, text)
        self._issuers(result)
        return result

    # ------------------------------------------------------------------------------------------
    def _doc_number(self, result: Extraction, lines: list[_Line], position: int, head_end: int) -> int | None:
        best: tuple[float, int, FoundNumber, _Line] | None = None
        for index in range(position, head_end):
            line = lines[index]
            if index > position + 2 and (line.text.endswith("。") or len(line.text) > 150):
                break  # the body has started: citations there are not this document's number
            for found in find_doc_numbers(line.text):
                rest = _squash(line.text.replace(found.raw, ""))
                rest = _SIGNER.sub("", rest)
                rest = re.sub(r"签发人[：:]?", "", rest)
                if not rest or re.fullmatch(r"[（(]?[）)]?", rest):
                    score = 0.98
                elif _PROMULGATION.match(line.text) or re.fullmatch(
                    r"\d{4}年\d{1,2}月\d{1,2}日.*(?:公布|发布)", rest
                ):
                    score = 0.9
                elif line.text.startswith(found.raw) or line.text.endswith(found.raw):
                    score = 0.8 if len(rest) < 80 else 0.6
                else:
                    score = 0.5 if len(rest) < 60 else 0.3
                if found.start > 0 and line.text[found.start - 1] in "（(" and score < 0.9:
                    score -= 0.2  # a citation in parentheses
                if best is None or score > best[0]:
                    best = (score, index, found, line)
            if best and best[0] >= 0.98:
                break
        if best is None or best[0] < 0.3:
            return None
        score, index, found, line = best
        start = line.start + found.start
        result.elements["doc_number"] = Element(
            found.raw.strip(), start, start + len(found.raw.strip()), score
        )
        result.doc_number = found.parsed
        if m := _SIGNER.search(line.text):
            result.elements["signer"] = Element(
                " ".join(m["value"].split()), line.start + m.start("value"), line.start + m.end("value"), 0.9
            )
        elif index + 1 < len(lines) and (m := _SIGNER.search(lines[index + 1].text)):
            nxt = lines[index + 1]
            result.elements["signer"] = Element(
                " ".join(m["value"].split()), nxt.start + m.start("value"), nxt.start + m.end("value"), 0.85
            )
        return index if score >= 0.8 else None

    def _is_title_like(self, text: str) -> bool:
        squashed = _squash(text)
        return (
            len(squashed) <= 150
            and "。" not in squashed
            and "，" not in squashed
            and not _OUTLINE.match(squashed)
            and not squashed.endswith(("：", ":"))
            and bool(_TITLE_END.search(squashed) or "关于" in squashed)
        )

    def _title(
        self, result: Extraction, lines: list[_Line], position: int, number_index: int | None, head_end: int
    ) -> int | None:
        els = result.elements
        skip = {i for i in range(position)}
        if number_index is not None:
            skip.add(number_index)
            if "signer" in els:
                skip.update(
                    i for i in range(len(lines)) if lines[i].start <= els["signer"].start < lines[i].end
                )
        start_at = number_index + 1 if number_index is not None else position
        # Regulations put the title before their 令号 line (`# 条例` / `2003年3月1日 国务院令第372号公布`).
        if number_index is not None and "doc_number" in els and els["doc_number"].confidence < 0.98:
            for index in range(position, number_index):
                text = lines[index].text
                heading = _MARKDOWN_HEADING.match(text)
                candidate = heading["value"] if heading else text
                if (heading or self._is_title_like(candidate)) and not re.search(
                    r"(文件|令)$", _squash(candidate)
                ):
                    start_at = index
                    break
        candidates = range(start_at, min(len(lines), start_at + 8))
        chosen: tuple[int, int, float] | None = None  # first line, last line, confidence
        for index in candidates:
            if index in skip:
                continue
            line = lines[index]
            if (
                (m := _MARKDOWN_HEADING.match(line.text)) and self._is_title_like(m["value"])
            ) or line.text.startswith("# "):
                chosen = (index, index, 0.95)
                break
            if _DATE_ONLY.match(line.text) or _RECIPIENTS_END.search(line.text) or line.text.endswith("。"):
                if number_index is not None:
                    break
                continue
            # A title may be broken over up to four lines; join while it has not reached its 文种.
            last = index
            joined = line.text
            while not _TITLE_END.search(_squash(joined)) and last + 1 < len(lines) and last - index < 3:
                nxt = lines[last + 1].text
                if (
                    _RECIPIENTS_END.search(nxt)
                    or nxt.endswith("。")
                    or len(nxt) > 60
                    or _DATE_ONLY.match(nxt)
                ):
                    break
                last += 1
                joined += nxt
            if self._is_title_like(joined) and _TITLE_END.search(_squash(joined)):
                if looks_like_org(joined) and not _TITLE_END.search(_squash(joined)):
                    continue
                chosen = (index, last, 0.95 if number_index is not None else 0.85)
                break
            if self._is_title_like(line.text):
                chosen = (index, index, 0.7)
                break
            if (
                number_index is not None
                and index == start_at
                and not looks_like_org(line.text)
                and len(line.text) <= 80
            ):
                chosen = (index, index, 0.5)
                break
        if (chosen is None or chosen[2] < 0.7) and number_index is not None:
            # the title may stand before the 文号 (web pages, compilations)
            for index in range(position, number_index):
                text = lines[index].text
                if (
                    self._is_title_like(text)
                    and _TITLE_END.search(_squash(text))
                    and not re.search(r"(文件|令)$", _squash(text))
                ):
                    chosen = (index, index, 0.8)
                    break
        if chosen is None and number_index is None:
            for index in range(position, min(len(lines), head_end)):
                text = lines[index].text
                if (
                    _DATE_ONLY.match(text)
                    or _RECIPIENTS_END.search(text)
                    or text.endswith("。")
                    or len(text) > 80
                    or _OUTLINE.match(text)
                ):
                    continue
                chosen = (index, index, 0.4)
                break
        if chosen is None:
            return None
        first, last, confidence = chosen
        raw = result.text[lines[first].start : lines[last].end]
        value = raw
        if m := _MARKDOWN_HEADING.match(value):
            value = m["value"]
        value = clean_title(value.replace("\n", ""))
        if value.startswith("《") and value.endswith("》") and value.count("《") == 1:
            value = value[1:-1]
        els["title"] = Element(value, lines[first].start, lines[last].end, confidence, raw)
        return last

    def _issuer_mark(
        self,
        result: Extraction,
        lines: list[_Line],
        position: int,
        number_index: int | None,
        title_index: int | None,
    ) -> None:
        if number_index is None:
            return
        first = None
        for index in range(number_index - 1, position - 1, -1):
            text = _squash(lines[index].text)
            if (
                len(text) <= 60
                and not re.search(r"[。，：:；]", text)
                and (text.endswith("文件") or looks_like_org(text) or "文件" in text)
            ):
                first = index
            else:
                break
        if first is None:
            return
        raw = result.text[lines[first].start : lines[number_index - 1].end]
        confidence = 0.95 if "文件" in raw else 0.75
        result.elements["issuer_mark"] = Element(_squash(raw) if "\n" not in raw else re.sub(r"\s*\n\s*", " ", raw.strip()),
                                                 lines[first].start, lines[number_index - 1].end, confidence, raw)  # fmt: skip

    def _recipients(self, result: Extraction, lines: list[_Line], title_index: int | None) -> int:
        start = (title_index + 1) if title_index is not None else 0
        for index in range(start, min(len(lines), start + 4)):
            text = lines[index].text
            if text.endswith("。") or _ATTACHMENT_NOTE.match(text) or text.startswith(("根据", "为", "按照")):
                break
            if _RECIPIENTS_END.search(text) and len(text) <= 400 and not _DATE_ONLY.match(text):
                first = index
                # a recipients line that a fixed layout broke: join the unpunctuated lines before it
                while (
                    first > start
                    and not re.search(r"[。：:]$", lines[first - 1].text)
                    and len(lines[first - 1].text) >= 20
                ):
                    first -= 1
                raw = result.text[lines[first].start : lines[index].end - 1]
                value = re.sub(r"\s*\n\s*", "", raw)
                result.elements["recipients"] = Element(
                    value, lines[first].start, lines[index].end - 1, 0.9, raw
                )
                result.recipients_list = _split_names(value)
                return index + 1
        return start

    def _record(self, result: Extraction, lines: list[_Line]) -> int | None:
        """版记 (GB/T 9704 §7.4): 抄送机关, 印发机关和印发日期, at the end."""
        els = result.elements
        printed_index = None
        for index in range(len(lines) - 1, max(-1, len(lines) - 12), -1):
            if m := _PRINTED.match(lines[index].text):
                line = lines[index]
                printed_index = index
                dates = find_dates(m["date"])
                if dates:
                    els["printed_date"] = Element(
                        dates[0].date.isoformat(),
                        line.start + m.start("date"),
                        line.start + m.end("date"),
                        0.95,
                        m["date"],
                    )
                org = m["org"].strip()
                if org:
                    els["printed_by"] = Element(
                        org, line.start + m.start("org"), line.start + m.start("org") + len(org), 0.9
                    )
                elif (
                    index > 0
                    and looks_like_org(lines[index - 1].text)
                    and not _CC.match(lines[index - 1].text)
                ):
                    prev = lines[index - 1]
                    els["printed_by"] = Element(prev.text, prev.start, prev.end, 0.85)
                    printed_index = index - 1
                break
        if printed_index is None:
            return None
        for index in range(printed_index - 1, max(-1, printed_index - 8), -1):
            if m := _CC.match(lines[index].text):
                first, last = lines[index], lines[printed_index - 1]
                raw = result.text[first.start + m.end() : last.end]
                value = re.sub(r"\s*\n\s*", "", raw).strip().rstrip("。.")
                els["cc"] = Element(value, first.start + m.end(), last.end, 0.9, raw)
                result.cc_list = _split_names(value)
                return index
        return printed_index

    def _signature(
        self, result: Extraction, lines: list[_Line], body_index: int, end_index: int
    ) -> int | None:
        """发文机关署名 and 成文日期 (§7.3.5): the first date alone on its line after the body starts."""
        els = result.elements
        for index in range(body_index, end_index):
            line = lines[index]
            date_match = _DATE_ONLY.match(line.text)
            org_part = ""
            if not date_match:
                m = re.match(rf"^(?P<org>[{_CJK}（）()、]{{2,40}})[ \u3000]+(?P<date>{CD})$", line.text)
                if not m or not looks_like_org(m["org"]):
                    continue
                org_part = m["org"]
            dates = find_dates(line.text)
            if not dates:
                continue
            found: FoundDate = dates[-1]
            signature_lines: list[_Line] = []
            back = index - 1
            while back >= body_index and len(signature_lines) < 4 and looks_like_org(lines[back].text):
                signature_lines.insert(0, lines[back])
                back -= 1
            confidence = 0.95 if (signature_lines or org_part) else 0.75
            els["written_date"] = Element(
                found.date.isoformat(),
                line.start + found.start,
                line.start + found.end,
                confidence,
                found.raw,
            )
            names = [s.text for s in signature_lines] + ([org_part] if org_part else [])
            if names:
                first = signature_lines[0] if signature_lines else line
                end = signature_lines[-1].end if signature_lines else line.start + len(org_part)
                els["signature"] = Element(
                    names if len(names) > 1 else names[0],
                    first.start,
                    end,
                    0.9,
                    result.text[first.start : end],
                )
            note_index = index + 1
            if note_index < end_index and _NOTE.match(lines[note_index].text):
                note = lines[note_index]
                els["note"] = Element(note.text, note.start, note.end, 0.8)
            self._attachment_note(
                result, lines, body_index, (signature_lines[0] if signature_lines else line)
            )
            return index
        return None

    def _attachment_note(
        self, result: Extraction, lines: list[_Line], body_index: int, before: _Line
    ) -> None:
        stop = next(i for i, line in enumerate(lines) if line is before)
        for index in range(stop - 1, max(body_index - 1, stop - 12), -1):
            if _ATTACHMENT_NOTE.match(lines[index].text) or _ATTACHMENT_HEAD.match(lines[index].text):
                first, last = lines[index], lines[stop - 1]
                raw = result.text[first.start : last.end]
                value = re.sub(r"^附\s*件[：:]?\s*", "", raw).strip()
                result.elements["attachment_note"] = Element(
                    re.sub(r"\s*\n\s*", "；", value), first.start, last.end, 0.85, raw
                )
                return

    def _promulgation(self, result: Extraction, lines: list[_Line], head_end: int) -> None:
        """Regulations and rules: `2003年3月1日 中华人民共和国国务院令第372号公布` and `2004年2月1日 施行`."""
        els = result.elements
        for line in lines[:head_end]:
            if "written_date" not in els and (m := _PROMULGATION.match(line.text)):
                dates = find_dates(m["date"])
                rest = m["rest"].strip()
                if dates and (re.search(r"令第", rest) or looks_like_org(rest)):
                    els["written_date"] = Element(
                        dates[0].date.isoformat(), line.start, line.start + len(m["date"]), 0.85, m["date"]
                    )
                    organ = re.sub(r"令第.*$", "", rest)
                    if organ and "signature" not in els:
                        names = [n for n in re.split(r"[、，]", organ) if n]
                        els["signature"] = Element(names if len(names) > 1 else names[0], line.start + len(m["date"]),
                                                   line.end, 0.7, rest)  # fmt: skip
            if "effective_date" not in els and (m := _EFFECTIVE_LINE.match(line.text)):
                dates = find_dates(m["date"])
                if dates:
                    els["effective_date"] = Element(
                        dates[0].date.isoformat(), line.start, line.start + len(m["date"]), 0.9, m["date"]
                    )

    def _body(
        self,
        result: Extraction,
        lines: list[_Line],
        body_index: int,
        signature_index: int | None,
        end_index: int,
    ) -> None:
        if body_index >= len(lines):
            return
        stop = signature_index if signature_index is not None else end_index
        els = result.elements
        if "signature" in els and signature_index is not None:
            stop_offset = els["signature"].start
        elif stop < len(lines):
            stop_offset = lines[stop].start
        else:
            stop_offset = lines[-1].end
        if "attachment_note" in els:
            stop_offset = min(stop_offset, els["attachment_note"].start)
        start = lines[body_index].start
        if stop_offset > start:
            els["body"] = Element(result.text[start:stop_offset].strip(), start, stop_offset, 0.8)

    def _issued(
        self, result: Extraction, lines: list[_Line], signature_index: int | None, end_index: int
    ) -> None:
        """`关于印发《X》的通知`: X follows the notice; it becomes a document of its own (印发 relation)."""
        title = result.value("title") or ""
        match = _ISSUES_TITLE.search(_squash(title))
        if not match:
            return
        verb = match["verb"]
        relation_type = RelationType.FORWARDS if verb in {"转发", "批转"} else RelationType.ISSUES
        quoted = [m["title"] for m in _QUOTED.finditer(match["rest"])] or [match["rest"].strip("《》")]
        search_from = (signature_index + 1) if signature_index is not None else 0
        for target in quoted:
            if not target:
                continue
            relation = Relation(str(relation_type), target_title=target, confidence=0.9)
            title_el = result.elements["title"]
            relation.start, relation.end = title_el.start, title_el.end
            result.relations.append(relation)
            key = _squash(target)
            for index in range(search_from, end_index):
                line = lines[index]
                if _squash(line.text) == key or (
                    _squash(line.text).startswith(key) and len(_squash(line.text)) <= len(key) + 4
                ):
                    stop = lines[end_index].start if end_index < len(lines) else len(result.text)
                    if "cc" in result.elements:
                        stop = min(stop, _line_start(result.text, result.elements["cc"].start))
                    body_start = lines[index + 1].start if index + 1 < len(lines) else line.end
                    result.issued.append({"title": clean_title(line.text), "start": line.start, "end": stop,
                                          "body_start": body_start, "relation": str(relation_type)})  # fmt: skip
                    search_from = index + 1
                    break

    def _doc_type(self, result: Extraction) -> None:
        title = result.value("title")
        if title:
            result.doc_type, result.doc_type_confidence = doc_type_for_title(title)
        elif result.doc_number and result.doc_number.kind == "decree":
            result.doc_type, result.doc_type_confidence = str(DocType.ORDER), 0.6

    def _relations(self, result: Extraction, text: str) -> None:
        seen = {(r.relation_type, r.target_title, r.target_doc_number) for r in result.relations}

        def add(kind: RelationType, title: str, number: str, start: int, end: int, confidence: float) -> None:
            title = clean_title(title)
            key = (str(kind), title, number)
            own = result.doc_number.normalized if result.doc_number else None
            if key in seen or (number and number == own) or (title and title == result.value("title")):
                return
            seen.add(key)
            result.relations.append(Relation(str(kind), title, number, start, end, confidence))

        def cited(fragment: str, base: int, kind: RelationType, confidence: float) -> int:
            count = 0
            for m in _CITED.finditer(fragment):
                number = ""
                if m["paren"]:
                    numbers = find_doc_numbers(m["paren"])
                    number = numbers[0].parsed.normalized if numbers else ""
                add(kind, m["title"], number, base + m.start(), base + m.end(), confidence)
                count += 1
            return count

        title = result.value("title") or ""
        title_el = result.elements.get("title")
        if title_el and re.search(r"废止", title):
            for found in find_doc_numbers(title):
                add(RelationType.REPEALS, "", found.parsed.normalized, title_el.start, title_el.end, 0.8)
            quoted = _QUOTED.findall(title)
            for target in quoted:
                add(RelationType.REPEALS, target, "", title_el.start, title_el.end, 0.8)
        offset = 0
        for sentence in _SENTENCE_SPLIT.split(text):
            base = offset
            offset += len(sentence)
            if _REPEAL_SENTENCE.search(sentence) and not re.search(
                r"修改和废止|废止和修改|修改部分|关于废止", sentence
            ):
                if cited(sentence, base, RelationType.REPEALS, 0.85) == 0:
                    for found in find_doc_numbers(sentence):
                        add(
                            RelationType.REPEALS,
                            "",
                            found.parsed.normalized,
                            base + found.start,
                            base + found.end,
                            0.75,
                        )
            for m in _BASED_ON.finditer(sentence):
                cited(m["list"], base + m.start("list"), RelationType.BASED_ON, 0.8)
            for m in _AMEND.finditer(sentence):
                cited(m["list"], base + m.start("list"), RelationType.AMENDS, 0.8)

    def _validity(self, result: Extraction, text: str) -> None:
        els = result.elements
        if "effective_date" not in els:
            if m := _EFFECTIVE.search(text):
                dates = find_dates(m["date"])
                if dates:
                    els["effective_date"] = Element(
                        dates[0].date.isoformat(), m.start("date"), m.end("date"), 0.9, m["date"]
                    )
            elif m := _EFFECTIVE_ON_ISSUE.search(text):
                source = els.get("written_date") or els.get("printed_date")
                if source:
                    els["effective_date"] = Element(source.value, m.start(), m.end(), 0.7, m.group(0))
        if m := _EXPIRY_DATE.search(text):
            dates = find_dates(m["date"])
            if dates:
                els["expiry_date"] = Element(
                    dates[0].date.isoformat(), m.start("date"), m.end("date"), 0.9, m["date"]
                )
        elif m := _EXPIRY_YEARS.search(text):
            years_text = m["years"].translate(str.maketrans("０１２３４５６７８９两", "0123456789二"))
            years = chinese_number(years_text) or 0
            start_el = els.get("effective_date") or els.get("written_date")
            if 0 < years <= 50 and start_el:
                import datetime as dt

                start = dt.date.fromisoformat(start_el.value)
                expiry = add_years(start, years) - dt.timedelta(days=1)
                els["expiry_date"] = Element(expiry.isoformat(), m.start(), m.end(), 0.75, m.group(0))

    def _issuers(self, result: Extraction) -> None:
        """发文机关 from 署名, then 标志, then the title, then the 机关代字 (code table)."""
        candidates: list[tuple[str, str, float]] = []
        els = result.elements
        signature = els.get("signature")
        if signature:
            names = signature.value if isinstance(signature.value, list) else [signature.value]
            candidates += [(name, "signature", 0.95) for name in names]
        mark = els.get("issuer_mark")
        if mark:
            for part in re.split(r"[\s、]+|文件", mark.raw or mark.value):
                if part and ORG_SUFFIX.search(part):
                    candidates.append((part, "mark", 0.85))
        title = _squash(els["title"].value) if "title" in els else ""
        if "关于" in title:
            prefix = (els["title"].value.split("关于", 1)[0]).strip()
            for part in re.split(r"[\s、]+", prefix):
                if part and ORG_SUFFIX.search(part):
                    candidates.append((part, "title", 0.8))
        if result.doc_number:
            entry = self.directory.by_code(result.doc_number.organ_code)
            if entry:
                candidates.append((entry.name, "doc_number", 0.7))
            elif result.doc_number.kind == "decree":
                organ = result.doc_number.organ_code.removesuffix("令")
                for part in organ.split("、"):
                    if part and ORG_SUFFIX.search(part):
                        candidates.append((part, "doc_number", 0.6))
        seen: set[str] = set()
        for name, source, confidence in candidates:
            entry = self.directory.by_name(name)
            canonical = entry.name if entry else name
            if canonical in seen:
                continue
            seen.add(canonical)
            result.issuers.append(Issuer(name, source, confidence if entry or source != "doc_number" else confidence - 0.2,
                                         entry.code if entry else "", canonical))  # fmt: skip


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def extract_text(text: str, directory: OrgDirectory | None = None) -> Extraction:
    return Extractor(directory).extract(text)
