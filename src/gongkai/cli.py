"""The `gongkai` console script: every management command, e.g. `gongkai demo`, `gongkai search`."""

from __future__ import annotations

import os
import sys

# Commands that serve the site never run with the development settings: `serve` uses production
# (DEBUG off, HTTPS) unless DJANGO_SETTINGS_MODULE says otherwise, `demo` the local plain-HTTP demo.
SERVING_SETTINGS = {"serve": "gongkai.conf.production", "demo": "gongkai.conf.demo"}


def default_settings(args: list[str]) -> str:
    """The settings module for a command line when DJANGO_SETTINGS_MODULE is not set."""
    return SERVING_SETTINGS.get(args[1] if len(args) > 1 else "", "gongkai.conf.dev")


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else ["gongkai", *argv])
    if len(args) == 1:
        args.append("help")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default_settings(args))
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
