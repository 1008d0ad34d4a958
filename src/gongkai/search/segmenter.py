"""Chinese segmentation shared by the index and the query side.

rjieba (the Rust port of jieba, same dictionary and tokens) with jieba as the pure-Python fallback,
always in search mode with the HMM off: the HMM glues unknown neighbours together (托育点) and then
loses documents. The dictionary is loaded once per process and extended with the government terms
shipped in `data/gov_terms.txt`, every organisation's name, short name and 机关代字, and every
synonym word staff entered.

Index tokens = the search-mode words + every two-character CJK piece of the text. The pieces make
recall exact: a document that contains a two-character word, or a longer dictionary word, as a
substring is found whatever way the segmenter cut the surrounding text (see `query.py`).
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from gongkai.text.lazyre import lazy_compile

logger = logging.getLogger(__name__)

TERMS_FILE = Path(__file__).resolve().parent / "data" / "gov_terms.txt"
MAX_TOKEN_CHARS = 60
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = lazy_compile(f"[{_CJK}]+")
CJK_CHAR = lazy_compile(f"[{_CJK}]")
_BIGRAM = lazy_compile(f"(?=([{_CJK}]{{2}}))")
_WORD_PIECE = lazy_compile(r"[^\W_]+")
_FULL_WIDTH = lazy_compile("[\uff01-\uff5e]")  # NFKC: U+FF01..U+FF5E are U+0021..U+007E

_lock = threading.Lock()
_engine = None
_loaded_db_words = False


class _Engine:
    """The segmenter library: rjieba when importable, jieba otherwise."""

    def __init__(self) -> None:
        try:
            import rjieba

            self.name = "rjieba"
            self._cut_for_search = lambda text: rjieba.cut_for_search(text, False)
            self._cut = lambda text: rjieba.cut(text, False)
            self._add = lambda word: rjieba.add_word(word, None, None)
            self._has = rjieba.has_word
        except ImportError:  # pragma: no cover - the fallback when the wheel is unavailable
            import jieba

            jieba.setLogLevel(logging.WARNING)
            self.name = "jieba"
            self._cut_for_search = lambda text: jieba.lcut_for_search(text, HMM=False)
            self._cut = lambda text: jieba.lcut(text, HMM=False)
            self._add = jieba.add_word
            self._has = lambda word: word in jieba.dt.FREQ and jieba.dt.FREQ[word] > 0
        self.words: set[str] = set()

    def add_words(self, words: Iterable[str]) -> None:
        for raw in words:
            for word in _WORD_PIECE.findall(normalize(raw)):
                if len(word) >= 2 and word not in self.words:
                    self.words.add(word)
                    if not self._has(word):
                        self._add(word)


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits to ASCII) and lower case: applied to index and query alike.

    Chinese text is rarely NFKC as written only because of its full-width punctuation (，；：（）)
    and digits; those are mapped to ASCII first (exactly their NFKC forms, so the result is the
    same), after which most texts pass the quick check and skip the full NFKC pass, which was a
    fifth of a document's segmenting CPU (issue 20).
    """
    text = text or ""
    if not unicodedata.is_normalized("NFKC", text):
        text = _FULL_WIDTH.sub(_half_width, text).replace("\u3000", " ")
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    return text.lower()


def _half_width(match: re.Match[str]) -> str:
    return chr(ord(match.group()) - 0xFEE0)


def _engine_instance() -> _Engine:
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                engine = _Engine()
                engine.add_words(shipped_terms())
                _engine = engine
    return _engine


def shipped_terms() -> list[str]:
    lines = TERMS_FILE.read_text(encoding="utf-8").splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


def database_terms() -> list[str]:
    """Organisation names, short names, 机关代字 and synonym words from the database."""
    from gongkai.accounts.models import Organisation

    from .models import Synonym

    words: list[str] = []
    for name, short_name, organ_code in Organisation.objects.values_list("name", "short_name", "organ_code"):
        words.extend(value for value in (name, short_name, organ_code) if value)
    for group in Synonym.objects.values_list("words", flat=True):
        words.extend(Synonym.split(group))
    return words


def ensure_database_terms() -> None:
    """Load the database words once per process (lazily: never at import or app start-up)."""
    global _loaded_db_words
    if _loaded_db_words:
        return
    try:
        words = database_terms()
    except Exception:  # the tables may not exist yet (before migrate)
        logger.debug("search dictionary: database words not loaded", exc_info=True)
        return
    _engine_instance().add_words(words)
    _loaded_db_words = True


def add_words(words: Iterable[str]) -> None:
    _engine_instance().add_words(words)


def engine_name() -> str:
    return _engine_instance().name


def dictionary_words() -> set[str]:
    """The words we added (shipped terms and database words), for suggestions."""
    ensure_database_terms()
    return set(_engine_instance().words)


def has_word(word: str) -> bool:
    return bool(_engine_instance()._has(word))


def letters_and_digits(text: str) -> list[str]:
    """The runs of letters and digits of a text (spaces, punctuation and 《》 dropped)."""
    return _WORD_PIECE.findall(text)


def _pieces(tokens: Iterable[str]) -> list[str]:
    """Split tokens into runs of letters and digits (punctuation and spaces dropped).

    Most tokens are one run already: `str.isalnum` is exactly "every character matches [^\\W_]",
    so those skip the regex (the build segments every document, issue 20).
    """
    out: list[str] = []
    append, findall = out.append, _WORD_PIECE.findall
    for token in tokens:
        if token.isalnum():
            append(token[:MAX_TOKEN_CHARS])
        else:
            out.extend(piece[:MAX_TOKEN_CHARS] for piece in findall(token))
    return out


def index_tokens(text: str) -> list[str]:
    """Tokens stored in the index for one field: search-mode words, then every CJK two-character piece."""
    return index_tokens_of_normalized(normalize(text))


def index_tokens_of_normalized(text: str, pieces: bool = True) -> list[str]:
    """`index_tokens` of a text already `normalize`d (the index build normalises each text once).

    `pieces=False`: the search-mode words only, for an index that finds the two-character pieces
    elsewhere (the tantivy backend's body: its `plain` field holds every piece).
    """
    if not text.strip():
        return []
    engine = _engine_instance()
    tokens = _pieces(engine._cut_for_search(text))
    if pieces:
        tokens.extend(_BIGRAM.findall(text))
    return tokens


def joined_index_tokens(text: str, pieces: bool = True) -> str:
    """The index tokens of a normalised text as one string, for an index that splits it itself.

    The segmenter's words are joined as cut, punctuation and spaces included, for a tokenizer that
    splits on everything but letters and digits (tantivy's `simple`): it gives the tokens of
    `index_tokens_of_normalized` (`_pieces` in Python was a fifth of a document's segmenting CPU,
    issue 20). Words longer than `MAX_TOKEN_CHARS` are cut here as there.
    """
    if not text.strip():
        return ""
    words = _engine_instance()._cut_for_search(text)
    if words and max(map(len, words)) > MAX_TOKEN_CHARS:
        words = _pieces(words)
    if pieces:
        words.extend(_BIGRAM.findall(text))
    return " ".join(words)


def cut(text: str) -> list[str]:
    """The precise cut (HMM off) of a normalised text, spaces and punctuation kept as tokens."""
    return list(_engine_instance()._cut(normalize(text)))


def query_words(chunk: str) -> list[str]:
    """Words of one query chunk (precise cut, HMM off); runs of single CJK characters stay together.

    `托育点补贴` → [托育点, 补贴] when 托育点 is not a dictionary word the cut gives 托/育/点: a
    citizen typing it means the string, so the run is kept as one word (matched as a substring).
    A run never crosses punctuation or spaces: `省、市、县` is 省 / 市 / 县, not 省市县, a string the
    text does not contain (its pieces 省市, 市县 are not in the index, so the document was lost).
    """
    text = normalize(chunk)
    words: list[str] = []
    run = ""
    for token in _engine_instance()._cut(text):
        pieces = _WORD_PIECE.findall(token)
        if len(pieces) == 1 and pieces[0] == token and len(token) == 1 and CJK_CHAR.fullmatch(token):
            run += token
            continue
        if run:  # a word, punctuation or a space ends the run
            words.append(run)
            run = ""
        words.extend(piece[:MAX_TOKEN_CHARS] for piece in pieces)
    if run:
        words.append(run)
    return words


def bigrams(word: str) -> list[str]:
    return _BIGRAM.findall(word)


def is_cjk(word: str) -> bool:
    return bool(CJK_RUN.fullmatch(word))
