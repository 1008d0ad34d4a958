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

# The demo's footer: clearly marked sample identifiers (a real site sets SITE_IDENTIFIER, SITE_ICP, SITE_PSB).
SITE_FOOTER = {
    **SITE_FOOTER,  # noqa: F405
    "site_code": env("SITE_IDENTIFIER", "0000000000（演示）"),
    "icp": env("SITE_ICP", "沪ICP备00000000号（演示）"),
    "psb": env("SITE_PSB", "沪公网安备00000000000000号（演示）"),
    "phone": env("SITE_CONTACT_PHONE", "021-00000000（演示）"),
}
