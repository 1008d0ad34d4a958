"""`gongkai review crawl` against a live test server: masked pages pass, unmasked personal data is reported."""

from __future__ import annotations

import json

from django.core.management import call_command

from gongkai.documents import services as documents
from gongkai.review import services

VALID_ID = "310101198503071232"


def _draft(editor, title: str):
    document = documents.create_document(actor=editor, organisation=editor.organisation, title=title,
                                         body_html=f"<p>申请人张伟，身份证号{VALID_ID}，手机13812345678。</p>")  # fmt: skip
    return documents.submit_for_review(document, actor=editor)


def _crawl(url: str, capsys) -> dict:
    call_command("review", "crawl", url, "--json", "--max-pages", "40")
    return json.loads(capsys.readouterr().out)


def test_crawl_finds_nothing_when_published_with_masking(
    live_server, editor, reviewer, make_document, capsys
):
    make_document("关于做好2023年政务公开工作的通知", body_html="<p>按照沪府办发〔2023〕12号文件执行。</p>")
    services.approve_review(_draft(editor, "依申请公开答复"), actor=reviewer, mask=True)
    report = _crawl(live_server.url + "/", capsys)
    assert report["pages"] >= 4
    assert report["findings"] == []


def test_crawl_reports_unmasked_personal_data(live_server, editor, reviewer, capsys):
    document = services.approve_review(
        _draft(editor, "未遮蔽的答复"), actor=reviewer, note="测试：本人同意公开"
    )
    report = _crawl(live_server.url + "/", capsys)
    found = {(f["kind"], f["text"]) for f in report["findings"]}
    assert ("id_card", VALID_ID) in found and ("mobile", "13812345678") in found
    assert any(f["url"].endswith(f"/documents/{document.pk}/") for f in report["findings"])
