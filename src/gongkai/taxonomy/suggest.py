"""Suggested tags for a text, each with the words that triggered it (staff accept or reject each).

Two sources, both explainable:
- the dictionary: every tag's name and staff-edited trigger words, counted in the title (weighted)
  and the body; a broad tag (one with children) needs more evidence than a specific one;
- a classifier (multinomial naive Bayes over character bigrams, one-vs-rest) trained on the
  documents staff have already tagged, used once there are enough of them; its evidence is the
  bigrams that weighed most.
The caller passes the training examples, so this module needs no other app.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from .constants import Dimension
from .models import Tag

TITLE_WEIGHT = 4
MIN_BODY_HITS = 2  # a word seen once in a long body is weak evidence
BROAD_TAG_HITS = 4  # a tag with children (个人, 企业和组织) needs this many
PER_DIMENSION = 3
MIN_TRAINING_DOCUMENTS = 20
MIN_EXAMPLES_PER_TAG = 5
CLASSIFIER_THRESHOLD = 0.8
_NON_HAN = re.compile(r"[^\u4e00-\u9fff]+")


@dataclass
class Suggestion:
    code: str
    name: str
    dimension: str
    score: float
    words: list[str] = field(default_factory=list)
    source: str = "dictionary"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "dimension_label": str(Dimension(self.dimension).label)}


def _keywords(tag: Tag) -> list[str]:
    words = {tag.name, *(tag.keywords or [])}
    return sorted((word for word in words if len(word) >= 2), key=len, reverse=True)


def _count(text: str, word: str) -> int:
    return text.count(word)


def dictionary_suggestions(title: str, body: str, tags: Iterable[Tag]) -> list[Suggestion]:
    result = []
    for tag in tags:
        hits: dict[str, int] = {}
        evidence = 0
        for word in _keywords(tag):
            in_title, in_body = _count(title, word), _count(body, word)
            if in_title or in_body:
                hits[word] = in_title + in_body
                evidence += TITLE_WEIGHT * in_title + in_body
        if not hits:
            continue
        needed = BROAD_TAG_HITS if getattr(tag, "has_children", False) else MIN_BODY_HITS
        if evidence < needed:
            continue
        words = sorted(hits, key=lambda word: -hits[word])[:5]
        score = round(1 - math.exp(-evidence / 6), 3)
        result.append(Suggestion(tag.code, tag.name, tag.dimension, score, words, "dictionary"))
    return result


def _bigrams(text: str) -> Counter[str]:
    grams: Counter[str] = Counter()
    for run in _NON_HAN.split(text):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


class TagClassifier:
    """One-vs-rest multinomial naive Bayes over Han-character bigrams."""

    def __init__(self, examples: Sequence[tuple[str, set[str]]]) -> None:
        self.documents = len(examples)
        self.positive: dict[str, Counter[str]] = {}
        self.doc_counts: Counter[str] = Counter()
        self.total = Counter()
        features = [(_bigrams(text), codes) for text, codes in examples]
        for grams, codes in features:
            self.total.update(grams)
            for code in codes:
                self.doc_counts[code] += 1
                self.positive.setdefault(code, Counter()).update(grams)
        self.codes = [code for code, n in self.doc_counts.items() if n >= MIN_EXAMPLES_PER_TAG]
        self.vocabulary = len(self.total) or 1

    @property
    def ready(self) -> bool:
        return self.documents >= MIN_TRAINING_DOCUMENTS and bool(self.codes)

    def predict(self, text: str) -> list[tuple[str, float, list[str]]]:
        grams = _bigrams(text)
        if not grams:
            return []
        results = []
        total_sum = sum(self.total.values())
        for code in self.codes:
            pos = self.positive[code]
            neg_total = total_sum - sum(pos.values())
            pos_total = sum(pos.values())
            prior = math.log(self.doc_counts[code] / (self.documents - self.doc_counts[code] + 1))
            contributions = {}
            for gram, n in grams.items():
                p_pos = (pos[gram] + 1) / (pos_total + self.vocabulary)
                p_neg = (self.total[gram] - pos[gram] + 1) / (neg_total + self.vocabulary)
                contributions[gram] = n * math.log(p_pos / p_neg)
            # Length-normalised log-odds, so long documents do not saturate.
            log_odds = prior + sum(contributions.values()) / max(1.0, math.sqrt(sum(grams.values())))
            probability = 1 / (1 + math.exp(-max(-50.0, min(50.0, log_odds))))
            words = [
                gram for gram, value in sorted(contributions.items(), key=lambda kv: -kv[1])[:5] if value > 0
            ]
            results.append((code, probability, words))
        return results


def suggest(
    title: str,
    body: str,
    tags: Sequence[Tag],
    *,
    training: Sequence[tuple[str, set[str]]] = (),
    exclude: Iterable[str] = (),
) -> list[Suggestion]:
    """Suggestions best first, at most PER_DIMENSION per dimension, without the codes in `exclude`."""
    excluded = set(exclude)
    by_code = {tag.code: tag for tag in tags}
    found: dict[str, Suggestion] = {
        s.code: s for s in dictionary_suggestions(title or "", body or "", tags) if s.code not in excluded
    }
    classifier = TagClassifier(training) if training else None
    if classifier is not None and classifier.ready:
        for code, probability, words in classifier.predict(f"{title}\n{body}"):
            if probability < CLASSIFIER_THRESHOLD or code in excluded or code not in by_code:
                continue
            current = found.get(code)
            if current is None:
                tag = by_code[code]
                found[code] = Suggestion(
                    code, tag.name, tag.dimension, round(probability, 3), words, "classifier"
                )
            else:
                current.score = round(max(current.score, probability), 3)
                current.source = "dictionary+classifier"
    ordered = sorted(found.values(), key=lambda s: (-s.score, s.code))
    kept: list[Suggestion] = []
    per_dimension: Counter[str] = Counter()
    for suggestion in ordered:
        if per_dimension[suggestion.dimension] < PER_DIMENSION:
            kept.append(suggestion)
            per_dimension[suggestion.dimension] += 1
    return kept
