from .base import *  # noqa: F403
from .utils import env_bool

DEBUG = env_bool("DEBUG", True)
