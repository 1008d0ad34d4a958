"""Highlighted titles and snippets: user text and document text are escaped; only <mark> is added."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_CHARS = 140


def _pattern(terms: list[str]) -> re.Pattern | None:
    terms = [t for t in sorted(set(terms), key=len, reverse=True) if t]
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def mark(text: str, terms: list[str]) -> SafeString:
    pattern = _pattern(terms)
    if pattern is None:
        return mark_safe(escape(text))
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def snippet(texts: list[str], terms: list[str], length: int = SNIPPET_CHARS) -> tuple[str, SafeString]:
    """The passage around the first match in the first text that has one (plain text, marked HTML)."""
    pattern = _pattern(terms)
    flat = [" ".join(t.split()) for t in texts if t and t.strip()]
    if not flat:
        return "", mark_safe("")
    for text in flat:
        found = pattern.search(text) if pattern else None
        if found:
            start = max(0, found.start() - length // 3)
            end = min(len(text), start + length)
            passage = text[start:end]
            prefix = "…" if start > 0 else ""
            suffix = "…" if end < len(text) else ""
            return prefix + passage + suffix, mark_safe(
                escape(prefix) + mark(passage, terms) + escape(suffix)
            )
    passage = flat[0][:length]
    suffix = "…" if len(flat[0]) > length else ""
    return passage + suffix, mark_safe(escape(passage + suffix))
