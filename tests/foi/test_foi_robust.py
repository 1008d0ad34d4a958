"""The public 依申请公开 form under hostile or unlucky input: control characters, oversized
uploads, and retried submissions whose first response was lost (issue 11)."""

from __future__ import annotations

import io
import os
import re
import threading
import tracemalloc

import pytest
import time_machine
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client, RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from docx import Document as DocxDocument

from foi_helpers import FORM, TODAY
from gongkai.core import calendar
from gongkai.foi import services, views
from gongkai.foi.constants import Outcome
from gongkai.foi.letters import render_docx
from gongkai.foi.models import FOIAttachment, FOILetter, FOIRequest


@pytest.fixture(autouse=True)
def _clean():
    cache.clear()
    calendar.clear_cache()
    with time_machine.travel(TODAY, tick=False):
        yield


def _upload(name: str, size: int) -> io.BytesIO:
    upload = io.BytesIO(b"%PDF-1.4\n" + b"0" * (size - 9))
    upload.name = name
    return upload


def _media_files(root) -> set[str]:
    return {os.path.join(path, name) for path, _dirs, names in os.walk(root) for name in names}


def _token(client: Client) -> str:
    page = client.get(reverse("foi:apply")).content.decode()
    return re.search(r'name="submission_token" value="([^"]+)"', page).group(1)


def _receipt(client: Client) -> tuple[str, str]:
    page = client.get(reverse("foi:confirmation")).content.decode()
    return (re.search(r'id="request-number">([^<]+)<', page).group(1),
            re.search(r'id="access-code">([^<]+)<', page).group(1))  # fmt: skip


# --- control characters ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_control_characters_in_the_form_do_not_break_the_reply_letter(
    client, office, foi_officer, approve_letter
):
    description = "静安区\x0b2026年\x01学前教育\x1b资源配置\x7f规划"
    response = client.post(reverse("foi:apply"), {**FORM, "organisation": office.pk, "description": description,
                                                  "applicant_name": "赵\x08六"})  # fmt: skip
    assert response.status_code == 302
    request = FOIRequest.objects.get()
    assert request.description == "静安区\n2026年学前教育资源配置规划" and request.applicant_name == "赵六"

    letter = services.prepare_reply(request, actor=foi_officer, outcome=Outcome.NOT_EXIST)
    services.issue_reply(approve_letter(letter), actor=foi_officer, decided_date="2026-11-25")
    download = client.get(reverse("foi:track-letter", args=[letter.pk]))
    assert download.status_code == 200
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(download.content)).paragraphs)
    assert "赵六：" in text and "学前教育资源配置规划" in text


@pytest.mark.django_db
def test_a_letter_stored_with_control_characters_still_renders(office, foi_officer):
    request, _code = services.register_request(actor=foi_officer, organisation=office, channel="in_person",
                                               received_date="2026-11-20", **FORM)  # fmt: skip
    letter = services.prepare_reply(request, actor=foi_officer, outcome=Outcome.NOT_EXIST)
    FOILetter.objects.filter(pk=letter.pk).update(body="第一行\x01\x02\n第二行\x1f", addressee="赵\x03六")
    letter.refresh_from_db()
    paragraphs = [p.text for p in DocxDocument(io.BytesIO(render_docx(letter))).paragraphs]
    assert "赵六：" in paragraphs and "第一行" in paragraphs and "第二行" in paragraphs


@pytest.mark.django_db
def test_staff_edits_of_a_letter_are_stripped_of_control_characters(office, foi_officer):
    request, _code = services.register_request(actor=foi_officer, organisation=office, channel="in_person",
                                               received_date="2026-11-20", **FORM)  # fmt: skip
    letter = services.prepare_reply(request, actor=foi_officer, outcome=Outcome.NOT_EXIST)
    letter = services.edit_letter(letter, actor=foi_officer, body="答复\x0c正文\x1a。", title="答复书\x07")
    assert (letter.body, letter.title) == ("答复\n正文。", "答复书")


# --- attachments: number, total size, streaming ----------------------------------------------------


@pytest.mark.django_db
def test_too_many_attachments_are_refused_and_nothing_is_stored(client, office, settings):
    settings.FOI_APPLY_MAX_FILES = 5
    files = [_upload(f"材料{i}.pdf", 1000) for i in range(6)]
    response = client.post(reverse("foi:apply"), {**FORM, "organisation": office.pk, "attachments": files})
    assert response.status_code == 200
    assert "附件最多5个" in response.content.decode()
    assert not FOIRequest.objects.exists() and not FOIAttachment.objects.exists()


@pytest.mark.django_db
def test_attachments_over_the_total_size_are_refused_and_nothing_is_stored(client, office, settings):
    settings.FOI_APPLY_MAX_BYTES = 1024 * 1024
    before = _media_files(settings.MEDIA_ROOT)
    files = [_upload(f"材料{i}.pdf", 400 * 1024) for i in range(3)]
    response = client.post(reverse("foi:apply"), {**FORM, "organisation": office.pk, "attachments": files})
    assert response.status_code == 200
    assert "总大小不能超过1 MB" in response.content.decode()
    assert not FOIRequest.objects.exists() and not FOIAttachment.objects.exists()
    assert _media_files(settings.MEDIA_ROOT) == before


@pytest.mark.django_db
def test_attachments_within_the_limits_are_stored_whole(client, office):
    files = [_upload("身份证.pdf", 3000), _upload("委托书.pdf", 6 * 1024 * 1024)]
    response = client.post(reverse("foi:apply"), {**FORM, "organisation": office.pk, "attachments": files})
    assert response.status_code == 302
    stored = {a.title: a for a in FOIRequest.objects.get().attachments.all()}
    assert stored["委托书.pdf"].size == 6 * 1024 * 1024
    assert stored["委托书.pdf"].file.size == 6 * 1024 * 1024


@pytest.mark.django_db
def test_a_large_attachment_is_streamed_to_disk_not_read_into_memory(office):
    size = 16 * 1024 * 1024
    body = encode_multipart(
        BOUNDARY, {**FORM, "organisation": office.pk, "attachments": _upload("证明.pdf", size)}
    )
    request = RequestFactory().generic("POST", reverse("foi:apply"), body, content_type=MULTIPART_CONTENT)
    request._dont_enforce_csrf_checks = True
    SessionMiddleware(lambda _request: None).process_request(request)
    del body
    tracemalloc.start()  # after the test's own copy of the body is made
    try:
        response = views.apply(request)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        for upload in request.FILES.getlist("attachments"):
            upload.close()
    assert response.status_code == 302
    assert FOIRequest.objects.get().attachments.get().size == size
    assert peak < 4 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MB for a 16 MB attachment"


# --- retried submissions --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_retried_submission_returns_the_first_receipt_and_creates_nothing(office):
    first = Client()
    token = _token(first)
    data = {**FORM, "organisation": office.pk, "submission_token": token}
    assert first.post(reverse("foi:apply"), data).status_code == 302
    receipt = _receipt(first)
    # the response was lost: the browser retries, perhaps without the session cookie it never got
    retry = Client()
    for client in (first, retry, retry):
        response = client.post(reverse("foi:apply"), data)
        assert response.status_code == 302 and response["Location"] == reverse("foi:confirmation")
        assert _receipt(client) == receipt
    assert FOIRequest.objects.count() == 1
    assert FOIRequest.objects.get().number == receipt[0]
    assert services.access_code_hash(receipt[1]) == FOIRequest.objects.get().access_code_hash


@pytest.mark.django_db
def test_each_rendered_form_has_its_own_token(client, office):
    tokens = {_token(client) for _ in range(3)}
    assert len(tokens) == 3
    for token in tokens:
        client.post(reverse("foi:apply"), {**FORM, "organisation": office.pk, "submission_token": token})
    assert FOIRequest.objects.count() == 3


@pytest.mark.django_db
def test_a_retry_is_answered_even_when_the_visitor_is_rate_limited(client, office, settings):
    settings.FOI_APPLY_RATE_PER_HOUR = 1
    data = {**FORM, "organisation": office.pk, "submission_token": _token(client)}
    assert client.post(reverse("foi:apply"), data).status_code == 302
    assert client.post(reverse("foi:apply"), data).status_code == 302
    assert client.post(reverse("foi:apply"), {**data, "submission_token": ""}).status_code == 429
    assert FOIRequest.objects.count() == 1


@pytest.mark.skipif(
    os.environ.get("GONGKAI_TEST_DB") != "postgres", reason="concurrent retries on PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_token_create_one_application(office):
    assert connection.vendor == "postgresql"
    token = "retry-token-" + "x" * 20
    data = {**FORM, "organisation": office.pk, "submission_token": token}
    workers = 6
    barrier = threading.Barrier(workers)
    receipts: list[tuple[int, str]] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            client = Client()
            barrier.wait()
            response = client.post(reverse("foi:apply"), data)
            receipts.append((response.status_code, _receipt(client)[0]))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert FOIRequest.objects.count() == 1
    assert receipts == [(302, FOIRequest.objects.get().number)] * workers
