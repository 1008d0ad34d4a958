"""新旧政策差异: an article-level comparison of a document with the one it amends or replaces.

Work plan item 十七 asks every 解读 to state 新旧政策差异. Articles (第X条) are split on their
headings, aligned in order — identical articles first (renumbered ones included), then within each
changed stretch by article number and by similarity — and reported as added, removed, changed (with
a character diff) or unchanged. A text without 第X条 is compared paragraph by paragraph.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from gongkai.text.docno import chinese_number

_NUM = "一二三四五六七八九十百千零〇两0-9０-９"
ARTICLE = re.compile(
    rf"^[ \t\u3000]*(?P<label>第(?P<number>[{_NUM}]+)条(?:之(?P<sub>[一二三四五六七八九十]+))?)[ \t\u3000]*",
    re.M,
)
DIVISION = re.compile(
    rf"^[ \t\u3000]*第[{_NUM}]+[编章节][ \t\u3000].*$|^[ \t\u3000]*第[{_NUM}]+[编章节][ \t\u3000]*$", re.M
)
MIN_ARTICLES = 2
SAME_NUMBER_SIMILARITY = 0.35  # an article kept its number: paired when at least this alike
MOVED_SIMILARITY = 0.5  # otherwise paired across numbers when at least this alike
# A heavily rewritten article (a sentence kept, two added) falls below MOVED_SIMILARITY; it is still
# paired when the two are each other's best match by a clear margin (seen on the real 2020 and 2024
# texts of 上海市优化营商环境条例, where such articles would otherwise read as deleted and added).
MUTUAL_SIMILARITY = 0.4
MUTUAL_MARGIN = 0.1
MAX_EDITS_IN_SUMMARY = 3
SHORT_EQUAL = 2
MAX_LISTED = 10


@dataclass
class Unit:
    """An article (or a paragraph) with its span in the source text."""

    label: str
    number: float | None
    text: str  # the body without the 第X条 heading
    start: int
    end: int

    @property
    def key(self) -> str:
        return normalise(self.text)


@dataclass
class Row:
    status: str  # unchanged | changed | added | removed
    old: Unit | None = None
    new: Unit | None = None
    similarity: float = 1.0
    diff: list[tuple[str, str]] = field(default_factory=list)  # (equal|delete|insert, text)

    @property
    def renumbered(self) -> bool:
        return bool(self.old and self.new and self.old.label != self.new.label)

    def as_dict(self) -> dict:
        def unit(u: Unit | None) -> dict | None:
            return None if u is None else {"label": u.label, "text": u.text, "start": u.start, "end": u.end}

        return {"status": self.status, "old": unit(self.old), "new": unit(self.new),
                "similarity": round(self.similarity, 3), "renumbered": self.renumbered,
                "diff": [list(part) for part in self.diff]}  # fmt: skip


@dataclass
class Comparison:
    mode: str  # articles | paragraphs
    rows: list[Row]

    def of(self, status: str) -> list[Row]:
        return [row for row in self.rows if row.status == status]

    @property
    def counts(self) -> dict[str, int]:
        return {status: len(self.of(status)) for status in ("unchanged", "changed", "added", "removed")}

    @property
    def renumbered(self) -> list[Row]:
        return [row for row in self.rows if row.renumbered]

    def as_dict(self) -> dict:
        return {"mode": self.mode, "counts": self.counts, "rows": [row.as_dict() for row in self.rows]}


def normalise(text: str) -> str:
    """For matching only: full-width forms folded (NFKC) and every space removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _article_number(number: str, sub: str | None) -> float | None:
    value = chinese_number(
        number.translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace("两", "二")
    )
    if value is None:
        return None
    return value + (chinese_number(sub) or 0) / 100 if sub else float(value)


def split_articles(text: str) -> list[Unit]:
    """The 第X条 of a text, each with its span; chapter and section headings are left out."""
    matches = list(ARTICLE.finditer(text))
    units = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        body = DIVISION.sub("", text[match.end() : end]).strip()
        units.append(
            Unit(match["label"], _article_number(match["number"], match["sub"]), body, match.start(), end)
        )
    return units


def split_paragraphs(text: str) -> list[Unit]:
    units, position = [], 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            start = position + line.index(stripped)
            units.append(
                Unit(_("第%(n)d段") % {"n": len(units) + 1}, None, stripped, start, start + len(stripped))
            )
        position += len(line)
    return units


def split_units(text: str) -> tuple[str, list[Unit]]:
    articles = split_articles(text)
    if len(articles) >= MIN_ARTICLES:
        return "articles", articles
    return "paragraphs", split_paragraphs(text)


def similarity(a: str, b: str) -> float:
    a, b = normalise(a), normalise(b)
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def char_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Character-level diff of two article bodies: (equal|delete|insert, text) runs.

    A run of at most SHORT_EQUAL unchanged characters between two edits is folded into them, so
    “简”→“统” inside 以下简称→以下统称 reads as one edit of the phrase rather than scattered characters.
    """
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    hunks = [[op == "equal", old[i1:i2], new[j1:j2]] for op, i1, i2, j1, j2 in matcher.get_opcodes()]
    for index in range(1, len(hunks) - 1):
        if (
            hunks[index][0]
            and len(hunks[index][1]) <= SHORT_EQUAL
            and not hunks[index - 1][0]
            and not hunks[index + 1][0]
        ):
            hunks[index][0] = False
    merged: list[list] = []
    for hunk in hunks:
        if merged and not hunk[0] and not merged[-1][0]:
            merged[-1][1] += hunk[1]
            merged[-1][2] += hunk[2]
        else:
            merged.append(hunk)
    parts: list[tuple[str, str]] = []
    for equal, a, b in merged:
        if equal:
            parts.append(("equal", a))
            continue
        if a:
            parts.append(("delete", a))
        if b:
            parts.append(("insert", b))
    return parts


def _pair_clear_best(
    candidates: list[tuple[float, int, int]], pairs: dict[int, tuple[int, float]], taken: set[int]
) -> None:
    """Pair what is left when two units are each other's best match, clearly ahead of the next."""
    left = [(score, i, j) for score, i, j in candidates if i not in pairs and j not in taken]
    for score, i, j in left:
        if score < MUTUAL_SIMILARITY:
            break
        if i in pairs or j in taken:
            continue
        rivals = [s for s, i2, j2 in left if (i2 == i) != (j2 == j) and i2 not in pairs and j2 not in taken]
        if not rivals or score - max(rivals) >= MUTUAL_MARGIN:
            pairs[i] = (j, score)
            taken.add(j)


def _pair_gap(old: list[Unit], new: list[Unit], by_number: bool) -> list[Row]:
    """Pair the units of one changed stretch: same number first, then the most alike."""
    pairs: dict[int, tuple[int, float]] = {}
    taken: set[int] = set()
    if by_number:
        for i, unit in enumerate(old):
            same = [j for j, other in enumerate(new) if j not in taken and unit.number is not None
                    and other.number == unit.number]  # fmt: skip
            if same and (score := similarity(unit.text, new[same[0]].text)) >= SAME_NUMBER_SIMILARITY:
                pairs[i] = (same[0], score)
                taken.add(same[0])
    candidates = sorted(
        ((similarity(unit.text, other.text), i, j) for i, unit in enumerate(old) if i not in pairs
         for j, other in enumerate(new) if j not in taken),
        reverse=True,
    )  # fmt: skip
    for score, i, j in candidates:
        if score < MOVED_SIMILARITY:
            break
        if i not in pairs and j not in taken:
            pairs[i] = (j, score)
            taken.add(j)
    _pair_clear_best(candidates, pairs, taken)
    rows = [Row("removed", old=unit, similarity=0.0) for i, unit in enumerate(old) if i not in pairs]
    for i, (j, score) in pairs.items():
        a, b = old[i], new[j]
        status = "unchanged" if a.key == b.key else "changed"
        rows.append(
            Row(
                status,
                old=a,
                new=b,
                similarity=score,
                diff=char_diff(a.text, b.text) if status == "changed" else [],
            )
        )
    rows += [Row("added", new=unit, similarity=0.0) for j, unit in enumerate(new) if j not in taken]
    return sorted(rows, key=lambda row: (row.new.start if row.new else row.old.start + 0.5, row.old is None))


def compare_texts(old_text: str, new_text: str) -> Comparison:
    """Compare the old text with the new one, article by article when both have 第X条."""
    old_mode, old_units = split_units(old_text)
    new_mode, new_units = split_units(new_text)
    if old_mode != new_mode:  # one has articles, the other not: compare paragraphs throughout
        old_mode, old_units, new_units = "paragraphs", split_paragraphs(old_text), split_paragraphs(new_text)
    by_number = old_mode == "articles"
    matcher = difflib.SequenceMatcher(
        None, [u.key for u in old_units], [u.key for u in new_units], autojunk=False
    )
    rows: list[Row] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [
                Row("unchanged", old=a, new=b)
                for a, b in zip(old_units[i1:i2], new_units[j1:j2], strict=True)
            ]
        else:
            rows += _pair_gap(old_units[i1:i2], new_units[j1:j2], by_number)
    return Comparison(old_mode, rows)


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


def _edits(row: Row) -> str:
    """第一条：“A”改为“B”; at most a few edits, or 全文修改 when the article was rewritten."""
    if row.similarity < MOVED_SIMILARITY:
        return _("内容作了较大修改")
    edits, parts = [], row.diff
    index = 0
    while index < len(parts):
        op, text = parts[index]
        if op == "delete" and index + 1 < len(parts) and parts[index + 1][0] == "insert":
            edits.append(_("%(old)s改为%(new)s") % {"old": _quote(text), "new": _quote(parts[index + 1][1])})
            index += 2
            continue
        if op == "delete" and text.strip():
            edits.append(_("删去%(old)s") % {"old": _quote(text)})
        elif op == "insert" and text.strip():
            edits.append(_("增加%(new)s") % {"new": _quote(text)})
        index += 1
    shown = "；".join(edits[:MAX_EDITS_IN_SUMMARY])
    if len(edits) > MAX_EDITS_IN_SUMMARY:
        shown += _("等%(count)d处修改") % {"count": len(edits)}
    return shown


def _listed(described: list[str], labels: list[str]) -> str:
    """Up to MAX_LISTED units with their opening words; beyond that, labels only."""
    if len(described) <= MAX_LISTED:
        return "、".join(described)
    return "、".join(labels[:MAX_LISTED]) + _("等%(count)d条") % {"count": len(labels)}


def summary_text(comparison: Comparison, old_title: str, new_title: str) -> str:
    """A draft of the 新旧政策差异 section (staff edit it before it goes into an interpretation)."""
    lines = [_("与《%(old)s》相比，《%(new)s》：") % {"old": old_title, "new": new_title}]
    added, removed, changed = comparison.of("added"), comparison.of("removed"), comparison.of("changed")
    if added:
        labels = _listed(
            [f"{r.new.label}（{_quote(r.new.text, 40)}）" for r in added], [r.new.label for r in added]
        )
        lines.append(_("新增%(labels)s。") % {"labels": labels})
    if removed:
        labels = _listed(
            [f"{r.old.label}（{_quote(r.old.text, 40)}）" for r in removed], [r.old.label for r in removed]
        )
        lines.append(_("删除原%(labels)s。") % {"labels": labels})
    for row in changed:
        label = (
            row.new.label
            if not row.renumbered
            else _("原%(old)s（现%(new)s）") % {"old": row.old.label, "new": row.new.label}
        )
        lines.append(f"{label}：{_edits(row)}。")
    moved = [r for r in comparison.renumbered if r.status == "unchanged"]
    if moved:
        moves = "、".join(_("原%(old)s改为%(new)s") % {"old": r.old.label, "new": r.new.label} for r in moved)
        lines.append(_("条文序号调整：%(moves)s，内容未变。") % {"moves": moves})
    if len(lines) == 1:
        lines.append(_("条文内容没有变化。"))
    return "\n".join(lines)
