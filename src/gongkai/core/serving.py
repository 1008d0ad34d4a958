"""What the WSGI entry point (`gongkai.wsgi`) needs from the server it runs under (issue 20).

`gongkai serve` runs granian, which builds each request's WSGI environ on top of the process
environment, as wsgiref does: without this, every request's `request.META` would carry the
deployment's variables (DATABASE_URL with its password, SECRET_KEY, CACHE_URL ...), and whatever
reports a request (an error mail, a log line) could carry them too. Requests that reach Django get
an environ without them; the page cache's front door, which reads only request headers, runs before
this filter and pays nothing for it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

# Variables that name request data in a WSGI environ (PEP 3333, CGI): never taken from the process.
CGI_NAMES = frozenset({
    "AUTH_TYPE", "CONTENT_LENGTH", "CONTENT_TYPE", "GATEWAY_INTERFACE", "PATH_INFO", "PATH_TRANSLATED",
    "QUERY_STRING", "REMOTE_ADDR", "REMOTE_HOST", "REMOTE_IDENT", "REMOTE_USER", "REQUEST_METHOD",
    "SCRIPT_NAME", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "SERVER_SOFTWARE",
})  # fmt: skip


def poses_as_request_data(name: str) -> bool:
    """A process variable named like request data (a header, a CGI variable): `gongkai serve` starts
    the server without such variables, so they can never stand for what a visitor sent."""
    return name.startswith("HTTP_") or name in CGI_NAMES


def process_variables() -> frozenset[str]:
    """Names of this process's environment variables that are not request data."""
    return frozenset(name for name in os.environ if not poses_as_request_data(name))


class WithoutProcessEnvironment:
    """WSGI middleware: the environ passed on holds the request's data, not the process's variables."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.process = process_variables()

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        process = self.process
        return self.app(
            {name: value for name, value in environ.items() if name not in process}, start_response
        )
