"""Relations to other documents (印发/转发, 废止, 依据, 修改) and validity (施行日期, 有效期至)."""

from __future__ import annotations

import re

from gongkai.documents.constants import RelationType
from gongkai.text.docno import chinese_number, find_doc_numbers

from .dates import CHINESE_DATE_PLAIN as CD
from .dates import NUMERIC_DATE_PLAIN as ND
from .dates import add_years, find_dates
from .extract_base import Element, Extraction, Line, Relation, clean_title, squash

_ISSUES_TITLE = re.compile(r"(?P<verb>印发|颁布|发布|转发|批转)(?P<rest>.*?)的(?:通知|决定|函|公告|令)")
_QUOTED = re.compile(r"[《〈](?P<title>[^《》〈〉]{2,120})[》〉]")
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
_EXPIRY_DATE = re.compile(rf"有效期至\s*(?P<date>{CD}|{ND})")
_EXPIRY_YEARS = re.compile(
    r"有效期(?:为|是)?\s*(?P<years>[0-9０-９]{1,2}|[一二三四五六七八九十两]{1,3})\s*年"
)


def read_issued(result: Extraction, lines: list[Line], signature_index: int | None, end_index: int) -> None:
    """`关于印发《X》的通知`: X follows the notice; it becomes a document of its own (印发 relation)."""
    title = result.value("title") or ""
    match = _ISSUES_TITLE.search(squash(title))
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
        key = squash(target)
        for index in range(search_from, end_index):
            line = lines[index]
            if squash(line.text) == key or (
                squash(line.text).startswith(key) and len(squash(line.text)) <= len(key) + 4
            ):
                stop = lines[end_index].start if end_index < len(lines) else len(result.text)
                if "cc" in result.elements:
                    stop = min(stop, _line_start(result.text, result.elements["cc"].start))
                body_start = lines[index + 1].start if index + 1 < len(lines) else line.end
                result.issued.append({"title": clean_title(line.text), "start": line.start, "end": stop,
                                      "body_start": body_start, "relation": str(relation_type)})  # fmt: skip
                search_from = index + 1
                break


def read_relations(result: Extraction, text: str) -> None:
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


def read_validity(result: Extraction, text: str) -> None:
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


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1
