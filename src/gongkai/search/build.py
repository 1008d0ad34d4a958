"""Segmenting many documents for a rebuild on every core (issue 20: build ≥ 1,000 documents/s).

Segmentation (jieba search mode, the two-character pieces, the whitespace-free plain text) is pure
Python work on one text at a time and most of an index build's CPU; the index writer (tantivy's
own threads, or the database) runs beside it. `segmented_batches` hands batches of texts to forked
worker processes and yields the results in the order the batches came, keeping only a few batches
in flight, so the caller writes batch k while the workers cut batch k+1 and k+2.

Workers are forked after the dictionary is loaded (organisation names and synonyms included), so
they cut exactly as the parent would; they never touch the database or the index.

What is made for each text depends on the backend (`SearchBackend.layout`): the tantivy backend
takes the body's search-mode words without the two-character pieces (its `plain` field has every
piece) and the pieces chain of the plain text, made here rather than in the writing process.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from . import segmenter

logger = logging.getLogger(__name__)

FIELD_SEPARATOR = "\u241e"
MAX_PROCESSES = 4
MIN_PARALLEL_DOCUMENTS = 2_000  # below this, starting workers costs more than it saves

Segmented = tuple[dict[str, list[str]], str, str]  # tokens per field, plain text, pieces chain


@dataclass(frozen=True)
class Layout:
    """What a backend's `write` takes from segmenting (`SearchBackend.layout`)."""

    # each field's tokens as one space-joined string (a list of one): backends that join tokens with
    # spaces anyway accept it, and it crosses a process boundary far cheaper
    joined: bool = False
    # the body's two-character CJK pieces among its tokens (False: the index finds them elsewhere)
    body_pieces: bool = True
    # the pieces chain of the plain text (`pieces_chain`) instead of the plain text itself
    chain: bool = False
    # with `joined`: the words as cut, punctuation included, for an index whose tokenizer splits them
    # into runs of letters and digits (`segmenter.joined_index_tokens`)
    unsplit: bool = False


DEFAULT_LAYOUT = Layout()


def segment(texts: dict[str, str], layout: Layout = DEFAULT_LAYOUT) -> Segmented:
    """Index tokens per field, the plain text (or its pieces chain) of one document.

    Each text is normalised once. With `layout.chain` the plain text is returned empty and its
    pieces chain in its place.
    """
    normalized = {name: segmenter.normalize(text) for name, text in texts.items()}
    fields: dict[str, list[str]]
    if layout.unsplit:
        joined = {
            name: segmenter.joined_index_tokens(text, layout.body_pieces or name != "body")
            for name, text in normalized.items()
        }
        fields = {name: [tokens] if tokens else [] for name, tokens in joined.items()}
    else:
        fields = {
            name: segmenter.index_tokens_of_normalized(text, layout.body_pieces or name != "body")
            for name, text in normalized.items()
        }
        if layout.joined:
            fields = {name: [" ".join(tokens)] if tokens else [] for name, tokens in fields.items()}
    plain = FIELD_SEPARATOR.join("".join(text.split()) for text in normalized.values())  # query.plain_text
    if layout.chain:
        return fields, "", pieces_chain(plain)
    return fields, plain, ""


def pieces_chain(text: str) -> str:
    """Every two-character piece of a text, one per character position, joined by spaces.

    `" ".join(text[i : i + 2] for i …)` with numpy over the UTF-32 code points: 10 times faster for
    a 2,500-character document (issue 20), the same string (lone surrogates included).
    """
    if len(text) < 2:
        return ""
    import numpy as np

    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    out = np.empty((len(points) - 1, 3), dtype=np.uint32)
    out[:, 0] = points[:-1]
    out[:, 1] = points[1:]
    out[:, 2] = 0x20
    return out.tobytes()[:-4].decode("utf-32-le", "surrogatepass")


def _segment_batch(batch: list[dict[str, str]], layout: Layout) -> list[Segmented]:
    return [segment(texts, layout) for texts in batch]


def build_processes(documents: int) -> int:
    """Worker processes for a build of `documents` (`SEARCH_BUILD_PROCESSES`, 0 = one per core)."""
    configured = int(getattr(settings, "SEARCH_BUILD_PROCESSES", 0) or 0)
    processes = configured or min(MAX_PROCESSES, os.cpu_count() or 1)
    return processes if documents >= MIN_PARALLEL_DOCUMENTS and processes > 1 else 1


@contextmanager
def workers(processes: int) -> Iterator[Any]:
    """A pool of `processes` forked segmenting workers (None: cut in this process).

    Enter it before the index writer starts its threads: the workers are forked at once. If they
    cannot be started (e.g. inside a daemonic worker process) the build segments in one process.
    """
    if processes <= 1:
        yield None
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    segmenter.ensure_database_terms()  # loaded before the fork: every worker cuts alike
    segmenter.index_tokens("预热")
    try:
        pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"))
        for future in [pool.submit(int) for _ in range(processes)]:
            future.result()
    except (AssertionError, OSError, ValueError):
        logger.info("search build: worker processes unavailable, segmenting in one process", exc_info=True)
        yield None
        return
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def segmented_batches(
    batches: Iterable[tuple[Any, list[dict[str, str]]]], pool: Any, layout: Layout = DEFAULT_LAYOUT
) -> Iterator[tuple[Any, list[Segmented]]]:
    """(payload, segmented texts) for each (payload, texts) batch, in order.

    With a pool (`workers`) the texts are cut in the workers while the caller consumes earlier
    batches, a few batches in flight; without, here, one batch after the other.
    """
    if pool is None:
        for payload, texts in batches:
            yield payload, _segment_batch(texts, layout)
        return
    in_flight = pool._max_workers + 1  # every worker busy, memory bounded
    pending: deque[tuple[Any, Any]] = deque()
    for payload, texts in batches:
        pending.append((payload, pool.submit(_segment_batch, texts, layout)))
        if len(pending) >= in_flight:
            done, future = pending.popleft()
            yield done, future.result()
    while pending:
        done, future = pending.popleft()
        yield done, future.result()
