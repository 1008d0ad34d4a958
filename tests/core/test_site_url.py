"""Absolute links that leave the page (print view, feeds, sitemap, e-mails) are on SITE_URL, the site's
configured public address, never on the host and port a request happened to use."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from gongkai.documents import services as documents
from gongkai.foi import services as foi_services
from gongkai.foi.constants import ApplicantKind, Channel, IdType, Outcome
from gongkai.foi.models import FOIRequest
from gongkai.foi.tasks import send_overdue_reminders
from gongkai.review import services as review_services

pytestmark = pytest.mark.django_db

SITE = "https://gongkai.example.gov.cn"
# The address the request arrives on: a proxy's internal address, or the bind address of the server.
INTERNAL = {"HTTP_HOST": "10.1.2.3:8000"}
FORM = {
    "applicant_kind": ApplicantKind.PERSON,
    "applicant_name": "示例申请人",
    "id_type": IdType.RESIDENT_ID,
    "id_number": "11010519491231002X",
    "phone": "021-12345678",
    "email": "applicant@example.com",
    "description": "静安区2026年学前教育资源配置规划",
    "info_form": "electronic",
    "delivery_method": "email",
}


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["10.1.2.3", "testserver"]


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s<\"']+", text)


def test_feed_links_are_on_the_site_address(client, make_document):
    document = make_document()
    for name in ("portal:feed-rss", "portal:feed-atom"):
        feed = client.get(reverse(name), **INTERNAL).content.decode()
        assert f"{SITE}{document.get_absolute_url()}" in feed, name
        assert f"{SITE}{reverse(name)}" in feed, name  # the feed's own address (atom:link rel=self / id)
        assert "10.1.2.3" not in feed and all(
            link.startswith(SITE) for link in links_in(feed) if "gongkai" in link
        )
    org_feed = client.get(
        reverse("portal:feed-organisation-atom", args=[document.organisation.code]), **INTERNAL
    )
    assert f"{SITE}/documents/?organisation={document.organisation.code}" in org_feed.content.decode()
    assert "10.1.2.3" not in org_feed.content.decode()


def test_sitemap_and_robots_are_on_the_site_address(client, make_document):
    document = make_document()
    sitemap = client.get(reverse("portal:sitemap"), **INTERNAL).content.decode()
    assert f"<loc>{SITE}{document.get_absolute_url()}</loc>" in sitemap and "10.1.2.3" not in sitemap
    robots = client.get(reverse("portal:robots"), **INTERNAL).content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in robots


def test_print_view_names_the_document_on_the_site_address(client, make_document):
    document = make_document()
    page = client.get(reverse("portal:document-print", args=[document.pk]), **INTERNAL).content.decode()
    assert f"{SITE}{document.get_absolute_url()}" in page and "10.1.2.3" not in page


def test_overdue_reminder_links_to_the_request_on_the_site_address(office, foi_officer):
    request, _code = foi_services.register_request(actor=foi_officer, organisation=office, channel=Channel.IN_PERSON,
                                                   received_date="2026-10-09", **FORM)  # fmt: skip
    mail.outbox.clear()
    assert send_overdue_reminders(today="2026-11-20") == 1
    assert f"{SITE}/foi/staff/{request.pk}/" in mail.outbox[0].body
    assert links_in(mail.outbox[0].body) == [f"{SITE}/foi/staff/{request.pk}/"]


def test_applicant_mail_links_to_tracking_on_the_site_address(
    office, foi_officer, reviewer, django_capture_on_commit_callbacks
):
    request, _code = foi_services.register_request(actor=foi_officer, organisation=office, channel=Channel.IN_PERSON,
                                                   received_date="2026-11-02", **FORM)  # fmt: skip
    letter = foi_services.prepare_reply(request, actor=foi_officer, outcome=Outcome.NOT_EXIST)
    letter = foi_services.review_letter(letter, actor=reviewer, approve=True, note="申请人本人信息")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        foi_services.issue_reply(letter, actor=foi_officer, decided_date="2026-11-20")
    to_applicant = [message for message in mail.outbox if message.to == ["applicant@example.com"]]
    assert len(to_applicant) == 1 and FOIRequest.objects.get(pk=request.pk).number in to_applicant[0].body
    assert links_in(to_applicant[0].body) == [f"{SITE}/foi/track/"]


def test_targeted_disclosure_links_are_on_the_site_address(client, make_document, editor, reviewer):
    draft = make_document("关于某某小区加装电梯的批复", publish=False)
    task = review_services.open_task(documents.submit_for_review(draft, actor=editor))
    client.force_login(reviewer)
    response = client.post(reverse("review:targeted-create", args=[task.pk]),
                           {"links": "示例申请人", "note": "仅向申请人公开"}, **INTERNAL)  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200, page[:500]
    main = page[page.index("<main") :]
    assert f"{SITE}/review/targeted/" in main  # for recipients with an account
    one_time = [link for link in links_in(main) if "/review/t/" in link]
    assert len(one_time) == 1 and one_time[0].startswith(f"{SITE}/review/t/")
    assert "10.1.2.3" not in page


@pytest.mark.django_db(transaction=True)
def test_the_crawler_checks_the_site_address_by_default(live_server, settings, make_document, capsys):
    make_document()
    settings.SITE_URL = live_server.url
    call_command("review", "crawl", "--json", "--max-pages", "5")
    report = json.loads(capsys.readouterr().out)
    assert report["url"] == live_server.url + "/" and report["pages"] >= 1 and report["findings"] == []
