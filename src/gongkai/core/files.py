"""Names for stored files: a user's file name may be any length; a file system's is 255 bytes.

A Chinese name of 86 characters is already 258 bytes of UTF-8, and storing it raised an OSError (a
500). The stored name is cut by bytes at a character boundary, keeping the extension; the full name
stays in the record as its display name.
"""

from __future__ import annotations

from pathlib import PurePosixPath

STORED_NAME_MAX_BYTES = 120  # leaves room for the suffix storages add to make a name unique


def display_name(filename: str) -> str:
    """The base name a browser sent (some send a whole Windows path)."""
    return PurePosixPath((filename or "").replace("\\", "/")).name.strip() or "file"


def storage_name(filename: str, max_bytes: int = STORED_NAME_MAX_BYTES) -> str:
    """`filename` cut to at most `max_bytes` bytes of UTF-8, extension kept."""
    name = display_name(filename)
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        stem, extension = name, ""
    extension = extension.encode()[:16].decode("utf-8", "ignore")
    suffix = f".{extension}" if extension else ""
    room = max(1, max_bytes - len(suffix.encode()))
    stem = stem.encode()[:room].decode("utf-8", "ignore") or "file"
    return stem + suffix
