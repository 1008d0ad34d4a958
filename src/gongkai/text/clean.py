"""Control characters out of user input and generated documents.

XML 1.0 (so DOCX, RSS and Atom) cannot carry C0 control characters other than tab and line breaks;
one pasted into a form used to crash the DOCX reply letter later. Vertical tab and form feed (Word's
manual line and page breaks when text is pasted) become line breaks; every other C0 and C1 control
character, lone surrogate and non-character is dropped.
"""

from __future__ import annotations

import re

_BREAKS = re.compile("[\x0b\x0c\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def strip_controls(value: str) -> str:
    """`value` without control characters (tab, CR and LF are kept)."""
    if not value:
        return value
    return _CONTROLS.sub("", _BREAKS.sub("\n", value))
