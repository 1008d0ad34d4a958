"""Test settings: SQLite by default; PostgreSQL when GONGKAI_TEST_DB=postgres (see Makefile)."""

import hashlib
import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, PACKAGE_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="gongkai-media-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL")

# One test database per checkout, so parallel worktrees on one PostgreSQL do not collide.
_suffix = hashlib.sha1(str(PACKAGE_DIR).encode()).hexdigest()[:8]
if os.environ.get("GONGKAI_TEST_DB") == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "gongkai",
            "USER": os.environ.get("PGUSER", "postgres"),
            "HOST": os.environ.get("PGHOST", "127.0.0.1"),
            "PORT": os.environ.get("PGPORT", "5432"),
            "PASSWORD": os.environ.get("PGPASSWORD", ""),
            "TEST": {"NAME": f"test_gongkai_{_suffix}"},
        }
    }
else:
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"gongkai-test-{_suffix}.sqlite3")
    }
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="gongkai-static-"))
# A tantivy index per test process; a process a test starts (the command line, a Celery worker) uses the
# index of that test, as it uses its database (GONGKAI_WORKER_DB_NAME below).
SEARCH_INDEX_DIR = Path(
    os.environ.get("GONGKAI_WORKER_SEARCH_INDEX_DIR") or tempfile.mkdtemp(prefix="gongkai-search-index-")
)

# A Celery worker started by a test points at that test's database through this variable.
if os.environ.get("GONGKAI_WORKER_DB_NAME"):
    DATABASES["default"]["NAME"] = os.environ["GONGKAI_WORKER_DB_NAME"]
    DATABASES["default"].pop("TEST", None)
# 搜问一体's article index: a stale or missing one is built by the asking test, not a child process
ARTICLE_INDEX_BUILD = "inline"
