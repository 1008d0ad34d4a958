"""Issue 19 in a real Chromium (desktop and 390 px): document typography, list controls, messy 文号,
forms in their error state (error summary, aria-describedby, fieldsets), a keyboard-only 依申请公开
journey, the applicant's receipt and tracking session, the footer, 关怀版 and reading controls.
Every page is checked with axe (0 serious or critical) and for horizontal overflow on a phone."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.core import mail

from browser_helpers import serious_violations
from gongkai.documents import services
from gongkai.documents.constants import RelationType
from gongkai.ingest.services import paragraphs_html
from paths import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTENT = ROOT / "src" / "gongkai" / "demo" / "content"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def fits(page) -> bool:
    """Nothing wider than the viewport (no sideways scrolling of the page)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def described_by_ids_exist(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll('[aria-describedby]')].flatMap(el =>
            el.getAttribute('aria-describedby').split(/\\s+/).filter(id => id && !document.getElementById(id)))"""
    )


@pytest.fixture
def documents(make_document, editor, reviewer):
    notice_text = (CONTENT / "workplan-notice.txt").read_text()
    notice = make_document(
        "上海市静安区人民政府办公室关于印发《2023年静安区政务公开工作要点》的通知",
        doc_number="静府办发〔2023〕5号", body_html=paragraphs_html(notice_text), body_text=notice_text,
        published_date="2023-04-23",
    )  # fmt: skip
    points_text = (CONTENT / "workplan-keypoints.txt").read_text()
    points = make_document("2023年静安区政务公开工作要点", body_html=paragraphs_html(points_text),
                           body_text=points_text, published_date="2023-04-23")  # fmt: skip
    law_text = (CONTENT / "law-01.txt").read_text()
    law = make_document("中国公民因私事往来香港地区或者澳门地区的暂行管理办法", doc_number="国务院令第736号",
                        body_html=paragraphs_html(law_text), body_text=law_text, published_date="2021-01-24")  # fmt: skip
    tax = make_document("国家税务总局关于个人所得税的公告", doc_number="国家税务总局公告2018年第32号")
    new = make_document(
        "静安区新办法", publish=False, doc_number="静府规〔2023〕1号", effective_date="2023-06-01"
    )
    services.add_relation(new, actor=editor, relation_type=RelationType.REPEALS, target=law)
    new = services.publish_document(services.submit_for_review(new, actor=editor), actor=reviewer)
    return {"notice": notice, "points": points, "law": law, "tax": tax, "new": new}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "390px"])
def test_documents_read_like_the_official_text(browser, live_server, documents, viewport):
    page = browser.new_page(locale="zh-CN", viewport=viewport)
    page.goto(live_server.url + documents["notice"].get_absolute_url())
    assert page.text_content(".doc-masthead .organ-mark").strip() == "上海市静安区人民政府办公室文件"
    body = page.text_content(".doc-body")
    assert "抄送" not in body and "静府办发〔2023〕5号" not in body and "2023年4月23日" not in body
    assert "抄送：区委各部门" in page.text_content(".doc-record")
    assert "2023年4月23日印发" in page.text_content(".doc-record .record-date")
    # 落款 and 成文日期 on the right (GB/T 9704 §7.3.5)
    article = page.locator("article.document").bounding_box()
    signature = page.locator(".doc-signature").bounding_box()
    assert signature["x"] + signature["width"] >= article["x"] + article["width"] - 40
    if viewport == DESKTOP:
        assert signature["x"] > article["x"] + article["width"] / 2
    assert fits(page) and serious_violations(page) == []

    # paragraphs the source broke mid-sentence are one paragraph; headings by level; a 目录
    page.goto(live_server.url + documents["points"].get_absolute_url())
    assert page.locator(".doc-body p", has_text="以评价实际工作效果为导向").count() == 1
    assert page.locator(".doc-body h2.doc-h1").count() == 8
    assert (
        page.locator(".doc-body strong.run-in-2").first.text_content() == "（一）加强涉及市场主体信息公开。"
    )
    page.click(".doc-toc >> text=八、加强工作指导、监督和保障")
    assert page.url.endswith("#h1-8")
    assert page.locator("#h1-8").is_visible()
    assert fits(page) and serious_violations(page) == []

    # every 第X条 has an anchor to link and cite; the validity banner says since when, why, and links
    page.goto(live_server.url + documents["law"].get_absolute_url() + "#art-3")
    assert page.locator("#art-3 a.article-no").text_content() == "第三条"
    assert page.evaluate("document.querySelector(':target').id") == "art-3"
    banner = page.text_content("[role=note]")
    assert "本文件已废止（自2023年6月1日起）。" in banner and "已被下列文件废止。" in banner
    page.click("[role=note] >> text=静安区新办法")
    assert page.url.endswith(documents["new"].get_absolute_url())
    assert fits(page) and serious_violations(page) == []
    page.close()


def test_list_sorts_numbers_pages_and_opens_messy_numbers(browser, live_server, documents, make_document):
    for number in range(22):
        make_document(f"排序测试文件{number:02d}", published_date="2022-01-01")
    page = browser.new_page(locale="zh-CN", viewport=DESKTOP)
    page.goto(live_server.url + "/documents/")
    page.click(".sort-orders >> text=标题")
    assert "order=title" in page.url
    titles = page.locator(".doc-list .doc-title").all_text_contents()
    assert [t.strip() for t in titles] == sorted(t.strip() for t in titles)
    page.click(".page-numbers >> text=2")
    assert "page=2" in page.url and "order=title" in page.url
    assert page.locator(".page-numbers [aria-current=page]").text_content().strip().startswith("第")
    assert serious_violations(page) == []

    cases = [("静府办发2023 5号", "notice"), ("静府办发2023年5号", "notice"), ("国务院令736号", "law"),
             ("国家税务总局公告2018年第32号", "tax"), ("国家税务总局2018年第32号", "tax")]  # fmt: skip
    for typed, key in cases:
        for start, box in (("/documents/", "#list-q"), ("/search/", "main input[name=q]")):
            page.goto(live_server.url + start)
            page.fill(box, typed)
            page.press(box, "Enter")
            page.wait_for_load_state()
            assert page.url.endswith(documents[key].get_absolute_url()), (typed, start, page.url)
    page.close()


def test_attachment_download_keeps_its_original_name(browser, live_server, make_document, editor, reviewer):
    document = make_document("附件名称测试", publish=False)
    services.add_attachment(document, actor=editor, filename="静安区2023年工作要点（全文）.txt",
                            content="静安区政务公开".encode("gb18030"))  # fmt: skip
    services.publish_document(services.submit_for_review(document, actor=editor), actor=reviewer)
    page = browser.new_page(locale="zh-CN")
    page.goto(live_server.url + document.get_absolute_url())
    with page.expect_download() as info:
        page.click(".attachments a")
    assert info.value.suggested_filename == "静安区2023年工作要点（全文）.txt"
    page.close()


@pytest.fixture
def national(make_org):
    """A national body named in documents: it does not take applications on this platform."""
    return make_org("state-council", "国务院", "国发", accepts_requests=False)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "390px"])
def test_apply_form_in_its_error_state(browser, live_server, office, national, viewport):
    page = browser.new_page(locale="zh-CN", viewport=viewport)
    page.goto(live_server.url + "/foi/apply/")
    options = page.locator("#id_organisation option").all_text_contents()
    assert "上海市静安区人民政府办公室" in options and "国务院" not in options
    assert page.get_attribute("#id_email", "type") == "email"
    assert (
        page.get_attribute("#id_phone", "type") == "tel"
        and page.get_attribute("#id_phone", "inputmode") == "tel"
    )
    assert page.get_attribute("#id_postcode", "inputmode") == "numeric"
    # required fields are marked, the radio group is a fieldset with its legend
    assert "（必填）" in page.text_content("label[for=id_applicant_name]")
    assert "申请人类型" in page.text_content("fieldset.foi-choice:has(#id_applicant_kind_0) > legend")
    page.fill("#id_credit_code", "X" * 18)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    # the error summary has focus and links to every field with an error
    assert page.evaluate("document.activeElement.id") == "error-summary"
    links = page.locator("#error-summary a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert {"#id_organisation", "#id_applicant_kind_0", "#id_applicant_name", "#id_description"} <= set(hrefs)
    summary = page.text_content("#error-summary")
    assert "请选择“受理机关”。" in summary and "确保" not in summary and "不能为空" in summary
    page.click("#error-summary a[href='#id_applicant_name']")
    assert page.evaluate("document.activeElement.id") == "id_applicant_name"
    assert described_by_ids_exist(page) == []
    assert page.get_attribute("#id_applicant_name", "aria-invalid") == "true"
    assert "id_applicant_name-errors" in page.get_attribute("#id_applicant_name", "aria-describedby")
    assert fits(page) and serious_violations(page) == []

    page.goto(live_server.url + "/foi/track/")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert "请填写“申请编号”。" in page.text_content("#error-summary")
    assert described_by_ids_exist(page) == [] and serious_violations(page) == []

    page.goto(live_server.url + "/documents/?year=abcd")
    assert "年份应为四位数字" in page.text_content("[role=alert]")
    assert serious_violations(page) == []
    page.close()


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user does."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only_application_receipt_and_tracking(browser, live_server, office, national, settings):
    page = browser.new_page(locale="zh-CN", viewport=DESKTOP)
    page.goto(live_server.url + "/foi/apply/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    tab_to(page, "#id_organisation")
    page.keyboard.press("ArrowDown")  # the first organisation that accepts requests
    tab_to(page, "#id_applicant_kind_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_applicant_name")
    page.keyboard.type("张三")
    tab_to(page, "#id_id_type")
    page.keyboard.press("ArrowDown")  # 居民身份证
    tab_to(page, "#id_id_number")
    page.keyboard.type("11010519491231002X")
    tab_to(page, "#id_email")
    page.keyboard.type("zhangsan@example.com")
    tab_to(page, "#id_description")
    page.keyboard.type("2023年静安区老旧小区加装电梯的补贴标准和申请条件。")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/foi/apply/done/")
    number = page.text_content("#request-number").strip()
    code = page.text_content("#access-code").strip()
    assert "zhangsan@example.com" in page.text_content("main")
    # the receipt e-mail carries both, once the request is committed
    receipt = [m for m in mail.outbox if "回执" in m.subject]
    assert receipt and number in receipt[0].body and code in receipt[0].body
    assert receipt[0].to == ["zhangsan@example.com"]
    assert serious_violations(page) == []

    # the tracking session cookie ends with the browser (no expiry date)
    cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    assert cookie["expires"] == -1
    # 退出, then the code in lower case works
    page.goto(live_server.url + "/foi/track/")
    assert number in page.text_content("#status-h")
    tab_to(page, ".track-exit button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#status-h").count() == 0 and "已退出查询" in page.text_content("main")
    page.fill("#id_number", number.lower())
    page.fill("#id_code", code.lower())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert number in page.text_content("#status-h")
    # 30 minutes idle (FOI_TRACK_IDLE_SECONDS) and the page asks for the code again
    with time_machine.travel(time.time() + settings.FOI_TRACK_IDLE_SECONDS + 60, tick=True):
        page.goto(live_server.url + "/foi/track/")
        assert page.locator("#status-h").count() == 0
    page.close()


def test_footer_care_mode_reading_controls_and_no_third_party_scripts(browser, live_server, documents):
    page = browser.new_page(locale="zh-CN", viewport=DESKTOP)
    page.goto(live_server.url + "/")
    footer = page.text_content("footer")
    for text in ("主办单位：", "承办单位：", "联系我们", "网站地图", "隐私声明", "无障碍声明", "纠错"):
        assert text in footer, text
    assert page.get_attribute("link[rel=icon]", "href").endswith("favicon.svg")
    for name in ("联系我们", "网站地图", "隐私声明", "无障碍声明", "纠错"):
        href = page.get_attribute(f"footer >> text={name}", "href")
        response = page.request.get(live_server.url + href)
        assert response.status == 200, name
    scripts = page.evaluate("[...document.scripts].map(s => s.src)")
    assert all(src.startswith(live_server.url) for src in scripts) and scripts

    # 关怀版 is one click and is remembered on the next page and after a reload
    base_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.click("button[data-reading=care]")
    assert page.evaluate("document.documentElement.classList.contains('care')")
    page.goto(live_server.url + documents["points"].get_absolute_url())
    assert page.evaluate("document.documentElement.classList.contains('care')")
    assert page.get_attribute("button[data-reading=care]", "aria-pressed") == "true"
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") > base_size
    assert serious_violations(page) == []
    page.click("button[data-reading=care]")
    page.click("button[data-value=xlarge]")
    page.click("button[data-reading=spacing]")
    page.reload()
    assert page.evaluate("document.documentElement.className").split() == ["font-xlarge", "spacing-wide"] or {
        "font-xlarge", "spacing-wide"} <= set(page.evaluate("document.documentElement.className").split())  # fmt: skip
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") > base_size
    page.close()

    phone = browser.new_page(locale="zh-CN", viewport=PHONE)
    phone.goto(live_server.url + "/documents/")
    # results before facets, facets folded under 筛选条件
    results = phone.locator("#results-h").bounding_box()
    facets = phone.locator("details.facet-panel").bounding_box()
    assert results["y"] < facets["y"]
    assert phone.evaluate("document.querySelector('details.facet-panel').open") is False
    assert fits(phone) and serious_violations(phone) == []
    phone.goto(live_server.url + documents["notice"].get_absolute_url() + "print/")
    assert fits(phone)
    phone.close()
