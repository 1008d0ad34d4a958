"""主体 (GB/T 9704-2012 §7.3) after the 标题: 主送机关, 正文, 附件说明, 发文机关署名, 成文日期, 附注, and the
公布/施行 lines of regulations and rules.
"""

from __future__ import annotations

import re

from .dates import CHINESE_DATE_PLAIN as CD
from .dates import FoundDate, find_dates
from .extract_base import (
    CJK,
    DATE_ONLY,
    PROMULGATION,
    RECIPIENTS_END,
    Element,
    Extraction,
    Line,
    split_names,
)
from .orgs import looks_like_org

_ATTACHMENT_NOTE = re.compile(r"^附\s*件[：:\s]")
_ATTACHMENT_HEAD = re.compile(r"^附\s*件\s*[0-9０-９一二三四五六七八九十]*[：:]?$")
_NOTE = re.compile(r"^[（(](?!\s*[一二三四五六七八九十0-9])[^（()）]{2,80}[）)]$")
_EFFECTIVE_LINE = re.compile(rf"^(?P<date>{CD})[ \u3000]*(?:起)?施行$")


def read_recipients(result: Extraction, lines: list[Line], title_index: int | None) -> int:
    start = (title_index + 1) if title_index is not None else 0
    for index in range(start, min(len(lines), start + 4)):
        text = lines[index].text
        if text.endswith("。") or _ATTACHMENT_NOTE.match(text) or text.startswith(("根据", "为", "按照")):
            break
        if RECIPIENTS_END.search(text) and len(text) <= 400 and not DATE_ONLY.match(text):
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
            result.elements["recipients"] = Element(value, lines[first].start, lines[index].end - 1, 0.9, raw)
            result.recipients_list = split_names(value)
            return index + 1
    return start


def read_signature(result: Extraction, lines: list[Line], body_index: int, end_index: int) -> int | None:
    """发文机关署名 and 成文日期 (§7.3.5): the first date alone on its line after the body starts."""
    els = result.elements
    for index in range(body_index, end_index):
        line = lines[index]
        date_match = DATE_ONLY.match(line.text)
        org_part = ""
        if not date_match:
            m = re.match(rf"^(?P<org>[{CJK}（）()、]{{2,40}})[ \u3000]+(?P<date>{CD})$", line.text)
            if not m or not looks_like_org(m["org"]):
                continue
            org_part = m["org"]
        dates = find_dates(line.text)
        if not dates:
            continue
        found: FoundDate = dates[-1]
        signature_lines: list[Line] = []
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
        _read_attachment_note(result, lines, body_index, (signature_lines[0] if signature_lines else line))
        return index
    return None


def _read_attachment_note(result: Extraction, lines: list[Line], body_index: int, before: Line) -> None:
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


def read_promulgation(result: Extraction, lines: list[Line], head_end: int) -> None:
    """Regulations and rules: `2003年3月1日 中华人民共和国国务院令第372号公布` and `2004年2月1日 施行`."""
    els = result.elements
    for line in lines[:head_end]:
        if "written_date" not in els and (m := PROMULGATION.match(line.text)):
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


def read_body(
    result: Extraction,
    lines: list[Line],
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
