"""Regular expressions compiled on first use instead of at import.

Python's `re` compiles a character class holding a wide range such as the CJK block
(`[\u4e00-\u9fff]`) one code point at a time, ≈ 1 ms per class: the 文号 parser, the date finder,
the sensitive-data detectors and the segmenter spent ≈ 0.1 s of every process start-up on
patterns most commands never use (issue 20, docs/performance.md "Command-line start-up").
`lazy_compile` keeps the pattern text and compiles it the first time a method is called; the
result is the very `re.Pattern` object, so matches are identical.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any


class LazyPattern:
    """Stands for `re.compile(pattern, flags)`; compiles on the first attribute other than `pattern`."""

    __slots__ = ("_compiled", "_flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:  # two threads may both compile: the same pattern, harmless
            self._compiled = re.compile(self.pattern, self._flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:  # match, search, finditer, sub, groupindex...
        return getattr(self.compiled, name)

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern!r})"


if TYPE_CHECKING:

    def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]: ...

else:
    lazy_compile = LazyPattern
