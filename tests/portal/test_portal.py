"""What a citizen sees on the portal, feeds, sitemap and API: published documents only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: F401
from django.urls import reverse

from gongkai.documents import services
from gongkai.documents.constants import RelationType

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(make_document, editor, reviewer):
    published = make_document("关于印发《2023年静安区政务公开工作要点》的通知", doc_number="静府办发〔2023〕5号",
                              written_date="2023-04-23", published_date="2023-04-23", publish=False)  # fmt: skip
    services.add_attachment(
        published, actor=editor, filename="原文.pdf", content=b"%PDF-1.4 real bytes", title="原文"
    )
    published = services.publish_document(services.submit_for_review(published, actor=editor), actor=reviewer)
    draft = make_document("内部草稿：尚未审核的文件", publish=False, doc_number="静府办发〔2023〕99号",
                          body_html="<p>草稿正文机密内容</p>")  # fmt: skip
    services.add_attachment(
        draft, actor=editor, filename="草稿.pdf", content=b"%PDF-1.4 draft", title="草稿附件"
    )
    return published, draft


def test_document_page_shows_the_standard_header_block(client, library):
    published, _ = library
    response = client.get(published.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    for label in ("索引号", "主题分类", "发文机关", "成文日期", "标题", "发文字号", "发布日期", "有效性"):
        assert label in html
    assert "静府办发〔2023〕5号" in html and "2023年4月23日" in html
    assert published.index_number in html


def test_unpublished_draft_is_invisible_on_every_public_surface(client, library):
    published, draft = library
    draft_attachment = draft.attachments.get()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("portal:document-print", args=[draft.pk])).status_code == 404
    assert client.get(draft_attachment.get_absolute_url()).status_code == 404
    assert client.get(f"/api/documents/{draft.pk}/").status_code == 404
    surfaces = [
        reverse("portal:home"),
        reverse("portal:document-list"),
        reverse("portal:document-list") + "?q=草稿",
        "/api/documents/",
        "/api/documents/?q=静府办发〔2023〕99号",
        reverse("portal:feed-rss"),
        reverse("portal:feed-atom"),
        reverse("portal:feed-organisation-rss", args=[draft.organisation.code]),
        reverse("portal:sitemap"),
    ]
    for url in surfaces:
        body = client.get(url).content.decode()
        assert "内部草稿" not in body, url
        assert "99号" not in body, url
    assert published.title in client.get(reverse("portal:feed-rss")).content.decode()
    assert published.get_absolute_url() in client.get(reverse("portal:sitemap")).content.decode()


def test_attachment_download(client, library):
    published, _ = library
    attachment = published.attachments.get()
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 real bytes"
    assert "attachment" in response["Content-Disposition"]


def test_list_filters_counts_and_messy_doc_number(client, library, make_document):
    make_document(
        "关于养老服务的实施意见",
        doc_type="implementing_opinions",
        is_normative=True,
        published_date="2022-05-01",
    )
    response = client.get(reverse("portal:document-list"), {"normative": "1"})
    html = response.content.decode()
    assert "关于养老服务的实施意见" in html and "政务公开工作要点" not in html
    assert "共 1 份文件" in html
    response = client.get(reverse("portal:document-list"), {"q": "静府办发 [2023] 5 号"}, follow=True)
    assert "政务公开工作要点" in response.content.decode()
    response = client.get(reverse("portal:document-list"), {"year": "2022"})
    assert "关于养老服务的实施意见" in response.content.decode()
    assert "政务公开工作要点" not in response.content.decode()


def test_bad_filter_values_give_a_message_not_an_error(client, library):
    response = client.get(
        reverse("portal:document-list"), {"year": "abcd", "doc_type": "<script>", "page": "999"}
    )
    assert response.status_code == 200
    assert "年份应为四位数字" in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_pagination(client, make_document):
    for number in range(25):
        make_document(f"分页测试文件{number:02d}", published_date="2023-01-01")
    first = client.get(reverse("portal:document-list")).content.decode()
    second = client.get(reverse("portal:document-list"), {"page": 2}).content.decode()
    assert first.count('class="doc-row"') == 20 and second.count('class="doc-row"') == 5
    assert "第 2 页，共 2 页" in second


def test_superseded_document_shows_banner_linking_to_replacement(client, make_document, editor, reviewer):
    old = make_document("上海市静安区旧办法", written_date="2019-01-01")
    new = make_document("上海市静安区新办法", publish=False, doc_number="静府规〔2023〕1号")
    services.add_relation(new, actor=editor, relation_type=RelationType.REPEALS, target=old)
    services.publish_document(services.submit_for_review(new, actor=editor), actor=reviewer)
    html = client.get(old.get_absolute_url()).content.decode()
    assert "本文件已废止" in html
    assert new.get_absolute_url() in html and "banner" in html


def test_user_text_is_escaped(client, make_document):
    document = make_document('<img src=x onerror="alert(1)">标题')
    html = client.get(document.get_absolute_url()).content.decode()
    assert "<img src=x" not in html and "&lt;img" in html


def test_print_view(client, library):
    published, _ = library
    html = client.get(reverse("portal:document-print", args=[published.pk])).content.decode()
    assert "静府办发〔2023〕5号" in html and "print.css" in html


def test_english_is_available(client, library):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("portal:document-list")).content.decode()
    assert "Document library" in html
