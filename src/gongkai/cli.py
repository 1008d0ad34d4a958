"""The `gongkai` console script: every management command, e.g. `gongkai demo`, `gongkai search`."""

from __future__ import annotations

import os
import sys

# Commands that serve the site never run with the development settings: `serve` uses production
# (DEBUG off, HTTPS) unless DJANGO_SETTINGS_MODULE says otherwise, `demo` the local plain-HTTP demo.
SERVING_SETTINGS = {"serve": "gongkai.conf.production", "demo": "gongkai.conf.demo"}

# Text utilities that start in well under 0.5 s (issue 20, docs/performance.md): the app registry
# holds only the apps they use (the 文号 parser: none; the working-day clock: the calendar tables),
# not the 30-odd installed apps with their models and receivers. Each is still an ordinary
# management command: `gongkai help deadline` and call_command() run it after django.setup().
LIGHT_COMMANDS = {
    "deadline": (
        "gongkai.core.management.commands.deadline",
        ["django.contrib.contenttypes", "gongkai.core"],
    ),
    "docno": ("gongkai.ingest.management.commands.docno", []),
}


def default_settings(args: list[str]) -> str:
    """The settings module for a command line when DJANGO_SETTINGS_MODULE is not set."""
    return SERVING_SETTINGS.get(args[1] if len(args) > 1 else "", "gongkai.conf.dev")


def run_light(args: list[str]) -> bool:
    """Run `args` as a light command with a partial app registry; False when it is not one."""
    light = LIGHT_COMMANDS.get(args[1])
    if light is None or any(arg.startswith(("--settings", "--pythonpath")) for arg in args):
        return False
    import importlib
    import logging

    from django.apps import apps
    from django.conf import settings
    from django.utils.module_loading import import_string

    module, app_names = light
    # What django.setup() does, with fewer apps: the project's logging, but not Django's default
    # logging of requests and mails to ADMINS, whose handler imports the debug views (≈ 0.1 s).
    logging.captureWarnings(True)
    if settings.LOGGING_CONFIG and settings.LOGGING:
        import_string(settings.LOGGING_CONFIG)(settings.LOGGING)
    apps.populate([app for app in settings.INSTALLED_APPS if app in app_names])
    importlib.import_module(module).Command().run_from_argv(args)
    return True


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else ["gongkai", *argv])
    if len(args) == 1:
        args.append("help")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default_settings(args))
    if run_light(args):
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
