"""Documents read like the official text (GB/T 9704), with a validity notice, sort orders, numbered
pages, attachment names and every messy 文号 form opening its document (issue 19)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.documents import services
from gongkai.documents.constants import RelationType
from gongkai.ingest.services import paragraphs_html
from gongkai.text.layout import layout
from paths import ROOT

CONTENT = ROOT / "src" / "gongkai" / "demo" / "content"


def test_the_work_plan_paragraphs_broken_mid_sentence_are_rejoined():
    lines = (CONTENT / "workplan-keypoints.txt").read_text().splitlines()
    result = layout(lines, title="2023年静安区政务公开工作要点")
    texts = [block.lead + block.text for block in result.blocks]
    # the source broke "以评价实际 / 工作效果为导向" over two lines
    assert any("以评价实际工作效果为导向" in text for text in texts)
    prose = [block for block in result.blocks if block.kind != "heading"]
    assert all(block.text.rstrip("”’）)")[-1] in "。！？；：" for block in prose)
    # headings by level: eight 一、 parts, run-in （一） headings, and a 目录 for the long text
    assert [block.text for block in result.toc][:2] == [
        "一、推进高质量发展信息公开",
        "二、推进高品质生活信息公开",
    ]
    assert len(result.toc) == 8
    assert result.blocks[2].lead == "（一）加强涉及市场主体信息公开。" and result.blocks[2].level == 2


def test_the_notice_has_its_masthead_signature_and_record_out_of_the_body():
    lines = (CONTENT / "workplan-notice.txt").read_text().splitlines()
    result = layout(
        lines,
        title="上海市静安区人民政府办公室关于印发《2023年静安区政务公开工作要点》的通知",
        doc_number="静府办发〔2023〕5号",
    )
    body = "".join(block.text for block in result.blocks)
    assert result.head == ["上海市静安区人民政府办公室文件"]
    assert result.signature == ["上海市静安区人民政府办公室", "2023年4月23日"]
    assert result.record[0][0].startswith("抄送：区委各部门") and result.record[0][0].endswith(
        "区各人民团体。"
    )
    assert result.record[1] == ("上海市静安区人民政府办公室", "2023年4月23日印发")
    for repeated in ("静府办发〔2023〕5号", "抄送", "办公室文件", "2023年4月23日", "关于印发"):
        assert repeated not in body
    assert result.blocks[0].text == "区政府各委、办、局，各街道办事处、彭浦镇政府："


def test_articles_and_chapters_get_anchors():
    result = layout(
        ["第一章 总则", "第一条 为了规范管理，制定本办法。", "第二十三条 本办法自公布之日起施行。"]
    )
    assert [(b.kind, b.anchor) for b in result.blocks] == [
        ("heading", "chapter-1"),
        ("article", "art-1"),
        ("article", "art-23"),
    ]
    assert result.blocks[2].lead == "第二十三条"


@pytest.fixture
def notice(make_document):
    text = (CONTENT / "workplan-notice.txt").read_text()
    return make_document(
        "上海市静安区人民政府办公室关于印发《2023年静安区政务公开工作要点》的通知",
        doc_number="静府办发〔2023〕5号",
        body_html=paragraphs_html(text),
        body_text=text,
        published_date="2023-04-23",
    )


@pytest.mark.django_db
def test_the_document_page_shows_the_blocks_and_article_anchors(client, notice, make_document):
    html = client.get(notice.get_absolute_url()).content.decode()
    assert '<div class="doc-masthead">' in html and "上海市静安区人民政府办公室文件" in html
    assert '<div class="doc-signature">' in html and '<div class="doc-record"' in html
    body = html[html.index('<div class="doc-body">') : html.index('<div class="doc-signature">')]
    assert "抄送" not in body and "静府办发〔2023〕5号" not in body
    law = make_document(
        "测试管理办法",
        body_html="<p>第一章 总则</p><p>第一条 为了规范，制定本办法。</p><p>第二条 本办法施行。</p>",
    )
    html = client.get(law.get_absolute_url()).content.decode()
    assert '<p id="art-2" class="article"><a class="article-no" href="#art-2">第二条</a>' in html


@pytest.mark.django_db
def test_the_validity_banner_says_since_when_why_and_links(client, make_document, editor, reviewer):
    old = make_document("静安区旧办法", written_date="2019-01-01")
    new = make_document(
        "静安区新办法", publish=False, doc_number="静府规〔2023〕1号", effective_date="2023-06-01"
    )
    services.add_relation(new, actor=editor, relation_type=RelationType.REPEALS, target=old)
    services.publish_document(services.submit_for_review(new, actor=editor), actor=reviewer)
    html = client.get(old.get_absolute_url()).content.decode()
    assert "本文件已废止（自2023年6月1日起）。" in html
    assert "已被下列文件废止。" in html
    assert f'<a href="{new.get_absolute_url()}">静安区新办法</a>（静府规〔2023〕1号）' in html


@pytest.mark.django_db
def test_sort_orders_and_numbered_pages(client, make_document):
    for number in range(45):
        make_document(f"排序测试文件{number:02d}", published_date=f"2023-01-{number % 28 + 1:02d}")
    url = reverse("portal:document-list")
    by_title = client.get(url, {"order": "title"}).content.decode()
    assert (
        by_title.index("排序测试文件00") < by_title.index("排序测试文件01") < by_title.index("排序测试文件19")
    )
    assert 'aria-current="true">标题</span>' in by_title
    oldest = client.get(url, {"order": "date_asc"}).content.decode()
    assert oldest.index("排序测试文件00") < oldest.index("排序测试文件01")
    # numbered pages keep the order
    assert 'href="?order=title&amp;page=3"' in by_title and 'aria-current="page"' in by_title
    third = client.get(url, {"order": "title", "page": 3}).content.decode()
    assert "排序测试文件40" in third and "第 3 页，共 3 页" in third


@pytest.mark.django_db
def test_text_attachment_keeps_its_name_and_charset(client, make_document, editor, reviewer):
    document = make_document("附件测试", publish=False)
    attachment = services.add_attachment(
        document, actor=editor, filename="全文（GBK）.txt", content="静安区政务公开".encode("gb18030")
    )
    services.publish_document(services.submit_for_review(document, actor=editor), actor=reviewer)
    response = client.get(attachment.get_absolute_url())
    assert response["Content-Type"] == "text/plain; charset=gb18030"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"(GBK).txt\"; filename*=UTF-8''%E5%85%A8%E6%96%87%EF%BC%88GBK%EF%BC%89.txt"
    )


@pytest.mark.django_db
def test_attachment_downloads_under_its_original_upload_name(client, make_document, editor, reviewer):
    document = make_document("原文件名测试", publish=False)
    # the title shown on the page differs from the name of the file the editor uploaded
    named = services.add_attachment(document, actor=editor, title="附件1：申报表",
                                    filename="C:\\Users\\编辑\\附件1 静安区2026年申报表.xlsx",
                                    content=b"PK\x03\x04 not really a workbook")  # fmt: skip
    chinese_only = services.add_attachment(
        document, actor=editor, filename="实施细则.pdf", content=b"%PDF-1.4 x"
    )
    legacy = services.add_attachment(
        document, actor=editor, title="旧附件", filename="old.pdf", content=b"%PDF-1.4 y"
    )
    legacy.original_name = ""  # uploaded before the original name was kept
    legacy.save(update_fields=["original_name"])
    services.publish_document(services.submit_for_review(document, actor=editor), actor=reviewer)
    assert named.original_name == "附件1 静安区2026年申报表.xlsx"
    disposition = client.get(named.get_absolute_url())["Content-Disposition"]
    assert disposition == (
        'attachment; filename="1 2026.xlsx"; '
        "filename*=UTF-8''%E9%99%84%E4%BB%B61%20%E9%9D%99%E5%AE%89%E5%8C%BA2026%E5%B9%B4%E7%94%B3%E6%8A%A5%E8%A1%A8.xlsx"
    )
    # a name with no ASCII letters falls back to an ASCII name that still has the extension
    assert client.get(chinese_only.get_absolute_url())["Content-Disposition"].startswith(
        f"attachment; filename=\"attachment-{chinese_only.pk}.pdf\"; filename*=UTF-8''%E5%AE%9E"
    )
    assert (
        "filename*=UTF-8''%E6%97%A7%E9%99%84%E4%BB%B6.pdf"
        in client.get(legacy.get_absolute_url())["Content-Disposition"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("静府办发〔2023〕5号", "静府办发2023 5号"),
        ("静府办发〔2023〕5号", "静府办发2023年5号"),
        ("国务院令第736号", "国务院令736号"),
        ("国家税务总局公告2018年第32号", "国家税务总局公告2018年第32号"),
        ("国家税务总局公告2018年第32号", "国家税务总局2018年第32号"),
    ],
)
def test_every_messy_number_opens_its_document_from_both_boxes(client, make_document, stored, typed):
    document = make_document("文号测试文件", doc_number=stored)
    for url in (reverse("portal:document-list"), reverse("search:search")):
        response = client.get(url, {"q": typed})
        assert response.status_code == 302, (url, typed)
        assert response["Location"].endswith(document.get_absolute_url())


@pytest.mark.django_db
def test_the_english_pages_name_the_site_in_english(client, settings):
    settings.SITE_NAME_EN = "Jing'an District Government Information Openness"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "<title>Jing&#x27;an District Government Information Openness" in html or (
        "Jing&#x27;an District Government Information Openness" in html
    )
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "静安区政府信息公开平台" in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_amended_document_names_the_amending_one(client, make_document, editor, reviewer):
    old = make_document("中华人民共和国增值税暂行条例（2008年）", doc_number="国务院令第538号")
    new = make_document("中华人民共和国增值税暂行条例", publish=False, doc_number="国务院令第691号",
                        published_date="2017-11-19")  # fmt: skip
    services.add_relation(new, actor=editor, relation_type=RelationType.AMENDS, target=old)
    services.publish_document(services.submit_for_review(new, actor=editor), actor=reviewer)
    html = client.get(old.get_absolute_url()).content.decode()
    assert "本文件已修改（自2017年11月19日起）。" in html
    assert "已被下列文件修改，请以修改后的规定为准。" in html and "（国务院令第691号）" in html
