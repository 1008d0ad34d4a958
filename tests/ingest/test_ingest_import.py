"""Import (CLI and back office): idempotent by content hash, drafts through the document services."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from gongkai.accounts.constants import Role
from gongkai.accounts.models import User
from gongkai.documents.constants import DocumentStatus, RelationType
from gongkai.documents.models import Document
from gongkai.ingest.models import ImportRecord, ImportStatus
from paths import FIXTURES as ALL_FIXTURES

FIXTURES = ALL_FIXTURES / "ingest"


def _run(*args: str, fails: bool = False) -> list[dict]:
    """The command's one JSON document; `fails`: it must also exit non-zero (CommandError)."""
    out, err = io.StringIO(), io.StringIO()
    if fails:
        with pytest.raises(CommandError):
            call_command(*args, "--json", stdout=out, stderr=err)
    else:
        call_command(*args, "--json", stdout=out, stderr=err)
    return json.loads(out.getvalue())


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(FIXTURES / "workplan.txt", tmp_path / "workplan.txt")
    shutil.copy(FIXTURES / "govdoc-397.pdf", tmp_path / "govdoc.pdf")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    (tmp_path / "notes.json").write_text("{}")  # not a document type: not collected
    return tmp_path


def test_extract_command_returns_one_object_per_file_in_order(office) -> None:
    rows = _run("extract", str(FIXTURES / "workplan.txt"), "/nonexistent.pdf", fails=True)
    assert [row["file"] for row in rows] == [str(FIXTURES / "workplan.txt"), "/nonexistent.pdf"]
    plan = rows[0]
    assert plan["error"] is None
    assert plan["doc_number"] == "静府办发〔2023〕5号"
    assert plan["written_date"] == plan["printed_date"] == "2023-04-23"
    assert plan["issuers"][0]["canonical_name"] == "上海市静安区人民政府办公室"
    assert plan["issuers"][0]["organisation"] == office.code  # resolved to accounts.Organisation
    assert rows[1]["error"]["message"]


def test_docno_normalize_reads_stdin(monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("豫政办 〔2006〕69号\n不是文号\n"))
    rows = _run("docno", "normalize")
    assert rows[0]["normalized"] == "豫政办〔2006〕69号" and rows[0]["error"] is None
    assert rows[1]["normalized"] is None and rows[1]["error"]


def test_import_folder_twice_creates_each_document_once(office, folder) -> None:
    first = _run("import", str(folder), "--organisation", office.code, fails=True)  # broken.pdf failed
    statuses = {Path(row["file"]).name: row["status"] for row in first}
    assert statuses == {"broken.pdf": "failed", "govdoc.pdf": "created", "workplan.txt": "created"}
    count = Document.objects.count()
    assert count == 3  # the notice, the issued 工作要点, the joint notice
    notice = Document.objects.get(doc_number="静府办发〔2023〕5号")
    assert notice.status == DocumentStatus.DRAFT and notice.organisation == office
    relation = notice.outgoing_relations.get(relation_type=RelationType.ISSUES)
    assert relation.target.title == "2023年静安区政务公开工作要点"
    second = _run("import", str(folder), "--organisation", office.code, fails=True)
    assert {Path(row["file"]).name: row["status"] for row in second}["workplan.txt"] == "skipped"
    assert Document.objects.count() == count
    assert ImportRecord.objects.count() == 2  # the broken file left no record


def test_import_with_publish_as_platform_admin(office) -> None:
    User.objects.create_superuser("root", password="pw-123456789", organisation=office)
    rows = _run(
        "import",
        str(FIXTURES / "workplan.txt"),
        "--organisation",
        office.code,
        "--publish",
        "--actor",
        "root",
    )
    assert rows[0]["status"] == "created"
    assert Document.objects.published().filter(title="2023年静安区政务公开工作要点").exists()
    assert (
        Document.objects.published().get(doc_number="静府办发〔2023〕5号").published_date.isoformat()
        == "2023-04-23"
    )


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def upload_file(editor_client, django_capture_on_commit_callbacks):
    """Upload through the screen and let the queued extraction task run (eager, after commit)."""

    def post(name: str, content: bytes):
        upload = io.BytesIO(content)
        upload.name = name
        with django_capture_on_commit_callbacks(execute=True):
            return editor_client.post(reverse("ingest:upload"), {"files": [upload]})

    return post


def test_upload_confirm_and_save_as_draft(editor_client, upload_file, editor, office) -> None:
    content = (
        (FIXTURES / "workplan.txt")
        .read_bytes()
        .replace("各人民团体".encode(), "各人民团体<script>alert(1)</script>".encode())
    )
    response = upload_file("plan.txt", content)
    record = ImportRecord.objects.get()
    assert response.status_code == 302 and response.url == reverse("ingest:record-status", args=[record.pk])
    response = editor_client.get(response.url)
    assert response.status_code == 302 and response.url == reverse("ingest:record-confirm", args=[record.pk])
    page = editor_client.get(response.url).content.decode()
    assert '<mark data-key="doc_number" title="发文字号">静府办发〔2023〕5号</mark>' in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert 'value="静府办发〔2023〕5号"' in page
    response = editor_client.post(reverse("ingest:record-confirm", args=[record.pk]), {
        "title": "上海市静安区人民政府办公室关于印发《2023年静安区政务公开工作要点》的通知", "doc_number": "静府办发[2023]05号",
        "doc_type": "notice", "written_date": "2023-04-23", "relation_0": "1",
    })  # fmt: skip
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == ImportStatus.IMPORTED
    assert (
        record.document.doc_number == "静府办发〔2023〕5号" and record.document.status == DocumentStatus.DRAFT
    )
    assert record.document.created_by == editor


def test_bad_doc_number_on_confirm_names_the_field_and_saves_nothing(editor_client, upload_file) -> None:
    upload_file("plan.txt", (FIXTURES / "workplan.txt").read_bytes())
    record = ImportRecord.objects.get()
    response = editor_client.post(reverse("ingest:record-confirm", args=[record.pk]),
                                  {"title": "标题", "doc_number": "不是文号", "doc_type": "notice"})  # fmt: skip
    assert response.status_code == 200
    assert "发文字号“不是文号”无法识别" in response.content.decode()
    assert Document.objects.count() == 0


def test_upload_of_a_bad_file_reports_it(editor_client) -> None:
    upload = io.BytesIO(b"\x00\x01\x02" * 500)
    upload.name = "x.pdf"
    response = editor_client.post(reverse("ingest:upload"), {"files": [upload]})
    assert response.status_code == 200 and "无法识别的文件格式" in response.content.decode()
    assert not ImportRecord.objects.exists()


def test_staff_of_another_organisation_and_anonymous_users_are_kept_out(
    editor_client, upload_file, make_user, other_org
) -> None:
    upload_file("plan.txt", (FIXTURES / "workplan.txt").read_bytes())
    record = ImportRecord.objects.get()
    outsider = make_user("edu-editor", other_org, Role.EDITOR)
    client = Client()
    client.force_login(outsider)
    assert client.get(reverse("ingest:record-confirm", args=[record.pk])).status_code == 404
    assert Client().get(reverse("ingest:upload")).status_code == 302
    no_role = make_user("nobody", other_org)
    client.force_login(no_role)
    assert client.get(reverse("ingest:upload")).status_code == 403
    assert Group.objects.filter(name=Role.EDITOR).exists()


def test_forms_require_csrf(editor) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(reverse("ingest:upload"), {}).status_code == 403
