"""Who is participating, without an account: a signed browser token, or the logged-in user.

"One response per person as far as the web allows": a logged-in user is keyed by their account; anyone
else by a random token in a signed, HttpOnly cookie that lives a year. Clearing cookies or another
browser gets a new token, so the public forms are also rate limited per client address
(`core.http.rate_limited`). Only a SHA-256 of the key is stored: the database cannot link a response to
a browser or an account other than by recomputing the key from it.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

COOKIE = "gk_participant"
SALT = "gongkai.participation.participant"
MAX_AGE = 365 * 24 * 3600


def _token(request: HttpRequest) -> str:
    token = getattr(request, "_participant_token", None)
    if token is None:
        token = request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=MAX_AGE)
        if not token:
            token = secrets.token_urlsafe(24)
            request._participant_token_new = True  # type: ignore[attr-defined]
        request._participant_token = token  # type: ignore[attr-defined]
    return token


def participant_key(request: HttpRequest) -> str:
    """The stored key of this visitor: their account when logged in, else their browser token."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        raw = f"user:{user.pk}"
    else:
        raw = f"token:{_token(request)}"
    return hashlib.sha256(raw.encode()).hexdigest()


def remember(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Set the cookie on the response when this request created a token."""
    if getattr(request, "_participant_token_new", False):
        response.set_signed_cookie(
            COOKIE,
            request._participant_token,  # type: ignore[attr-defined]
            salt=SALT,
            max_age=MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def logged_in_user(request: HttpRequest) -> object | None:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
