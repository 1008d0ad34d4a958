"""Question answering over short texts without any hosted model: a field-weighted BM25 on the
search app's segmenter (words) plus character bigrams and trigrams, with question rewriting
(interrogative fillers dropped), a synonym table, and a lead-sentence field (an answer usually
restates its question in its first sentence: 洪水调度一般遵循以下原则 for 洪水调度的一般原则是什么).

The index lives in memory (10,000 entries answer in well under 100 ms); `Retriever.add` takes any
item with question wordings, keywords, answer and labels; `search` returns (key, score) best first
with a confidence in [0, 1] so callers can decide when an answer is good enough to show.
"""

from __future__ import annotations

import math
import re
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


def strip_fillers(text: str) -> str:
    for filler in FILLERS:
        if len(filler) >= 2 or filler in SINGLE_FILLERS:
            text = text.replace(filler, " ")
    return text


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
CONFIDENT = 0.65  # an answer shown above search hits; below it /kb/ says it is not sure (bench/kb_bench.py)


@dataclass
class Hit:
    key: object
    score: float
    confidence: float


class Retriever:
    """An in-memory multi-field BM25 index: `add` entries, then `search` (the index compiles itself
    into one array of weights per token on the first search after a change)."""

    def __init__(self, synonyms: Iterable[str] = DEFAULT_SYNONYMS) -> None:
        self.keys: list[object] = []
        self.synonyms = _synonym_map(synonyms)
        # per field: token -> {doc: term frequency}; the length of every doc's field
        self._postings: dict[str, dict[str, dict[int, int]]] = {
            name: defaultdict(dict) for name in FIELD_WEIGHTS
        }
        self._lengths: dict[str, list[int]] = {name: [] for name in FIELD_WEIGHTS}
        self._compiled: dict[str, tuple[np.ndarray, np.ndarray]] | None = None

    def __len__(self) -> int:
        return len(self.keys)

    def add(
        self,
        key: object,
        *,
        answer: str,
        questions: Iterable[str] = (),
        keywords: Iterable[str] = (),
        labels: Iterable[str] = (),
    ) -> None:
        doc = len(self.keys)
        self.keys.append(key)
        texts = {
            "question": " ".join(questions),
            "keywords": " ".join(keywords),
            "lead": lead(answer),
            "answer": answer,
            "labels": " ".join(labels),
        }
        for name, text in texts.items():
            counts = Counter(tokens(text))
            postings = self._postings[name]
            for token, count in counts.items():
                postings[token][doc] = count
            self._lengths[name].append(sum(counts.values()))
        self._compiled = None

    def _compile(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """token -> (doc indices, summed field-weighted BM25 weight of the token in each doc)."""
        n = len(self.keys)
        parts: dict[str, list[tuple[np.ndarray, np.ndarray]]] = defaultdict(list)
        for name, weight in FIELD_WEIGHTS.items():
            lengths = np.asarray(self._lengths[name], dtype=np.float64)
            length_norm = K1 * (1 - B + B * lengths / (lengths.mean() or 1.0))
            for token, docs in self._postings[name].items():
                ids = np.fromiter(docs.keys(), dtype=np.int64, count=len(docs))
                tf = np.fromiter(docs.values(), dtype=np.float64, count=len(docs))
                idf = math.log(1 + (n - len(docs) + 0.5) / (len(docs) + 0.5))
                parts[token].append((ids, weight * idf * tf * (K1 + 1) / (tf + length_norm[ids])))
        compiled = {}
        for token, pieces in parts.items():
            if len(pieces) == 1:
                compiled[token] = pieces[0]
                continue
            ids = np.concatenate([p[0] for p in pieces])
            weights = np.concatenate([p[1] for p in pieces])
            unique, inverse = np.unique(ids, return_inverse=True)
            compiled[token] = (unique, np.bincount(inverse, weights=weights))
        return compiled

    def _expand(self, query_tokens: list[str]) -> Counter:
        weights: Counter = Counter()
        for token in query_tokens:
            weights[token] += NGRAM_WEIGHT if token[1:2] == ":" else 1.0
            for other in self.synonyms.get(token, ()):
                weights[other] += 0.5
                weights.update({gram: 0.25 for gram in _char_ngrams(other, (2,))})
        return weights

    def search(self, question: str, *, limit: int = 5) -> list[Hit]:
        if not self.keys or not question.strip():
            return []
        if self._compiled is None:
            self._compiled = self._compile()
        query = self._expand(tokens(question, query=True))
        n = len(self.keys)
        scores = np.zeros(n)
        matched = np.zeros(n)
        wanted = [t for t in query if t[1:2] != ":"]
        for token, q_weight in query.items():
            entry = self._compiled.get(token)
            if entry is None:
                continue
            docs, weights = entry
            scores[docs] += q_weight * weights
            if token in wanted:
                matched[docs] += 1
        if COORD and wanted:
            scores *= ((matched + 1) / (len(wanted) + 1)) ** COORD
        candidates = np.flatnonzero(scores > 0)
        if not len(candidates):
            return []
        top_k = candidates[np.argsort(-scores[candidates], kind="stable")[:limit]]
        top = scores[top_k[0]]
        second = scores[top_k[1]] if len(top_k) > 1 else 0.0
        # confidence: how much of the query the best entry covers, and how clearly it beats the runner-up
        covered = self._coverage(query, int(top_k[0]))
        margin = (top - second) / top if top else 0.0
        confidence = min(1.0, 0.6 * covered + 0.4 * min(1.0, margin * 3))
        return [
            Hit(self.keys[doc], round(float(scores[doc]), 3), round(confidence * float(scores[doc] / top), 3))
            for doc in top_k
        ]

    def _coverage(self, query: Counter, doc: int) -> float:
        """Share of the query's weight (idf of its words and bigrams) that the entry contains: a question
        about something the index does not know leaves its rare words uncovered."""
        n = len(self.keys)
        total = found = 0.0
        for token in query:
            if token.startswith("3:"):
                continue
            docs = self._compiled.get(token) if self._compiled else None
            df = len(docs[0]) if docs is not None else 0
            idf = math.log(1 + (n + 1) / (df + 0.5))
            total += idf
            if docs is not None and bool((docs[0] == doc).any()):
                found += idf
        return found / total if total else 0.0
