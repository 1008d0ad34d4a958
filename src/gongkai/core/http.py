"""Client addresses and rate limits for public forms, aware of the trusted reverse proxies; URL limits."""

from __future__ import annotations

import ipaddress
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

ViewT = TypeVar("ViewT")


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, or the address the last trusted proxy saw.

    `NUM_PROXIES` (environment) says how many reverse proxies stand in front of `gongkai serve`; entries
    of X-Forwarded-For beyond them are written by the client and never trusted.
    """
    proxies = settings.NUM_PROXIES
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limited(request: HttpRequest, bucket: str, limit: int, seconds: int = 3600) -> bool:
    """A fixed-window limit per client address; True once the visitor is over `limit` in the window."""
    key = f"rate:{bucket}:{client_ip(request)}"
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, seconds)
        count = 1
    return count > limit


def allows_long_query(view: ViewT) -> ViewT:
    """Mark a view (function, or class such as a DRF viewset) that caps its own over-long input with a
    message, so that it never gets the 414 page."""
    view.long_query_allowed = True  # type: ignore[attr-defined]
    return view


def site_url(path: str = "/") -> str:
    """An absolute link on the site's configured public address (SITE_URL), never the request's host.

    Used wherever a link leaves the page it was made on: the print view, feeds, the sitemap, e-mails.
    """
    return settings.SITE_URL + path


def client_address(request: HttpRequest) -> str | None:
    """`client_ip` when it is a valid IP address, else None (the login records of django-axes)."""
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def content_disposition(filename: str, *, fallback: str = "download", inline: bool = False) -> str:
    """A Content-Disposition header that keeps a file's original name (RFC 6266): `filename*=UTF-8''…`
    (RFC 5987) for every browser that reads it, and an ASCII `filename="…"` for those that do not.

    The ASCII name keeps the extension and whatever ASCII the name had; a name with none (e.g. a
    Chinese title) falls back to `fallback` with the extension.
    """
    import unicodedata
    from urllib.parse import quote

    name = "".join(ch for ch in filename if unicodedata.category(ch)[0] != "C") or fallback
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        stem, extension = name, ""
    ascii_extension = extension.encode("ascii", "ignore").decode()
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = "".join(ch if ch.isalnum() or ch in "-_.()[] " else "_" for ch in ascii_stem).strip(" ._")
    if not any(ch.isalnum() for ch in ascii_stem):
        ascii_stem = fallback
    ascii_name = ascii_stem + (f".{ascii_extension}" if ascii_extension else "")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
