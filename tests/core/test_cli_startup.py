"""The everyday commands start without what they do not need (issue 20; timings: bench/cli_startup.py).

`gongkai deadline`, `gongkai docno normalize` and `gongkai search` run in a fresh process here and
report which heavy modules they imported: none of Celery, cn2an, the readers, report rendering or
the staff and API views; the segmenter only for `search`. Their answers stay what they were.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from database_reset import migrated_sqlite_database
from paths import ROOT

HEAVY = ["celery", "kombu", "cn2an", "jionlp", "reportlab", "pypdf", "docx", "gongkai.text.readers",
         "gongkai.reports.render", "gongkai.foi.api", "gongkai.ingest.views", "drf_spectacular.views"]  # fmt: skip
PROBE = """
import json, sys
from gongkai.cli import main
try:
    main(sys.argv[1:])
finally:
    print("\\nMODULES " + json.dumps(sorted(sys.modules)))
"""


def run_command(tmp_path: Path, *args: str) -> tuple[str, set[str]]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "GONGKAI_TEST_DB"}}
    env.update(GONGKAI_DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}",
               PYTHONPATH=str(ROOT / "src"))  # fmt: skip
    result = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True,
                            cwd=tmp_path, timeout=600)  # fmt: skip
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
    assert not modules & set(HEAVY)
    assert "rjieba" not in modules and "jieba" not in modules


def test_docno_normalize_imports_nothing_heavy(migrated):
    output, modules = run_command(migrated, "docno", "normalize", "--json", "国办发[2019]3号")
    assert json.loads(output)[0]["normalized"] == "国办发〔2019〕3号"
    assert not modules & set(HEAVY)
    assert "rjieba" not in modules and "jieba" not in modules


def test_search_loads_the_segmenter_but_not_celery_or_the_views(migrated):
    _output, modules = run_command(migrated, "search", "--json", "电信条例")
    assert not modules & set(HEAVY)


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
