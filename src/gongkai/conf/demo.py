"""The local demo (`make demo`, `gongkai demo`): DEBUG off, served over plain HTTP on this machine.

Everything the production settings harden stays on (CSP, error pages, HttpOnly cookies) except what
needs HTTPS: no redirect to https, no HSTS and no Secure flag on cookies, because a browser on
http://127.0.0.1:8000 would otherwise be sent to an https address that does not exist and would
drop the session and CSRF cookies. A secret key is generated once in the data directory unless
SECRET_KEY is set.
"""

from .base import *  # noqa: F403
from .base import DATA_DIR
from .utils import env, persistent_secret_key

DEBUG = False
SECRET_KEY = env("SECRET_KEY") or persistent_secret_key(DATA_DIR / "secret_key")
