"""搜问一体's article index (every 第X条 of every public document) in files of the data folder.

Why files: built in a web worker, the index of 500 documents took the worker from about 200 MB to
its peak of 250 MB (the build's temporary arrays), and it grows with the number of public
documents. So it is built elsewhere — `gongkai article_index`, a Celery task after a publication, a
withdrawal or an edit, and a child process of the web worker when the files are missing or older
than the database — into numpy arrays (`.npy`) that workers read by slices (`os.pread`): postings
grouped by token (CSR: `start[t]:start[t + 1]`), so a question reads only its tokens' slices, from
the kernel's page cache, shared by every worker of the host, into memory it frees afterwards.

Never stale: the files carry the data version they were built from (the number of public documents
and their latest change, read before the documents); a worker compares it with the database on each
question (one query, as the in-memory index did) and reloads when `current.json` names newer files.
Whatever the files say, an answer is shown only when its document is still public and unchanged
since the build (one more query), so a withdrawn document's article is never answered, even from
files that are out of date. When they are missing there is no answer box until they are built.

Derived data, one copy per host: every web host builds its own from the database (a shared folder
works too; writes are atomic renames under a lock file). Answers are those of the in-memory
`Retriever` over the same documents, bit for bit (same columns, same arithmetic).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Count, Max

from gongkai.documents import selectors as document_selectors
from gongkai.search import segmenter
from gongkai.text.articles import split_articles

from .retrieval import Retriever, _Column, _Compiled

logger = logging.getLogger(__name__)

FORMAT = 1
COLUMNS = ("bm25_start", "bm25_docs", "bm25_weights", "cos_start", "cos_docs", "cos_weights", "cover_idf",
           "cos_idf")  # fmt: skip
LOOKUP = ("vocab_hash", "vocab_ids", "vocab_blob", "vocab_offsets", "key_pk", "key_blob", "key_offsets")
RETRY_SECONDS = 30  # a web worker starts at most one build child this often (while one runs: none)


def build_mode() -> str:
    """How a stale or missing index is built: "process" (a child process on this host, or the Celery
    worker after a publication when a broker is set), "inline" (in the asking process: tests), "off".
    The setting ARTICLE_INDEX_BUILD, else the variable GONGKAI_ARTICLE_INDEX_BUILD."""
    return getattr(settings, "ARTICLE_INDEX_BUILD", None) or os.environ.get(
        "GONGKAI_ARTICLE_INDEX_BUILD", "process"
    )


def index_root() -> Path:
    """This host's folder for the database in use (two databases never share files): the setting
    ARTICLE_INDEX_DIR, else the variable GONGKAI_ARTICLE_INDEX_DIR, else article-index in DATA_DIR."""
    configured = getattr(settings, "ARTICLE_INDEX_DIR", None) or os.environ.get("GONGKAI_ARTICLE_INDEX_DIR")
    root = Path(configured) if configured else Path(settings.DATA_DIR) / "article-index"
    db = connection.settings_dict
    name = f"{connection.vendor}:{db.get('HOST') or ''}:{db.get('PORT') or ''}:{db.get('NAME')}"
    return root / hashlib.sha1(name.encode()).hexdigest()[:12]


def data_version() -> tuple[str, dt.datetime | None]:
    """(version, latest change) of the public documents: what the index was built from."""
    stats = document_selectors.public_documents().aggregate(n=Count("id"), last=Max("updated_at"))
    last = stats["last"]
    return f"{stats['n']}|{last.isoformat() if last else ''}", last


def _hash(token: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(token, digest_size=8).digest(), "little")


def _strings(values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(v) for v in values], dtype=np.int64)
    return np.frombuffer(b"".join(values), dtype=np.uint8), offsets


# ---------------------------------------------------------------- building (never in a web worker)
def article_retriever() -> Retriever:
    """The in-memory index of every public document's articles (keys: pk, title, label, text)."""
    segmenter.ensure_database_terms()
    retriever = Retriever()
    documents = document_selectors.public_documents()
    for document in documents.select_related(None).only("id", "title", "body_text").iterator():
        for article in split_articles(document.body_text or ""):
            if len(article.text) >= 10:
                retriever.add((document.pk, document.title, article.label, article.text),
                              answer=article.text, labels=[document.title])  # fmt: skip
    retriever.compile()
    return retriever


def arrays_of(retriever: Retriever) -> dict[str, np.ndarray]:
    """The compiled columns plus the token lookup (64-bit hashes, sorted) and the entries' keys."""
    compiled = retriever._compiled
    assert compiled is not None
    encoded = [token.encode() for token in retriever._vocab]  # in id order
    hashes = np.array([_hash(token) for token in encoded], dtype=np.uint64)
    order = np.argsort(hashes, kind="stable")
    vocab_blob, vocab_offsets = _strings(encoded)
    parts = [part.encode() for _pk, title, label, text in retriever.keys for part in (title, label, text)]
    key_blob, key_offsets = _strings(parts)
    return {
        "bm25_start": compiled.bm25.start, "bm25_docs": compiled.bm25.docs,
        "bm25_weights": compiled.bm25.weights, "cos_start": compiled.cosine.start,
        "cos_docs": compiled.cosine.docs, "cos_weights": compiled.cosine.weights,
        "cover_idf": np.asarray(compiled.cover_idf), "cos_idf": np.asarray(compiled.cos_idf),
        "vocab_hash": hashes[order], "vocab_ids": order.astype(np.int32), "vocab_blob": vocab_blob,
        "vocab_offsets": vocab_offsets, "key_blob": key_blob, "key_offsets": key_offsets,
        "key_pk": np.array([key[0] for key in retriever.keys], dtype=np.int64),
    }  # fmt: skip


class _HostLock:
    """One build at a time on this host (a lock file: released when its process ends, even killed)."""

    def __init__(self, root: Path, *, wait: bool) -> None:
        self.path, self.wait, self.file = root / "build.lock", wait, None

    def __enter__(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(self.path, "a")  # held until __exit__
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
        except BlockingIOError:
            return False
        return True

    def __exit__(self, *exc: object) -> None:
        self.file.close()


def build(*, if_stale: bool = False, wait: bool = True) -> dict[str, Any] | None:
    """Write the index of the public documents as of now; returns its manifest, or None when it was
    not built (`if_stale` and the files are current, or `wait=False` and another build runs)."""
    root = index_root()
    with _HostLock(root, wait=wait) as locked:
        if not locked:
            return None
        version, last = data_version()  # before the documents: a later change makes it look older
        manifest = read_manifest(root)
        if if_stale and manifest and manifest["version"] == version:
            return None
        started = time.process_time()
        retriever = article_retriever()
        folder = root / f"v-{uuid.uuid4().hex}"
        scratch = root / f"tmp-{folder.name}"
        scratch.mkdir(parents=True)
        for name, array in arrays_of(retriever).items():
            np.save(scratch / f"{name}.npy", array, allow_pickle=False)
        del retriever
        manifest = {"format": FORMAT, "version": version, "last": last.isoformat() if last else None,
                    "folder": folder.name, "built_at": dt.datetime.now(dt.UTC).isoformat(),
                    "cpu_seconds": round(time.process_time() - started, 3)}  # fmt: skip
        os.rename(scratch, folder)
        pointer = root / f"current.json.{folder.name}"
        pointer.write_text(json.dumps(manifest), encoding="utf-8")
        os.replace(pointer, root / "current.json")  # atomic: readers see the old or the new index
        for old in root.iterdir():  # mapped files stay readable to workers until they reload
            if old.is_dir() and old.name != folder.name:
                shutil.rmtree(old, ignore_errors=True)
        return manifest


def read_manifest(root: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads((root / "current.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if manifest.get("format") == FORMAT else None


# ---------------------------------------------------------------- reading (web workers)
class _FileArray:
    """A `.npy` file read by slices with `os.pread`: a question's slices are copied into memory it
    frees afterwards. (Mapped with `np.load(mmap_mode="r")`, the kernel maps whole page-cache folios
    around every page read: 60-80 MB of the files counted in the worker's RSS during one question at
    5,000 documents, for 6 MB of postings read.)"""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as file:
            version = np.lib.format.read_magic(file)
            read_header = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0)
                else np.lib.format.read_array_header_2_0
            )
            shape, _fortran, dtype = read_header(file)
            self.offset = file.tell()
        self.dtype, self.size = np.dtype(dtype), int(np.prod(shape))
        self.fd = os.open(path, os.O_RDONLY)

    def __del__(self) -> None:
        fd = getattr(self, "fd", None)
        if fd is not None:
            os.close(fd)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            start, stop, _step = index.indices(self.size)
            return self.read(start, max(start, stop))
        if not 0 <= index < self.size:
            raise IndexError(index)
        return self.read(index, index + 1)[0]

    def read(self, start: int, stop: int) -> np.ndarray:
        width = self.dtype.itemsize
        data = os.pread(self.fd, (stop - start) * width, self.offset + start * width)
        return np.frombuffer(data, dtype=self.dtype)


class _Hashes:
    """The sorted token hashes: every 512th in memory, one block of 512 read per lookup."""

    BLOCK = 512

    def __init__(self, hashes: _FileArray) -> None:
        self.file = hashes
        self.samples = np.array([hashes[i] for i in range(0, len(hashes), self.BLOCK)], dtype=np.uint64)

    def positions(self, value: np.uint64) -> list[int]:
        """Where `value` is (several places for a collision of two tokens' hashes)."""
        block = max(0, int(np.searchsorted(self.samples, value, side="right")) - 1)
        found: list[int] = []
        while block * self.BLOCK < len(self.file):
            start = block * self.BLOCK
            values = self.file.read(start, min(len(self.file), start + self.BLOCK))
            first, last = np.searchsorted(values, value), np.searchsorted(values, value, side="right")
            found.extend(range(start + int(first), start + int(last)))
            if last < len(values):
                break
            block += 1  # equal hashes may go on in the next block
        return found


class StoredRetriever(Retriever):
    """A compiled `Retriever` whose columns are read from the files: the same search, no build."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        arrays = {name: _FileArray(folder / f"{name}.npy") for name in COLUMNS + LOOKUP}
        self._arrays = arrays
        self._hashes = _Hashes(arrays["vocab_hash"])
        self._compiled = _Compiled(
            _Column(arrays["bm25_start"], arrays["bm25_docs"], arrays["bm25_weights"]),
            _Column(arrays["cos_start"], arrays["cos_docs"], arrays["cos_weights"]),
            arrays["cover_idf"], arrays["cos_idf"],
        )  # type: ignore[arg-type]  # fmt: skip
        self._postings = self._sizes = self._lengths = {}

    def __len__(self) -> int:
        return len(self._arrays["key_pk"])

    def add(self, key: object, **kwargs: Any) -> None:
        raise RuntimeError("a stored index is read-only: `article_index.build` writes a new one")

    def _token_id(self, token: str) -> int | None:
        raw = token.encode()
        for position in self._hashes.positions(np.uint64(_hash(raw))):  # a collision: compare the bytes
            token_id = int(self._arrays["vocab_ids"][position])
            start, stop = self._arrays["vocab_offsets"].read(token_id, token_id + 2)
            if self._arrays["vocab_blob"].read(int(start), int(stop)).tobytes() == raw:
                return token_id
        return None

    def _key(self, doc: int) -> tuple[int, str, str, str]:
        offsets = self._arrays["key_offsets"].read(3 * doc, 3 * doc + 4)
        blob = self._arrays["key_blob"].read(int(offsets[0]), int(offsets[3])).tobytes()
        title, label, text = (
            blob[offsets[i] - offsets[0] : offsets[i + 1] - offsets[0]].decode() for i in range(3)
        )
        return int(self._arrays["key_pk"][doc]), title, label, text


@dataclass
class Loaded:
    retriever: StoredRetriever
    version: str
    last: dt.datetime | None
    stat: tuple[str, int, int]


_lock = threading.Lock()
_state: dict[str, Any] = {"loaded": None, "child": None, "spawned_at": -RETRY_SECONDS}


def _load(root: Path) -> Loaded | None:
    """The index `current.json` names, mapped again only when that file changed."""
    try:
        stat = (root / "current.json").stat()
    except OSError:
        return None
    key = (str(root), stat.st_ino, stat.st_mtime_ns)
    loaded = _state["loaded"]
    if loaded is not None and loaded.stat == key:
        return loaded
    manifest = read_manifest(root)
    if manifest is None:
        return None
    try:
        retriever = StoredRetriever(root / manifest["folder"])
    except (OSError, ValueError):  # replaced by a newer build meanwhile: the next question reloads
        logger.warning("article index: could not open %s", manifest["folder"], exc_info=True)
        return loaded  # the previous files (still mapped), or None
    last = dt.datetime.fromisoformat(manifest["last"]) if manifest["last"] else None
    _state["loaded"] = Loaded(retriever, manifest["version"], last, key)
    return _state["loaded"]


def current() -> Loaded | None:
    """The index to answer from (possibly older than the database: answers are checked by
    `still_public`); starts a build when it is missing or stale. None when there is none yet."""
    version, _last = data_version()
    root = index_root()
    with _lock:
        loaded = _load(root)
        if loaded is not None and loaded.version == version:
            return loaded
        mode = build_mode()
        if mode == "inline":
            build(if_stale=True)
            loaded = _load(root)
        elif mode == "process":
            _spawn_build()
        return loaded


def still_public(document_id: int, loaded: Loaded) -> bool:
    """The document is public and unchanged since the index was built (its article may be shown)."""
    documents = document_selectors.public_documents().select_related(None).filter(pk=document_id)
    if loaded.last is None:
        return False
    return documents.filter(updated_at__lte=loaded.last).exists()


def _spawn_build() -> None:
    """`gongkai article_index --if-stale --no-wait` in a child process (called under `_lock`): its
    memory is not the web worker's. One child at a time per worker, and one build per host."""
    child = _state["child"]
    if child is not None and child.poll() is None:
        return
    if time.monotonic() - _state["spawned_at"] < RETRY_SECONDS:
        return
    _state["spawned_at"] = time.monotonic()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE") or settings.SETTINGS_MODULE,
    }
    try:
        _state["child"] = subprocess.Popen(
            [sys.executable, "-m", "gongkai.cli", "article_index", "--if-stale", "--no-wait"], env=env,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    except OSError:
        logger.exception("article index: could not start the build")


def schedule_build() -> None:
    """After a publication, a withdrawal or an edit (on commit): the Celery worker builds when a
    broker is set, otherwise a child process of this one; "inline" leaves it to the next question."""
    if build_mode() != "process":
        return
    from gongkai.celery import app

    if app.conf.task_always_eager:
        with _lock:
            _spawn_build()
        return
    from gongkai.core.tasks import run_task

    from . import tasks

    try:
        run_task(tasks.build_article_index)
    except Exception:  # never fail a publication; the next question starts a build
        logger.exception("article index: could not schedule the build")
