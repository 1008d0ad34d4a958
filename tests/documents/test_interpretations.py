"""政策解读 under 三同步 (work plan item 十七): 同步起草、同步审签、同步发布, 应解读、尽解读.

A policy marked 需解读 goes to review and publication only together with its interpretation, in one
transaction; publishing either alone is refused with a message naming what is missing. Follow-up
interpretations (动态解读) have their own review and date.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import Event
from gongkai.documents import interpretations as interp
from gongkai.documents import services as documents
from gongkai.documents.constants import DocType, DocumentStatus, WithheldReason
from gongkai.documents.interpretation_sync import set_interpretation_requirement
from gongkai.documents.models import Interpretation
from gongkai.review import interpretations as interpretation_review
from gongkai.review import services as review
from gongkai.review.constants import TaskStatus
from gongkai.review.models import ReviewTask

MOBILE = "13812345678"


@pytest.fixture
def policy(editor):
    """A draft 规范性文件 with its tags: 需解读 by default."""
    return documents.create_document(
        actor=editor, organisation=editor.organisation, title="静安区促进高校毕业生就业的若干措施",
        doc_type=DocType.MEASURES, is_normative=True, tags=["graduates", "theme-0203"], written_date="2024-03-01",
        body_text="第一条 为促进高校毕业生就业，制定本措施。\n第二条 对吸纳高校毕业生就业的小微企业，每人给予一次性补贴3000元。",
    )  # fmt: skip


def draft_interpretation(actor, document, **fields):
    values = {"kind": "text", "title": "《静安区促进高校毕业生就业的若干措施》政策解读",
              "scope": "在本区就业的高校毕业生和吸纳其就业的小微企业。", **fields}  # fmt: skip
    return interp.create_interpretation(
        actor=actor, organisation=document.organisation, documents=[document], **values
    )


def test_needs_interpretation_defaults_to_normative_documents_and_audience_tags(editor):
    normative = documents.create_document(
        actor=editor, organisation=editor.organisation, title="甲办法", is_normative=True
    )
    tagged = documents.create_document(actor=editor, organisation=editor.organisation, title="关于养老服务补贴的通知",
                                       tags=["elderly"])  # fmt: skip
    plain = documents.create_document(
        actor=editor, organisation=editor.organisation, title="关于召开会议的通知"
    )
    assert normative.needs_interpretation and tagged.needs_interpretation and not plain.needs_interpretation


def test_a_policy_without_interpretation_is_refused_submission_and_nothing_changes(policy, editor):
    with pytest.raises(ValidationError) as refused:
        documents.submit_for_review(policy, actor=editor)
    message = refused.value.message_dict["interpretation"][0]
    assert "三同步" in message and policy.title in message and "解读" in message
    policy.refresh_from_db()
    assert policy.status == DocumentStatus.DRAFT
    assert not Event.objects.filter(verb="document.submit").exists()


def test_policy_and_interpretation_are_submitted_reviewed_and_published_together(policy, editor, reviewer):
    item = draft_interpretation(editor, policy)
    submitted = documents.submit_for_review(policy, actor=editor)
    item.refresh_from_db()
    assert submitted.status == item.status == DocumentStatus.IN_REVIEW
    assert item.submitted_with_id == policy.pk and not item.is_follow_up

    with pytest.raises(ValidationError) as alone:  # publishing the interpretation alone is refused
        interp.publish_interpretation(item, actor=reviewer)
    assert (
        "三同步" in alone.value.message_dict["status"][0]
        and policy.title in alone.value.message_dict["status"][0]
    )

    with time_machine.travel(dt.datetime(2024, 3, 5, 10, tzinfo=dt.UTC)):
        published = documents.publish_document(submitted, actor=reviewer)
    item.refresh_from_db()
    assert published.status == item.status == DocumentStatus.PUBLISHED
    assert item.published_date == published.published_date
    assert Event.objects.filter(verb="interpretation.publish", target_id=str(item.pk)).exists()
    # one review task covered both (the interpretation's text was scanned with the policy's)
    task = ReviewTask.objects.get(document=policy, interpretation=None)
    assert task.status == TaskStatus.APPROVED


def test_the_policy_is_refused_publication_when_its_interpretation_is_missing(policy, editor, reviewer):
    """A 需解读 mark set after submission (or a policy submitted before the rule) cannot be published alone."""
    policy = set_interpretation_requirement(policy, actor=editor, required=False, reason="暂不解读")
    submitted = documents.submit_for_review(policy, actor=editor)
    from gongkai.documents.models import Document

    Document.objects.filter(pk=policy.pk).update(interpretation_required=True)  # e.g. marked before this rule
    with pytest.raises(ValidationError) as refused:
        documents.publish_document(submitted, actor=reviewer)
    assert "三同步" in refused.value.message_dict["interpretation"][0]
    submitted.refresh_from_db()
    assert submitted.status == DocumentStatus.IN_REVIEW


def test_personal_data_in_the_interpretation_stops_both_until_decided(policy, editor, reviewer):
    item = draft_interpretation(editor, policy, body=f"咨询请联系经办人，手机{MOBILE}。")
    submitted = documents.submit_for_review(policy, actor=editor)
    with pytest.raises(ValidationError) as refused:
        documents.publish_document(submitted, actor=reviewer)
    assert "手机号码" in refused.value.message_dict["review"][0]
    task = review.open_task(submitted)
    assert any(f["source"].startswith(f"interpretation:{item.pk}:") for f in task.blocking_findings)
    with pytest.raises(ValidationError) as no_masking:  # an interpretation is rewritten, not masked
        review.approve_review(task, actor=reviewer, mask=True)
    assert "退回起草人修改解读" in no_masking.value.message_dict["mask"][0]
    item.refresh_from_db()
    submitted.refresh_from_db()
    assert item.status == submitted.status == DocumentStatus.IN_REVIEW
    # refusing the policy sends its interpretation back too
    review.refuse_review(task, actor=reviewer, reason=WithheldReason.THIRD_PARTY)
    item.refresh_from_db()
    submitted.refresh_from_db()
    assert item.status == submitted.status == DocumentStatus.DRAFT and item.submitted_with_id is None


def test_an_interpretation_cannot_be_submitted_ahead_of_its_policy(policy, editor):
    item = draft_interpretation(editor, policy)
    with pytest.raises(ValidationError) as refused:
        interp.submit_interpretation(item, actor=editor)
    message = refused.value.message_dict["status"][0]
    assert "三同步" in message and policy.title in message
    item.refresh_from_db()
    assert item.status == DocumentStatus.DRAFT


def test_staff_unmark_with_a_kept_reason(policy, editor, reviewer):
    with pytest.raises(ValidationError) as no_reason:
        set_interpretation_requirement(policy, actor=editor, required=False, reason="  ")
    assert "不需解读的理由" in no_reason.value.message_dict["interpretation_waiver_reason"][0]
    policy.refresh_from_db()
    assert policy.interpretation_required is None and policy.needs_interpretation
    policy = set_interpretation_requirement(
        policy, actor=editor, required=False, reason="仅调整内部分工，不涉及公众权利义务"
    )
    assert policy.interpretation_waiver_reason == "仅调整内部分工，不涉及公众权利义务"
    event = Event.objects.get(verb="document.interpretation_requirement")
    assert event.data["reason"] == "仅调整内部分工，不涉及公众权利义务" and event.data["required"] is False
    published = documents.publish_document(documents.submit_for_review(policy, actor=editor), actor=reviewer)
    assert published.status == DocumentStatus.PUBLISHED


def test_follow_up_interpretation_has_its_own_review_and_date(
    policy, editor, reviewer, django_capture_on_commit_callbacks
):
    draft_interpretation(editor, policy)
    with time_machine.travel(dt.datetime(2024, 3, 5, 10, tzinfo=dt.UTC)):
        documents.publish_document(documents.submit_for_review(policy, actor=editor), actor=reviewer)
    follow_up = draft_interpretation(editor, policy, title="高校毕业生就业补贴常见问题（动态解读）", kind="qa",
                                     body="问：补贴怎么申请？\n答：由吸纳就业的小微企业向区人力资源和社会保障局申请。")  # fmt: skip
    with time_machine.travel(dt.datetime(2024, 6, 1, 10, tzinfo=dt.UTC)):
        with django_capture_on_commit_callbacks(execute=True):
            follow_up = interp.submit_interpretation(follow_up, actor=editor)
        task = ReviewTask.objects.get(interpretation=follow_up)  # opened when the submission committed
        assert task.status == TaskStatus.OPEN and task.document_id == policy.pk
        with pytest.raises(PermissionDenied):
            interp.publish_interpretation(follow_up, actor=editor)  # the drafter does not publish
        published = interp.publish_interpretation(follow_up, actor=reviewer)
    assert published.is_follow_up and published.published_date == dt.date(2024, 6, 1)
    task.refresh_from_db()
    assert task.status == TaskStatus.APPROVED and task.approved_hash == published.content_hash


def test_follow_up_with_findings_is_decided_on_its_task(
    policy, editor, reviewer, django_capture_on_commit_callbacks
):
    policy = set_interpretation_requirement(policy, actor=editor, required=False, reason="示范")
    documents.publish_document(documents.submit_for_review(policy, actor=editor), actor=reviewer)
    item = draft_interpretation(editor, policy, body=f"咨询请联系经办人，手机{MOBILE}。")
    with django_capture_on_commit_callbacks(execute=True):
        item = interp.submit_interpretation(item, actor=editor)
    with pytest.raises(ValidationError) as refused:
        interp.publish_interpretation(item, actor=reviewer)
    assert "手机号码" in refused.value.message_dict["review"][0]
    task = ReviewTask.objects.get(interpretation=item, status=TaskStatus.OPEN)
    with pytest.raises(ValidationError):
        interpretation_review.approve_interpretation_review(task, actor=reviewer)  # needs the reviewer's note
    published = interpretation_review.approve_interpretation_review(
        task, actor=reviewer, note="经办人同意公开其工作手机"
    )
    assert published.status == DocumentStatus.PUBLISHED
    assert ReviewTask.objects.get(pk=task.pk).signature


def test_withdrawing_the_policy_takes_its_interpretation_off(policy, editor, reviewer):
    item = draft_interpretation(editor, policy)
    published = documents.publish_document(documents.submit_for_review(policy, actor=editor), actor=reviewer)
    documents.withdraw_document(published, actor=reviewer, reason="内容调整")
    item.refresh_from_db()
    assert item.status == DocumentStatus.WITHDRAWN


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"title": " "}, "title", "解读标题"),
        ({"kind": "poster"}, "kind", "解读形式"),
        ({"media_url": "javascript:alert(1)"}, "media_url", "网址"),
        ({"scope": ""}, "body", "解读内容"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(policy, editor, fields, field, words):
    before = Interpretation.objects.count()
    with pytest.raises(ValidationError) as error:
        draft_interpretation(editor, policy, **fields)
    assert words in error.value.message_dict[field][0]
    assert Interpretation.objects.count() == before


def test_an_interpretation_needs_a_document_the_author_may_see(editor, other_org, make_user):
    with pytest.raises(ValidationError) as none:
        interp.create_interpretation(
            actor=editor, organisation=editor.organisation, documents=[], title="解读", body="x"
        )
    assert "所解读的文件" in none.value.message_dict["documents"][0]
    outsider = make_user("outsider-editor", other_org, "editor")
    secret = documents.create_document(actor=editor, organisation=editor.organisation, title="内部草稿")
    with pytest.raises(ValidationError) as hidden:
        interp.create_interpretation(
            actor=outsider, organisation=other_org, documents=[secret], title="解读", body="x"
        )
    assert "无权查看" in hidden.value.message_dict["documents"][0]


def test_only_drafts_are_edited(policy, editor):
    item = draft_interpretation(editor, policy)
    documents.submit_for_review(policy, actor=editor)
    with pytest.raises(ValidationError) as locked:
        interp.update_interpretation(item, actor=editor, scope="改动")
    assert "草稿" in locked.value.message_dict["status"][0]


def test_withdrawal_is_a_top_level_service(policy, editor, reviewer):
    """Called inside someone else's transaction it refuses at once (CONTRIBUTING rule 1)."""
    from django.db import transaction

    item = draft_interpretation(editor, policy)
    documents.publish_document(documents.submit_for_review(policy, actor=editor), actor=reviewer)
    with transaction.atomic():
        with pytest.raises(RuntimeError, match="durable"):
            interp.withdraw_interpretation(item, actor=reviewer, reason="内容有误")
    item.refresh_from_db()
    assert item.status == DocumentStatus.PUBLISHED
