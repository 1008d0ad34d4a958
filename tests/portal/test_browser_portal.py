"""A citizen's walk through the portal in a real headless Chromium, with axe-core accessibility checks."""

from __future__ import annotations

import pytest

from browser_helpers import serious_violations
from demo_helpers import demo_database

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_list_filter_document_attachment(browser, live_server, tmp_path):
    demo_database()
    page = browser.new_page(locale="zh-CN")
    page.goto(live_server.url + "/")
    assert "政府信息公开" in page.text_content("h1")
    assert serious_violations(page) == []

    page.click("text=查看全部文件")
    page.wait_for_url("**/documents/")
    assert "共 38 份文件" in page.text_content("#results-h")
    assert serious_violations(page) == []

    page.click(".filters >> text=上海市静安区人民政府办公室")
    page.wait_for_url("**organisation=jingan-gov-office**")
    assert "共 2 份文件" in page.text_content("#results-h")
    page.screenshot(path=str(tmp_path / "list.png"), full_page=True)

    page.click("text=上海市静安区人民政府办公室关于印发《2023年静安区政务公开工作要点》的通知")
    header = page.text_content("table.header-block")
    assert "静府办发〔2023〕5号" in header and "2023年4月23日" in header
    assert serious_violations(page) == []

    with page.expect_download() as download_info:
        page.click(".attachments a")
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert "静府办发〔2023〕5号" in saved.read_text()

    page.goto(live_server.url + "/documents/?normative=1")
    page.click("text=国家发展改革委办公厅 税务总局办公厅关于加强个人所得税纳税信用建设的通知")
    with page.expect_download() as download_info:
        page.click(".attachments a")
    pdf = tmp_path / "original.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    page.close()


def test_other_public_pages_are_accessible(browser, live_server):
    demo_database()
    page = browser.new_page(locale="zh-CN")
    for path in ("/search/?q=政务公开", "/search/?q=没有这个词语的文件", "/foi/apply/", "/foi/track/", "/reports/",
                 "/reports/jingan-gov-office/2025/"):  # fmt: skip
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert serious_violations(page) == [], path
    page.goto(live_server.url + "/search/?q=政务公开")
    assert "2023年静安区政务公开工作要点" in page.text_content("main")
    page.close()


def test_interpretation_pages_are_accessible(browser, live_server):
    """The policy page with its 示例 interpretation, the interpretation page and list, and the staff
    screens (解读辅助, 新旧政策差异, 应解读、尽解读): axe finds no serious or critical violation."""
    from gongkai.demo.loader import DEMO_PASSWORD
    from gongkai.documents.models import Document

    demo_database()
    page = browser.new_page(locale="zh-CN")
    policy = Document.objects.get(doc_number="发改办财金规〔2019〕860号")
    page.goto(live_server.url + policy.get_absolute_url())
    assert "一问一答：个人所得税纳税信用怎么建、怎么用" in page.text_content("#interp-h + ul")
    assert "示例" in page.text_content("#interp-h + ul")
    assert serious_violations(page) == []

    page.click("text=一问一答：个人所得税纳税信用怎么建、怎么用")
    assert "示例" in page.text_content("[role=note]")
    assert "适用范围" in page.text_content("main") and "执行口径" not in page.text_content("main")
    assert serious_violations(page) == []

    page.goto(live_server.url + "/interpretations/")
    assert "共 4 篇解读" in page.text_content("#results-h")
    assert serious_violations(page) == []

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("input[type=submit]")
    current = Document.objects.get(title="上海市优化营商环境条例")  # the official 2024 text
    old = current.outgoing_relations.get(relation_type="amends").target  # the official 2020 text
    for path in (f"/staff/documents/{current.pk}/reading/", f"/staff/documents/{current.pk}/compare/{old.pk}/",
                 "/staff/documents/interpretations/missing/?year=2019"):  # fmt: skip
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert serious_violations(page) == [], path
    page.goto(live_server.url + f"/staff/documents/{current.pk}/compare/{old.pk}/")
    assert (
        "新增" in page.text_content("table.compare-table")
        and page.locator("table.compare-table del").count() > 0
    )
    page.close()
