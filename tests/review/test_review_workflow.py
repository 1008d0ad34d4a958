"""先审查、后公开: one review task per item, signed decisions, masking on every public surface."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.accounts.constants import Role
from gongkai.core.models import Event
from gongkai.core.services import events_for, verify_chain
from gongkai.documents import services as documents
from gongkai.documents.constants import DocumentStatus, WithheldReason
from gongkai.review import services
from gongkai.review.constants import RereviewStatus, TaskStatus
from gongkai.review.models import Rereview, ReviewTask, TargetedAccess

VALID_ID = "310101198503071232"
MOBILE = "13812345678"
BODY = f"申请人张伟（身份证号：{VALID_ID}，联系电话：{MOBILE}）申请公开相关信息，经审查予以答复。"


@pytest.fixture
def draft(editor, reviewer, django_capture_on_commit_callbacks):
    document = documents.create_document(actor=editor, organisation=editor.organisation, title="关于张伟同志申请公开信息的答复",
                                         body_html=f"<p>{BODY}</p>")  # fmt: skip
    with django_capture_on_commit_callbacks(
        execute=True
    ):  # the review task opens when the submission commits
        return documents.submit_for_review(document, actor=editor)


def test_a_draft_with_an_id_number_and_phone_cannot_be_published_unreviewed(draft, reviewer):
    with pytest.raises(ValidationError) as excinfo:
        documents.publish_document(draft, actor=reviewer)
    message = excinfo.value.message_dict["review"][0]
    assert "身份证号" in message and "手机号码" in message and "审查任务" in message
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.IN_REVIEW
    task = ReviewTask.objects.get(document=draft)
    assert task.status == TaskStatus.OPEN and task.assignee == reviewer
    assert {f["kind"] for f in task.blocking_findings} >= {"id_card", "mobile", "name"}


def test_approve_with_masking_shows_only_masked_values_on_every_public_surface(client, draft, reviewer):
    document = services.approve_review(draft, actor=reviewer, mask=True)
    assert document.status == DocumentStatus.PUBLISHED
    masked = ["310101********1232", "138****5678", "张*"]
    surfaces = {
        "page": client.get(f"/documents/{document.pk}/"),
        "list": client.get("/documents/", {"q": "申请公开信息的答复"}),
        "api": client.get(f"/api/documents/{document.pk}/"),
        "feed": client.get("/feeds/documents.rss"),
        "print": client.get(f"/documents/{document.pk}/print/"),
    }
    for name, response in surfaces.items():
        assert response.status_code == 200, name
        content = response.content.decode()
        if "\\u" in content:
            content = content.encode().decode("unicode_escape")
        assert VALID_ID not in content and MOBILE not in content and "张伟" not in content, name
        assert "张*" in content, name
    page = surfaces["page"].content.decode()
    assert all(value in page for value in masked)
    # the original stays with the review task, for the organisation's staff only
    task = ReviewTask.objects.get(document=document)
    assert task.status == TaskStatus.APPROVED_MASKED and VALID_ID in task.original_body_text
    assert set(task.masked_kinds) >= {"id_card", "mobile", "name"}


def test_decision_is_signed_in_the_audit_trail(draft, reviewer):
    services.approve_review(draft, actor=reviewer, mask=True)
    task = ReviewTask.objects.get(document=draft)
    event = events_for(task).get(verb="review.approve_masked")
    assert event.actor == reviewer
    assert event.data["signature"] == task.signature and len(task.signature) == 64
    assert event.data["content_hash"] == task.approved_hash
    assert VALID_ID not in str(event.data)
    assert verify_chain().ok


def test_approving_unmasked_findings_needs_a_reason(draft, reviewer):
    with pytest.raises(ValidationError) as excinfo:
        services.approve_review(draft, actor=reviewer)
    assert "审查意见" in excinfo.value.message_dict["note"][0]
    document = services.approve_review(draft, actor=reviewer, note="申请人本人同意公开（条例第十五条）")
    assert VALID_ID in document.body_text


def test_decisions_by_the_wrong_people_are_refused(draft, editor, make_user, other_org):
    before = Event.objects.count()
    foreign = make_user("foreign-reviewer", other_org, Role.REVIEWER)
    with pytest.raises(PermissionDenied) as excinfo:
        services.refuse_review(draft, actor=foreign, reason=WithheldReason.THIRD_PARTY)
    assert "其他单位" in str(excinfo.value)
    with pytest.raises(PermissionDenied) as excinfo:
        services.approve_review(draft, actor=editor, mask=True)
    assert "审核人" in str(excinfo.value)
    assert not ReviewTask.objects.exclude(status=TaskStatus.OPEN).exists()
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.IN_REVIEW and VALID_ID in draft.body_text
    assert Event.objects.filter(verb__startswith="review.").exclude(verb="review.opened").count() == 0
    assert Event.objects.count() >= before


def test_refusal_needs_a_statutory_reason_and_queues_a_rereview(draft, reviewer, make_user, office, settings):
    settings.GONGKAI_REREVIEW_INTERVAL_DAYS = 30
    with pytest.raises(ValidationError) as excinfo:
        services.refuse_review(draft, actor=reviewer, reason="dislike")
    assert "第十四至十六条" in excinfo.value.message_dict["reason"][0]
    services.refuse_review(draft, actor=reviewer, reason=WithheldReason.THIRD_PARTY, note="涉及个人隐私")
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.DRAFT
    rereview = Rereview.objects.get(document=draft)
    assert rereview.due_on == dt.date.today() + dt.timedelta(days=30)
    # Art. 18: when due, the owning organisation is reminded once
    reviewer.email = "reviewer@example.cn"
    reviewer.save()
    assert services.send_rereview_reminders(dt.date.today() + dt.timedelta(days=31)) == 1
    assert services.send_rereview_reminders(dt.date.today() + dt.timedelta(days=32)) == 0
    assert len(mail.outbox) == 0  # sent on commit
    with pytest.raises(ValidationError):
        services.decide_rereview(rereview, actor=reviewer, release=False, note=" ")
    kept = services.decide_rereview(rereview, actor=reviewer, release=False, note="情形未变化")
    assert kept.due_on == dt.date.today() + dt.timedelta(days=30)
    released = services.decide_rereview(kept, actor=reviewer, release=True)
    assert released.status == RereviewStatus.RELEASED


def test_reminder_mail_is_sent_after_commit(draft, reviewer, django_capture_on_commit_callbacks):
    reviewer.email = "reviewer@example.cn"
    reviewer.save()
    services.refuse_review(draft, actor=reviewer, reason=WithheldReason.PROCESS_INFO, note="过程稿")
    with django_capture_on_commit_callbacks(execute=True):
        services.send_rereview_reminders(dt.date.today() + dt.timedelta(days=400))
    assert len(mail.outbox) == 1 and "第十八条" in mail.outbox[0].body and draft.title in mail.outbox[0].body


def test_clean_documents_are_approved_by_the_reviewers_publish(make_document, reviewer):
    document = make_document(
        "关于做好2023年政务公开工作的通知", body_html="<p>各单位要按照沪府办发〔2023〕12号文件要求执行。</p>"
    )
    task = ReviewTask.objects.get(document=document)
    assert task.status == TaskStatus.APPROVED and task.decided_by == reviewer


def test_task_opens_on_submit_after_commit(editor, django_capture_on_commit_callbacks):
    document = documents.create_document(
        actor=editor, organisation=editor.organisation, title="待审", body_text=BODY
    )
    with django_capture_on_commit_callbacks(execute=True):
        documents.submit_for_review(document, actor=editor)
    assert ReviewTask.objects.filter(document=document, status=TaskStatus.OPEN).count() == 1


def test_targeted_disclosure_is_visible_only_to_named_recipients(client, draft, reviewer, make_user, office):
    recipient = make_user("recipient", office)
    stranger = make_user("stranger", office)
    disclosure, (token,) = services.create_targeted_disclosure(
        draft, actor=reviewer, users=[recipient], links=["张伟本人"]
    )
    assert client.get(f"/documents/{draft.pk}/").status_code == 404
    client.force_login(stranger)
    assert client.get(f"/review/targeted/{disclosure.pk}/").status_code == 403
    client.force_login(recipient)
    response = client.get(f"/review/targeted/{disclosure.pk}/")
    assert response.status_code == 200 and VALID_ID in response.content.decode()
    client.logout()
    assert client.get(f"/review/t/{token}/").status_code == 200
    second = client.get(f"/review/t/{token}/")
    assert second.status_code == 403 and "已使用" in second.content.decode()
    assert TargetedAccess.objects.filter(disclosure=disclosure, granted=True).count() == 2
    assert TargetedAccess.objects.filter(disclosure=disclosure, granted=False).count() == 2


def test_staff_screens(client, draft, reviewer, make_user, other_org):
    assert client.get("/review/").status_code == 302  # login required
    client.force_login(reviewer)
    services.open_task(draft)
    queue = client.get("/review/")
    assert draft.title in queue.content.decode()
    task = ReviewTask.objects.get(document=draft)
    page = client.get(f"/review/tasks/{task.pk}/").content.decode()
    assert f'title="身份证号">{VALID_ID}</mark>' in page
    response = client.post(f"/review/tasks/{task.pk}/decide/", {"decision": "refuse", "reason": ""})
    assert response.status_code == 400 and "理由类别" in response.content.decode()
    response = client.post(f"/review/tasks/{task.pk}/decide/", {"decision": "approve_masked"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.APPROVED_MASKED
    client.force_login(make_user("foreign", other_org, Role.REVIEWER))
    assert client.get(f"/review/tasks/{task.pk}/").status_code == 403


def test_highlight_escapes_text(editor, reviewer):
    document = documents.create_document(actor=editor, organisation=editor.organisation, title="转义",
                                         body_text=f"<script>alert(1)</script>手机{MOBILE}")  # fmt: skip
    documents.submit_for_review(document, actor=editor)
    from gongkai.review.selectors import highlight

    task = services.open_task(document)
    html = str(highlight(document.body_text, task.blocking_findings))
    assert (
        "<script>" not in html
        and "&lt;script&gt;" in html
        and f'<mark class="finding-mobile" title="手机号码">{MOBILE}</mark>' in html
    )


def test_search_snippets_show_only_masked_values(client, draft, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # indexing runs when the publication commits
        document = services.approve_review(draft, actor=reviewer, mask=True)
    for url in ("/search/", "/api/search/"):
        response = client.get(url, {"q": "申请公开相关信息"})
        content = response.content.decode()
        if "\\u" in content:
            content = content.encode().decode("unicode_escape")
        assert response.status_code == 200, url
        assert document.title[:6] in content or str(document.pk) in content, url
        assert VALID_ID not in content and MOBILE not in content and "张伟" not in content, url
        assert "138****5678" in content, url
