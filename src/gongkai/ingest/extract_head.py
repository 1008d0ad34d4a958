"""版头 (GB/T 9704-2012 §7.2): 份号, 密级和保密期限, 紧急程度, 发文机关标志, 发文字号, 签发人; and the
标题 (§7.3.1), which is read with them because it is found relative to the 发文字号.
"""

from __future__ import annotations

import re

from gongkai.text.docno import FoundNumber, find_doc_numbers

from .extract_base import (
    DATE_ONLY,
    PROMULGATION,
    RECIPIENTS_END,
    TITLE_END,
    Element,
    Extraction,
    Line,
    clean_title,
    squash,
)
from .orgs import looks_like_org

_COPY_NUMBER = re.compile(r"^(?:份号[：:]?\s*)?(?P<value>[0-9０-９]{1,6})$")
_CLASSIFICATION = re.compile(r"(?P<value>(?:绝密|机密|秘密)(?:\s*★\s*[^\s]{0,8})?)")
_URGENCY = re.compile(r"^(?:紧急程度[：:]\s*)?(?P<value>特急|加急|特提|平急)$")
_SIGNER = re.compile(r"签发人[：:]\s*(?P<value>[\u4e00-\u9fff·]{2,4}(?:[ \u3000]+[\u4e00-\u9fff·]{2,4})*)")
_OUTLINE = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇0-9]+[章节条编]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[.、．])"
)
_MARKDOWN_HEADING = re.compile(r"^#{1,2}\s+(?P<value>.+)$")


def read_marks(result: Extraction, lines: list[Line]) -> int:
    """份号, 密级和保密期限, 紧急程度 (GB/T 9704 §7.2.1–7.2.3), first lines only; the index after them."""
    els = result.elements
    position = 0
    for index in range(min(4, len(lines))):
        line = lines[index]
        if "copy_number" not in els and index == 0 and (m := _COPY_NUMBER.match(line.text)):
            els["copy_number"] = Element(
                m["value"], line.start + m.start("value"), line.start + m.end("value"), 0.85
            )
            position = index + 1
        elif (
            "classification" not in els and len(line.text) <= 20 and (m := _CLASSIFICATION.search(line.text))
        ):
            els["classification"] = Element(
                squash(m["value"]), line.start + m.start("value"), line.start + m.end("value"), 0.9
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
    return position


def read_doc_number(result: Extraction, lines: list[Line], position: int, head_end: int) -> int | None:
    best: tuple[float, int, FoundNumber, Line] | None = None
    for index in range(position, head_end):
        line = lines[index]
        if index > position + 2 and (line.text.endswith("。") or len(line.text) > 150):
            break  # the body has started: citations there are not this document's number
        for found in find_doc_numbers(line.text):
            rest = squash(line.text.replace(found.raw, ""))
            rest = _SIGNER.sub("", rest)
            rest = re.sub(r"签发人[：:]?", "", rest)
            if not rest or re.fullmatch(r"[（(]?[）)]?", rest):
                score = 0.98
            elif PROMULGATION.match(line.text) or re.fullmatch(
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
    result.elements["doc_number"] = Element(found.raw.strip(), start, start + len(found.raw.strip()), score)
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


_TITLE_AFTER_NUMBER = re.compile(r"号\s*[（(《](?P<title>关于[^（）()《》]+?)[）)》]\s*$")


def _is_title_like(text: str) -> bool:
    squashed = squash(text)
    return (
        len(squashed) <= 150
        and "。" not in squashed
        and "，" not in squashed
        and not _OUTLINE.match(squashed)
        and not squashed.endswith(("：", ":"))
        and bool(TITLE_END.search(squashed) or "关于" in squashed)
    )


_Chosen = tuple[int, int, float]  # first line, last line, confidence


def read_title(
    result: Extraction, lines: list[Line], position: int, number_index: int | None, head_end: int
) -> int | None:
    """标题 (GB/T 9704 §7.3.1): after the 发文字号 (or before a 令号), else before the 文号, else on the
    文号 line itself; with no 文号 and no title-like line, the first plain line of the head.
    Returns the index of the title's last line."""
    chosen = _title_after_number(result, lines, position, number_index)
    if (chosen is None or chosen[2] < 0.7) and number_index is not None:
        # the title may stand before the 文号 (web pages, compilations)
        chosen = _title_before_number(lines, position, number_index) or chosen
    if chosen is None and number_index is None:
        chosen = _first_plain_line(lines, position, head_end)
    if (chosen is None or chosen[2] < 0.7) and number_index is not None:
        if _title_on_number_line(result, lines[number_index]):
            return number_index
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
    result.elements["title"] = Element(value, lines[first].start, lines[last].end, confidence, raw)
    return last


def _title_start(result: Extraction, lines: list[Line], position: int, number_index: int | None) -> int:
    """Where to look for the title: after the 文号 line, or before a 令号 line that follows it."""
    if number_index is None:
        return position
    els = result.elements
    # Regulations put the title before their 令号 line (`# 条例` / `2003年3月1日 国务院令第372号公布`).
    if "doc_number" in els and els["doc_number"].confidence < 0.98:
        for index in range(position, number_index):
            text = lines[index].text
            heading = _MARKDOWN_HEADING.match(text)
            candidate = heading["value"] if heading else text
            if (heading or _is_title_like(candidate)) and not re.search(r"(文件|令)$", squash(candidate)):
                return index
    return number_index + 1


def _skipped_lines(
    result: Extraction, lines: list[Line], position: int, number_index: int | None
) -> set[int]:
    """The marks above `position`, the 文号 line and the 签发人 line are never the title."""
    skip = set(range(position))
    if number_index is not None:
        skip.add(number_index)
        if "signer" in result.elements:
            signer_start = result.elements["signer"].start
            skip.update(i for i in range(len(lines)) if lines[i].start <= signer_start < lines[i].end)
    return skip


def _joined_title(lines: list[Line], index: int) -> tuple[int, str]:
    """A title may be broken over up to four lines; join while it has not reached its 文种."""
    last = index
    joined = lines[index].text
    while not TITLE_END.search(squash(joined)) and last + 1 < len(lines) and last - index < 3:
        nxt = lines[last + 1].text
        if RECIPIENTS_END.search(nxt) or nxt.endswith("。") or len(nxt) > 60 or DATE_ONLY.match(nxt):
            break
        last += 1
        joined += nxt
    return last, joined


def _title_after_number(
    result: Extraction, lines: list[Line], position: int, number_index: int | None
) -> _Chosen | None:
    """The usual place: the first title-like lines (at most eight) after the 文号 line."""
    skip = _skipped_lines(result, lines, position, number_index)
    start_at = _title_start(result, lines, position, number_index)
    for index in range(start_at, min(len(lines), start_at + 8)):
        if index in skip:
            continue
        line = lines[index]
        if ((m := _MARKDOWN_HEADING.match(line.text)) and _is_title_like(m["value"])) or line.text.startswith(
            "# "
        ):
            return (index, index, 0.95)
        if DATE_ONLY.match(line.text) or RECIPIENTS_END.search(line.text) or line.text.endswith("。"):
            if number_index is not None:
                return None
            continue
        last, joined = _joined_title(lines, index)
        if _is_title_like(joined) and TITLE_END.search(squash(joined)):
            return (index, last, 0.95 if number_index is not None else 0.85)
        if _is_title_like(line.text):
            return (index, index, 0.7)
        if (
            number_index is not None
            and index == start_at
            and not looks_like_org(line.text)
            and len(line.text) <= 80
        ):
            return (index, index, 0.5)
    return None


def _title_before_number(lines: list[Line], position: int, number_index: int) -> _Chosen | None:
    for index in range(position, number_index):
        text = lines[index].text
        if (
            _is_title_like(text)
            and TITLE_END.search(squash(text))
            and not re.search(r"(文件|令)$", squash(text))
        ):
            return (index, index, 0.8)
    return None


def _first_plain_line(lines: list[Line], position: int, head_end: int) -> _Chosen | None:
    """No 文号 and no title-like line: the first line of the head that is not a date, recipients,
    a sentence or an outline heading, with low confidence."""
    for index in range(position, min(len(lines), head_end)):
        text = lines[index].text
        if (
            DATE_ONLY.match(text)
            or RECIPIENTS_END.search(text)
            or text.endswith("。")
            or len(text) > 80
            or _OUTLINE.match(text)
        ):
            continue
        return (index, index, 0.4)
    return None


def _title_on_number_line(result: Extraction, line: Line) -> bool:
    """Web pages print `海关总署公告2016年第8号（关于…的公告）`: the title stands on the 文号 line itself."""
    if m := _TITLE_AFTER_NUMBER.search(line.text):
        result.elements["title"] = Element(
            clean_title(m["title"]),
            line.start + m.start("title"),
            line.start + m.end("title"),
            0.85,
            m["title"],
        )
        return True
    return False


def read_issuer_mark(
    result: Extraction,
    lines: list[Line],
    position: int,
    number_index: int | None,
    title_index: int | None,
) -> None:
    if number_index is None:
        return
    first = None
    for index in range(number_index - 1, position - 1, -1):
        text = squash(lines[index].text)
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
    result.elements["issuer_mark"] = Element(squash(raw) if "\n" not in raw else re.sub(r"\s*\n\s*", " ", raw.strip()),
                                             lines[first].start, lines[number_index - 1].end, confidence, raw)  # fmt: skip
