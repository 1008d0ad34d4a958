"""A first import on a fresh install (issue 12): no demo, organisations from a file, real documents.

The documents in fixtures/ingest/real are real (../shared/data policy-fulltext and laws samples).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from database_reset import migrated_sqlite_database
from gongkai.accounts.models import Organisation, User
from gongkai.core.models import Event
from gongkai.documents.models import Document
from paths import FIXTURES

REAL = FIXTURES / "ingest" / "real"
ORGANISATIONS = [
    {"code": "state-council", "name": "国务院", "organ_code": "国发",
     "extra_organ_codes": "国函,国务院令,中华人民共和国国务院令", "kind": "national"},
    {"code": "gac", "name": "海关总署", "organ_code": "署", "extra_organ_codes": "海关总署公告,海关总署令",
     "parent": "state-council", "kind": "national"},
    {"code": "ndrc", "name": "国家发展和改革委员会", "short_name": "国家发展改革委", "organ_code": "发改",
     "parent": "state-council", "kind": "national"},
]  # fmt: skip


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in REAL.iterdir():
        if path.suffix in (".txt", ".md"):
            shutil.copy(path, docs / path.name)
    return docs


@pytest.fixture
def organisations_file(tmp_path: Path) -> Path:
    path = tmp_path / "organisations.jsonl"
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ORGANISATIONS), encoding="utf-8"
    )
    return path


def _import(*args: str) -> tuple[list[dict], str, bool]:
    """(the JSON rows, standard error, whether the command failed)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", *args, "--json", stdout=out, stderr=err)
        failed = False
    except CommandError:
        failed = True
    return json.loads(out.getvalue()), err.getvalue(), failed


@pytest.mark.django_db(transaction=True)
def test_fresh_install_imports_real_documents_after_organisations_import(folder, organisations_file) -> None:
    assert not Organisation.objects.exists() and not Document.objects.exists()  # no demo
    User.objects.create_superuser("root", password="pw-123456789")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj<<")

    rows, err, failed = _import(str(folder), "--publish")
    assert failed and {row["status"] for row in rows} == {
        "failed"
    }  # before: every file refused, non-zero exit
    assert "失败 5 件" in err and "gongkai organisations import" in err

    call_command("organisations", "import", str(organisations_file), stdout=io.StringIO())
    rows, err, failed = _import(str(folder), "--publish")
    statuses = {Path(row["file"]).name: (row["status"], row["organisation"]) for row in rows}
    assert statuses == {
        "corrupt.pdf": ("failed", None),
        "customs-announcement-2016-8.txt": ("created", "gac"),
        "law-central-grain-reserves.md": ("created", "state-council"),
        "law-sino-foreign-cooperation-in-running-schools.md": ("created", "state-council"),
        "ndrc-2016-2120.txt": ("created", "ndrc"),
    }
    assert failed, "a failed file makes the command exit non-zero"
    assert "新导入 4 件，已导入过 0 件，失败 1 件。" in err and "corrupt.pdf" in err

    published = Document.objects.published()
    customs = published.get(doc_number="海关总署公告2016年第8号")
    assert customs.organisation.code == "gac" and customs.doc_year == 2016 and customs.doc_serial == 8
    law = published.get(title="中华人民共和国中外合作办学条例")
    assert law.doc_number == "中华人民共和国国务院令第372号" and law.organisation.code == "state-council"
    # the announcement opens from the search box and the list box in its other form too
    client = Client()
    response = client.get(reverse("search:search"), {"q": "海关总署2016年第8号"})
    assert response.status_code == 302 and response["Location"] == customs.get_absolute_url()
    listed = client.get(reverse("portal:document-list"), {"q": "海关总署 2016年第8号"})
    assert listed.status_code == 302 and listed["Location"] == customs.get_absolute_url()

    (folder / "corrupt.pdf").unlink()
    rows, err, failed = _import(str(folder), "--publish")
    assert not failed and {row["status"] for row in rows} == {"skipped"}
    assert "失败 0 件" in err


@pytest.mark.django_db(transaction=True)
def test_create_organisations_creates_only_issuers_it_recognises(folder, tmp_path) -> None:
    (folder / "unknown-issuer.txt").write_text(
        "某某县人民政府关于做好春耕工作的通知\n各乡镇人民政府：\n请做好春耕工作。\n某某县人民政府\n2024年3月1日\n",
        encoding="utf-8",
    )
    rows, err, failed = _import(str(folder), "--create-organisations")
    statuses = {Path(row["file"]).name: (row["status"], row["organisation"]) for row in rows}
    assert statuses["customs-announcement-2016-8.txt"] == ("created", "gac")
    assert statuses["law-central-grain-reserves.md"] == ("created", "state-council")
    assert statuses["ndrc-2016-2120.txt"] == ("created", "ndrc")
    assert statuses["unknown-issuer.txt"] == ("failed", None)
    assert failed and "某某县人民政府" in err and "不在内置机关代字表中" in err
    codes = {o.code: o for o in Organisation.objects.all()}
    assert set(codes) == {"gac", "state-council", "ndrc"}
    assert codes["gac"].name == "海关总署" and "海关总署公告" in codes["gac"].organ_codes()
    assert codes["gac"].kind == "national"
    assert Event.objects.filter(verb="accounts.organisation_created", actor_label="system").count() == 3
    assert Document.objects.filter(status="draft").count() == Document.objects.count() >= 4


@pytest.mark.skipif(os.environ.get("GONGKAI_TEST_DB") == "postgres", reason="the CLI run uses its own SQLite")
def test_the_command_line_on_a_fresh_data_directory(
    folder, organisations_file, tmp_path, fast_transactional_reset
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(GONGKAI_DATA_DIR=str(tmp_path / "var"), PYTHONIOENCODING="utf-8")

    def gongkai(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], env=env, capture_output=True,
                              text=True, timeout=300)  # fmt: skip

    # The schema as `migrate` leaves it, copied from this run's test database where it has one
    # (SQLite), so that `migrate` here only checks it and seeds: applying every migration again in
    # a fresh process would take most of this test's time and prove nothing the test setup has not.
    (tmp_path / "var").mkdir()
    migrated_sqlite_database(tmp_path / "var" / "gongkai.sqlite3")
    assert gongkai("migrate", "--verbosity", "0").returncode == 0
    assert gongkai("organisations", "import", str(organisations_file)).returncode == 0
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj<<")
    run = gongkai("import", str(folder), "--json")
    assert run.returncode == 1
    assert [row["status"] for row in json.loads(run.stdout)].count("created") == 4
    assert "新导入 4 件，已导入过 0 件，失败 1 件。" in run.stderr
    (folder / "corrupt.pdf").unlink()
    run = gongkai("import", str(folder))
    assert run.returncode == 0 and "新导入 0 件，已导入过 4 件，失败 0 件。" in run.stderr
    listing = json.loads(gongkai("organisations", "list", "--json").stdout)
    assert [row["code"] for row in listing] == ["state-council", "gac", "ndrc"]
