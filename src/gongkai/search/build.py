"""Segmenting many documents for a rebuild on every core (issue 20: build ≥ 1,000 documents/s).

Segmentation (jieba search mode, the two-character pieces, the whitespace-free plain text) is pure
Python work on one text at a time and most of an index build's CPU; the index writer (tantivy's
own threads, or the database) runs beside it. `segmented_batches` hands batches of texts to forked
worker processes and yields the results in the order the batches came, keeping only a few batches
in flight, so the caller writes batch k while the workers cut batch k+1 and k+2.

Workers are forked after the dictionary is loaded (organisation names and synonyms included), so
they cut exactly as the parent would; they never touch the database or the index.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings

from . import segmenter

logger = logging.getLogger(__name__)

FIELD_SEPARATOR = "\u241e"
MAX_PROCESSES = 4
MIN_PARALLEL_DOCUMENTS = 2_000  # below this, starting workers costs more than it saves

Segmented = tuple[dict[str, list[str]], str]  # tokens per field, plain text


def segment(texts: dict[str, str], joined: bool = False) -> Segmented:
    """Index tokens per field and the plain text of one document (each text normalised once).

    `joined`: each field's tokens as one space-joined string (a list of one), which backends that
    join tokens with spaces anyway accept, and which crosses a process boundary far cheaper.
    """
    normalized = {name: segmenter.normalize(text) for name, text in texts.items()}
    fields = {name: segmenter.index_tokens_of_normalized(text) for name, text in normalized.items()}
    if joined:
        fields = {name: [" ".join(tokens)] if tokens else [] for name, tokens in fields.items()}
    plain = FIELD_SEPARATOR.join("".join(text.split()) for text in normalized.values())  # query.plain_text
    return fields, plain


def _segment_batch(batch: list[dict[str, str]], joined: bool) -> list[Segmented]:
    return [segment(texts, joined) for texts in batch]


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
    batches: Iterable[tuple[Any, list[dict[str, str]]]], pool: Any, joined: bool = False
) -> Iterator[tuple[Any, list[Segmented]]]:
    """(payload, segmented texts) for each (payload, texts) batch, in order.

    With a pool (`workers`) the texts are cut in the workers while the caller consumes earlier
    batches, a few batches in flight; without, here, one batch after the other.
    """
    if pool is None:
        for payload, texts in batches:
            yield payload, _segment_batch(texts, joined)
        return
    in_flight = pool._max_workers + 1  # every worker busy, memory bounded
    pending: deque[tuple[Any, Any]] = deque()
    for payload, texts in batches:
        pending.append((payload, pool.submit(_segment_batch, texts, joined)))
        if len(pending) >= in_flight:
            done, future = pending.popleft()
            yield done, future.result()
    while pending:
        done, future = pending.popleft()
        yield done, future.result()
