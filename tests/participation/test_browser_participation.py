"""公众参与 in a real Chromium, as a new user tries the demo: comment on 第三条, the adoption report due 10
working days after the decision, an open day that fills up, a survey's chart; axe-core on every new page
and no Content-Security-Policy violation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from browser_helpers import serious_violations, visit, watch
from gongkai.demo.loader import DEMO_PASSWORD, load_demo
from gongkai.participation.models import Comment, Consultation, Event, Survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def check(page, console, url: str) -> None:
    assert visit(page, console, url) == [], url  # no CSP violation
    assert serious_violations(page) == [], url  # axe: no serious or critical finding


def login(page, live_server) -> None:
    page.goto(live_server.url + "/admin/login/?next=/participation/staff/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/participation/staff/")


def test_the_new_user_journey(browser, live_server):
    with time_machine.travel(dt.datetime(2026, 8, 20, 10, 0, tzinfo=SHANGHAI), tick=True):
        load_demo(progress=lambda _message: None)
        draft = Consultation.objects.get(closes_on="2026-09-18")  # the open 示例 draft, 30 days from today
        archived = Consultation.objects.exclude(pk=draft.pk).get()  # the 2023 draft with its published report
        event = Event.objects.get(kind="open_day")
        survey = Survey.objects.get()
        page = browser.new_page(locale="zh-CN")
        console = watch(page)

        check(page, console, live_server.url + "/participation/")
        page.click("text=静安区促进中小企业高质量发展若干措施（征求意见稿）")
        assert "示例" in page.text_content("h1")
        page.click("text=对第三条提出意见")
        assert page.input_value("#id_article_number") == "3"
        page.fill("#id_body", "第三条的奖励标准应当在措施中写明，便于企业预期。")
        page.fill("#id_contact", "citizen@example.org")
        page.click("#comment-form ~ form button[type=submit], form.p-form button[type=submit]")
        assert "您的意见已提交" in page.text_content(".messages")
        check(page, console, live_server.url + f"/participation/consultations/{draft.pk}/")
        for path in ("/participation/catalogues/", "/participation/catalogues/jingan-gov/2023/",
                     f"/participation/decisions/{archived.item_id}/", "/participation/consultations/",
                     f"/participation/consultations/{archived.pk}/",
                     "/participation/solicitations/", "/participation/surveys/", f"/participation/surveys/{survey.pk}/",
                     "/participation/events/"):  # fmt: skip
            check(page, console, live_server.url + path)

        # The open day has 5 seats and 4 sign-ups: the visitor gets the last seat, the next one the waiting list.
        check(page, console, live_server.url + f"/participation/events/{event.pk}/")
        page.fill("#id_name", "新用户")
        page.fill("#id_contact", "new-user@example.org")
        page.click("#signup ~ form button[type=submit]")
        assert "报名成功" in page.text_content(".p-confirm")
        assert len(page.text_content("#checkin-code").strip()) == 8
        assert page.evaluate("window.__csp") + console == [] and serious_violations(page) == []
        other = browser.new_page(locale="zh-CN")
        other.goto(live_server.url + f"/participation/events/{event.pk}/")
        assert "名额已满" in other.text_content("main")
        other.fill("#id_name", "晚来的人")
        other.fill("#id_contact", "13800000099")
        other.click("#signup ~ form button[type=submit]")
        assert "您已进入候补名单，排第 1 位" in other.text_content(".p-confirm")
        other.close()

        # A survey's results show as a chart (SVG with its data table).
        check(page, console, live_server.url + f"/participation/surveys/{survey.pk}/results/")
        assert page.locator("svg.p-chart").count() == 3
        assert page.locator("svg.p-chart rect.bar").first.bounding_box()["width"] > 0

    comment = Comment.objects.get(body__startswith="第三条的奖励标准")
    with time_machine.travel(dt.datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI), tick=True):
        login(page, live_server)
        check(page, console, live_server.url + "/participation/staff/")
        staff_url = live_server.url + f"/participation/staff/consultations/{draft.pk}/"
        check(page, console, staff_url)
        block = page.locator(f"#comment-{comment.pk}")
        assert "citizen@example.org" in block.text_content()  # staff see the private contact
        block.locator("button[name=publish][value='1']").click()
        page.locator(f"#comment-{comment.pk} select[name=adoption]").select_option("adopted")
        page.locator(f"#comment-{comment.pk} form.p-form button[type=submit]").click()
        assert "已记录采纳情况" in page.text_content(".messages")
        demo_comment = Comment.objects.get(consultation=draft, display_name="示例网友")
        page.locator(f"#comment-{demo_comment.pk} select[name=adoption]").select_option("not_adopted")
        page.fill(f"#reason-{demo_comment.pk}", "申报时间由年度通知公布，不在措施中规定。")
        page.locator(f"#comment-{demo_comment.pk} form.p-form button[type=submit]").click()

        page.fill("#dec-title", "静安区促进中小企业高质量发展若干措施（示例）")
        page.fill("#dec-date", "2026-09-28")
        page.click("#decision ~ form button[type=submit]")
        # 29, 30 Sep; 1–7 Oct National Day; 8, 9, Sat 10 (调休), 12–16 Oct: the 10th working day is 16 October.
        assert "2026-10-16" in page.text_content("#report-due")
        assert page.input_value("#r-received") == "2" and page.input_value("#r-adopted") == "1"
        assert page.input_value("#r-partly") == "0" and page.input_value("#r-not") == "1"
        page.fill("#r-summary", "示例：共收到意见2条，采纳1条，未采纳1条。")
        page.click("#report ~ form button[type=submit]")
        assert "已保存采纳情况" in page.text_content(".messages")
        page.click("text=公布采纳情况")
        assert "采纳情况已公布" in page.text_content(".messages")
        check(page, console, staff_url)
        for path in (f"/participation/staff/events/{event.pk}/", f"/participation/staff/surveys/{survey.pk}/",
                     "/participation/staff/attendance/", "/participation/staff/consultations/new/"):  # fmt: skip
            check(page, console, live_server.url + path)

        check(page, console, live_server.url + f"/participation/consultations/{draft.pk}/")
        counts = page.locator("#report-counts td").all_text_contents()
        assert counts == ["2", "1", "0", "1"]
    page.close()
