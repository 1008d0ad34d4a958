"""The everyday commands start without what they do not need (issue 20; timings: bench/cli_startup.py).

`gongkai deadline`, `gongkai docno normalize` and `gongkai search` run in a fresh process here and
report which heavy modules they imported: none of Celery, cn2an, the readers, report rendering or
the staff and API views; the segmenter only for `search`. They populate the app registry with the
apps they read only (gongkai.cli.LIGHT_COMMANDS): no admin module, no model or receiver of another
app, no REST framework. Their answers stay what they were, and what the same command answers after
the full django.setup(). The web process and the Celery worker still load everything: the admin
modules with the URL conf (core.admin_config), every receiver at django.setup().
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from database_reset import migrated_sqlite_database
from paths import ROOT
from worker_helpers import child_process_env

HEAVY = ["celery", "kombu", "cn2an", "jionlp", "reportlab", "pypdf", "docx", "gongkai.text.readers",
         "gongkai.reports.render", "gongkai.foi.api", "gongkai.ingest.views", "drf_spectacular.views",
         # what django.setup() loads for the other apps: admin modules, their models and receivers
         "django.contrib.admin", "gongkai.documents.admin", "gongkai.accounts.admin", "rest_framework",
         "axes", "csp", "gongkai.review.models", "gongkai.foi.models", "gongkai.interaction.models",
         "gongkai.participation.models", "gongkai.subscriptions.receivers", "gongkai.portal.apps",
         "gongkai.review.detector", "django.views.debug"]  # fmt: skip
# deadline and docno: no document model, no index, no segmenter
NOT_FOR_TEXT_TOOLS = ["gongkai.documents.models", "gongkai.search.models", "gongkai.accounts.models",
                      "gongkai.search.segmenter", "rjieba", "jieba"]  # fmt: skip
PROBE = """
import json, sys
from gongkai.cli import main
try:
    main(sys.argv[1:])
finally:
    print("\\nMODULES " + json.dumps(sorted(sys.modules)))
"""


def run_process(tmp_path: Path, script: str, *args: str, **env_vars: str) -> subprocess.CompletedProcess:
    """`python -c script args` in a fresh process on the SQLite database in `tmp_path`, or as `env_vars` say."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "GONGKAI_TEST_DB"}}
    env.update(GONGKAI_DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}",
               PYTHONPATH=str(ROOT / "src"), **env_vars)  # fmt: skip
    return subprocess.run([sys.executable, "-c", script, *args], env=env, capture_output=True, text=True,
                          cwd=tmp_path, timeout=600)  # fmt: skip


def run_command(tmp_path: Path, *args: str, **env_vars: str) -> tuple[str, set[str]]:
    """The output of `gongkai args` and the modules it imported."""
    result = run_process(tmp_path, PROBE, *args, **env_vars)
    assert result.returncode == 0, result.stderr[-2000:]
    output, _, modules = result.stdout.rpartition("\nMODULES ")
    return output, set(json.loads(modules))


@pytest.fixture(scope="module")
def migrated(tmp_path_factory, fast_transactional_reset) -> Path:
    """A migrated database for the commands: a copy of the test database as `migrate` left it, where
    the run has one (SQLite), or a `migrate` in a fresh process."""
    folder = tmp_path_factory.mktemp("cli-startup")
    if not migrated_sqlite_database(folder / "cli.sqlite3"):
        run_command(folder, "migrate", "-v0")
    return folder


def test_deadline_imports_nothing_heavy(migrated):
    output, modules = run_command(migrated, "deadline", "--from", "2025-09-28", "--working-days", "20")
    assert "2025-10-31" in output  # 国庆 and 中秋 2025 skipped, as before
    assert not modules & set(HEAVY + NOT_FOR_TEXT_TOOLS)


def test_docno_normalize_imports_nothing_heavy(migrated):
    output, modules = run_command(migrated, "docno", "normalize", "--json", "国办发[2019]3号")
    assert json.loads(output)[0]["normalized"] == "国办发〔2019〕3号"
    assert not modules & set(HEAVY + NOT_FOR_TEXT_TOOLS)
    assert "gongkai.core.models" not in modules  # no table at all


@pytest.mark.django_db
def test_deadline_in_a_year_not_entered_is_refused_as_after_the_full_setup(migrated):
    args = ["deadline", "--from", "2099-12-01", "--working-days", "5"]
    result = run_process(migrated, PROBE, *args)
    with pytest.raises(CommandError) as refused:
        call_command(*args)
    assert str(refused.value) == "2099年节假日安排尚未录入"
    assert result.returncode == 1
    assert result.stderr.strip() == f"CommandError: {refused.value}"


def test_search_loads_the_segmenter_but_not_celery_or_the_views(migrated):
    _output, modules = run_command(migrated, "search", "--json", "电信条例")
    assert not modules & set(HEAVY)
    assert "rjieba" in modules or "jieba" in modules


@pytest.mark.django_db(transaction=True)
def test_search_answers_as_after_the_full_setup(make_document, make_org, capsys, tmp_path):
    """The registry of `gongkai search` holds a few apps: its hits, scores, snippets, links, the 文号
    match and the notices are those of the command run in this fully set-up process."""
    make_document(
        "中华人民共和国电信条例", published_date="2016-02-06", body_text="为了规范电信市场秩序，制定本条例。"
    )
    make_document("国务院办公厅关于做好托育服务工作的通知", doc_number="国办发〔2019〕3号", published_date="2019-01-05",
                  body_text="发展普惠托育服务，规范托育机构。电信企业不在此列。")  # fmt: skip
    make_document("关于印发托育机构设置标准的通知", published_date="2019-10-08", body_text="托育机构设置标准。",
                  organisation=make_org("wsjkw", name="卫生健康委", organ_code="卫健委"))  # fmt: skip
    queries = ["电信条例", "托育 -标准", "国办发[2019]3号", "托育机构", "卫生健康委", "不存在的说法"]
    env = {"GONGKAI_TEST_DB": os.environ.get("GONGKAI_TEST_DB", ""), **child_process_env()}
    for query in queries:
        light, modules = run_command(tmp_path, "search", "--json", "--limit", "5", query, **env)
        assert "gongkai.review.models" not in modules  # the light registry answered
        call_command("search", "--json", "--limit", "5", query)
        assert json.loads(light) == json.loads(capsys.readouterr().out), query
    assert json.loads(light)["count"] == 0
    assert json.loads(run_command(tmp_path, "search", "--json", "托育", **env)[0])["count"] == 2


WEB_PROBE = """
import json, sys
from django.dispatch import Signal
from django.db.models import signals as model_signals
from django.contrib.auth import signals as auth_signals

def receivers():
    from gongkai.core import signals as core_signals
    from gongkai.documents import signals as document_signals
    found = set()
    for module in (model_signals, auth_signals, core_signals, document_signals):
        for signal in vars(module).values():
            if isinstance(signal, Signal):
                found |= {key[0] for key, *_rest in signal.receivers if isinstance(key[0], str)}
    return sorted(found)

if sys.argv[1] == "web":
    from gongkai.wsgi import application
    from django.contrib import admin
    from django.test import Client
    status = Client().get("/admin/login/").status_code
    models = sorted(f"{m._meta.label}" for m in admin.site._registry)
    print(json.dumps({"status": status, "admin": models, "receivers": receivers()}))
else:
    from gongkai.celery import app
    app.loader.import_default_modules()  # what the worker does first: django.setup() through the fixup
    print(json.dumps({"receivers": receivers()}))
"""
# Receivers that must run wherever documents change: the index, subscriptions, the page cache, review
# tasks, the knowledge base, region tags, the calendar cache and the login time.
RECEIVERS = {"search.on_published", "search.on_organisation_saved", "subscriptions-published",
             "portal.pagecache.post_save", "review-open-task", "interaction.kb_changed", "taxonomy-region-tags",
             "calendar-cache-WorkCalendarDay-save", "gongkai-login-time"}  # fmt: skip


def test_web_process_has_the_admin_and_every_receiver_and_the_worker_every_receiver(migrated):
    web = run_process(migrated, WEB_PROBE, "web", DJANGO_SETTINGS_MODULE="gongkai.conf.dev")
    assert web.returncode == 0, web.stderr[-2000:]
    web = json.loads(web.stdout.splitlines()[-1])
    assert web["status"] == 200
    assert {"documents.Document", "foi.FOIRequest", "accounts.User", "core.WorkCalendar"} <= set(web["admin"])
    assert RECEIVERS <= set(web["receivers"])
    worker = run_process(migrated, WEB_PROBE, "worker", DJANGO_SETTINGS_MODULE="gongkai.conf.dev")
    assert worker.returncode == 0, worker.stderr[-2000:]
    assert set(json.loads(worker.stdout.splitlines()[-1])["receivers"]) == set(web["receivers"])


@pytest.mark.django_db(transaction=True)
def test_search_command_links_results_to_the_public_page(make_document, capsys):
    document = make_document(
        "中华人民共和国电信条例", published_date="2016-02-06", body_text="规范电信市场秩序。"
    )
    call_command("search", "电信条例", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["hits"][0]["url"] == document.get_absolute_url()


def test_celery_app_is_still_found_by_the_worker_entry_point():
    import gongkai
    from gongkai.celery import app

    assert gongkai.celery_app is app
