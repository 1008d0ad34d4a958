"""Development: the base settings; DEBUG only when DEBUG=true is set explicitly in the environment.

Commands that serve the site do not use this module: `gongkai serve` uses `production`, `gongkai
demo` uses `demo` (see `gongkai.cli.default_settings`).
"""

from .base import *  # noqa: F403
