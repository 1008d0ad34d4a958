"""The query language a citizen does not need to learn, parsed into a tree both backends compile.

- words are ANDed: `托育 补贴`; a run of words without spaces is segmented (`托育补贴` = 托育 AND 补贴);
- `"quoted phrase"` must occur exactly (checked against the stored text);
- `OR` (or `|`) between words: either one;
- `-word` excludes documents containing it;
- staff-edited synonyms widen a word: 养老 finds 为老 too;
- a query that is a 文号 in any messy form is recognised (`selectors.search` opens that document).

Nothing a user types reaches the database as syntax: the backends only ever see quoted tokens made
of letters and digits, so FTS5 operators (`NEAR`, `*`, `:`), quotes and SQL fragments are plain text.

Matching is exact for substrings: a two-character CJK word is an indexed token wherever it occurs
(every two-character piece is indexed), and a longer word matches its token *or* all of its
two-character pieces, so no document that contains a dictionary word is missed because the
segmenter cut its neighbourhood differently.

Titles: the query's letters and digits, joined (`title_key`), are compared with each document's title
in the same form; a document whose title is the query ranks first, one whose title contains it next
(see `backends.base`). People type titles with or without spaces, 《》 and the 中华人民共和国 prefix,
so a leading 中华人民共和国 before other words is not required to match (`_optional_prefix`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai.text.docno import DocNumber, DocNumberError, parse_doc_number

from . import segmenter

MAX_QUERY_CHARS = 200
MAX_CLAUSES = 12
TITLE_KEY_CHARS = 200  # longer titles are compared on their first 200 letters and digits
NATIONAL_PREFIX = "中华人民共和国"  # 中华人民共和国电信条例 is known as 电信条例
_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "『": '"', "』": '"', "＂": '"'})
_LEX = re.compile(r'"[^"]*"|\S+')

# Node: ("tok", t) | ("prefix", t) | ("and", [nodes]) | ("or", [nodes])
Node = tuple
Clause = list[tuple[bool, bool, str]]  # (negated, is_phrase, text) items joined by OR


@dataclass
class ParsedQuery:
    raw: str
    groups: list[Node] = field(default_factory=list)  # ANDed; each an ("or", ...) or a single node
    negative: list[Node] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)  # exact substrings (of SearchEntry.plain) required
    highlight: list[str] = field(default_factory=list)  # strings to mark in titles and snippets
    doc_number: DocNumber | None = None
    title_key: str = ""  # the query compared with titles (`title_key`); empty when it has OR
    title_contains: str = ""  # the query's letters and digits as typed, looked for inside titles
    notices: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.groups


def plain_text(text: str) -> str:
    """The form phrases are compared in: normalised, without whitespace."""
    return "".join(segmenter.normalize(text).split())


def stored_title_key(text: str) -> str:
    """A title as stored for comparison (`SearchEntry.title_key`): its letters and digits, in full.

    The 中华人民共和国 prefix is kept so that a query cut from anywhere in the title, such as
    和国民办教育促进法实施条, is still found inside it (`title_contains`).
    """
    return "".join(segmenter.letters_and_digits(segmenter.normalize(text)))[:TITLE_KEY_CHARS]


def title_key(text: str) -> str:
    """A query as compared with titles: letters and digits only, without the 中华人民共和国 prefix.

    《中华人民共和国电信条例》, 中华人民共和国 电信条例 and 电信条例 all give 电信条例.
    """
    return stored_title_key(text).removeprefix(NATIONAL_PREFIX)[:TITLE_KEY_CHARS]


def title_forms(key: str) -> list[str]:
    """The stored keys a title typed as `key` may have: with and without the 中华人民共和国 prefix."""
    return [key, (NATIONAL_PREFIX + key)[:TITLE_KEY_CHARS]] if key else []


def word_node(word: str) -> Node:
    if segmenter.is_cjk(word):
        if len(word) == 1:
            return ("prefix", word)
        if len(word) == 2:
            return ("tok", word)
        return ("or", [("tok", word), ("and", [("tok", piece) for piece in segmenter.bigrams(word)])])
    return ("tok", word[: segmenter.MAX_TOKEN_CHARS])


def _words(chunk: str) -> list[str]:
    words = segmenter.query_words(chunk)
    if len(words) > 1:
        # single characters between words are function words (的, 和, 与); alone they are the query
        words = [w for w in words if not (len(w) == 1 and segmenter.is_cjk(w))] or words
    return words


def _and(nodes: list[Node]) -> Node | None:
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else ("and", nodes)


def _or(nodes: list[Node]) -> Node | None:
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else ("or", nodes)


def _with_synonyms(word: str, synonyms: dict[str, list[str]], highlight: list[str]) -> Node:
    variants = [word, *[s for s in synonyms.get(word, []) if s != word]]
    nodes = []
    for variant in variants:
        if variant != word:
            highlight.append(variant)
            node = _and([word_node(w) for w in _words(variant)])
        else:
            node = word_node(word)
        if node is not None:
            nodes.append(node)
    return _or(nodes)


def parse(raw: str | None, synonyms: dict[str, list[str]] | None = None) -> ParsedQuery:
    """Parse user input; never raises. Problems become Chinese notices on the result."""
    synonyms = synonyms or {}
    text = " ".join(str(raw or "").split())
    query = ParsedQuery(raw=text)
    text = _prepare(text, query)
    clauses = _clauses(text, query)
    positive = [clause for clause in clauses if not clause[0][0]]
    if all(len(clause) == 1 for clause in positive):  # no OR: the words typed may be a title
        typed = "".join(clause[0][2] for clause in positive)
        query.title_key = title_key(typed)
        query.title_contains = stored_title_key(typed) if query.title_key else ""
    for clause in _optional_prefix(clauses):
        _add_clause(query, clause, synonyms)
    if query.negative and not query.groups:
        query.notices.append("只有排除词（以“-”开头），请再输入要查找的词语。")
    seen: set[str] = set()
    query.highlight = [
        w for w in sorted(query.highlight, key=len, reverse=True) if not (w in seen or seen.add(w))
    ]
    return query


_PREFIX_TYPED = re.compile(rf"^([《〈<（(]*){NATIONAL_PREFIX}")


def _optional_prefix(clauses: list[Clause]) -> list[Clause]:
    """A leading 中华人民共和国 before more words is how titles are typed, not a word to require.

    化妆品监督管理条例 never says 中华人民共和国, yet people type 中华人民共和国化妆品监督管理条例;
    the title comparison (`title_key`) still sees what was typed. Alone, or quoted, it stays a word.
    """
    if not clauses or len(clauses[0]) != 1:
        return clauses
    negated, is_phrase, body = clauses[0][0]
    match = _PREFIX_TYPED.match(body)
    if negated or is_phrase or match is None:
        return clauses
    rest = body[match.end() :]
    if segmenter.letters_and_digits(segmenter.normalize(rest)):
        return [[(False, False, match.group(1) + rest)], *clauses[1:]]
    if any(not clause[0][0] for clause in clauses[1:]):  # 中华人民共和国 电信条例
        return clauses[1:]
    return clauses


def _prepare(text: str, query: ParsedQuery) -> str:
    """Cap the length, recognise a 文号, unify the quotes and drop an unpaired one."""
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        query.notices.append(f"检索词过长，只按前{MAX_QUERY_CHARS}个字检索。")
    try:
        query.doc_number = parse_doc_number(text)
    except DocNumberError:
        query.doc_number = None
    text = text.translate(_QUOTES)
    if text.count('"') % 2:
        index = text.rfind('"')
        text = text[:index] + " " + text[index + 1 :]
        query.notices.append("引号不成对，已按普通词语检索。")
    return text


def _clauses(text: str, query: ParsedQuery) -> list[Clause]:
    """Lex into clauses, with OR joining neighbours into one group (at most MAX_CLAUSES)."""
    clauses: list[Clause] = []
    join_next = False
    for lexeme in _LEX.findall(text):
        if lexeme in {"OR", "|", "或者"}:
            join_next = bool(clauses)
            continue
        negated = lexeme.startswith("-") and len(lexeme) > 1
        body = lexeme[1:] if negated else lexeme
        is_phrase = body.startswith('"') and body.endswith('"') and len(body) >= 2
        if is_phrase:
            body = body[1:-1]
        item = (negated, is_phrase, body)
        if join_next and clauses and not negated and not clauses[-1][0][0]:
            clauses[-1].append(item)
        else:
            clauses.append([item])
        join_next = False
    if len(clauses) > MAX_CLAUSES:
        clauses = clauses[:MAX_CLAUSES]
        query.notices.append(f"检索词过多，只使用前{MAX_CLAUSES}个。")
    return clauses


def _add_clause(query: ParsedQuery, clause: Clause, synonyms: dict[str, list[str]]) -> None:
    nodes: list[Node] = []
    exact: list[str] = []
    for negated, is_phrase, body in clause:
        words = _words(body)
        if not words:
            continue
        if negated:
            node = _and([word_node(w) for w in words])
        else:
            node = _and([_with_synonyms(w, synonyms, query.highlight) for w in words])
            query.highlight.extend(words)
        if node is None:
            continue
        if is_phrase:
            phrase = plain_text(body)
            exact.append(phrase)
            if not negated:
                query.highlight.append(phrase)
        if negated:
            query.negative.append(node)
        else:
            nodes.append(node)
    if nodes:
        group = _or(nodes)
        query.groups.append(group)
        if len(clause) == 1 and exact:
            query.phrases.extend(exact)
