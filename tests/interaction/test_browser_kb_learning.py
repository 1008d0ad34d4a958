"""The staff side of 集中咨询 in headless Chromium, with axe (0 serious/critical): a question the knowledge
base cannot answer with confidence is logged, staff see it in their queue and name the entry that answers
it (a wrong number gives a clear error and changes nothing); the next asker of the same
question gets that entry first."""

from __future__ import annotations

import pytest

from browser_helpers import serious_violations
from demo_helpers import demo_database
from gongkai.demo.loader import DEMO_PASSWORD
from gongkai.interaction import kb
from gongkai.interaction.models import KnowledgeEntry, UnansweredQuestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "外地户口的老人在本区看病能不能直接刷医保卡结算"


def test_staff_teach_the_knowledge_base_a_question_it_could_not_answer(browser, live_server):
    demo_database()
    assert not kb.is_confident(kb.ask(QUESTION))  # the demo knowledge base is not sure of it
    citizen = browser.new_page(locale="zh-CN")
    citizen.goto(live_server.url + "/kb/?q=" + QUESTION)
    assert serious_violations(citizen) == []
    logged = UnansweredQuestion.objects.get(text=QUESTION)
    entry = KnowledgeEntry.objects.filter(pk__in=[a["id"] for a in kb.ask(QUESTION, limit=50)]).last()
    assert entry is not None and entry.pk != kb.ask(QUESTION)[0]["id"]

    staff = browser.new_page(locale="zh-CN")
    staff.goto(live_server.url + "/admin/login/?next=/interaction/staff/")
    staff.fill("#id_username", "admin")
    staff.fill("#id_password", DEMO_PASSWORD)
    staff.click("input[type=submit]")
    staff.wait_for_url("**/interaction/staff/")
    section = staff.locator("section[aria-labelledby=u-h]")
    assert QUESTION in section.text_content()
    assert serious_violations(staff) == []

    # A number that is no entry: the error is shown, the question stays in the queue.
    staff.fill(f"#learn-{logged.pk}", "999999")
    staff.click(f"#learn-{logged.pk} ~ button[type=submit]")
    staff.wait_for_url("**/interaction/staff/")
    assert "条目编号：请填写一个正在使用的知识库条目的编号。" in staff.text_content(".messages")
    assert UnansweredQuestion.objects.filter(pk=logged.pk).exists()
    assert serious_violations(staff) == []

    staff.fill(f"#learn-{logged.pk}", str(entry.pk))
    staff.click(f"#learn-{logged.pk} ~ button[type=submit]")
    staff.wait_for_url("**/interaction/staff/")
    assert f"已将该问题归入知识库条目 {entry.pk}。" in staff.text_content(".messages")
    assert not UnansweredQuestion.objects.filter(pk=logged.pk).exists()
    assert QUESTION in KnowledgeEntry.objects.get(pk=entry.pk).questions

    # The next asker of the same words gets that entry first.
    assert kb.ask(QUESTION)[0]["id"] == entry.pk
    citizen.goto(live_server.url + "/kb/?q=" + QUESTION)
    assert entry.answer[:20] in citizen.text_content("main")
    staff.close()
    citizen.close()
