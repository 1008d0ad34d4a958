"""The push journey of issue 14 in headless Chromium, with axe (0 serious/critical) on every page:
a citizen registers, picks 退役军人 and 就业创业, subscribes to a theme daily; the reviewer sees the
audience size and publishes the demo policy; it lands in 我的政策 with the reason and in the mail;
the calculator lists it; the association's operator forwards it to two members and staff see both
deliveries; the mail's unsubscribe link works in one click."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from browser_helpers import serious_violations
from demo_helpers import demo_database
from gongkai.demo.loader import DEMO_PASSWORD
from gongkai.demo.push_demo import PENDING_POLICY_TITLE
from gongkai.documents.models import Document
from gongkai.subscriptions.models import Subscription

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "new-citizen@example.com"
PASSWORD = "Veteran-jobs-2026-journey!"


def accessible(page) -> None:
    assert serious_violations(page) == [], page.url


def link_in(message, marker: str) -> str:
    return next(url for url in re.findall(r"https?://\S+", message.body) if marker in url)


def public_login(page, base: str, email: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/my/policies/")


def test_push_journey(browser, live_server):
    demo_database()
    base = live_server.url
    policy = Document.objects.get(title=PENDING_POLICY_TITLE)

    # 1. a citizen registers, verifies the address and logs in
    citizen = browser.new_context(locale="zh-CN").new_page()
    citizen.goto(base + "/accounts/register/")
    accessible(citizen)
    citizen.fill("#id_email", EMAIL)
    citizen.fill("#id_password", PASSWORD)
    citizen.check("#id_consent")
    citizen.click("main button[type=submit]")
    assert "请验证邮箱" in citizen.text_content("h1")
    verify = link_in(next(m for m in mail.outbox if m.to == [EMAIL]), "/accounts/verify/")
    citizen.goto(verify.replace("http://127.0.0.1:8000", base))
    public_login(citizen, base, EMAIL, PASSWORD)
    accessible(citizen)

    # 2. picks 退役军人 and 就业创业, then subscribes to 劳动就业 daily
    citizen.goto(base + "/my/profile/")
    accessible(citizen)
    citizen.check("#tag-veterans")
    citizen.check("#tag-employment")
    citizen.click("text=保存画像")
    citizen.wait_for_url("**/my/policies/")
    citizen.goto(base + "/my/subscriptions/")
    accessible(citizen)
    citizen.select_option("#sub-theme", "1502")
    citizen.select_option("#sub-frequency", "daily")
    citizen.click(".subscribe-form button[type=submit]")
    citizen.wait_for_url("**/my/subscriptions/")
    assert "劳动就业" in citizen.text_content("table") and "每日摘要" in citizen.text_content("table")

    # 3. the reviewer sees the audience size on the publish screen and publishes
    staff = browser.new_context(locale="zh-CN").new_page()
    staff.goto(base + "/admin/login/?next=/review/")
    staff.fill("#id_username", "reviewer")
    staff.fill("#id_password", DEMO_PASSWORD)
    staff.click("input[type=submit]")
    staff.wait_for_url("**/review/")
    staff.goto(base + f"/review/documents/{policy.pk}/")
    previews = staff.text_content(".publish-previews")
    assert "精准推送画像数" in previews and "2 个画像" in previews  # the demo citizen and the new one
    accessible(staff)
    staff.check("input[name=decision][value=approve]")
    staff.click("text=签名并提交")
    staff.wait_for_selector(".messages")
    policy.refresh_from_db()
    assert policy.is_public

    # 4. 我的政策 shows it with the reason; the mail has it (immediate: the profile push)
    citizen.goto(base + "/my/policies/")
    item = citizen.text_content(".policy-inbox")
    assert PENDING_POLICY_TITLE in item
    assert "对象·退役军人" in item and "生命周期·就业创业" in item and "劳动就业" in item
    accessible(citizen)
    pushed = [m for m in mail.outbox if m.to == [EMAIL] and PENDING_POLICY_TITLE in m.body]
    assert len(pushed) == 1  # profile and theme subscription overlap: one mail
    assert pushed[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # 5. the calculator lists it for the same attributes, without an account
    visitor = browser.new_context(locale="zh-CN").new_page()
    visitor.goto(base + "/policy-calculator/")
    visitor.check("#tag-veterans")
    visitor.check("#tag-employment")
    visitor.click("text=查找适用政策")
    assert PENDING_POLICY_TITLE in visitor.text_content(".calculator-results")
    accessible(visitor)

    # 6. the association's operator forwards it to its two members; staff see both deliveries
    operator = browser.new_context(locale="zh-CN").new_page()
    public_login(operator, base, "association@example.com", DEMO_PASSWORD)
    operator.goto(base + "/my/relay/")
    accessible(operator)
    operator.click("text=转发给会员企业")
    assert "已转发给 2 家会员企业" in operator.text_content(".messages")
    assert {m.to[0] for m in mail.outbox if PENDING_POLICY_TITLE in m.body} >= {
        "member-a@example.com",
        "member-b@example.com",
    }
    staff.goto(base + "/staff/push/relays/")
    accessible(staff)
    staff.click("text=静安区退役军人就业创业促进会（示例）")
    section = staff.text_content("main")
    assert section.count("已发送") == 2
    accessible(staff)
    staff.goto(base + "/staff/push/")
    assert PENDING_POLICY_TITLE in staff.text_content("table")
    accessible(staff)

    # 7. one click on the mail's unsubscribe link ends every subscription of the address
    unsubscribe = link_in(pushed[0], "/subscriptions/unsubscribe/")
    visitor.goto(unsubscribe.replace("http://127.0.0.1:8000", base))
    accessible(visitor)
    visitor.click("text=退订全部推送")
    assert "已退订" in visitor.text_content("h1")
    assert not Subscription.objects.filter(profile__user__username=EMAIL).exists()
