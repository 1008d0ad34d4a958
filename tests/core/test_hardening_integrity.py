"""Issue 11, confidentiality and integrity: back-office lookups are scoped, only proactively published
relations change what the public sees, and nobody drafts and publishes the same text alone."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.accounts.constants import Role
from gongkai.core.models import Event
from gongkai.documents import services
from gongkai.documents.constants import DisclosureMode, DocumentStatus, RelationType, Validity

pytestmark = pytest.mark.django_db


def relation_form(organisation, target_id) -> dict:
    return {
        "title": "教育局的新通知", "doc_number": "", "doc_type": "notice", "organisation": organisation.pk,
        "written_date": "2024-03-01", "published_date": "", "effective_date": "", "expiry_date": "", "theme": "",
        "disclosure_mode": "proactive", "withheld_reason": "", "registration_number": "", "summary": "",
        "body_html": "<p>正文</p>", "tags_text": "",
        "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
        "outgoing_relations-TOTAL_FORMS": "1", "outgoing_relations-INITIAL_FORMS": "0",
        "outgoing_relations-0-relation_type": "based_on", "outgoing_relations-0-target": str(target_id),
        "outgoing_relations-0-target_title": "", "outgoing_relations-0-target_doc_number": "",
        "outgoing_relations-0-note": "",
    }  # fmt: skip


@pytest.mark.parametrize(
    "state",
    ["draft", "in_review", "withheld"],
)
def test_relation_lookup_never_shows_another_organisations_unpublished_title(
    client, make_document, editor, reviewer, make_user, other_org, state
):
    fields = {"disclosure_mode": DisclosureMode.WITHHELD, "withheld_reason": "internal_affairs"}
    secret = make_document(
        "区府办内部蓝鲸方案", publish=state == "withheld", **(fields if state == "withheld" else {})
    )
    if state == "in_review":
        secret = services.submit_for_review(secret, actor=editor)
    foreign_editor = make_user("edu-editor", other_org, Role.EDITOR)
    client.force_login(foreign_editor)
    own = services.create_document(actor=foreign_editor, organisation=other_org, title="教育局的新通知")
    response = client.post(f"/admin/documents/document/{own.pk}/change/", relation_form(other_org, secret.pk))
    assert "蓝鲸" not in response.content.decode()
    assert not own.outgoing_relations.exists()
    # The lookup offered for the field searches only what the editor may see.
    found = client.get("/admin/autocomplete/", {"term": "蓝鲸", "app_label": "documents",
                                                "model_name": "documentrelation", "field_name": "target"})  # fmt: skip
    assert "蓝鲸" not in found.content.decode()


def test_relation_lookup_finds_public_documents_of_other_organisations(
    client, make_document, make_user, other_org
):
    public = make_document("区府办公开的营商环境办法")
    foreign_editor = make_user("edu-editor", other_org, Role.EDITOR)
    own_draft = services.create_document(
        actor=foreign_editor, organisation=other_org, title="教育局营商环境草稿"
    )
    client.force_login(foreign_editor)
    found = client.get("/admin/autocomplete/", {"term": "营商环境", "app_label": "documents",
                                                "model_name": "documentrelation", "field_name": "target"}).json()  # fmt: skip
    assert {row["id"] for row in found["results"]} == {str(public.pk), str(own_draft.pk)}
    response = client.post(
        f"/admin/documents/document/{own_draft.pk}/change/", relation_form(other_org, public.pk)
    )
    assert response.status_code == 302
    assert own_draft.outgoing_relations.get().target == public


def test_a_repeal_disclosed_only_on_request_does_not_change_public_validity(client, make_document, editor):
    public = make_document("区府办公开的管理办法")
    repealer = make_document("依申请公开的废止决定", publish=False, disclosure_mode=DisclosureMode.ON_REQUEST)
    services.add_relation(repealer, actor=editor, relation_type=RelationType.REPEALS, target=public)
    from gongkai.accounts.models import User

    reviewer = User.objects.get(username="reviewer")  # published, but only on request (依申请公开)
    repealer = services.publish_document(services.submit_for_review(repealer, actor=editor), actor=reviewer)
    assert repealer.status == DocumentStatus.PUBLISHED
    public.refresh_from_db()
    assert public.validity == Validity.VALID
    page = client.get(public.get_absolute_url()).content.decode()
    assert "已废止" not in page and "依申请公开的废止决定" not in page
    listed = client.get("/documents/", {"validity": "repealed"}).content.decode()
    assert "区府办公开的管理办法" not in listed


def test_a_proactively_published_repeal_still_changes_validity(make_document, editor):
    public = make_document("区府办公开的旧办法")
    repealer = make_document("主动公开的废止决定", publish=False)
    services.add_relation(repealer, actor=editor, relation_type=RelationType.REPEALS, target=public)
    from gongkai.accounts.models import User

    reviewer = User.objects.get(username="reviewer")
    services.publish_document(services.submit_for_review(repealer, actor=editor), actor=reviewer)
    public.refresh_from_db()
    assert public.validity == Validity.REPEALED


# ---------------------------------------------------------------- separation of duties


def user_change_form(user, groups) -> dict:
    return {
        "username": user.username, "display_name": user.display_name, "first_name": "", "last_name": "",
        "email": "", "organisation": user.organisation_id, "is_active": "on", "is_staff": "on",
        "groups": [group.pk for group in groups],
    }  # fmt: skip


def test_organisation_admin_cannot_give_one_account_editor_and_reviewer(client, make_user, office):
    org_admin = make_user("office-admin", office, Role.ORG_ADMIN)
    second = make_user("second-account", office)
    client.force_login(org_admin)
    both = Group.objects.filter(name__in=[Role.EDITOR, Role.REVIEWER])
    response = client.post(f"/admin/accounts/user/{second.pk}/change/", user_change_form(second, both))
    assert response.status_code == 200
    assert "职责分离" in response.content.decode()
    assert not second.groups.exists()
    # One role at a time is fine, and the grant is audited.
    editor_group = Group.objects.filter(name=Role.EDITOR)
    response = client.post(
        f"/admin/accounts/user/{second.pk}/change/", user_change_form(second, editor_group)
    )
    assert response.status_code == 302
    assert list(second.groups.values_list("name", flat=True)) == [Role.EDITOR]
    assert Event.objects.filter(
        verb="accounts.roles_changed", target_id=str(second.pk), actor=org_admin
    ).exists()


def test_organisation_admin_cannot_make_themselves_a_reviewer(client, make_user, office):
    org_admin = make_user("office-admin", office, Role.ORG_ADMIN)
    client.force_login(org_admin)
    groups = Group.objects.filter(name__in=[Role.ORG_ADMIN, Role.REVIEWER])
    response = client.post(
        f"/admin/accounts/user/{org_admin.pk}/change/", user_change_form(org_admin, groups)
    )
    assert response.status_code == 200 and "职责分离" in response.content.decode()
    assert list(org_admin.groups.values_list("name", flat=True)) == [Role.ORG_ADMIN]


def test_a_platform_admin_may_grant_both_roles_and_it_is_audited(make_user, office):
    from gongkai.accounts import services as account_services
    from gongkai.accounts.models import User

    platform_admin = User.objects.create_superuser("root", password="pw-123456789")
    org_admin = make_user("office-admin", office, Role.ORG_ADMIN)
    second = make_user("small-office", office)
    with pytest.raises(ValidationError) as excinfo:
        account_services.set_roles(second, actor=org_admin, roles=[Role.EDITOR, Role.REVIEWER])
    assert "groups" in excinfo.value.message_dict
    account_services.set_roles(second, actor=platform_admin, roles=[Role.EDITOR, Role.REVIEWER])
    assert set(second.groups.values_list("name", flat=True)) == {Role.EDITOR, Role.REVIEWER}
    event = Event.objects.get(verb="accounts.roles_changed", target_id=str(second.pk))
    assert event.actor == platform_admin and event.data["conflicting"] is True


def test_whoever_last_changed_the_text_cannot_publish_it(make_document, make_user, office, editor):
    """The scenario of the finding: a second account rewrites a colleague's draft and publishes it."""
    second = make_user("second-account", office, Role.EDITOR)
    second.groups.add(Group.objects.get(name=Role.REVIEWER))  # as held before the role rule existed
    draft = make_document("同事起草的通知", publish=False, body_html="<p>原文</p>")
    draft = services.update_document(draft, actor=second, body_html="<p>改写后的正文</p>")
    draft = services.submit_for_review(draft, actor=editor)
    with pytest.raises(PermissionDenied):
        services.publish_document(draft, actor=second)
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.IN_REVIEW
    # ... nor through the disclosure review
    from gongkai.review import services as review_services

    with pytest.raises(PermissionDenied):
        review_services.approve_review(draft, actor=second)
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.IN_REVIEW


def test_a_reviewer_who_did_not_touch_the_text_publishes_it(
    make_document, make_user, office, editor, reviewer
):
    second = make_user("second-editor", office, Role.EDITOR)
    draft = make_document("同事起草的通知", publish=False)
    draft = services.update_document(draft, actor=second, body_html="<p>改写后的正文</p>")
    draft = services.submit_for_review(draft, actor=second)
    assert services.publish_document(draft, actor=reviewer).status == DocumentStatus.PUBLISHED


def test_a_platform_admin_publishing_their_own_text_is_recorded_as_self_approved(office):
    from gongkai.accounts.models import User

    root = User.objects.create_superuser("root", password="pw-123456789", organisation=office)
    draft = services.create_document(actor=root, organisation=office, title="平台管理员代录的通知")
    published = services.publish_document(services.submit_for_review(draft, actor=root), actor=root)
    event = Event.objects.get(verb="document.publish", target_id=str(published.pk))
    assert event.actor == root and event.data == {"self_approved": True}
