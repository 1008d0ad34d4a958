"""Articles (第X条) of a legal or policy text: the units a comment, a comparison or a citation points at.

An article starts at a line that begins with 第X条 (X in Chinese or Arabic numerals, 之一 suffixes kept);
chapter and section headings (第X章, 第X节) between articles are dropped from the article bodies. Text
before the first article (the title, a preamble) belongs to no article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .docno import chinese_number

_NUM = "一二三四五六七八九十百千零〇两0-9０-９"
_ARTICLE = re.compile(
    rf"^[ \t\u3000]*(?P<label>第(?P<number>[{_NUM}]+)条(?:之(?P<sub>[一二三四五六七八九十]+))?)[ \t\u3000]*",
    re.M,
)
_DIVISION = re.compile(rf"^[ \t\u3000]*第[{_NUM}]+[编章节](?:[ \t\u3000].*)?$", re.M)
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(frozen=True)
class Article:
    """One article: its number (1 for 第一条; None when the numeral cannot be read), label and body."""

    number: int | None
    label: str
    text: str
    start: int
    end: int

    def as_dict(self) -> dict:
        return {"number": self.number, "label": self.label, "text": self.text}


def article_number(numeral: str) -> int | None:
    """一 → 1, 二十三 → 23, 12 → 12, 两 read as 二; None for anything else."""
    return chinese_number(numeral.translate(_FULLWIDTH_DIGITS).replace("两", "二"))


def article_label(number: int) -> str:
    """3 → 第三条 (the form Chinese legal texts use, up to 第九百九十九条)."""
    digits = "零一二三四五六七八九"
    if number <= 0 or number >= 1000:
        return f"第{number}条"
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    parts = []
    if hundreds:
        parts.append(digits[hundreds] + "百")
    if tens:
        parts.append(("" if tens == 1 and not hundreds else digits[tens]) + "十")
    elif hundreds and units:
        parts.append("零")
    if units:
        parts.append(digits[units])
    return f"第{''.join(parts)}条"


def split_articles(text: str) -> list[Article]:
    """The 第X条 of `text` in order, each with its span; chapter and section headings left out."""
    matches = list(_ARTICLE.finditer(text or ""))
    articles = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        body = _DIVISION.sub("", text[match.end() : end]).strip()
        number = article_number(match["number"])
        if match["sub"]:
            number = None  # 第十条之一 is addressed by its label only
        articles.append(Article(number, match["label"], body, match.start(), end))
    return articles
