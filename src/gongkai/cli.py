"""The `gongkai` console script: every management command, e.g. `gongkai demo`, `gongkai search`."""

from __future__ import annotations

import os
import sys

# Commands that serve the site never run with the development settings: `serve` uses production
# (DEBUG off, HTTPS) unless DJANGO_SETTINGS_MODULE says otherwise, `demo` the local plain-HTTP demo.
SERVING_SETTINGS = {"serve": "gongkai.conf.production", "demo": "gongkai.conf.demo"}

# Commands that start in well under 0.5 s (issue 20, docs/performance.md "Command-line start-up"):
# the app registry holds only the apps each one reads (the 文号 parser: none; the working-day clock:
# the calendar tables; search: documents with their organisations and taxonomy, the index, and the
# topics that annotate hits), not the 30-odd installed apps with their models, admin modules and
# receivers. They only read, so no receiver of a missing app is skipped. Each stays an ordinary
# management command: `gongkai help search` and call_command() run it after the full
# django.setup(), and tests/core/test_cli_startup.py pins that both answer alike.
LIGHT_COMMANDS = {
    "deadline": (
        "gongkai.core.management.commands.deadline",
        ["django.contrib.contenttypes", "gongkai.core"],
    ),
    "docno": ("gongkai.ingest.management.commands.docno", []),
    "search": (
        "gongkai.search.management.commands.search",
        [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django_otp",
            "django_otp.plugins.otp_totp",
            "gongkai.core",
            "gongkai.accounts",
            "gongkai.taxonomy",
            "gongkai.documents",
            "gongkai.search",
            "gongkai.topics",
        ],
    ),
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
    if settings.FORCE_SCRIPT_NAME is not None:  # otherwise the prefix is "/" already
        from django.urls import set_script_prefix

        set_script_prefix(settings.FORCE_SCRIPT_NAME)
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
