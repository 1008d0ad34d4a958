"""Question answering over short texts without any hosted model: a field-weighted BM25 on the
search app's segmenter (words) plus character bigrams, with question rewriting (interrogative
fillers dropped), a synonym table, and a lead-sentence field (an answer usually restates its
question in its first sentence: 洪水调度一般遵循以下原则 for 洪水调度的一般原则是什么); the BM25
ranking is combined with a character 1-2-gram TF-IDF cosine and the idf-weighted share of the
question's character bigrams an entry contains (backoff for words the segmenter does not know).

The index lives in memory as compressed columns (one vocabulary, token ids and float32 weights;
10,000 entries answer in a few milliseconds); `Retriever.add` takes any item with question
wordings, keywords, answer and labels; `search` returns (key, score) best first with a confidence
in [0, 1] so callers can decide when an answer is good enough to show.
"""

from __future__ import annotations

import ctypes
import math
import re
import threading
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from gongkai.search import segmenter

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")

# Question rewriting: fillers that say "this is a question" and carry no topic (longest first).
FILLERS = sorted(
    """请问 您好 你好 麻烦 咨询一下 咨询 想问一下 想问 问一下 想了解 了解一下 请教 谢谢
    是什么 是多少 有哪些 有什么 哪些 什么 怎么办 怎么样 怎样 怎么 如何 为什么 为何 多少 多久 几天
    是否 能否 可否 可以吗 能不能 可不可以 需要 应该 一般 吗 呢 啊 吧 哪里 哪儿 在哪 何时 什么时候
    我们 我 你们 您 该 要 的 了 和 与 及 或 是 有 在 对 把 被 从 给""".split(),
    key=len,
    reverse=True,
)
SINGLE_FILLERS = set("吗呢啊吧的了我您该")
# One-character function words: a query's character n-grams never cross them (坡和跌 is no topic).
FUNCTION_CHARS = set("和与及或的了是在把被从给对向吗呢啊吧我你您他她它们该要都也就还又很更最怎么么哪谁几")
NGRAMS = (2,)  # character bigrams (trigrams measured no better)
NGRAM_WEIGHT = 1.0
COORD = 1.0  # scores times the share of query words an entry has (coordination)
STOPWORDS = set(FILLERS) | {"一个", "这个", "那个", "进行", "以及", "或者", "还是", "就是", "可以", "能够"}

# Everyday words a citizen types next to the words an answer uses (one group a line, both ways).
DEFAULT_SYNONYMS = [
    "怎么 如何 怎样",
    "办理 申请 申领 申办",
    "多久 时限 期限",
    "钱 费用 金额",
    "补贴 补助 津贴",
    "身份证 居民身份证",
    "驾照 驾驶证",
    "社保 社会保险",
    "公积金 住房公积金",
    "医保 医疗保险",
    "失业金 失业保险金",
    "户口 户籍",
    "孩子 子女 儿童",
    "老人 老年人",
    "残疾人 残障人士",
    "电动车 电动自行车",
    "车 车辆 机动车",
    "房子 住房 房屋",
    "租房 租赁住房",
    "下雪 暴雪 降雪",
    "下雨 暴雨 降雨",
    "发大水 洪水",
    "地陷 塌陷",
]


def _synonym_map(groups: Iterable[str]) -> dict[str, set[str]]:
    mapping: dict[str, set[str]] = defaultdict(set)
    for group in groups:
        words = [w for w in re.split(r"[\s,，、]+", group) if w]
        for word in words:
            mapping[word].update(w for w in words if w != word)
    return mapping


def rewrite_question(text: str) -> str:
    """The topic of a question: fillers removed, punctuation turned into spaces."""
    text = segmenter.normalize(text)
    return re.sub(r"[^\w]+", " ", text).strip()


def _char_ngrams(text: str, sizes: tuple[int, ...]) -> list[str]:
    grams: list[str] = []
    for run in _CJK_RUN.findall(text):
        for size in sizes:
            grams.extend(f"{size}:{run[i : i + size]}" for i in range(len(run) - size + 1))
    return grams


def words(text: str) -> list[str]:
    """Content words (search-mode segmentation, fillers and stopwords out)."""
    text = segmenter.normalize(text)
    every = segmenter.index_tokens(text)
    out = []
    for token in every[: len(every) - len(segmenter.bigrams(text))]:
        if token in STOPWORDS or (len(token) == 1 and not token.isdigit()):
            continue
        out.append(token)
    return out


_FILLER_SET = {f for f in FILLERS if len(f) >= 2 or f in SINGLE_FILLERS}


def strip_fillers(text: str) -> str:
    """The question without its fillers, removed word by word on the segmenter's cut (so 怎么办理
    loses 怎么, not 怎么办, and 目的地 keeps its 的); a filler may span up to three words (想问一下)."""
    words_ = segmenter.cut(text)
    out: list[str] = []
    i = 0
    while i < len(words_):
        for span in (3, 2, 1):
            if "".join(words_[i : i + span]) in _FILLER_SET and i + span <= len(words_):
                out.append(" ")
                i += span
                break
        else:
            out.append(words_[i])
            i += 1
    return "".join(out)


def tokens(text: str, *, query: bool = False) -> list[str]:
    """Words plus character bigrams and trigrams (prefixed so they never collide with words)."""
    text = segmenter.normalize(text)
    if query:
        text = strip_fillers(text)
        grams_text = "".join(" " if ch in FUNCTION_CHARS else ch for ch in text)
        return words(text) + _char_ngrams(grams_text, NGRAMS)
    return words(text) + _char_ngrams(text, NGRAMS)


def lead(text: str, limit: int = 80) -> str:
    """An answer's first sentence (its restatement of the question), cut to `limit` characters."""
    text = re.sub(r"^(您好|你好)[！!，,。\s]*", "", (text or "").strip())
    head = _SENTENCE_END.split(text, maxsplit=1)[0]
    return head[:limit]


# Field weights: questions typed by people weigh most, then keywords, the answer's lead sentence,
# the whole answer; the unit and category help a little.
FIELD_WEIGHTS = {"question": 3.0, "keywords": 2.0, "lead": 0.5, "answer": 1.0, "labels": 0.3}
K1, B = 1.5, 0.75
# Re-ranking (weights fitted on the tuning file only, see docs/interaction.md): the BM25 score over
# its best, plus a character 1-2-gram TF-IDF cosine over its best (length-normalised, so a short
# answer that says exactly what was asked is not buried under long ones that mention everything),
# plus the share of the question's character bigrams (idf-weighted) the entry contains anywhere.
COS_WEIGHT = 1.0
COVER_WEIGHT = 2.0
CONFIDENT = 0.7  # an answer shown above search hits; below it /kb/ says it is not sure (bench/kb_bench.py)


def confidence_of(words: float, margin: float) -> float:
    """How sure the best entry is right, in [0, 1]: the idf-weighted share of the question's words
    the entry contains, and its lead over the runner-up (weights and CONFIDENT chosen on the tuning
    file for at most one wrong confident answer in ten)."""
    return float(min(1.0, 0.6 * words + 0.4 * min(1.0, margin * 3)))


def _release_memory() -> None:
    """Give the compile's temporary arrays back to the system (glibc keeps freed heap otherwise:
    about 70 MB for 10,000 entries, which the web worker's 250 MB budget cannot spare)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


@dataclass
class Hit:
    key: object
    score: float
    confidence: float


class Retriever:
    """An in-memory multi-field BM25 index with a character n-gram re-ranker: `add` every entry,
    then `search` (the first search compiles the index and frees the raw postings, so entries are
    added before it: a changed knowledge base gets a new Retriever, as `kb._retriever` does).
    Postings are flat arrays of (token id, count) per field, so 10,000 entries stay small."""

    def __init__(self, synonyms: Iterable[str] = DEFAULT_SYNONYMS) -> None:
        self.keys: list[object] = []
        self.synonyms = _synonym_map(synonyms)
        self._vocab: dict[str, int] = {}
        # per field (and "grams": the character 1-2-grams of questions, keywords and answer): flat
        # postings (token id, count) doc after doc, each doc's number of postings and of tokens
        self._fields = [*FIELD_WEIGHTS, "grams"]
        self._postings = {name: (array("i"), array("H")) for name in self._fields}
        self._sizes: dict[str, array] = {name: array("i") for name in self._fields}
        self._lengths: dict[str, array] = {name: array("f") for name in self._fields}
        self._compiled: _Compiled | None = None
        self._compile_lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.keys)

    def _token_id(self, token: str) -> int | None:
        """The id of a token in the columns, None when no entry has it (a stored index looks it up
        in its files: `interaction.article_index`)."""
        return self._vocab.get(token)

    def _key(self, doc: int) -> object:
        return self.keys[doc]

    def add(
        self,
        key: object,
        *,
        answer: str,
        questions: Iterable[str] = (),
        keywords: Iterable[str] = (),
        labels: Iterable[str] = (),
    ) -> None:
        if self._compiled is not None:
            raise RuntimeError("the index is compiled (searched): build a new Retriever to add entries")
        doc = len(self.keys)
        self.keys.append(key)
        questions, keywords = " ".join(questions), " ".join(keywords)
        texts = {"question": questions, "keywords": keywords, "lead": lead(answer), "answer": answer,
                 "labels": " ".join(labels)}  # fmt: skip
        for name, text in texts.items():
            self._post(name, doc, Counter(tokens(text)))
        gram_text = segmenter.normalize(" ".join((questions, keywords, answer)))
        self._post("grams", doc, Counter(_char_ngrams(gram_text, (1, 2))))

    def _post(self, name: str, doc: int, counts: Counter) -> None:
        ids, tfs = self._postings[name]
        vocab = self._vocab
        for token in counts:
            if token not in vocab:
                vocab[token] = len(vocab)
        ids.extend([vocab[token] for token in counts])
        tfs.extend([min(count, 65535) for count in counts.values()])
        self._sizes[name].append(len(counts))
        self._lengths[name].append(sum(counts.values()))

    def _columns(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(docs, token ids, counts, document frequency of every token) of one field."""
        ids, tfs = self._postings[name]
        ids = np.frombuffer(ids, dtype=np.int32)
        docs = np.repeat(
            np.arange(len(self.keys), dtype=np.int32), np.frombuffer(self._sizes[name], np.int32)
        )
        df = np.bincount(ids, minlength=len(self._vocab)).astype(np.float32)
        return docs, ids, np.frombuffer(tfs, np.uint16).astype(np.float32), df

    def compile(self) -> None:
        """Build the search columns (the first search does it otherwise) and free the raw postings.

        Once, under a lock: a web worker's threads share a retriever, and two building it at once
        would each hold the build's temporary arrays (tens of MB; the worker's budget is 250 MB)."""
        with self._compile_lock:
            if self._compiled is None:
                compiled = self._compile()
                self._postings = self._sizes = self._lengths = {}  # the columns hold all that is needed now
                self._compiled = compiled
                _release_memory()

    def _compile(self) -> _Compiled:
        """The BM25 column (every field's weight of a token in a doc, summed over the fields, float32,
        grouped by token) and the cosine column."""
        n, size = len(self.keys), len(self._vocab)
        pairs, weights = [], []
        for name, field_weight in FIELD_WEIGHTS.items():
            docs, ids, tf, df = self._columns(name)
            lengths = np.frombuffer(self._lengths[name], np.float32)
            mean_length = lengths.mean() if lengths.size else 0.0  # no entry yet: nothing to normalise
            length_norm = np.float32(K1) * (1 - B + B * lengths / (mean_length or 1.0))
            idf = np.log1p((n - df + 0.5) / (df + 0.5)) * np.float32(field_weight * (K1 + 1))
            pairs.append(ids.astype(np.int64) * n + docs)
            weights.append(idf[ids] * tf / (tf + length_norm[docs]))
        unique, summed = _sum_by_key(pairs, weights)
        del pairs, weights
        # the keys are token * n + doc in ascending order: already grouped by token, docs ascending
        ids, docs32 = unique // n, (unique % n).astype(np.int32)
        del unique
        bm25 = _Column.grouped(ids, docs32, summed.astype(np.float32), size)
        del ids, docs32, summed
        # cosine: sublinear tf times smooth idf, each doc's vector of unit length
        docs, ids, tf, df = self._columns("grams")
        cos_idf = np.log((1 + n) / (1 + df)) + 1
        weights = (1 + np.log(tf)) * cos_idf[ids]
        norms = np.sqrt(np.bincount(docs, weights=weights * weights, minlength=n)).astype(np.float32)
        cosine = _Column.of(ids, docs, weights / np.maximum(norms[docs], 1e-9), size)
        return _Compiled(bm25, cosine, np.log1p((n + 1) / (df + 0.5)), cos_idf)

    def _expand(self, query_tokens: list[str]) -> Counter:
        weights: Counter = Counter()
        for token in query_tokens:
            weights[token] += NGRAM_WEIGHT if token[1:2] == ":" else 1.0
            for other in self.synonyms.get(token, ()):
                weights[other] += 0.5
                weights.update({gram: 0.25 for gram in _char_ngrams(other, (2,))})
        return weights

    def signals(self, question: str) -> tuple[list[str], dict[str, np.ndarray]]:
        """The question's tokens and the three per-entry signals `search` blends: "bm25" (field-weighted,
        synonyms, coordination), "cosine" (character 1-2-gram TF-IDF) and "cover" (idf-weighted share
        of the question's bigrams); bench/kb_ideas.py measures other blends and signals on them."""
        if self._compiled is None:
            self.compile()
        index, n = self._compiled, len(self)
        query_tokens = tokens(question, query=True)
        query = self._expand(query_tokens)
        scores, matched = np.zeros(n), np.zeros(n)
        wanted = [t for t in query if t[1:2] != ":"]
        for token, q_weight in query.items():
            docs, weights = index.bm25.get(self._token_id(token))
            scores[docs] += q_weight * weights
            if token in wanted:
                matched[docs] += 1
        if COORD and wanted:
            scores *= ((matched + 1) / (len(wanted) + 1)) ** COORD
        cosine, covered = self._grams(question, query_tokens)
        return query_tokens, {"bm25": scores, "cosine": cosine, "cover": covered}

    def search(self, question: str, *, limit: int = 5) -> list[Hit]:
        if not len(self) or not question.strip():
            return []
        query_tokens, signal = self.signals(question)
        scores, cosine, covered = signal["bm25"], signal["cosine"], signal["cover"]
        if not scores.any() and not cosine.any():
            return []
        total = (
            scores / (scores.max() or 1.0)
            + COS_WEIGHT * cosine / (cosine.max() or 1.0)
            + COVER_WEIGHT * covered
        )
        candidates = np.flatnonzero(total > 0)
        if not len(candidates):
            return []
        keep = max(limit, 2)  # the runner-up too, for the confidence
        if len(candidates) > keep:
            candidates = candidates[np.argpartition(-total[candidates], keep - 1)[:keep]]
        top_k = candidates[np.argsort(-total[candidates], kind="stable")]
        top = total[top_k[0]]
        second = total[top_k[1]] if len(top_k) > 1 else 0.0
        # confidence: how much of the query the best entry covers, and how clearly it beats the runner-up
        margin = (top - second) / top if top else 0.0
        confidence = confidence_of(self._coverage(query_tokens, int(top_k[0])), margin)
        return [
            Hit(
                self._key(int(doc)),
                round(float(total[doc]), 3),
                round(confidence * float(total[doc] / top), 3),
            )
            for doc in top_k[:limit]
        ]

    def _grams(self, question: str, query_tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The character re-ranker: cosine of the question's 1-2-grams with each entry's, and the
        idf-weighted share of the question's bigrams each entry contains."""
        index, n = self._compiled, len(self)
        text = strip_fillers(segmenter.normalize(question))
        grams = Counter(t for t in query_tokens if t.startswith("2:"))
        grams.update(_char_ngrams("".join(ch for ch in text if not ch.isspace()), (1,)))
        # summed gram by gram (a doc is at most once in a gram's postings): the same additions in the
        # same order as one np.bincount over every gram's postings, without holding them all at once
        # (for very common characters they are most of the entries: tens of MB at 5,000 documents)
        cosine, covered, total = np.zeros(n), np.zeros(n), 0.0
        for gram, count in grams.items():
            token_id = self._token_id(gram)
            if token_id is None:  # a bigram no entry has: uncovered everywhere
                total += math.log(1 + (n + 1) / 0.5) if gram.startswith("2:") else 0.0
                continue
            docs, weights = index.cosine.get(token_id)
            cosine[docs] += weights * np.float32((1 + math.log(count)) * index.cos_idf[token_id])
            if gram.startswith("2:"):
                idf = float(index.cover_idf[token_id])
                covered[docs] += np.float64(np.float32(idf))
                total += idf
        return cosine, covered / total if total else covered

    def _coverage(self, query_tokens: list[str], doc: int) -> float:
        """Share of the question's weight (idf of its words and bigrams) that the entry contains, a word
        counting as contained when one of its synonyms is: a question about something the index does
        not know leaves its rare words uncovered (a synonym is an alternative, never a requirement)."""
        n = len(self)
        total = found = 0.0

        def contains(token: str) -> tuple[bool, int]:
            docs, _ = self._compiled.bm25.get(self._token_id(token))
            position = int(np.searchsorted(docs, doc))
            return position < len(docs) and docs[position] == doc, len(docs)

        for token in dict.fromkeys(query_tokens):
            present, df = contains(token)
            idf = math.log(1 + (n + 1) / (df + 0.5))
            total += idf
            if present or any(contains(other)[0] for other in self.synonyms.get(token, ())):
                found += idf
        return found / total if total else 0.0


def _sum_by_key(keys: list[np.ndarray], weights: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys (ascending) and the sum of each one's weights, added in the order given.

    What `np.unique(return_inverse=True)` then `np.bincount` give, with about half their temporary
    memory (no inverse index nor its cumulative sum): the index's build is the web worker's memory
    peak (about 80 MB over its 195 MB steady state for 500 long documents before, 40 MB now)."""
    flat = np.concatenate(keys)
    keys.clear()
    order = np.argsort(flat, kind="stable")  # a key's weights keep their order: the same sums
    flat.sort()  # in place: equal keys are equal, so this is flat[order] without a copy
    values = np.concatenate(weights)
    weights.clear()
    values = values[order]
    del order
    values = values.astype(np.float64)  # as np.bincount adds them
    if not len(flat):  # no entries (an empty knowledge base)
        return flat, values
    starts = np.flatnonzero(np.concatenate(([True], flat[1:] != flat[:-1])))
    return flat[starts], np.add.reduceat(values, starts)


class _Column:
    """Postings grouped by token: the docs (ascending) and weights of token t are
    docs[start[t]:start[t + 1]]."""

    def __init__(self, start: np.ndarray, docs: np.ndarray, weights: np.ndarray) -> None:
        self.start, self.docs, self.weights = start, docs, weights

    @classmethod
    def of(cls, ids: np.ndarray, docs: np.ndarray, weights: np.ndarray, size: int) -> _Column:
        order = np.argsort(ids, kind="stable")  # docs come in ascending order and stay so
        ids = ids[order]
        start = np.searchsorted(ids, np.arange(size + 1)).astype(np.int64)
        return cls(start, docs[order].astype(np.int32), weights[order].astype(np.float32))

    @classmethod
    def grouped(cls, ids: np.ndarray, docs: np.ndarray, weights: np.ndarray, size: int) -> _Column:
        """`of` for postings already in token order (what `of` would give, without sorting copies)."""
        return cls(np.searchsorted(ids, np.arange(size + 1)).astype(np.int64), docs, weights)

    def get(self, token_id: int | None) -> tuple[np.ndarray, np.ndarray]:
        if token_id is None or token_id + 1 >= len(self.start):
            return self.docs[:0], self.weights[:0]
        a, b = self.start[token_id], self.start[token_id + 1]
        return self.docs[a:b], self.weights[a:b]


@dataclass
class _Compiled:
    bm25: _Column
    cosine: _Column
    cover_idf: np.ndarray
    cos_idf: np.ndarray
