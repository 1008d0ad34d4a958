"""The push channels against real servers: e-mail through a real SMTP server (aiosmtpd), the webhook
to a real local HTTP server (HMAC-SHA256, retries with exponential backoff, the delivery log), SMS to
the file backend."""

from __future__ import annotations

import datetime as dt
import email
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.documents.constants import DocType
from gongkai.subscriptions import delivery, push
from gongkai.subscriptions.constants import WEBHOOK_MAX_ATTEMPTS, Channel, DeliveryStatus
from gongkai.subscriptions.models import Delivery, Profile, ProfileTag, WebhookAttempt
from gongkai.taxonomy.models import Tag
from worker_helpers import free_port

pytestmark = pytest.mark.django_db


def profile_with(*codes, **fields):
    profile = Profile.objects.create(**fields)
    for code in codes:
        ProfileTag.objects.create(profile=profile, tag=Tag.objects.get(code=code))
    return profile


@pytest.fixture
def policy(make_document):
    return make_document("关于支持退役军人就业创业的若干措施", doc_type=DocType.MEASURES,
                         tags=["veterans", "employment", "theme-1502"])  # fmt: skip


# ---- SMTP ---------------------------------------------------------------------------------------


@pytest.fixture
def smtp_server(settings):
    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self):
            self.messages = []

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("nobody@"):
                return "550 5.1.1 mailbox unavailable"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(email.message_from_bytes(envelope.content))
            return "250 Message accepted"

    handler = Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield handler
    controller.stop()


def test_mail_goes_through_a_real_smtp_server_with_text_html_and_one_click_unsubscribe(
    smtp_server, policy, client
):
    profile_with("veterans", "employment", email="citizen@example.com", email_confirmed=True)
    refused = profile_with("veterans", "employment", email="nobody@example.com", email_confirmed=True)
    push.push_published(policy.pk)
    assert delivery.send_immediate_emails() == 1
    (message,) = smtp_server.messages
    assert message["To"] == "citizen@example.com"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    kinds = {part.get_content_type() for part in message.walk()}
    assert {"text/plain", "text/html"} <= kinds
    html = (
        next(p for p in message.walk() if p.get_content_type() == "text/html")
        .get_payload(decode=True)
        .decode()
    )
    assert policy.title in html
    # the refused address is recorded as failed with the server's reason, and never retried
    failed = Delivery.objects.get(profile=refused, channel=Channel.EMAIL)
    assert failed.status == DeliveryStatus.FAILED and "550" in failed.last_error
    assert delivery.send_immediate_emails() == 0 and len(smtp_server.messages) == 1
    # RFC 8058: the mail client's POST to the List-Unsubscribe address unsubscribes at once
    path = unsubscribe[unsubscribe.index("/subscriptions/") :]
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Profile.objects.get(email="citizen@example.com").push_enabled


# ---- webhook ------------------------------------------------------------------------------------


class Receiver(ThreadingHTTPServer):
    def __init__(self, answers):
        self.answers = list(answers)
        self.received = []
        super().__init__(("127.0.0.1", 0), ReceiverHandler)


class ReceiverHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((dict(self.headers), body))
        answer = self.server.answers.pop(0) if self.server.answers else 200
        if answer == "slow":  # longer than the timeout the test sets
            time.sleep(1)
            answer = 200
        try:
            self.send_response(answer)
            self.end_headers()
            self.wfile.write(b"ok")
        except BrokenPipeError:  # the client gave up (timeout): as a real receiver would see it
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    servers = []

    def start(*answers):
        server = Receiver(answers)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_webhook_is_signed_retried_with_backoff_and_logged(receiver, policy, settings, time_machine):
    settings.PUSH_WEBHOOK_SECRET = "shared-secret"
    server = receiver(500, 200)
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    profile_with("veterans", "employment", external_id="ywtb-1", webhook_url=url)
    start = timezone.now()
    time_machine.move_to(start, tick=True)
    push.push_published(policy.pk)
    assert delivery.send_webhooks() == 0  # the receiver answered 500
    row = Delivery.objects.get(channel=Channel.WEBHOOK)
    assert row.status == DeliveryStatus.QUEUED and row.attempts == 1 and "500" in row.last_error
    assert 29 <= (row.next_attempt_at - timezone.now()).total_seconds() <= 31  # backoff: 30 s, then 60 s…
    assert delivery.send_webhooks() == 0 and len(server.received) == 1  # not due yet: nothing sent twice
    time_machine.move_to(start + dt.timedelta(seconds=45), tick=True)
    assert delivery.send_webhooks() == 1
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and row.attempts == 2
    assert [a.status_code for a in WebhookAttempt.objects.filter(delivery=row)] == [500, 200]
    headers, body = server.received[-1]
    expected = "sha256=" + hmac.new(b"shared-secret", body, hashlib.sha256).hexdigest()
    assert headers["X-Gongkai-Signature"] == expected
    payload = json.loads(body)
    assert payload["profile"] == "ywtb-1" and payload["document"]["title"] == policy.title
    assert delivery.send_webhooks() == 0 and len(server.received) == 2


def test_webhook_that_times_out_is_retried_then_failed_with_the_reason(
    receiver, policy, settings, time_machine
):
    settings.PUSH_WEBHOOK_TIMEOUT = 0.2
    server = receiver(*["slow"] * WEBHOOK_MAX_ATTEMPTS)
    profile_with("veterans", "employment", webhook_url=f"http://127.0.0.1:{server.server_address[1]}/hook")
    now = timezone.now()
    time_machine.move_to(now, tick=True)
    push.push_published(policy.pk)
    for attempt in range(WEBHOOK_MAX_ATTEMPTS):
        delivery.send_webhooks()
        now += delivery.backoff(attempt + 1) + dt.timedelta(seconds=10)
        time_machine.move_to(now, tick=True)
    row = Delivery.objects.get(channel=Channel.WEBHOOK)
    assert row.status == DeliveryStatus.FAILED and row.attempts == WEBHOOK_MAX_ATTEMPTS
    assert "连接失败" in row.last_error
    assert WebhookAttempt.objects.filter(delivery=row).count() == WEBHOOK_MAX_ATTEMPTS


# ---- SMS ----------------------------------------------------------------------------------------


def test_sms_goes_to_the_file_backend(policy, settings, tmp_path):
    settings.SMS_FILE_PATH = str(tmp_path)
    profile_with("veterans", "employment", phone="13800000000")
    push.push_published(policy.pk)
    assert delivery.send_sms() == 1
    (path,) = tmp_path.glob("*.jsonl")
    line = json.loads(path.read_text(encoding="utf-8"))
    assert line["phone"] == "13800000000" and policy.title[:20] in line["text"]
    assert Delivery.objects.get(channel=Channel.SMS).status == DeliveryStatus.SENT


def test_staff_status_counts_per_policy_and_channel(policy, client, reviewer):
    profile_with("veterans", "employment", phone="13800000000", webhook_url="http://127.0.0.1:9/none")
    push.push_published(policy.pk)
    client.force_login(reviewer)
    page = client.get(reverse("subscriptions:staff-status")).content.decode()
    assert policy.title in page and "短信" in page and "网页推送接口" in page
