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
    """Stands for `re.compile(pattern, flags)`; compiles on the first attribute other than `pattern`.

    Each attribute of the compiled pattern (`match`, `finditer`, ...) is then kept on the instance,
    so later calls cost what they cost on the pattern itself (the segmenter calls them per token).
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:  # only for what the instance does not hold yet
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = self.__dict__.get("_compiled")
        if compiled is None:  # two threads may both compile: the same pattern, harmless
            compiled = self._compiled = re.compile(self.pattern, self._flags)
        value = getattr(compiled, name)
        setattr(self, name, value)
        return value

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern!r})"


if TYPE_CHECKING:

    def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]: ...

else:
    lazy_compile = LazyPattern
