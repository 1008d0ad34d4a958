"""The public (masked) form of what the detector found: 310101********1234, 138****5678, 张*."""

from __future__ import annotations

import re

from .constants import FindingKind
from .detect_base import PERSONAL_KINDS, Finding
from .detect_names import surname_len


def mask_value(kind: str, value: str) -> str:
    """The public form of a value: 310101********1234, 138****5678, 张*, addresses cut after the street."""
    if kind == FindingKind.ID_CARD:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if kind == FindingKind.MOBILE:
        digits_at = [i for i, ch in enumerate(value) if ch.isdigit()]
        chars = list(value)
        for i in digits_at[-8:-4]:
            chars[i] = "*"
        return "".join(chars)
    if kind == FindingKind.LANDLINE:
        digits_at = [i for i, ch in enumerate(value) if ch.isdigit()]
        chars = list(value)
        for i in digits_at[-4:]:
            chars[i] = "*"
        return "".join(chars)
    if kind == FindingKind.BANK_CARD:
        digits = re.sub(r"\D", "", value)
        return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]
    if kind == FindingKind.EMAIL:
        local, _at, domain = value.partition("@")
        return local[:1] + "***@" + domain
    if kind == FindingKind.NAME:
        surname = surname_len(value) or 1
        return value[:surname] + "*" * (len(value) - surname)
    if kind == FindingKind.ADDRESS:
        digit = next((i for i, ch in enumerate(value) if ch.isdigit()), len(value) // 2)
        return value[:digit].rstrip() + "**"
    if kind in (FindingKind.PASSPORT, FindingKind.PLATE, FindingKind.USCC):
        return value[:2] + "*" * (len(value) - 4) + value[-2:]
    return "*" * len(value)


MASKABLE_KINDS = PERSONAL_KINDS | {FindingKind.USCC}


def mask_text(text: str, findings: list[Finding] | list[dict]) -> str:
    """Replace each finding's span with its masked form (spans refer to `text`)."""
    items = [
        f if isinstance(f, Finding) else Finding(**{k: f[k] for k in Finding.__dataclass_fields__ if k in f})
        for f in findings
    ]
    out: list[str] = []
    position = 0
    for finding in sorted(items, key=lambda f: f.start):
        if finding.start < position or finding.kind not in MASKABLE_KINDS:
            continue
        if text[finding.start : finding.end] != finding.text:
            continue
        out.append(text[position : finding.start])
        out.append(mask_value(finding.kind, finding.text))
        position = finding.end
    out.append(text[position:])
    return "".join(out)


def mask_values(text: str, values: list[tuple[str, str]]) -> str:
    """Mask every occurrence of the given (kind, value) pairs, longest first (for HTML and titles)."""
    for kind, value in sorted(set(values), key=lambda item: -len(item[1])):
        if value and kind in MASKABLE_KINDS:
            text = text.replace(value, mask_value(kind, value))
    return text
