from .base import *  # noqa: F403
from .utils import env, env_bool, env_list

if not env("SECRET_KEY"):
    raise RuntimeError("SECRET_KEY must be set in production")
DEBUG = False
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
# Two-factor authentication is required of reviewers and administrators (OWASP ASVS 2.1, 等保 三级).
OTP_REQUIRED_ROLES = env_list("OTP_REQUIRED_ROLES", ["reviewer", "org_admin", "platform_admin"])
