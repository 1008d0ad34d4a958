"""The production settings: HTTPS only, HSTS, Secure and HttpOnly cookies, no DEBUG, a configured site
address, and a clean `manage.py check --deploy`; the commands that serve never use DEBUG."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from gongkai.cli import default_settings
from paths import ROOT

# What the test run's environment holds that a deployment would not (the browser tests set the last).
NOT_INHERITED = {
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "SECRET_KEY",
    "SITE_URL",
    "ALLOWED_HOSTS",
    "HTTPS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
PRODUCTION = {"SECRET_KEY": "x7Gq-test-only-" + "k" * 40, "SITE_URL": "https://gongkai.example.gov.cn"}
SHOWN = ["DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SESSION_COOKIE_SECURE",
         "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "ALLOWED_HOSTS", "SITE_URL"]  # fmt: skip


def run(args: list[str], settings_module: str | None, tmp_path, **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    clean |= {"GONGKAI_DATA_DIR": str(tmp_path), **env}
    if settings_module:
        clean["DJANGO_SETTINGS_MODULE"] = settings_module
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def settings_of(module: str, tmp_path, **env: str) -> dict:
    code = f"import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({{n: getattr(s, n) for n in {SHOWN!r}}}))"
    result = run(["-c", code], module, tmp_path, **env)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_are_https_only_without_debug(tmp_path):
    values = settings_of("gongkai.conf.production", tmp_path, **PRODUCTION, DEBUG="true")
    assert values["DEBUG"] is False  # DEBUG=true in the environment changes nothing in production
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_HTTPONLY"]
    assert (
        values["ALLOWED_HOSTS"] == ["gongkai.example.gov.cn"] and values["SITE_URL"] == PRODUCTION["SITE_URL"]
    )


def test_production_refuses_to_start_without_a_site_address(tmp_path):
    result = run(["-c", "import django; django.setup()"], "gongkai.conf.production", tmp_path,
                 SECRET_KEY=PRODUCTION["SECRET_KEY"])  # fmt: skip
    assert result.returncode != 0 and "SITE_URL must be set in production" in result.stderr


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], "gongkai.conf.production", tmp_path,
                 **PRODUCTION, NUM_PROXIES="1")  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_demo_is_plain_http_and_never_debug(tmp_path):
    values = settings_of("gongkai.conf.demo", tmp_path, DEBUG="true")
    assert (
        values["DEBUG"] is False and not values["SECURE_SSL_REDIRECT"] and not values["SESSION_COOKIE_SECURE"]
    )
    assert values["CSRF_COOKIE_HTTPONLY"] and values["SITE_URL"] == "http://127.0.0.1:8000"
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # a generated key, private to the owner


@pytest.mark.parametrize(
    ("argv", "module"),
    [
        (["gongkai", "serve"], "gongkai.conf.production"),
        (["gongkai", "demo"], "gongkai.conf.demo"),
        (["manage.py", "serve", "--bind", "0.0.0.0:8000"], "gongkai.conf.production"),
        (["gongkai", "migrate"], "gongkai.conf.dev"),
    ],
)
def test_commands_that_serve_use_the_serving_settings(argv, module):
    assert default_settings(argv) == module


def test_importing_gongkai_leaves_the_choice_to_the_entry_point(tmp_path):
    # `granian gongkai.wsgi:application` gets production unless told otherwise; the Celery app no longer picks dev first.
    code = "import os, gongkai, gongkai.celery; print(os.environ.get('DJANGO_SETTINGS_MODULE'))"
    assert run(["-c", code], None, tmp_path).stdout.strip() == "None"
    wsgi = "import os, gongkai.wsgi; print(os.environ['DJANGO_SETTINGS_MODULE'])"
    result = run(["-c", wsgi], None, tmp_path, **PRODUCTION)
    assert result.stdout.strip() == "gongkai.conf.production", result.stderr[-1000:]
