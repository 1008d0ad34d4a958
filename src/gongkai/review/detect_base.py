"""What the disclosure-review detector reports (a `Finding`) and the context rules its detectors share."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from .constants import FindingKind

REPORT_THRESHOLD = 0.5


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    start: int
    end: int
    confidence: float
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def personal(self) -> bool:
        return self.kind in PERSONAL_KINDS


PERSONAL_KINDS = frozenset(
    {
        FindingKind.ID_CARD, FindingKind.MOBILE, FindingKind.LANDLINE, FindingKind.BANK_CARD, FindingKind.EMAIL,
        FindingKind.PASSPORT, FindingKind.PLATE, FindingKind.ADDRESS, FindingKind.NAME,
    }
)  # fmt: skip

_ORG_CONTACT = (
    "办公地址", "办公电话", "咨询电话", "监督电话", "投诉电话", "举报电话", "受理电话", "服务电话", "传真",
    "热线", "办公时间", "受理地点", "受理地址", "通讯地址", "邮政编码", "邮编", "值班电话", "联系电话：0",
)  # fmt: skip
_ORG_WORDS = (
    "政府",
    "办公室",
    "委员会",
    "局",
    "厅",
    "中心",
    "办事处",
    "街道",
    "管委会",
    "法院",
    "检察院",
    "公司",
    "窗口",
    "大厅",
)


def has_word(words: tuple[str, ...], text: str) -> bool:
    return any(word in text for word in words)


def org_contact(text: str, start: int) -> bool:
    """A public office's contact (条例 Art. 20(二): 办公地址、联系方式 must be published), not personal data.

    Personal words (申请人, 手机…) on the value's line make it personal. An office and a contact word
    (局…电话) are read on the line; an office's contact label (办公地址, 咨询电话, 邮编) also in the
    clause before it (back to the last 。 or ；, spaces and line breaks removed): PDF text breaks
    lines inside 联系（地址：…，邮编：…，电话：…，电子邮箱：…）."""
    before = text[max(0, start - 40) : start]
    line_start = max(before.rfind(mark) for mark in ("\n", "。", "；", ";"))
    before_line = before[line_start + 1 :] if line_start >= 0 else before
    before_line = re.sub(r"\s+", "", before_line) or re.sub(r"\s+", "", before[-16:])
    if has_word(_PERSONAL_WORDS, before_line):
        return False
    wide = text[max(0, start - 100) : start]
    cut = max(wide.rfind(mark) for mark in ("。", "；", ";", "\n\n"))
    clause = re.sub(r"\s+", "", wide[cut + 1 :])[-40:]
    if has_word(_ORG_WORDS, before_line) and has_word(("电话", "地址", "地点", "邮箱"), before_line):
        return True
    return any(
        has_word(_ORG_CONTACT, context)
        for context in (before_line, clause)
        if not has_word(_PERSONAL_WORDS, context)
    )


_PERSONAL_WORDS = ("申请人", "当事人", "本人", "住址", "家住", "身份证", "先生", "女士", "户籍", "手机")
