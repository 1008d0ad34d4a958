"""A 公文's text laid out as GB/T 9704-2012 sets it: 版头, 主体 (headings by level, articles), 落款, 版记.

Source files (PDF, scraped HTML, typed text) come with line breaks where the page or the scraper
broke the line, the 版头 (发文机关标志, 发文字号, 标题) repeated above the body, and the 版记
(抄送, 印发机关和印发日期) below it. `layout` takes the paragraphs as stored and returns:

- `head`: the 发文机关标志 lines (GB/T 9704 §7.2.3), shown in their own block, not in the body;
- `blocks`: the body, with paragraphs broken mid-sentence rejoined, headings by level
  (一、 → 1, （一） → 2, 1. → 3; 第X章 → 1, 第X节 → 2, §7.3.3), every 第X条 with an anchor `art-N`;
- `signature`: 落款 and 成文日期 (§7.3.5), right-aligned by the page;
- `record`: the 版记 lines (抄送, 印发, §7.4);
- `toc`: the level-1 headings of a long document.

Pure text in, plain data out (no HTML): the portal escapes and renders it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .docno import chinese_number
from .lazyre import lazy_compile

_CN = "〇○零一二三四五六七八九十百千两"
_TERMINAL = "。！？!?；;：:…"
_CLOSERS = "”’」』）)》〉】"
_CHAPTER = lazy_compile(rf"^第([{_CN}\d]+)章\s*")
_SECTION = lazy_compile(rf"^第([{_CN}\d]+)节\s*")
_ARTICLE = lazy_compile(rf"^第([{_CN}\d]+)条(?:\s+|(?=[\u4e00-\u9fff（(“]))")
_LEVEL1 = lazy_compile(rf"^[{_CN}]+、")
_LEVEL2 = lazy_compile(rf"^[（(][{_CN}]+[）)]")
_LEVEL3 = lazy_compile(r"^\d{1,2}[.．、](?!\d)")
_DATE = lazy_compile(rf"^[\d{_CN}\s]{{4,}}年[\d{_CN}\s]{{1,3}}月[\d{_CN}\s]{{1,4}}日$")
_RECORD_START = lazy_compile(r"^(抄送|抄报|分送)[:：]")
_PRINTED = lazy_compile(
    rf"^(?P<organ>.*?)\s*(?P<date>[\d{_CN}\s]{{4,}}年[\d{_CN}\s]{{1,3}}月[\d{_CN}\s]{{1,4}}日)\s*印发$"
)
_MARK = lazy_compile(r"[\s\u3000《》〈〉<>“”\"'「」『』（）()【】\[\]·、,，]")
_PLAIN_SHORT = lazy_compile(r"^[^。，,：:；;！？]{1,30}$")
LONG_DOCUMENT = 3000  # characters: a document this long with three headings or more gets a 目录
HEADING_MAX = 40  # a numbered line this short with no sentence inside is a heading on its own


@dataclass
class Block:
    kind: str  # "p", "heading", "article", "attachment-note"
    text: str
    level: int = 0
    anchor: str = ""
    lead: str = ""  # a run-in heading or the 第X条 label; `text` is what follows it


@dataclass
class Layout:
    head: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    record: list[tuple[str, str]] = field(default_factory=list)  # (left, right) lines of the 版记
    toc: list[Block] = field(default_factory=list)


def _plain(text: str) -> str:
    return _MARK.sub("", unicodedata.normalize("NFKC", text))


def _is_structural(line: str) -> bool:
    return bool(
        _CHAPTER.match(line) or _SECTION.match(line) or _ARTICLE.match(line) or _LEVEL1.match(line)
        or _LEVEL2.match(line) or _LEVEL3.match(line) or _DATE.match(line) or _RECORD_START.match(line)
        or line.startswith(("附件", "（此件", "(此件"))
    )  # fmt: skip


def _ends_sentence(line: str) -> bool:
    return line.rstrip(_CLOSERS)[-1:] in _TERMINAL or line[-1:] in _TERMINAL


def _is_heading_line(line: str) -> bool:
    stripped = line.rstrip(_CLOSERS)
    return len(line) <= HEADING_MAX and "。" not in stripped[:-1] and "，" not in line


def _continues(previous: str) -> bool:
    if previous[-1] in "，、,":
        return True
    if _ends_sentence(previous) or (_is_structural(previous) and _is_heading_line(previous)):
        return False
    return bool(re.search(r"[。，；：,;]", previous))


def rejoin(lines: list[str]) -> list[str]:
    """Join a line the source broke mid-sentence to the next one.

    A line continues when it ends with a comma or 顿号, or when it is running prose (it has a
    sentence mark inside) without a sentence end; never into a heading, an article, a date or the
    版记, and never after a heading or a short unpunctuated line (an organ name, a title).
    """
    out: list[str] = []
    for line in lines:
        if out and _continues(out[-1]) and not _is_structural(line):
            out[-1] += line
            continue
        out.append(line)
    return out


def _strip_head(lines: list[str], title: str, doc_number: str) -> tuple[list[str], list[str]]:
    """Take the 发文机关标志, 发文字号 and 标题 off the top; return (organ mark lines, the rest)."""
    from .docno import DocNumberError, parse_doc_number

    plain_title = _plain(title)
    head: list[str] = []
    index = 0
    seen_number = False
    while index < min(len(lines), 8):
        line = lines[index]
        plain = _plain(line)
        number = None
        try:
            number = parse_doc_number(line).normalized if len(plain) <= 40 else None
        except DocNumberError:
            number = None
        if doc_number and number == doc_number:
            seen_number = True
        elif head and not seen_number and _PLAIN_SHORT.match(line) and len(plain) <= 20:
            head.append(line)  # a joint document's other organ names under the first
        elif plain and len(plain) >= 4 and plain_title and plain in plain_title and "。" not in line:
            pass  # the title (or a line of it) again: shown as the page heading
        elif plain.endswith("文件") and len(plain) <= 40 and not seen_number:
            head.append(line.replace("文件", "").strip() + "文件" if plain == line else line)
        elif (
            not seen_number
            and _PLAIN_SHORT.match(line)
            and len(plain) <= 20
            and index + 1 < len(lines)
            and (_plain(lines[index + 1]).endswith("文件"))
        ):
            head.append(line)  # a joint document's first organ names above the one with 文件
        else:
            break
        index += 1
    return head, lines[index:]


def _strip_record(lines: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Take the 版记 (抄送 …, 印发机关 + 印发日期) off the bottom."""
    start = None
    for index in range(len(lines) - 1, max(-1, len(lines) - 8), -1):
        line = lines[index]
        if (
            _RECORD_START.match(line)
            or (line.endswith("印发") and _PRINTED.match(line))
            or (_DATE.match(line.removesuffix("印发")) and line.endswith("印发"))
        ):
            start = index
    if start is None:
        return lines, []
    # the 印发机关 may stand on its own line just above 印发日期
    tail = lines[start:]
    record: list[tuple[str, str]] = []
    pending = ""
    for line in rejoin(tail):
        printed = _PRINTED.match(line)
        if line.endswith("印发") and (printed or _DATE.match(line.removesuffix("印发"))):
            organ = (printed["organ"] if printed else "") or pending
            date = printed["date"] if printed else line.removesuffix("印发")
            record.append((organ, f"{date.replace(' ', '')}印发"))
            pending = ""
        elif _RECORD_START.match(line):
            record.append((line, ""))
        else:
            if pending:
                record.append((pending, ""))
            pending = line
    if pending:
        record.append((pending, ""))
    body = lines[:start]
    # an organ line directly above the 印发 line that belongs to it
    if body and record and not record[-1][0] and _PLAIN_SHORT.match(body[-1]) and not _DATE.match(body[-1]):
        record[-1] = (body.pop(), record[-1][1])
    # 抄送 first, then the 印发 row
    return body, record


def _strip_signature(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """落款 (organ names) and 成文日期 at the end of the body; notes such as （此件公开发布） after it."""
    date_index = None
    for index in range(len(lines) - 1, max(-1, len(lines) - 5), -1):
        if _DATE.match(lines[index]):
            date_index = index
            break
    if date_index is None:
        return lines, [], []
    notes = lines[date_index + 1 :]
    if any(not line.startswith(("（", "(", "附件")) for line in notes):
        return lines, [], []
    start = date_index
    while (
        start > 0
        and date_index - start < 4
        and _PLAIN_SHORT.match(lines[start - 1])
        and not (_is_structural(lines[start - 1]))
    ):
        start -= 1
    signature = [
        line.replace(" ", "") if _DATE.match(line) else line for line in lines[start : date_index + 1]
    ]
    return lines[:start], signature, notes


def _number(label: str) -> str:
    value = chinese_number(label)
    return str(value) if value is not None else label


def _block(line: str, counters: dict[str, int]) -> Block:
    for pattern, level, prefix in ((_CHAPTER, 1, "chapter"), (_SECTION, 2, "section")):
        match = pattern.match(line)
        if match:
            return Block("heading", line, level, f"{prefix}-{_number(match[1])}")
    match = _ARTICLE.match(line)
    if match:
        lead = line[: match.end()].strip()
        return Block("article", line[match.end() :].strip(), 0, f"art-{_number(match[1])}", lead)
    for pattern, level in ((_LEVEL1, 1), (_LEVEL2, 2), (_LEVEL3, 3)):
        if pattern.match(line):
            counters[str(level)] = counters.get(str(level), 0) + 1
            anchor = f"h{level}-{counters[str(level)]}"
            if _is_heading_line(line):
                return Block("heading", line, level, anchor)
            sentence = re.match(r"^[^。！？；，,]*[。！？；]", line)
            if (
                sentence and len(sentence.group()) <= HEADING_MAX and sentence.end() < len(line)
            ):  # a run-in heading: （一）加强…公开。
                return Block("p", line[sentence.end() :], level, anchor, sentence.group())
            return Block("p", line, 0)
    return Block("p", line)


def layout(paragraphs: list[str], *, title: str = "", doc_number: str = "") -> Layout:
    lines = [" ".join(p.split()) for p in paragraphs if p and p.strip()]
    head, lines = _strip_head(lines, title, doc_number)
    lines, record = _strip_record(lines)
    lines, signature, notes = _strip_signature(lines)
    counters: dict[str, int] = {}
    blocks = [_block(line, counters) for line in rejoin(lines)]
    blocks += [Block("p", line) for line in notes]
    result = Layout(head=head, blocks=blocks, signature=signature, record=record)
    headings = [block for block in blocks if block.level == 1 and block.anchor]
    if sum(len(line) for line in lines) >= LONG_DOCUMENT and len(headings) >= 3:
        result.toc = headings
    return result
