"""Suggest the department field (一级分类) of a citizen message: a lexicon prior plus a learned model.

A new platform has few handled messages to learn from, so the suggestion combines two scorers:

- **the lexicon** (`data/message_lexicon.json`): terms per category written from public knowledge of
  which department handles what (路灯 and 拆迁 → 城乡建设, 公交 → 交通运输, 社保 → 劳动和社会保障…),
  matched longest-first over the subject (counted twice) and the body. It needs no training data.
- **the learned model**: TF-IDF over character 1–3-grams and jieba words of the subject (twice) and
  the body, with a class-balanced multinomial logistic regression trained on the platform's own
  messages whose category the dispatcher confirmed.

The two are combined log-linearly, `logit = a · lexicon + b · log P(learned) + bias`; `a` and `b` are
chosen by cross-validated log-loss on the training messages themselves (out-of-fold predictions), so
with few messages the lexicon carries the suggestion and with many the learned model takes over, and
the confidences are calibrated on held-out messages rather than guessed. With fewer than
`MIN_FOR_FIT` messages (or a class with a single message) fixed defaults are used.

The model file (`save`/`load`) is a NumPy `.npz` archive read with `allow_pickle=False`: arrays and a
JSON header only, so loading a file cannot run code. It holds the training messages (the data
directory already holds them in the database) so that `learn` can retrain with corrections.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

LEXICON_PATH = Path(__file__).with_name("data") / "message_lexicon.json"
FORMAT = "gongkai-message-classifier"
FORMAT_VERSION = 1
MAX_SUBJECT_CHARS = 500
MAX_BODY_CHARS = 20_000
MAX_TRAINING_MESSAGES = 200_000
MIN_FOR_FIT = 20  # below this many messages the combination weights are not fitted
DEFAULT_A, DEFAULT_B = 3.0, 0.5  # typical fitted values on small training sets
GRID_A = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)
GRID_B = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
MAX_FEATURES = 60_000
LOGREG_C = 20.0
# The learned part's settings. Module constants so that bench/messages_same_source.py can compare
# variants; a saved model does not record them, so change them only together with retraining.
SUBJECT_TIMES = 2  # a subject's features count this many times a body's
CHAR_NGRAMS = (1, 2, 3)  # character n-gram sizes of the learned part
BALANCED = True  # class-balanced sample weights in the logistic regression

_SPACE = re.compile(r"\s+")
_SCRIPT = re.compile(r"<\s*/?\s*(script|iframe|object|embed|style)\b|javascript:|<[^>]*\bon[a-z]+\s*=", re.I)


class ClassifyError(ValueError):
    """Bad input for training or prediction; `field` names what was wrong, `message` says it in Chinese."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# ---------------------------------------------------------------- input


def normalise(text: str) -> str:
    """NFKC (full-width to half-width), lower case, control characters dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return _SPACE.sub(" ", text).strip()


def check_message(subject: object, body: object, *, where: str = "") -> tuple[str, str]:
    """The subject and body as clean text, or ClassifyError naming the field (prefixed by `where`)."""
    for name, value, label, limit in (
        ("subject", subject, "主题", MAX_SUBJECT_CHARS),
        ("body", body, "内容", MAX_BODY_CHARS),
    ):
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise ClassifyError(name, f"{where}{label}必须是文字。")
        if len(value) > limit:
            raise ClassifyError(name, f"{where}{label}过长（{len(value)} 字，最多 {limit} 字）。")
        if _SCRIPT.search(value):
            raise ClassifyError(name, f"{where}{label}含有脚本或网页代码，请只填写文字。")
    subject, body = normalise(subject or ""), normalise(body or "")  # type: ignore[arg-type]
    if not subject and not body:
        raise ClassifyError("body", f"{where}主题和内容不能都为空。")
    return subject, body


# ---------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class Lexicon:
    """Weighted terms per category, matched longest-first and without overlap."""

    categories: tuple[str, ...]
    terms: dict[str, dict[int, float]]  # term → {category index: weight}
    longest: int

    @classmethod
    def from_json(cls, data: dict) -> Lexicon:
        cats = data.get("categories")
        if not isinstance(cats, dict) or not cats:
            raise ClassifyError("lexicon", "词表格式不对：缺少 categories。")
        names = tuple(cats)
        terms: dict[str, dict[int, float]] = {}
        for index, name in enumerate(names):
            for weight, words in cats[name].get("terms", {}).items():
                for word in words:
                    key = normalise(word)
                    if key:
                        terms.setdefault(key, {})[index] = max(
                            float(weight), terms.get(key, {}).get(index, 0.0)
                        )
        return cls(names, terms, max((len(t) for t in terms), default=1))

    def hits(self, text: str) -> list[str]:
        """The lexicon terms found in `text`, longest match first at each position, not overlapping."""
        found, i, n = [], 0, len(text)
        while i < n:
            for size in range(min(self.longest, n - i), 0, -1):
                piece = text[i : i + size]
                if piece in self.terms:
                    found.append(piece)
                    i += size
                    break
            else:
                i += 1
        return found

    def scores(self, subject: str, body: str) -> np.ndarray:
        """Per category: Σ weight · (1 + log count) over the terms hit, subject hits counted twice."""
        counts = Counter(self.hits(subject))
        counts.update({t: 0.5 * c for t, c in Counter(self.hits(body)).items()})
        out = np.zeros(len(self.categories))
        for term, count in counts.items():
            strength = 1.0 + math.log(2.0 * count)  # a subject hit counts as 2, a body hit as 1
            for index, weight in self.terms[term].items():
                out[index] += weight * strength
        return out

    def features(self, subject: str, body: str, categories: Sequence[str]) -> np.ndarray:
        """log(1 + score) for each of `categories` (0 for a category the lexicon does not know)."""
        raw = self.scores(subject, body)
        index = {c: i for i, c in enumerate(self.categories)}
        return np.array([math.log1p(raw[index[c]]) if c in index else 0.0 for c in categories])


@cache
def default_lexicon_json() -> str:
    return LEXICON_PATH.read_text(encoding="utf-8")


def default_lexicon() -> Lexicon:
    return Lexicon.from_json(json.loads(default_lexicon_json()))


DEFAULT_CATEGORIES: tuple[str, ...] = tuple(json.loads(default_lexicon_json())["categories"])


# ---------------------------------------------------------------- learned model


def tokens(subject: str, body: str) -> Counter:
    """Character n-grams (`CHAR_NGRAMS`) and jieba words of subject (`SUBJECT_TIMES`) and body."""
    counts: Counter = Counter()
    for text, times in ((subject, SUBJECT_TIMES), (body, 1)):
        if not text:
            continue
        compact = text.replace(" ", "")
        for size in CHAR_NGRAMS:
            for i in range(len(compact) - size + 1):
                counts["c:" + compact[i : i + size]] += times
        for word in _cut(text):
            word = word.strip()
            if len(word) > 1:
                counts["w:" + word] += times
    return counts


@cache
def _segmenter():  # noqa: ANN202 - rjieba or jieba, whichever is installed
    try:
        import rjieba

        return rjieba.cut
    except ImportError:  # pragma: no cover - rjieba ships wheels for the usual platforms
        import jieba

        return lambda text: list(jieba.cut(text))


def _cut(text: str) -> list[str]:
    return _segmenter()(text)


@dataclass
class LinearModel:
    """TF-IDF (sublinear tf, l2) features and a multinomial logistic regression's weights."""

    vocab: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray  # (classes,)

    def vector(self, counts: Counter) -> tuple[np.ndarray, np.ndarray]:
        pairs = [(self.vocab[t], 1.0 + math.log(c)) for t, c in counts.items() if t in self.vocab]
        if not pairs:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        idx = np.array([p[0] for p in pairs], dtype=np.int64)
        val = np.array([p[1] for p in pairs]) * self.idf[idx]
        return idx, val / np.linalg.norm(val)

    def log_proba(self, counts: Counter) -> np.ndarray:
        idx, val = self.vector(counts)
        logits = self.coef[:, idx] @ val + self.intercept
        return logits - _logsumexp(logits)


def _fit_linear(
    docs: Sequence[Counter], labels: np.ndarray, n_classes: int, weights: np.ndarray
) -> LinearModel:
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    df: Counter = Counter()
    for doc in docs:
        df.update(doc.keys())
    kept = sorted(df, key=lambda t: (-df[t], t))[:MAX_FEATURES]
    vocab = {t: i for i, t in enumerate(sorted(kept))}
    n = len(docs)
    idf = np.zeros(len(vocab))
    for t, i in vocab.items():
        idf[i] = math.log((1 + n) / (1 + df[t])) + 1.0
    partial = LinearModel(vocab, idf, np.zeros((n_classes, len(vocab))), np.zeros(n_classes))
    rows, cols, vals = [], [], []
    for r, doc in enumerate(docs):
        idx, val = partial.vector(doc)
        rows.extend([r] * len(idx))
        cols.extend(idx.tolist())
        vals.extend(val.tolist())
    matrix = csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)))
    present = np.unique(labels)
    if len(present) == 1:  # one category only: the learned part cannot tell categories apart
        return partial
    # class-balanced sample weights (sklearn's "balanced" applied together with the caller's weights)
    balance = {c: n / (len(present) * np.sum(labels == c)) if BALANCED else 1.0 for c in present}
    reg = LogisticRegression(C=LOGREG_C, max_iter=2000)
    # One BLAS thread: a small problem, and several threads on a shared worker only contend.
    with threadpool_limits(limits=1):
        reg.fit(matrix, labels, sample_weight=weights * np.array([balance[c] for c in labels]))
    coef = np.zeros((n_classes, len(vocab)))
    intercept = np.zeros(n_classes)
    for row, c in enumerate(reg.classes_):
        coef[c] = reg.coef_[row] if len(reg.classes_) > 2 else (reg.coef_[0] if row else -reg.coef_[0]) / 2
        intercept[c] = (
            reg.intercept_[row]
            if len(reg.classes_) > 2
            else (reg.intercept_[0] if row else -reg.intercept_[0]) / 2
        )
    # A category with no training message: the learned part is agnostic about it (its logit is the
    # mean of the others'), so the lexicon alone decides whether a message belongs there.
    missing = np.setdiff1d(np.arange(n_classes), reg.classes_)
    if len(missing):
        coef[missing] = coef[reg.classes_].mean(axis=0)
        intercept[missing] = intercept[reg.classes_].mean()
    return LinearModel(vocab, idf, coef, intercept)


def _logsumexp(x: np.ndarray) -> float:
    m = float(np.max(x))
    return m + math.log(float(np.sum(np.exp(x - m))))


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - np.max(x))
    return e / e.sum()


# ---------------------------------------------------------------- the classifier


@dataclass
class MessageClassifier:
    """Suggests categories for a message. Build it with `train`, `lexicon_only` or `load`."""

    categories: tuple[str, ...]
    lexicon: Lexicon
    lexicon_json: str
    linear: LinearModel | None = None
    a: float = DEFAULT_A  # weight of the lexicon features
    b: float = DEFAULT_B  # weight of the learned log-probabilities
    bias: np.ndarray = field(default_factory=lambda: np.zeros(0))
    examples: list[tuple[str, str, str]] = field(default_factory=list)
    info: dict = field(default_factory=dict)

    def _logits(self, subject: str, body: str, counts: Counter | None = None) -> np.ndarray:
        logits = self.a * self.lexicon.features(subject, body, self.categories)
        if self.linear is not None and self.b:
            logits = logits + self.b * self.linear.log_proba(
                counts if counts is not None else tokens(subject, body)
            )
        if len(self.bias):
            logits = logits + self.bias
        return logits

    def predict(self, subject: str, body: str) -> list[tuple[str, float]]:
        """Every category with its confidence (probabilities summing to 1), best first."""
        subject, body = check_message(subject, body)
        probs = _softmax(self._logits(subject, body))
        order = sorted(range(len(self.categories)), key=lambda i: (-probs[i], i))
        return [(self.categories[i], round(float(probs[i]), 4)) for i in order]

    def suggest(self, subject: str, body: str) -> tuple[str, float]:
        """The best category and its confidence."""
        return self.predict(subject, body)[0]

    def learn(self, corrections: Iterable[tuple[str, str, str]]) -> MessageClassifier:
        """A new model trained on this one's messages plus `corrections` (a corrected message replaces
        its earlier label; the dispatcher's confirmed categories are the training data)."""
        return train(
            [*self.examples, *corrections], categories=self.categories, lexicon_json=self.lexicon_json
        )

    # ------------------------------------------------------------ file

    def save(self, path: str | Path) -> Path:
        """Write the model as an `.npz` archive (arrays and a JSON header; no pickle). Returns the path."""
        from .classify_store import save_model

        return save_model(self, Path(path))

    @classmethod
    def load(cls, path: str | Path) -> MessageClassifier:
        """Read a file written by `save`; ClassifyError for anything else."""
        from .classify_store import load_model

        return load_model(Path(path))

    @classmethod
    def lexicon_only(
        cls, categories: Sequence[str] | None = None, *, lexicon_json: str | None = None
    ) -> MessageClassifier:
        """A classifier for a platform with no handled messages yet: the lexicon alone."""
        lexicon_json = lexicon_json or default_lexicon_json()
        lexicon = Lexicon.from_json(json.loads(lexicon_json))
        cats = tuple(categories or lexicon.categories)
        return cls(cats, lexicon, lexicon_json, info={"training_messages": 0})


def read_jsonl(path: str | Path, *, labelled: bool) -> list:
    """The lines of a train (`labelled`) or classify JSONL file; see `classify_store.read_jsonl`."""
    from .classify_store import read_jsonl as _read

    return _read(Path(path), labelled=labelled)


def classify_many(model: MessageClassifier, messages: Iterable[tuple[str, str]]) -> list[dict]:
    """`[{"category", "confidence"}]`, one per message in order (the `classify --json` output).

    Every message is checked before any is classified: a bad one raises ClassifyError naming its
    position, and nothing is printed for the others.
    """
    checked = [check_message(s, b, where=f"第 {i} 条留言：") for i, (s, b) in enumerate(messages, start=1)]
    out = []
    for subject, body in checked:
        category, confidence = model.suggest(subject, body)
        out.append({"category": category, "confidence": confidence})
    return out


def read_examples(
    examples: Iterable[tuple[str, str, str]], categories: Sequence[str] | None
) -> list[tuple[str, str, str]]:
    """Checked, normalised examples; a later example with the same text replaces an earlier one."""
    allowed = set(categories) if categories is not None else None
    by_text: dict[tuple[str, str], str] = {}
    for number, example in enumerate(examples, start=1):
        where = f"第 {number} 条训练数据："
        if number > MAX_TRAINING_MESSAGES:
            raise ClassifyError("examples", f"训练数据过多（最多 {MAX_TRAINING_MESSAGES} 条）。")
        if not isinstance(example, tuple | list) or len(example) != 3:
            raise ClassifyError("examples", f"{where}应为（主题, 内容, 分类）三项。")
        subject, body, category = example
        subject, body = check_message(subject, body, where=where)
        if not isinstance(category, str) or not category.strip():
            raise ClassifyError("category", f"{where}分类不能为空。")
        category = category.strip()
        if allowed is not None and category not in allowed:
            raise ClassifyError(
                "category", f"{where}未知分类「{category[:40]}」，可用分类：{'、'.join(categories)}。"
            )
        by_text.pop((subject, body), None)
        by_text[(subject, body)] = category
    return [(s, b, c) for (s, b), c in by_text.items()]


def train(
    examples: Iterable[tuple[str, str, str]],
    *,
    categories: Sequence[str] | None = DEFAULT_CATEGORIES,
    lexicon_json: str | None = None,
    weights: tuple[float, float] | None = None,
) -> MessageClassifier:
    """Train on (subject, body, category) triples.

    `categories` is the closed list of categories (the lexicon's seven by default); a training
    message with any other category is refused. `None` accepts every category seen in the data.
    `weights` fixes (a, b) instead of fitting them (the bench uses it to score each part alone).
    """
    from .classify_fit import fit

    data = read_examples(examples, categories)
    if not data:
        raise ClassifyError("examples", "没有训练数据：至少需要一条已确认分类的留言。")
    cats = tuple(categories) if categories is not None else tuple(sorted({c for _, _, c in data}))
    lexicon_json = lexicon_json or default_lexicon_json()
    base = MessageClassifier.lexicon_only(cats, lexicon_json=lexicon_json)
    return fit(base, data, weights=weights)
