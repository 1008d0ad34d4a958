"""The policy message board (issue 15): a citizen asks on a policy page, the organisation replies in
time, the reply is public only after the disclosure review with personal data masked, similar
questions become an FAQ on the same page; bad input is refused with a Chinese error naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.accounts.constants import Role
from gongkai.core.calendar import add_working_days
from gongkai.core.models import Event
from gongkai.interaction import selectors, services, tasks
from gongkai.interaction.constants import MessageStatus, Moderation
from gongkai.interaction.models import Message

pytestmark = pytest.mark.django_db

QUESTION = "请问工作要点里说的政策解读要在多少天内发布？我的电话是13812345678，我叫张伟。"


@pytest.fixture
def plan(make_document):
    return make_document("上海市静安区人民政府办公室关于印发《2023年静安区政务公开工作要点》的通知",
                         doc_number="静府办发〔2023〕5号", body_text="一、总体要求\n做好政务公开工作。")  # fmt: skip


def ask(plan, client, body=QUESTION, contact="citizen@example.com", **extra):
    return client.post(f"/interaction/documents/{plan.pk}/ask/", {"body": body, "contact": contact, **extra})


def test_question_on_policy_page_is_received_with_due_date_in_working_days(client, plan):
    page = client.get(plan.get_absolute_url())
    assert "政策留言板" in page.content.decode() and 'name="csrfmiddlewaretoken"' in page.content.decode()
    response = ask(plan, client, name="张先生")
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.document == plan and message.organisation == plan.organisation
    assert message.status == MessageStatus.RECEIVED
    assert message.due_on == add_working_days(message.received_on, 5)
    # the asker's follow page shows the question; the policy page does not (not answered yet)
    follow = client.get(response["Location"])
    assert "13812345678" in follow.content.decode()
    assert QUESTION not in client.get(plan.get_absolute_url()).content.decode()
    assert Event.objects.filter(verb="interaction.message_received").exists()


def test_reply_days_are_configurable_per_organisation(plan, make_user, office, client):
    admin = make_user("org-admin", office, Role.ORG_ADMIN)
    services.set_reply_days(office, actor=admin, days=10)
    ask(plan, client)
    message = Message.objects.get()
    assert message.due_on == add_working_days(message.received_on, 10)
    with pytest.raises(ValidationError) as error:
        services.set_reply_days(office, actor=admin, days=0)
    assert "答复时限" in str(error.value)


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"body": ""}, "body", "请填写留言内容"),
        ({"body": "问" * 5000}, "body", "留言内容不能超过"),
        ({"body": "<script>alert(1)</script>"}, "body", "不能包含网页代码"),
        ({"contact": "not a contact"}, "contact", "电子邮箱或电话号码"),
        ({"contact": ""}, "contact", "联系方式"),
        ({"name": "<b>x</b>"}, "name", "称呼不能包含"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(client, plan, fields, field, text):
    data = {"body": "政策解读多久发布？", "contact": "13812345678", **fields}
    response = client.post(f"/interaction/documents/{plan.pk}/ask/", data)
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not Message.objects.exists()
    with pytest.raises(ValidationError) as error:
        services.submit_message(organisation=plan.organisation, document=plan, **data)
    assert field in error.value.message_dict


def test_rate_limit_per_client_address(client, plan, settings):
    settings.INTERACTION_QUESTION_RATE_PER_HOUR = 2
    assert ask(plan, client).status_code == 302
    assert ask(plan, client, body="第二个问题：补贴标准是什么？").status_code == 302
    response = ask(plan, client, body="第三个问题")
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert Message.objects.count() == 2


def test_retried_form_creates_one_message(client, plan):
    ask(plan, client, token="same-token")
    ask(plan, client, token="same-token")
    assert Message.objects.count() == 1


def test_reply_is_published_only_after_review_with_personal_data_masked(
    client, plan, editor, reviewer, django_capture_on_commit_callbacks
):
    ask(plan, client)
    message = Message.objects.get()
    reply = services.draft_reply(
        message, actor=editor, body="政策解读与文件同步发布。如有疑问请联系张伟先生本人。"
    )
    assert QUESTION not in client.get(plan.get_absolute_url()).content.decode()
    # 一事一审: the drafter cannot review; an editor without the reviewer role cannot either
    with pytest.raises(PermissionDenied):
        services.review_reply(reply, actor=editor, approve=True, note="x")
    with pytest.raises(ValidationError) as error:  # refusing needs a note
        services.review_reply(reply, actor=reviewer, approve=False)
    assert "note" in error.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.review_reply(reply, actor=reviewer, approve=True, note="姓名为提问人本人，已遮蔽")
    message.refresh_from_db()
    assert message.status == MessageStatus.ANSWERED
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "政策解读与文件同步发布" in page
    assert "13812345678" not in page and "138****5678" in page
    assert "citizen@example.com" not in page
    assert "张伟" not in page
    # the asker is told, with the link to say whether it solved the problem
    assert mail.outbox and mail.outbox[0].to == ["citizen@example.com"]
    assert message.follow_code in mail.outbox[0].body


def test_changed_reply_needs_a_new_review(plan, client, editor, reviewer):
    ask(plan, client)
    message = Message.objects.get()
    reply = services.draft_reply(message, actor=editor, body="第一稿")
    services.review_reply(reply, actor=reviewer, approve=False, note="请补充依据")
    reply = services.draft_reply(message, actor=editor, body="第二稿：依据工作要点第二部分。")
    assert reply.review_status == "pending" and reply.reviewed_hash == ""
    services.review_reply(reply, actor=reviewer, approve=True)
    message.refresh_from_db()
    assert message.reply.public_body == "第二稿：依据工作要点第二部分。"


def test_asker_says_whether_the_answer_solved_the_problem(plan, client, editor, reviewer):
    ask(plan, client)
    message = Message.objects.get()
    services.review_reply(
        services.draft_reply(message, actor=editor, body="已答复。"), actor=reviewer, approve=True
    )
    url = f"/interaction/follow/{message.public_id}/"
    assert client.get(url + "?code=wrong").status_code == 404
    response = client.post(url + f"?code={message.follow_code}", {"solved": "1", "code": message.follow_code})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.solved is True and message.status == MessageStatus.CLOSED


def test_moderation_rejects_or_transfers_and_nothing_is_public(plan, client, editor):
    ask(plan, client, body="买发票找我 www.example.com")
    ask(plan, client, body="我要投诉某街道办事处工作人员态度恶劣")
    spam, complaint = Message.objects.order_by("id")
    services.moderate_message(spam, actor=editor, outcome=Moderation.SPAM)
    complaint = services.moderate_message(complaint, actor=editor, outcome=Moderation.TRANSFER, note="属投诉")
    assert complaint.status == MessageStatus.TRANSFERRED and complaint.transferred_to == "领导信箱"
    spam.refresh_from_db()
    assert spam.status == MessageStatus.REJECTED
    assert selectors.public_answers(plan).count() == 0
    with pytest.raises(ValidationError):
        services.draft_reply(spam, actor=editor, body="答复")


def test_staff_see_only_their_organisation_and_urgency_colours(plan, client, editor, other_org, make_user):
    ask(plan, client)
    message = Message.objects.get()
    outsider = make_user("outsider", other_org, Role.EDITOR)
    assert selectors.messages_of(outsider).count() == 0
    client.force_login(outsider)
    assert client.get(f"/interaction/staff/{message.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.draft_reply(message, actor=outsider, body="越权答复")
    assert selectors.urgency(message, message.received_on) == ""
    assert selectors.urgency(message, message.due_on) == "due_soon"
    assert selectors.urgency(message, message.due_on + dt.timedelta(days=1)) == "overdue"
    client.force_login(editor)
    page = client.get("/interaction/staff/").content.decode()
    assert f"/interaction/staff/{message.pk}/" in page


def test_reminder_task_mails_handlers_once_a_day(plan, client, editor, django_capture_on_commit_callbacks):
    editor.email = "editor@example.gov.cn"
    editor.save()
    ask(plan, client)
    message = Message.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reply_reminders(message.due_on) == 1
        assert tasks.send_reply_reminders(message.due_on) == 0  # once a day
    assert [m.to for m in mail.outbox] == [["editor@example.gov.cn"]]
    assert "即将到期或已超期" in mail.outbox[0].subject


def test_similar_questions_are_grouped_and_promoted_to_faq_on_policy_and_topic_pages(
    plan, client, editor, reviewer
):
    for body in (
        "政策解读要在文件公布后多少天内发布？",
        "文件公布后政策解读多少天内要发布",
        "静安区有哪些养老服务补贴？",
    ):
        ask(plan, client, body=body)
    for message in Message.objects.all():
        services.review_reply(services.draft_reply(message, actor=editor, body="答复：" + message.body),
                              actor=reviewer, approve=True)  # fmt: skip
    groups = selectors.faq_candidates(editor)
    assert len(groups) == 1 and len(groups[0]) == 2
    entry = services.promote_to_faq(
        groups[0], actor=editor, question="政策解读多久发布？", answer="与文件同步发布。"
    )
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "常见问题" in page and "政策解读多久发布？" in page
    assert selectors.faq_candidates(editor) == []
    from gongkai.topics import selectors as topic_selectors

    assert entry in topic_selectors.SECTION_PROVIDERS["faq"](None, [plan.pk])


def test_consultation_page_without_policy(client, office):
    page = client.get("/interaction/ask/")
    assert page.status_code == 200 and "网上咨询" in page.content.decode()
    response = client.post("/interaction/ask/", {"organisation": office.pk, "body": "怎么申请公开信息？",
                                                 "contact": "021-62345678"})  # fmt: skip
    assert response.status_code == 302
    assert Message.objects.get().channel == "consultation"


def test_user_text_is_escaped_on_staff_page(plan, client, editor):
    services.submit_message(organisation=plan.organisation, document=plan, body="a & b < c 的问题",
                            contact="13812345678")  # fmt: skip
    client.force_login(editor)
    message = Message.objects.get()
    page = client.get(f"/interaction/staff/{message.pk}/").content.decode()
    assert "a &amp; b &lt; c" in page


def test_logged_in_visitor_sees_own_questions(client, plan, make_user, other_org):
    from gongkai.accounts.models import User

    visitor = User.objects.create_user(username="visitor", password="pw-123456789")
    client.force_login(visitor)
    ask(plan, client, body="我自己的问题：补贴怎么申请？")
    client.logout()
    ask(plan, client, body="别人的问题")
    client.force_login(visitor)
    page = client.get("/interaction/mine/").content.decode()
    assert "我自己的问题" in page and "别人的问题" not in page
    client.logout()
    assert client.get("/interaction/mine/").status_code == 302
