"""Split extracted text into plain and highlighted segments for the confirm screen (escaped by the template)."""

from __future__ import annotations

from .extract import ELEMENT_LABELS

SKIP = {"body", "attachments"}


def segments(text: str, spans: dict[str, list[int]]) -> list[dict]:
    marks = sorted(
        (
            (start, end, key)
            for key, (start, end) in spans.items()
            if key not in SKIP and 0 <= start < end <= len(text)
        ),
        key=lambda item: (item[0], -item[1]),
    )
    out: list[dict] = []
    position = 0
    for start, end, key in marks:
        if start < position:
            continue  # overlapping spans: the first one wins
        if start > position:
            out.append({"text": text[position:start], "key": ""})
        out.append({"text": text[start:end], "key": key, "label": ELEMENT_LABELS.get(key, key)})
        position = end
    if position < len(text):
        out.append({"text": text[position:], "key": ""})
    return out
