from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import NUM_PROXIES
from .utils import env, env_bool, env_int, env_list

if not env("SECRET_KEY"):
    raise RuntimeError("SECRET_KEY must be set in production")
DEBUG = False

# Production settings: HTTPS unless HTTPS=false (then a plain-HTTP server, e.g. behind a proxy that
# does not forward the scheme: no redirect, no HSTS, no Secure cookies; `check --deploy` warns).
_site = urlsplit(env("SITE_URL") or "")
if not (_site.scheme and _site.hostname) or _site.path not in ("", "/"):
    raise ImproperlyConfigured(
        "SITE_URL must be set in production: scheme and host, e.g. https://gongkai.example.gov.cn"
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [_site.hostname])
HTTPS = env_bool("HTTPS", True)
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = SECURE_HSTS_INCLUDE_SUBDOMAINS
# Behind NUM_PROXIES trusted proxies, the scheme the visitor used comes from X-Forwarded-Proto.
if NUM_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
# Two-factor authentication is required of reviewers and administrators (OWASP ASVS 2.1, 等保 三级).
OTP_REQUIRED_ROLES = env_list("OTP_REQUIRED_ROLES", ["reviewer", "org_admin", "platform_admin"])
