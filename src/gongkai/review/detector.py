"""Personal-data and secrecy detector for the disclosure review (公开审查, 条例 Arts. 14–17).

`detect(text)` returns findings with character spans into the *original* text and a confidence.
Findings with `confidence >= REPORT_THRESHOLD` are reported; numbers that only look like personal
data (a 文号, a date, a budget figure, an 18-digit number whose GB 11643 checksum fails) are not.

The detectors live in sibling modules: `detect_numbers` (number-like data with checksums),
`detect_words` (addresses, secrecy markers), `detect_names` (names on evidence) and `masking` (the public form of a finding);
`detect_base` holds `Finding` and the shared context rules. This module merges their findings.
"""

from __future__ import annotations

from .constants import FindingKind
from .detect_base import PERSONAL_KINDS, REPORT_THRESHOLD, Finding
from .detect_names import COMPOUND_SURNAMES, SURNAMES, find_names
from .detect_numbers import find_numbers, luhn_ok
from .detect_words import find_addresses, find_secrecy
from .masking import MASKABLE_KINDS, mask_text, mask_value, mask_values

__all__ = [
    "COMPOUND_SURNAMES",
    "MASKABLE_KINDS",
    "PERSONAL_KINDS",
    "REPORT_THRESHOLD",
    "SURNAMES",
    "Finding",
    "detect",
    "luhn_ok",
    "mask_text",
    "mask_value",
    "mask_values",
]

# Full-width ASCII (０-９, Ａ-Ｚ, ＠ ...) mapped to ASCII; one character for one, so spans stay valid.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20

_PRIORITY = {
    FindingKind.SECRECY: 0, FindingKind.ID_CARD: 1, FindingKind.USCC: 2, FindingKind.BANK_CARD: 3, FindingKind.EMAIL: 4,
    FindingKind.MOBILE: 5, FindingKind.LANDLINE: 6, FindingKind.PASSPORT: 7, FindingKind.PLATE: 8, FindingKind.ADDRESS: 9,
    FindingKind.NAME: 10,
}  # fmt: skip


def detect(
    text: str, *, min_confidence: float = REPORT_THRESHOLD, kinds: set[str] | None = None
) -> list[Finding]:
    """All findings in `text`, ordered by position; overlapping findings keep the stronger kind."""
    if not text:
        return []
    norm = text.translate(_FULLWIDTH)
    candidates = (
        find_secrecy(text, norm)
        + find_numbers(text, norm)
        + find_addresses(text, norm)
        + find_names(text, norm)
    )
    candidates = [
        f for f in candidates if f.confidence >= min_confidence and (kinds is None or f.kind in kinds)
    ]
    candidates.sort(key=lambda f: (_PRIORITY[f.kind], -f.confidence, f.start))
    kept: list[Finding] = []
    for finding in candidates:
        overlapping = [k for k in kept if k.start < finding.end and finding.start < k.end]
        if not overlapping:
            kept.append(finding)
        elif finding.kind == FindingKind.ADDRESS:
            # an address may contain a number-like span only when that span is not an identifier
            continue
    kept.sort(key=lambda f: (f.start, f.end))
    return kept
