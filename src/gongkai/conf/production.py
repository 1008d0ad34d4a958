from .base import *  # noqa: F403
from .utils import env, env_bool

if not env("SECRET_KEY"):
    raise RuntimeError("SECRET_KEY must be set in production")
DEBUG = False
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
