"""年报核查: a row label read from a PDF compared with the national format's label.

A printed label reaches us in pieces: wrapped inside its cell, broken over a page (its first
characters at the foot of one page, the rest at the top of the next), and mixed with text that the
layout put beside it: the header words a page break repeats, the characters of the vertical merged
cell “三、本年度办理结果”, or the rest of a merged group cell such as “（三）不予公开” that the page
break carried below one of its sub-rows. The pieces are rejoined before the label is compared, so
that only a label printed differently is reported (a false finding accuses a government body of a
deviation it did not make).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .pdftext import norm

# Header words that a page break may repeat inside the table.
HEADER_NOISE = [
    "申请人情况",
    "法人或其他组织",
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
    "商业",
    "企业",
    "科研",
    "机构",
    "社会",
    "公益",
    "组织",
    "法律",
    "服务",
]
# The merged vertical cell, printed one character per line beside the outcome rows.
VERTICAL_NOISE = frozenset("三、本年度办理结果")


def _only_noise_deleted(found: str, expected: str, noise: frozenset[str]) -> bool:
    """Whether deleting characters of `noise` (and nothing else) from `found` gives `expected`."""
    reachable = {0}  # how much of `expected` the characters read so far can have produced
    for char in found:
        nxt = {j + 1 for j in reachable if j < len(expected) and expected[j] == char}
        if char in noise:
            nxt |= reachable
        reachable = nxt
        if not reachable:
            return False
    return len(expected) in reachable


def clean_label(found: str, expected: str) -> str:
    """The printed label without text the layout dropped into it; equal to `expected` when the row
    is named correctly."""
    f, e = norm(found), norm(expected)
    if f == e:
        return f
    for word in HEADER_NOISE:
        if word not in e:
            f = f.replace(word, "")
    if f == e or _only_noise_deleted(f, e, VERTICAL_NOISE):
        return e
    return "".join(c for c in f if c not in VERTICAL_NOISE or c in e)


def label_ok(found: str, expected: str) -> bool:
    return clean_label(found, expected) == norm(expected)


@dataclass
class Label:
    """A row or group label as read: from its marker to the next marker, figures taken out."""

    key: str
    expected: str
    text: str
    numbers: list[str] | None = None  # None: a group label, which has no figures
    # False for the vertical “三、本年度办理结果” cell: position-ordered text spreads its characters
    # over the outcome rows, so it is not compared; text after it is only there to give back.
    checked: bool = True

    @property
    def ok(self) -> bool:
        return label_ok(self.text, self.expected)


def _pieces(text: str) -> list[tuple[int, int]]:
    """Spans of `text` that may have come from another cell: runs of whole words (the PDF's
    separate text objects or lines)."""
    words = [m.span() for m in re.finditer(r"\S+", text)]
    return [(words[i][0], words[j][1]) for i in range(len(words)) for j in range(i, len(words))]


def rejoin(labels: list[Label]) -> None:
    """Complete each label that reads short with a piece of text found in another label, when the
    piece is exactly what it lacks and the other label reads right without it (or read wrong anyway).

    A group's merged cell broken by a page (“（三）不予公” … “开”) or a sub-row label whose rest
    landed after the group label drawn at the top of the next page is put back together this way;
    a piece may pass on in a later round (“…其政府信” takes “息公开申请” from “（六）其他处”, which then
    finds its “理”).
    """
    for _round in range(3):
        moved = False
        for i, short in enumerate(labels):
            if short.ok or not short.checked:
                continue
            for j in sorted((j for j in range(len(labels)) if j != i), key=lambda j: abs(j - i)):
                donor = labels[j]
                span = _donated_piece(short, donor)
                if span is not None:
                    a, b = span
                    short.text += " " + donor.text[a:b]
                    donor.text = donor.text[:a] + " " + donor.text[b:]
                    moved = True
                    break
        if not moved:
            break
    _give_back_extra_text(labels)


def _similarity(text: str, expected: str) -> float:
    return difflib.SequenceMatcher(None, norm(text), norm(expected)).ratio()


def _give_back_extra_text(labels: list[Label]) -> None:
    """A label that reads right once a piece is taken out gives that piece to the nearest earlier
    label that reads wrong and comes closer to its own label with it: a misprinted label broken by
    a page (“2.其他法律行” … “政止公开”) is then reported as printed, and the group label whose cell
    was drawn between its parts is not reported at all."""
    for j, donor in enumerate(labels):
        if donor.ok or not donor.checked:
            continue
        for a, b in _pieces(donor.text):
            rest = donor.text[:a] + " " + donor.text[b:]
            if label_ok(rest, donor.expected):
                piece = donor.text[a:b]
                for short in reversed(labels[:j]):
                    if _closer(short, piece):
                        short.text += " " + piece
                        donor.text = rest
                        break
                break


def _closer(short: Label, piece: str) -> bool:
    if not short.checked or short.ok:
        return False
    return _similarity(short.text + piece, short.expected) > _similarity(short.text, short.expected)


def _donated_piece(short: Label, donor: Label) -> tuple[int, int] | None:
    """The span of `donor`'s text that completes `short`, if giving it leaves `donor` right (or it
    was wrong anyway)."""
    donor_ok = donor.ok
    for a, b in _pieces(donor.text):
        if not label_ok(short.text + donor.text[a:b], short.expected):
            continue
        rest = donor.text[:a] + " " + donor.text[b:]
        if donor.checked and (not donor_ok or label_ok(rest, donor.expected)):
            return a, b
        # The vertical cell keeps one of each of its own characters: a truncated “（五）不予处”
        # does not take the cell's “理”.
        if not donor.checked and all(c in rest for c in norm(donor.text[a:b]) if c in donor.expected):
            return a, b
    return None
