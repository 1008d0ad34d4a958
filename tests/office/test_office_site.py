"""Website self-inspection (国办秘函〔2019〕19号) against a running site: the demo's planted dead link."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
import requests
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from demo_helpers import demo_database
from gongkai.demo.office_demo import DEAD_LINK
from gongkai.office.inspect import PoliteSession, format_sheet, inspect_site
from gongkai.office.models import SiteInspection

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_site_inspection_finds_the_planted_dead_link(live_server, capsys):

    demo_database()
    # a loaded test machine renders the gazette PDF slowly: allow it more than the default 10 s. The
    # planted link is on a policy of the last ten days, linked from home: a breadth-first crawl from
    # home reaches it at about the 80th page of the demo's 247; the rest of the site adds nothing here.
    call_command("site", "inspect", live_server.url + "/", "--json", "--no-external", "--timeout", "120",
                 "--max-pages", "120")  # fmt: skip
    sheet = json.loads(capsys.readouterr().out)
    dead = [row for row in sheet["dead_internal"] if row["url"].endswith(DEAD_LINK)]
    assert dead and dead[0]["status"] == "404"
    assert any("/documents/" in page for page in dead[0]["found_on"])
    assert sheet["deductions"]["dead_internal"] >= 1 and sheet["score"] <= 99
    assert sheet["home_latest"] is not None and not sheet["error_pages"]
    assert SiteInspection.objects.count() == 1  # kept for the history and chart
    text = format_sheet(sheet)
    assert "网站自查评分表" in text and DEAD_LINK in text and "单项否决" in text


def test_stale_home_page_is_a_single_veto(live_server, make_document):
    make_document(
        "关于做好某项工作的通知", published_date=dt.date(2024, 3, 1), written_date=dt.date(2024, 2, 28)
    )
    sheet = inspect_site(live_server.url + "/", external=False, today=timezone.localdate())
    assert sheet["vetoed"] and sheet["result"].startswith("不合格")
    assert any(v["indicator"] == "首页栏目信息更新" for v in sheet["vetoes"])


def test_unreachable_url_is_a_clear_error_and_stores_nothing(capsys):
    with pytest.raises(ValidationError) as exc:
        inspect_site("http://127.0.0.1:9/", timeout=2)
    assert "无法访问网站 http://127.0.0.1:9/" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        inspect_site("ftp://example.org/")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="无法访问"):
        call_command("site", "inspect", "http://127.0.0.1:9/")
    assert not SiteInspection.objects.exists()


def test_external_links_are_checked_politely(live_server):
    polite = PoliteSession(requests.Session(), interval=0.5, timeout=5)
    start = time.monotonic()
    statuses = [polite.status(live_server.url + path) for path in ("/", "/no-such-page/", "/documents/")]
    assert statuses[1] == "404" and statuses[0] == "200"
    assert time.monotonic() - start >= 1.0  # one request per host per 0.5 s
