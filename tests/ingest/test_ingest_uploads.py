"""Uploads (issue 11): read in a task, not in the web request; hostile files fail cleanly; per-
organisation de-duplication; file names longer than the file system allows."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.accounts.constants import Role
from gongkai.documents import services as documents
from gongkai.ingest.models import ImportRecord, ImportStatus
from paths import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import fuzz_corpus

from paths import FIXTURES as ALL_FIXTURES

FIXTURES = ALL_FIXTURES / "ingest"
WORKPLAN = (FIXTURES / "workplan.txt").read_bytes()
LONG_NAME = (
    "上海市静安区人民政府办公室关于印发《2023年静安区政务公开工作要点》的通知及其附件和配套解读材料汇编" * 2
    + ".txt"
)


def _post(client: Client, name: str, content: bytes):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(reverse("ingest:upload"), {"files": [upload]})


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.mark.django_db
def test_the_upload_request_only_queues_the_file_and_the_status_page_follows_it(
    editor_client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(editor_client, "plan.txt", WORKPLAN)
    record = ImportRecord.objects.get()
    # nothing was read in the request: the record waits for the task
    assert record.status == ImportStatus.QUEUED and record.text == "" and record.extraction == {}
    assert response.url == reverse("ingest:record-status", args=[record.pk])
    page = editor_client.get(response.url).content.decode()
    assert 'data-status="queued"' in page and 'http-equiv="refresh"' in page
    assert editor_client.get(reverse("ingest:record-confirm", args=[record.pk])).url == response.url

    for callback in callbacks:  # the worker's turn
        callback()
    record.refresh_from_db()
    assert record.status == ImportStatus.PENDING and record.extraction["doc_number"] == "静府办发〔2023〕5号"
    ready = editor_client.get(reverse("ingest:record-status", args=[record.pk]))
    assert ready.status_code == 302 and ready.url == reverse("ingest:record-confirm", args=[record.pk])


@pytest.mark.django_db
def test_an_element_bomb_fails_in_the_task_with_a_clear_message(
    editor_client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(editor_client, "bomb.docx", fuzz_corpus.docx_element_bomb(1_750_000))
    record = ImportRecord.objects.get()
    assert record.status == ImportStatus.FAILED and "XML 元素数" in record.error
    page = editor_client.get(response.url).content.decode()
    assert 'data-status="failed"' in page and "XML 元素数超过上限" in page and "http-equiv" not in page


@pytest.mark.django_db
def test_the_same_file_from_two_organisations_gives_each_its_own_record(
    editor_client, make_user, other_org, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _post(editor_client, "plan.txt", WORKPLAN)
    outsider = Client()
    outsider.force_login(make_user("edu-editor", other_org, Role.EDITOR))
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(outsider, "同一文件.txt", WORKPLAN)
    assert ImportRecord.objects.count() == 2
    theirs = ImportRecord.objects.get(organisation=other_org)
    assert response.url == reverse("ingest:record-status", args=[theirs.pk])
    page = outsider.get(response.url, follow=True)
    assert page.status_code == 200 and "同一文件.txt" in page.content.decode()
    # the same organisation uploading again gets its own record back
    with django_capture_on_commit_callbacks(execute=True):
        again = _post(outsider, "again.txt", WORKPLAN)
    assert again.url == response.url and ImportRecord.objects.count() == 2


@pytest.mark.django_db
def test_a_file_name_longer_than_255_bytes_is_cut_for_storage_and_kept_for_display(
    editor_client, django_capture_on_commit_callbacks
) -> None:
    assert len(LONG_NAME.encode()) > 255
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(editor_client, LONG_NAME, WORKPLAN)
    record = ImportRecord.objects.get()
    assert record.filename == LONG_NAME and record.status == ImportStatus.PENDING
    assert len(Path(record.upload.name).name.encode()) <= 255 and record.upload.name.endswith(".txt")
    assert LONG_NAME in editor_client.get(response.url, follow=True).content.decode()


@pytest.mark.django_db
def test_a_document_attachment_with_a_long_chinese_name_is_stored(editor, client) -> None:
    document = documents.create_document(
        actor=editor, organisation=editor.organisation, title="关于附件的通知"
    )
    attachment = documents.add_attachment(document, actor=editor, filename=LONG_NAME, content=WORKPLAN)
    assert attachment.title == LONG_NAME.removesuffix(".txt")
    assert len(Path(attachment.file.name).name.encode()) <= 255
    assert attachment.file.read() == WORKPLAN


def test_plainly_unsupported_files_are_refused_before_anything_is_stored(editor_client, db) -> None:
    response = _post(editor_client, "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert response.status_code == 200 and "不支持旧版 Word" in response.content.decode()
    assert not ImportRecord.objects.exists()
