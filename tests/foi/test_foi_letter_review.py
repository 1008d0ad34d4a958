"""The disclosure review of reply letters (条例 Arts. 14–18: 先审查、后公开, 一事一审): no 答复书 is issued
without an approved review of the very body issued."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from foi_helpers import FORM, ID_NUMBER
from gongkai.accounts.constants import Role
from gongkai.core.models import Event
from gongkai.core.services import events_for
from gongkai.foi import services
from gongkai.foi.constants import (
    Channel,
    LetterReviewStatus,
    LetterStatus,
    Outcome,
    RequestStatus,
)
from gongkai.foi.models import FOILetter, FOIRequest


@pytest.fixture
def draft(office, foi_officer) -> FOILetter:
    request, _code = services.register_request(actor=foi_officer, organisation=office, channel=Channel.IN_PERSON,
                                               received_date="2026-11-02", **FORM)  # fmt: skip
    return services.prepare_reply(request, actor=foi_officer, outcome=Outcome.NOT_EXIST)


def reload(letter: FOILetter) -> FOILetter:
    return FOILetter.objects.select_related("request").get(pk=letter.pk)


@pytest.mark.django_db
def test_issuing_without_review_is_refused_and_changes_nothing(draft, foi_officer):
    assert draft.review_status == LetterReviewStatus.PENDING and draft.edited_by == foi_officer
    events = Event.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.issue_reply(draft, actor=foi_officer, decided_date="2026-11-20")
    assert "先审查、后公开" in str(exc.value.message_dict["letter"])
    letter = reload(draft)
    assert letter.status == LetterStatus.DRAFT and not letter.letter_number
    request = FOIRequest.objects.get(pk=letter.request_id)
    assert request.status == RequestStatus.RECEIVED and request.decided_date is None
    assert Event.objects.count() == events


@pytest.mark.django_db
def test_editing_after_approval_needs_a_new_review(draft, foi_officer, reviewer):
    approved = services.review_letter(draft, actor=reviewer, approve=True, note="申请人本人信息")
    assert approved.review_status == LetterReviewStatus.APPROVED
    assert approved.reviewed_by == reviewer and approved.reviewed_hash == approved.body_sha256
    # saving the same text keeps the review; a changed body resets it
    same = services.edit_letter(approved, actor=foi_officer, body=approved.body)
    assert same.review_status == LetterReviewStatus.APPROVED
    edited = services.edit_letter(approved, actor=foi_officer, body=approved.body + "\n另附说明。")
    assert edited.review_status == LetterReviewStatus.PENDING and not edited.reviewed_hash
    with pytest.raises(ValidationError):
        services.issue_reply(edited, actor=foi_officer, decided_date="2026-11-20")
    # a body changed behind the service's back no longer matches the approved hash
    approved = services.review_letter(edited, actor=reviewer, approve=True, note="申请人本人信息")
    FOILetter.objects.filter(pk=approved.pk).update(body=approved.body + "\n未经审查的内容。")
    with pytest.raises(ValidationError):
        services.issue_reply(approved, actor=foi_officer, decided_date="2026-11-20")
    FOILetter.objects.filter(pk=approved.pk).update(body=approved.body)
    request = services.issue_reply(approved, actor=foi_officer, decided_date="2026-11-20")
    assert request.status == RequestStatus.REPLIED
    assert reload(approved).status == LetterStatus.ISSUED


@pytest.mark.django_db
def test_only_a_reviewer_of_the_organisation_may_review(
    draft, other_org, make_user, foi_officer, foi_approver
):
    outsider = make_user("edu-reviewer", other_org, Role.REVIEWER)
    for user in (outsider, foi_officer, foi_approver):
        with pytest.raises(PermissionDenied):
            services.review_letter(draft, actor=user, approve=True, note="申请人本人信息")
    assert reload(draft).review_status == LetterReviewStatus.PENDING
    assert not events_for(draft.request).filter(verb="foi.letter_reviewed").exists()


@pytest.mark.django_db
def test_the_drafter_cannot_review_their_own_letter(office, make_user, reviewer):
    both = make_user("foi-and-reviewer", office, Role.FOI_OFFICER, Role.REVIEWER)
    request, _code = services.register_request(actor=both, organisation=office, channel=Channel.IN_PERSON,
                                               received_date="2026-11-02", **FORM)  # fmt: skip
    letter = services.prepare_reply(request, actor=both, outcome=Outcome.NOT_EXIST)
    with pytest.raises(PermissionDenied):
        services.review_letter(letter, actor=both, approve=True, note="申请人本人信息")
    approved = services.review_letter(letter, actor=reviewer, approve=True, note="申请人本人信息")
    assert approved.review_status == LetterReviewStatus.APPROVED
    assert (
        services.issue_reply(approved, actor=both, decided_date="2026-11-20").status == RequestStatus.REPLIED
    )


@pytest.mark.django_db
def test_findings_need_a_note_and_refusal_returns_the_letter(draft, foi_officer, reviewer):
    letter = services.edit_letter(
        draft, actor=foi_officer, body=draft.body + f"\n申请人身份证号：{ID_NUMBER}。"
    )
    with pytest.raises(ValidationError) as exc:
        services.review_letter(letter, actor=reviewer, approve=True)
    assert "note" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.review_letter(letter, actor=reviewer, approve=False)
    assert "note" in exc.value.message_dict
    assert reload(letter).review_status == LetterReviewStatus.PENDING
    refused = services.review_letter(letter, actor=reviewer, approve=False, note="请删除身份证号码")
    assert refused.review_status == LetterReviewStatus.REFUSED and not refused.reviewed_hash
    assert any(f["kind"] == "id_card" and f["text"] == ID_NUMBER for f in refused.review_findings)
    with pytest.raises(ValidationError):
        services.issue_reply(refused, actor=foi_officer, decided_date="2026-11-20")
    fixed = services.edit_letter(refused, actor=foi_officer, body=draft.body)
    assert fixed.review_status == LetterReviewStatus.PENDING
    approved = services.review_letter(fixed, actor=reviewer, approve=True, note="所含姓名为申请人本人")
    assert not any(f["kind"] == "id_card" for f in approved.review_findings)
    assert (
        services.issue_reply(approved, actor=foi_officer, decided_date="2026-11-20").status
        == RequestStatus.REPLIED
    )


@pytest.mark.django_db
def test_review_event_is_signed_and_carries_no_personal_values(draft, foi_officer, reviewer):
    letter = services.edit_letter(
        draft, actor=foi_officer, body=draft.body + f"\n申请人身份证号：{ID_NUMBER}。"
    )
    letter = services.review_letter(
        letter, actor=reviewer, approve=True, note="身份证号为申请人本人信息，可以告知本人"
    )
    event = events_for(letter.request).get(verb="foi.letter_reviewed")
    data = event.data
    assert data["decision"] == "approved" and data["body_sha256"] == letter.body_sha256
    assert data["signature"] == services.letter_signature(
        letter, body_hash=letter.body_sha256, decision="approved", actor=reviewer, when=letter.reviewed_at
    )
    assert "id_card" in data["finding_kinds"] and data["findings"] >= 1
    assert ID_NUMBER not in json.dumps(data, ensure_ascii=False) and "赵六" not in json.dumps(
        data, ensure_ascii=False
    )


@pytest.mark.django_db
def test_letter_page_shows_findings_escaped_and_the_review_form(draft, foi_officer, reviewer):
    body = draft.body + f"\n<script>alert(1)</script>申请人身份证号：{ID_NUMBER}。"
    letter = services.edit_letter(draft, actor=foi_officer, body=body)
    url = reverse("foi:staff-letter", args=[letter.pk])
    checker = Client()
    checker.force_login(reviewer)
    page = checker.get(url).content.decode()
    assert f">{ID_NUMBER}</mark>" in page and "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page and 'name="decision"' in page
    response = checker.post(
        reverse("foi:staff-letter-review", args=[letter.pk]), {"decision": "approve"}, follow=True
    )
    assert "同意出具须填写审查意见" in response.content.decode()
    checker.post(
        reverse("foi:staff-letter-review", args=[letter.pk]), {"decision": "refuse", "note": "删除身份证号"}
    )
    assert reload(letter).review_status == LetterReviewStatus.REFUSED
    assert "退回修改" in checker.get(url).content.decode()
