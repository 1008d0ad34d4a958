"""版记 (GB/T 9704-2012 §7.4): 抄送机关, 印发机关和印发日期, at the end of the document."""

from __future__ import annotations

import re

from .dates import CHINESE_DATE_PLAIN as CD
from .dates import find_dates
from .extract_base import Element, Extraction, Line, split_names
from .orgs import looks_like_org

_PRINTED = re.compile(rf"^(?P<org>.*?)[ \u3000]*(?P<date>{CD})[ \u3000]*印发$")
_CC = re.compile(r"^抄\s*送[：:]\s*")


def read_record(result: Extraction, lines: list[Line]) -> int | None:
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
            elif index > 0 and looks_like_org(lines[index - 1].text) and not _CC.match(lines[index - 1].text):
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
            result.cc_list = split_names(value)
            return index
    return printed_index
