"""Base settings: every value is read from the environment (see README and .env.example)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .utils import data_dir, env, env_bool, env_int, env_list

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

SECRET_KEY = env("SECRET_KEY", "insecure-dev-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address of the site (scheme, host and port, no trailing slash): every absolute link in
# the print view, feeds, the sitemap and e-mails is built from it, never from the request's host.
SITE_URL = (env("SITE_URL") or f"http://{env('GONGKAI_BIND', '127.0.0.1:8000')}").rstrip("/")

INSTALLED_APPS = [
    "gongkai.core.admin_config.AdminConfig",  # django.contrib.admin, admin modules loaded by urls.py
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "gongkai.core",
    "gongkai.accounts",
    "gongkai.taxonomy",
    "gongkai.documents",
    "gongkai.ingest",
    "gongkai.search",
    "gongkai.review",
    "gongkai.foi",
    "gongkai.topics",
    "gongkai.participation",
    "gongkai.interaction",
    "gongkai.reports",
    "gongkai.subscriptions",
    "gongkai.office",
    "gongkai.portal",
    "gongkai.demo",
    "gongkai.api",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gongkai.portal.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongkai.accounts.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.portal.middleware.URLLengthMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.portal.context_processors.site",
            ],
        },
    }
]

SQLITE_PATH = DATA_DIR / "gongkai.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"), conn_max_age=env_int("DB_CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; init_command runs on every connection.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "admin:login"

# --- Staff authentication (OWASP ASVS 4.0 V2/V3, 等保2.0 三级 身份鉴别) -----------------------------
# Failed logins are counted by django-axes in the database (shared by every worker): after
# LOGIN_FAILURE_LIMIT failures for one username, or from one address, further attempts are refused
# for LOGIN_LOCKOUT_MINUTES (each failure during the lockout starts the wait again).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "gongkai.core.http.client_address"
AXES_LOCKOUT_CALLABLE = "gongkai.accounts.views.lockout"
AXES_VERBOSE = False
# Two-factor authentication (TOTP, django-otp): every staff member may enrol an authenticator app;
# members holding one of these roles must (production requires reviewers and administrators).
OTP_REQUIRED_ROLES = env_list("OTP_REQUIRED_ROLES", [])
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Gongkai")
# Passwords set through forms and commands: long, not common, not guessable (zxcvbn score).
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 12)
PASSWORD_MIN_STRENGTH = env_int("PASSWORD_MIN_STRENGTH", 3)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "gongkai.accounts.passwords.StrengthValidator",
        "OPTIONS": {"min_score": PASSWORD_MIN_STRENGTH},
    },
]
# Sessions: the cookie ends with the browser (the public tracking page, staff alike); a session
# idle for SESSION_IDLE_MINUTES ends on the server (each request renews it); a staff login lasts
# at most SESSION_MAX_HOURS however active (accounts.middleware).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# dates as 2026年11月27日 on the Chinese pages and 27 November 2026 on the English ones
FORMAT_MODULE_PATH = ["gongkai.formats"]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")) or "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Uploads: attachments above this size or of another type are refused with a field error.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 50 * 1024 * 1024)
ATTACHMENT_EXTENSIONS = env_list(
    "ATTACHMENT_EXTENSIONS",
    ["pdf", "doc", "docx", "wps", "ofd", "xls", "xlsx", "et", "txt", "jpg", "jpeg", "png", "zip"],
)
# Per public application: how many attachments and how many bytes in all (checked while uploading).
FOI_APPLY_MAX_FILES = env_int("FOI_APPLY_MAX_FILES", 5)
FOI_APPLY_MAX_BYTES = env_int("FOI_APPLY_MAX_BYTES", 20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A form's fields without its files (a long regulation's text is well under 1 MiB); a larger post
# gets the 413 page.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("FORM_MAX_BYTES", 2 * 1024 * 1024)
# Longer URLs get the 414 page, except on views that cap their own input (the search page); granian
# (`gongkai serve`) passes URLs up to 64 KiB so that Django, not the server, answers.
URL_MAX_LENGTH = 4096

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "gongkai.api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env("API_ANON_RATE", "120/min"), "public_form": "10/hour"},
    "NUM_PROXIES": None,  # set below from NUM_PROXIES
    "EXCEPTION_HANDLER": "gongkai.api.exceptions.chinese_exception_handler",
}
# Reverse proxies in front of `gongkai serve`: client addresses (rate limits) come from X-Forwarded-For only
# through that many trusted hops; 0 means REMOTE_ADDR is the client.
NUM_PROXIES = env_int("NUM_PROXIES", 0)
REST_FRAMEWORK["NUM_PROXIES"] = NUM_PROXIES
# Public forms, per client address and hour (kept in the shared cache below).
FOI_APPLY_RATE_PER_HOUR = env_int("FOI_APPLY_RATE_PER_HOUR", 10)
# The SMS gateway of the applicant's receipt: dotted path of a callable (phone, text); none by default.
FOI_SMS_SENDER = env("FOI_SMS_SENDER", "")
# The tracking page forgets the request after this many idle seconds (and when the browser closes).
FOI_TRACK_IDLE_SECONDS = env_int("FOI_TRACK_IDLE_SECONDS", 30 * 60)
FOI_TRACK_RATE_PER_HOUR = env_int("FOI_TRACK_RATE_PER_HOUR", 30)
# 公众参与: comments and proposals, survey responses, event sign-ups and votes per client address and hour.
PARTICIPATION_COMMENT_RATE_PER_HOUR = env_int("PARTICIPATION_COMMENT_RATE_PER_HOUR", 10)
PARTICIPATION_SURVEY_RATE_PER_HOUR = env_int("PARTICIPATION_SURVEY_RATE_PER_HOUR", 20)
PARTICIPATION_SIGNUP_RATE_PER_HOUR = env_int("PARTICIPATION_SIGNUP_RATE_PER_HOUR", 10)
PARTICIPATION_VOTE_RATE_PER_HOUR = env_int("PARTICIPATION_VOTE_RATE_PER_HOUR", 60)
INTERACTION_QUESTION_RATE_PER_HOUR = env_int("INTERACTION_QUESTION_RATE_PER_HOUR", 10)
# 政民互动: the token other systems (12345, 中国政府网) send work orders with; empty disables the endpoint
INTERACTION_API_TOKEN = env("INTERACTION_API_TOKEN", "")
FOI_ENUMS = (
    "RequestStatus Outcome LetterKind LetterStatus ConsultationKind AppealKind AppealResult DeliveryMethod "
    "FeeStandard ApplicantKind Channel IdType InfoForm ExtensionStatus ServiceMethod AppealGrounds"
)
SPECTACULAR_SETTINGS = {
    "TITLE": "Gongkai 政务公开 API",
    "DESCRIPTION": "Public read API for published government documents, and staff write endpoints.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Stable OpenAPI enum names for choice sets that share a field name (status, kind, outcome).
    "ENUM_NAME_OVERRIDES": {
        "DocumentStatusEnum": "gongkai.documents.constants.DocumentStatus",
        "InterpretationKindEnum": "gongkai.documents.constants.InterpretationKind",
        **{f"FOI{name}Enum": f"gongkai.foi.constants.{name}" for name in FOI_ENUMS.split()},
        # Subsets offered by single endpoints: a case linked to no request, a decided result.
        "FOIUnlinkedAppealGroundsEnum": "gongkai.foi.constants.UNLINKED_APPEAL_GROUNDS_CHOICES",
        "FOIAppealDecisionEnum": "gongkai.foi.constants.APPEAL_DECISION_CHOICES",
    },
}

# Rate limits and throttles live in the cache, so it must be shared by every web worker and
# survive restarts: Redis when CACHE_URL is set, otherwise a table in the database (core.cache).
CACHES = {
    "default": (
        {"BACKEND": "gongkai.core.cache.RedisCache", "LOCATION": env("CACHE_URL")}
        if env("CACHE_URL")
        else {
            "BACKEND": "gongkai.core.cache.DatabaseCache",
            "LOCATION": "gongkai_cache",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 50000)},
        }
    )
}

# Celery: a real broker when CELERY_BROKER_URL is set, otherwise tasks run in-process (eager).
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "refresh-document-validity": {
        "task": "gongkai.documents.tasks.refresh_all_validity",
        "schedule": 60 * 60 * 6,
    },
    "warn-expiring-documents": {
        "task": "gongkai.documents.tasks.warn_expiring_documents",
        "schedule": 60 * 60 * 24,
    },
    "review-rereview-reminders": {
        "task": "gongkai.review.tasks.send_rereview_reminders",
        "schedule": 60 * 60 * 24,
    },
    "foi-overdue-reminders": {
        "task": "gongkai.foi.tasks.send_overdue_reminders",
        "schedule": 60 * 60 * 24,
    },
    "participation-report-reminders": {
        "task": "gongkai.participation.tasks.send_report_reminders",
        "schedule": 60 * 60 * 24,
    },
    "office-site-inspection": {
        "task": "gongkai.office.tasks.inspect_public_site",
        "schedule": 60 * 60 * 24 * 7,
    },
    "office-normative-expiry-warnings": {
        "task": "gongkai.office.tasks.send_normative_expiry_warnings",
        "schedule": 60 * 60 * 24,
    },
    "interaction-reply-reminders": {
        "task": "gongkai.interaction.tasks.send_reply_reminders",
        "schedule": 60 * 60 * 24,
    },
    "interaction-retrain-classifier": {
        "task": "gongkai.interaction.tasks.retrain_classifier",
        "schedule": 60 * 60 * 24 * 7,
    },
    "participation-catalogue-reminders": {
        "task": "gongkai.participation.tasks.send_catalogue_reminders",
        "schedule": 60 * 60 * 24,
    },
    "push-daily-digests": {
        "task": "gongkai.subscriptions.tasks.send_daily_digests",
        "schedule": 60 * 60 * 24,
    },
    "push-weekly-digests": {
        "task": "gongkai.subscriptions.tasks.send_weekly_digests",
        "schedule": 60 * 60 * 24 * 7,
    },
    "push-retry-webhooks": {"task": "gongkai.subscriptions.tasks.retry_webhooks", "schedule": 60},
}

# Push (精准推送): the shared webhook signing secret (a profile's own secret wins), its timeout, and
# the SMS backend (no provider is built in; the file backend writes to SMS_FILE_PATH).
PUSH_WEBHOOK_SECRET = env("PUSH_WEBHOOK_SECRET", "")
PUSH_WEBHOOK_TIMEOUT = env_int("PUSH_WEBHOOK_TIMEOUT", 10)
SMS_BACKEND = env("SMS_BACKEND", "gongkai.subscriptions.sms.FileBackend")
SMS_FILE_PATH = env("SMS_FILE_PATH", str(DATA_DIR / "sms"))
# 条例 Art. 18: withheld items are re-evaluated at this interval (days).
GONGKAI_REREVIEW_INTERVAL_DAYS = int(env("GONGKAI_REREVIEW_INTERVAL_DAYS", "365"))

# Without a real mail server, outgoing mail is written to files in the data directory (one per message).
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "noreply@gongkai.local")

SITE_NAME = env("SITE_NAME", "静安区政府信息公开平台")
SITE_NAME_EN = env("SITE_NAME_EN", "Jing'an District Government Information Openness")
# The footer every government website carries (《政府网站发展指引》, 国办发〔2017〕47号; GB/T 37668-2019):
# 主办单位, 承办单位, 网站标识码, ICP备案号, 公安机关备案号 and the contact for 联系我们 and 纠错.
SITE_FOOTER = {
    "sponsor": env("SITE_SPONSOR", "上海市静安区人民政府办公室"),
    "organiser": env("SITE_ORGANISER", "上海市静安区人民政府办公室"),
    "site_code": env("SITE_IDENTIFIER", ""),  # 网站标识码, issued by the 全国政府网站信息报送系统
    "icp": env("SITE_ICP", ""),  # ICP备案号, e.g. 沪ICP备xxxxxxxx号
    "psb": env("SITE_PSB", ""),  # 公安机关备案号, e.g. 沪公网安备 xxxxxxxxxxxxxx号
    "email": env("SITE_CONTACT_EMAIL", "gongkai@example.gov.cn"),
    "phone": env("SITE_CONTACT_PHONE", ""),
    "address": env("SITE_CONTACT_ADDRESS", ""),
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads it: forms carry the token
LANGUAGE_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_FAILURE_VIEW = "gongkai.portal.errors.csrf_failure"

# Content-Security-Policy on every response (django-csp): scripts and styles only from the site's own
# static files, no inline script or style; views that need more widen it for themselves (API docs).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

_ = _  # keep gettext_lazy imported for translators of setting labels

# Full-text search engine (search/backends/__init__.py): "" chooses by the database, a tantivy index of
# our own tokens in SEARCH_INDEX_DIR beside SQLite (derived data, rebuilt by `gongkai reindex`) and
# PostgreSQL's own full text on PostgreSQL; "fts5" keeps SQLite's FTS5 tables; "tantivy" also with PostgreSQL.
SEARCH_ENGINE = env("GONGKAI_SEARCH_ENGINE", "") or ""
SEARCH_INDEX_DIR = Path(env("GONGKAI_SEARCH_INDEX_DIR", str(DATA_DIR / "search-index")) or "")
# tantivy: the page's total and facets from tantivy's own aggregations, corrected with the facet table
# for documents indexed with older facet values ("aggregations", exact), or from every matching id
# counted against the facet table ("table", exact, slower for common words). docs/search.md.
SEARCH_TANTIVY_FACETS = env("GONGKAI_SEARCH_TANTIVY_FACETS", "aggregations") or "aggregations"
# Processes segmenting the texts of a rebuild of 2,000 documents or more (0: one per core, at most 4).
SEARCH_BUILD_PROCESSES = int(env("GONGKAI_SEARCH_BUILD_PROCESSES", "0") or 0)
