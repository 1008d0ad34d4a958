"""Profile-targeted push (精准推送): matching rules, one delivery per policy, subscriptions, digests,
one-click unsubscribe, the command line, the calculator and the relay (issue 14)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.constants import UserKind
from gongkai.accounts.models import User
from gongkai.documents.constants import DocType
from gongkai.subscriptions import delivery, matching, profile_import, push, relay, services, tokens
from gongkai.subscriptions.constants import Channel, DeliveryStatus, Frequency, SubscriptionKind
from gongkai.subscriptions.models import Delivery, Profile, ProfileTag, Subscription
from gongkai.taxonomy.models import Tag

pytestmark = pytest.mark.django_db


def profile_with(*codes, email="", **fields):
    profile = Profile.objects.create(email=email, email_confirmed=bool(email), **fields)
    for code in codes:
        ProfileTag.objects.create(profile=profile, tag=Tag.objects.get(code=code))
    return profile


@pytest.fixture
def veterans_policy(make_document):
    return make_document("关于支持退役军人就业创业的若干措施", doc_type=DocType.MEASURES, theme="1502",
                         tags=["veterans", "employment", "theme-1502"])  # fmt: skip


def test_matching_is_and_across_dimensions_or_within_and_follows_the_tree(veterans_policy):
    both = profile_with("veterans", "employment")
    broad = profile_with("person", "employment")  # 个人 is above 退役军人: not enough
    one = profile_with("veterans")  # no 生命周期 tag: the policy has one, so no match
    other = profile_with("elderly", "employment")
    tag_ids = list(veterans_policy.tags.values_list("pk", flat=True))
    matched = set(matching.matching_profiles(matching.audience_groups(tag_ids)).values_list("pk", flat=True))
    assert matched == {both.pk}
    assert {broad.pk, one.pk, other.pk}.isdisjoint(matched)
    # a policy for 个人 reaches the 退役军人 profile (below it) and 就业创业 is not asked for
    groups = matching.audience_groups(Tag.objects.filter(code="person").values_list("pk", flat=True))
    assert set(matching.matching_profiles(groups).values_list("pk", flat=True)) >= {both.pk, broad.pk, one.pk}
    # 主题 is not an audience dimension: a theme-only policy is for everyone and not pushed by profile
    groups = matching.audience_groups(Tag.objects.filter(code="theme-1502").values_list("pk", flat=True))
    assert groups == {} and matching.matching_profiles(groups).count() == 0


def test_queuing_reaches_exactly_the_matching_profiles_on_each_channel_they_can_receive(make_document):
    """The one INSERT … SELECT that matches and queues: OR inside a dimension (退役军人 or 老年人), AND
    across dimensions, a profile tag below a policy tag matches, each channel only where the profile
    can receive it, at the profile's own frequency; run again, it queues nothing."""
    user = User.objects.create_user(
        "v@example.com", email="v@example.com", password="x", kind=UserKind.PERSON
    )
    inbox_only = profile_with("veterans", "employment", user=user)
    mail_daily = profile_with("elderly", "employment", email="m@example.com", frequency=Frequency.DAILY)
    everything = profile_with("veterans", "employment", email="e@example.com", phone="13800000000",
                              webhook_url="https://hooks.example.com/e")  # fmt: skip
    no_channel = profile_with("veterans", "employment")  # matches, but has nowhere to receive it
    wrong_life_event = profile_with("veterans", "retirement", email="r@example.com")
    wrong_group = profile_with("graduates", "employment", email="s@example.com")
    policy = make_document("退役军人和老年人就业政策", doc_type=DocType.MEASURES,
                           tags=["veterans", "elderly", "employment", "theme-1502"])  # fmt: skip
    Delivery.objects.all().delete()  # publishing queued them already; queue again, directly
    tag_ids = list(policy.tags.values_list("pk", flat=True))
    counts = matching.queue_profile_deliveries(policy, "published", tag_ids)
    assert counts == {Channel.INBOX: 1, Channel.EMAIL: 2, Channel.WEBHOOK: 1, Channel.SMS: 1}
    rows = {(d.profile_id, d.channel): d for d in Delivery.objects.filter(document=policy)}
    assert set(rows) == {(inbox_only.pk, Channel.INBOX), (mail_daily.pk, Channel.EMAIL),
                         (everything.pk, Channel.EMAIL), (everything.pk, Channel.WEBHOOK),
                         (everything.pk, Channel.SMS)}  # fmt: skip
    assert {no_channel.pk, wrong_life_event.pk, wrong_group.pk}.isdisjoint(p for p, _c in rows)
    assert rows[(inbox_only.pk, Channel.INBOX)].status == DeliveryStatus.SENT  # the inbox is delivered
    assert rows[(everything.pk, Channel.EMAIL)].status == DeliveryStatus.QUEUED
    assert rows[(mail_daily.pk, Channel.EMAIL)].frequency == Frequency.DAILY
    assert rows[(everything.pk, Channel.EMAIL)].reason["by"] == "profile"
    matched = set(matching.matching_profiles(matching.audience_groups(tag_ids)).values_list("pk", flat=True))
    assert {p for p, _c in rows} | {no_channel.pk} == matched  # the preview counts the same profiles
    again = matching.queue_profile_deliveries(policy, "published", tag_ids)
    assert sum(again.values()) == 0 and Delivery.objects.filter(document=policy).count() == 5
    # a policy for 个人 reaches every profile whose group is below it, whatever its life events
    broad = make_document("面向个人的政策", doc_type=DocType.MEASURES, tags=["person", "theme-1502"])
    counts = matching.queue_profile_deliveries(broad, "again", list(broad.tags.values_list("pk", flat=True)))
    assert counts[Channel.EMAIL] == 4  # mail_daily, everything, wrong_life_event, wrong_group


def test_publication_queues_one_delivery_per_profile_and_channel_even_when_rules_overlap(veterans_policy):
    profile = profile_with("veterans", "employment", email="a@example.com")
    Subscription.objects.create(profile=profile, kind=SubscriptionKind.TAG, tag=Tag.objects.get(code="veterans"),
                                frequency=Frequency.DAILY, confirmed=True)  # fmt: skip
    Subscription.objects.create(profile=profile, kind=SubscriptionKind.THEME, theme=veterans_policy.theme,
                                frequency=Frequency.IMMEDIATE, confirmed=True)  # fmt: skip
    push.push_published(veterans_policy.pk)
    push.push_published(veterans_policy.pk)  # a retried task queues nothing twice
    rows = Delivery.objects.filter(profile=profile, document=veterans_policy)
    assert rows.filter(channel=Channel.EMAIL).count() == 1
    assert rows.get(channel=Channel.EMAIL).frequency == Frequency.IMMEDIATE
    delivery.send_immediate_emails()
    delivery.send_immediate_emails()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert veterans_policy.title in message.subject
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.alternatives[0][1] == "text/html"
    assert rows.get(channel=Channel.EMAIL).status == DeliveryStatus.SENT


def test_withdrawn_consent_and_unconfirmed_addresses_get_nothing(veterans_policy):
    withdrawn = profile_with("veterans", "employment", email="w@example.com", push_enabled=False)
    unconfirmed = profile_with("veterans", "employment")
    unconfirmed.email = "u@example.com"
    unconfirmed.save()
    push.push_published(veterans_policy.pk)
    assert not Delivery.objects.filter(profile=withdrawn).exists()
    assert not Delivery.objects.filter(profile=unconfirmed, channel=Channel.EMAIL).exists()


def test_daily_digest_gathers_policies_into_one_mail(make_document):
    profile = profile_with(email="d@example.com")
    Subscription.objects.create(profile=profile, kind=SubscriptionKind.TAG, tag=Tag.objects.get(code="person"),
                                frequency=Frequency.DAILY, confirmed=True)  # fmt: skip
    first = make_document("第一件", doc_type=DocType.MEASURES, tags=["veterans", "theme-1502"])
    second = make_document("第二件", doc_type=DocType.MEASURES, tags=["elderly", "theme-1502"])
    push.push_published(first.pk)
    push.push_published(second.pk)
    assert delivery.send_immediate_emails() == 0
    assert delivery.send_digests(Frequency.DAILY) == 1
    assert len(mail.outbox) == 1 and "2 件" in mail.outbox[0].subject
    assert "第一件" in mail.outbox[0].body and "第二件" in mail.outbox[0].body
    assert delivery.send_digests(Frequency.DAILY) == 0


def test_anonymous_subscription_needs_double_opt_in_and_unsubscribes_in_one_click(
    client, veterans_policy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("subscriptions:subscribe"),
                               {"kind": "theme", "theme_choice": "1502", "frequency": "immediate", "email": "x@example.com"})  # fmt: skip
    assert response.status_code == 200 and len(mail.outbox) == 1
    subscription = Subscription.objects.get()
    assert not subscription.confirmed
    push.push_published(veterans_policy.pk)
    assert not Delivery.objects.filter(profile=subscription.profile).exists()  # not confirmed yet
    link = next(line for line in mail.outbox[0].body.splitlines() if "/subscriptions/confirm/" in line)
    assert client.get(link[link.index("/subscriptions/") :]).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed
    token = tokens.make({"p": subscription.profile_id, "s": 0}, tokens.UNSUBSCRIBE_SALT)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.post(reverse("subscriptions:unsubscribe", args=[forged])).status_code == 400
    assert Subscription.objects.count() == 1
    # RFC 8058: the mail client POSTs List-Unsubscribe=One-Click without any CSRF token
    response = client.post(
        reverse("subscriptions:unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert Subscription.objects.count() == 0


def test_expired_unsubscribe_link_is_refused(client, time_machine):
    profile = profile_with(email="e@example.com")
    time_machine.move_to("2020-01-01")
    token = tokens.make({"p": profile.pk, "s": 0}, tokens.UNSUBSCRIBE_SALT)
    time_machine.move_to("2026-01-01")
    response = client.post(reverse("subscriptions:unsubscribe", args=[token]))
    assert response.status_code == 400 and "过期" in response.content.decode()


def test_profiles_import_reports_bad_lines_and_is_idempotent(tmp_path):
    path = tmp_path / "profiles.jsonl"
    path.write_text("\n".join([
        json.dumps({"external_id": "u1", "kind": "person", "tags": ["veterans", "employment"], "email": "u1@example.com"}),
        json.dumps({"external_id": "u2", "kind": "person", "tags": ["no-such-tag"]}),
        "{not json",
        json.dumps({"external_id": "e1", "kind": "enterprise", "tags": ["small-micro"], "webhook": "ftp://x"}),
        json.dumps({"external_id": "e2", "kind": "enterprise", "tags": ["small-micro"], "email": "bad@"}),
        json.dumps({"external_id": "e3", "kind": "enterprise", "tags": ["small-micro"], "webhook": "https://hooks.example.com/p"}),
    ]), encoding="utf-8")  # fmt: skip
    out = StringIO()
    call_command("profiles", "import", str(path), "--json", stdout=out, stderr=StringIO())
    result = json.loads(out.getvalue())
    assert (result["created"], result["updated"]) == (2, 0)
    assert [error["line"] for error in result["errors"]] == [2, 3, 4, 5]
    assert "no-such-tag" in result["errors"][0]["error"]
    out = StringIO()
    call_command("profiles", "import", str(path), "--json", stdout=out, stderr=StringIO())
    assert json.loads(out.getvalue())["created"] == 0 and json.loads(out.getvalue())["updated"] == 2
    assert Profile.objects.count() == 2
    assert set(Profile.objects.get(external_id="u1").tags.values_list("code", flat=True)) == {
        "veterans",
        "employment",
    }

    out = StringIO()
    call_command("push", "preview", "--tags", "veterans,employment", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"tags": ["veterans", "employment"], "matched": 1}
    out = StringIO()
    with pytest.raises(CommandError, match="no-such"):
        call_command("push", "preview", "--tags", "no-such", "--json", stdout=out)
    assert json.loads(out.getvalue())["matched"] is None  # still one JSON document (the --json convention)


def test_profiles_import_errors_are_keyed_by_the_json_field_and_name_it(tmp_path):
    path = tmp_path / "profiles.jsonl"
    good = {"external_id": "ok", "kind": "person", "tags": ["veterans"]}
    path.write_text("\n".join([
        json.dumps(good),
        json.dumps({"kind": "person", "tags": []}),
        json.dumps({"external_id": "k", "kind": "robot"}),
        json.dumps({"external_id": "t", "kind": "person", "tags": "veterans"}),
        json.dumps({"external_id": "th", "kind": "person", "tags": ["theme-1502"]}),
        json.dumps({"external_id": "m", "kind": "person", "email": "not-an-address"}),
        json.dumps({"external_id": "w", "kind": "person", "webhook": "ftp://x.example.com"}),
        "[1, 2]",
        json.dumps(good | {"external_id": "ok2"}),
    ]), encoding="utf-8")  # fmt: skip
    out = StringIO()
    call_command("profiles", "import", str(path), "--json", stdout=out, stderr=StringIO())
    result = json.loads(out.getvalue())
    assert (result["created"], result["updated"]) == (2, 0)  # the good lines are kept
    fields = {error["line"]: error["field"] for error in result["errors"]}
    assert fields == {2: "external_id", 3: "kind", 4: "tags", 5: "tags", 6: "email", 7: "webhook", 8: None}
    for error in result["errors"]:
        assert set(error) == {"line", "field", "error"}
        if error["field"]:  # the message names the field it is about
            assert error["error"].startswith(error["field"] + "：")
    assert "theme-1502" in result["errors"][3]["error"] and "not-an-address" in result["errors"][4]["error"]
    assert set(Profile.objects.values_list("external_id", flat=True)) == {"ok", "ok2"}


def test_profiles_import_updates_in_place_keeps_consent_and_replaces_tags(tmp_path):
    path = tmp_path / "profiles.jsonl"
    path.write_text(json.dumps({"external_id": "x1", "kind": "person", "tags": ["veterans", "employment"],
                                "email": "X1@Example.com"}), encoding="utf-8")  # fmt: skip
    profile_import.import_profiles(path.read_text().splitlines())
    profile = Profile.objects.get(external_id="x1")
    profile.push_enabled = False  # the person withdrew consent on the platform
    profile.save()
    lines = [
        json.dumps({"external_id": "x1", "kind": "enterprise", "tags": ["small-micro"]}),
        json.dumps({"external_id": "x2", "kind": "person", "tags": ["elderly"]}),
        json.dumps({"external_id": "x2", "kind": "person", "tags": ["veterans"]}),  # a later line wins
    ]
    result = profile_import.import_profiles(lines)
    assert (result.created, result.updated, result.errors) == (1, 1, [])
    profile.refresh_from_db()
    assert profile.kind == "enterprise" and profile.email == "" and not profile.email_confirmed
    assert not profile.push_enabled  # an import never gives consent back
    assert set(profile.tags.values_list("code", flat=True)) == {"small-micro"}
    assert set(Profile.objects.get(external_id="x2").tags.values_list("code", flat=True)) == {"veterans"}


def test_calculator_lists_the_policy_with_its_reason(client, veterans_policy, make_document):
    make_document("老年人政策", doc_type=DocType.MEASURES, tags=["elderly", "theme-1502"])
    response = client.get(reverse("subscriptions:calculator"), {"tags": ["veterans", "employment"]})
    page = response.content.decode()
    assert veterans_policy.title in page and "老年人政策" not in page
    assert "对象·退役军人" in page and "生命周期·就业创业" in page
    assert client.get(reverse("subscriptions:calculator"), {"tags": ["nope"]}).status_code == 400


def test_registration_verification_and_staff_screens_refuse_public_users(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register"), {"kind": "person", "email": "Citizen@Example.com",
                               "password": "a-long-Passphrase-2026!", "consent": "on"})  # fmt: skip
    assert response.status_code == 200
    user = User.objects.get(username="citizen@example.com")
    assert user.kind == UserKind.PERSON and not user.is_active and not user.is_staff
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/verify/" in line)
    assert client.get(link[link.index("/accounts/") :]).status_code == 302
    user.refresh_from_db()
    assert user.is_active
    client.force_login(user)
    for url in ("/staff/push/", "/review/", "/staff/push/relays/"):
        assert client.get(url).status_code in (302, 403), url
    assert client.get(reverse("subscriptions:my-policies")).status_code == 200
    # bad input changes nothing
    response = client.post(reverse("accounts:register"), {"kind": "enterprise", "email": "e@example.com",
                           "password": "a-long-Passphrase-2026!", "consent": "on", "enterprise_name": "某公司",
                           "credit_code": "91310000000000000X"})  # fmt: skip
    assert response.status_code == 400 and "统一社会信用代码" in response.content.decode()
    assert not User.objects.filter(username="e@example.com").exists()


def test_deleting_the_account_deletes_profile_and_subscriptions(client, veterans_policy):
    user = User.objects.create_user(
        "p@example.com", email="p@example.com", password="x", kind=UserKind.PERSON
    )
    services.subscribe(actor=user, kind=SubscriptionKind.THEME, target="1502")
    profile = Profile.objects.get(user=user)
    ProfileTag.objects.create(profile=profile, tag=Tag.objects.get(code="veterans"))
    ProfileTag.objects.create(profile=profile, tag=Tag.objects.get(code="employment"))
    push.push_published(veterans_policy.pk)
    assert Delivery.objects.filter(profile=profile).exists()  # 我的政策 holds the policy
    client.force_login(user)
    client.post(reverse("accounts:delete"), {"confirm": "1"})
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Profile.objects.exists() and not Subscription.objects.exists()
    assert not Delivery.objects.exists()  # 个人信息保护法 Art. 47: nothing of the person is kept


def test_relay_operator_forwards_to_members_and_staff_see_each_delivery(client, veterans_policy, reviewer):
    operator = User.objects.create_user(
        "op@example.com", email="op@example.com", password="x", kind=UserKind.ENTERPRISE
    )
    association = relay.create_relay(actor=None, name="静安区退役军人创业协会", kind="association",
                                     tag_codes=["veterans"], operators=[operator])  # fmt: skip
    with pytest.raises(Exception, match="第3行"):
        relay.import_members(
            association,
            "名称,统一社会信用代码,邮箱\n甲公司,91310106MA1FY0T10L,a@example.com\n乙,123,b@x\n",
            actor=operator,
        )
    result = relay.import_members(association, "名称,统一社会信用代码,邮箱\n甲公司,91310106MA1FY0T10L,a@example.com\n"
                                  "乙公司,91310000MA1FL4B204,b@example.com\n", actor=operator)  # fmt: skip
    assert result.created == 2
    task = relay.push_to_relay(veterans_policy, association, actor=reviewer)
    counts = relay.forward(task, actor=operator)
    assert counts[Channel.EMAIL] == 2
    delivery.send_immediate_emails()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.com", "b@example.com"]
    client.force_login(reviewer)
    page = client.get(reverse("subscriptions:relay", args=[association.pk])).content.decode()
    assert page.count("已发送") == 2 and "甲公司" in page and "乙公司" in page


def test_a_later_interpretation_reaches_audience_and_followers_once(
    veterans_policy, editor, reviewer, django_capture_on_commit_callbacks
):
    from gongkai.documents import interpretations as interp
    from gongkai.review import interpretations as review_interp
    from gongkai.review.models import ReviewTask

    matched = profile_with("veterans", "employment", email="m@example.com")
    follower = profile_with(email="f@example.com")
    Subscription.objects.create(
        profile=follower, kind=SubscriptionKind.DOCUMENT, document=veterans_policy, confirmed=True
    )
    follow_up = interp.create_interpretation(actor=editor, organisation=veterans_policy.organisation,
                                             documents=[veterans_policy], kind="qa", title="退役军人就业创业政策问答",
                                             body="问：如何申请？\n答：向区退役军人事务局申请。")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        follow_up = interp.submit_interpretation(follow_up, actor=editor)
    task = ReviewTask.objects.get(interpretation=follow_up)
    with django_capture_on_commit_callbacks(execute=True):
        review_interp.approve_interpretation_review(task, actor=reviewer)
    occasion = f"interpretation-{follow_up.pk}"
    for profile in (matched, follower):
        assert Delivery.objects.filter(profile=profile, occasion=occasion, channel=Channel.EMAIL).count() == 1
    assert any("新发布了政策解读" in m.body for m in mail.outbox if m.to == ["f@example.com"])


def test_followers_hear_when_a_document_is_repealed(veterans_policy, django_capture_on_commit_callbacks):
    from gongkai.documents.services import set_validity

    follower = profile_with(email="f@example.com")
    Subscription.objects.create(
        profile=follower, kind=SubscriptionKind.DOCUMENT, document=veterans_policy, confirmed=True
    )
    admin = User.objects.create_superuser("root", password="pw-123456789")
    with django_capture_on_commit_callbacks(execute=True):
        set_validity(veterans_policy, actor=admin, validity="repealed", validity_date=timezone.localdate())
    assert (
        Delivery.objects.filter(profile=follower, occasion="validity-repealed", channel=Channel.EMAIL).count()
        == 1
    )
    assert push.push_change(veterans_policy.pk)["pushed"]  # again: nothing new is queued
    assert Delivery.objects.filter(profile=follower, occasion="validity-repealed").count() == 1


def test_enterprise_profile_validates_code_and_industry_and_becomes_tags(client):
    user = User.objects.create_user(
        "ent@example.com", email="ent@example.com", password="x", kind=UserKind.ENTERPRISE
    )
    client.force_login(user)
    bad = client.post(reverse("subscriptions:profile"), {"enterprise_name": "示例公司", "credit_code": "123",
                                                         "industry_code": "99", "tags": ["specialised-sme"]})  # fmt: skip
    assert bad.status_code == 400 and "行业" in bad.content.decode()
    assert not ProfileTag.objects.exists()
    good = client.post(reverse("subscriptions:profile"), {"enterprise_name": "示例公司", "credit_code": "91310106MA1FY0T10L",
                                                          "industry_code": "I", "size": "small", "tags": ["specialised-sme"]})  # fmt: skip
    assert good.status_code == 302
    profile = Profile.objects.get(user=user)
    assert set(profile.tags.values_list("code", flat=True)) == {
        "specialised-sme",
        "industry-I",
        "small-micro",
    }
    assert user.public_account.credit_code == "91310106MA1FY0T10L" and user.public_account.size == "small"
    # withdrawing consent stops the profile push (个人信息保护法 Art. 15)
    client.post(reverse("subscriptions:profile"), {"consent": "0"})
    profile.refresh_from_db()
    user.public_account.refresh_from_db()
    assert not profile.push_enabled and user.public_account.consent_withdrawn_at is not None


def test_password_reset_for_public_accounts(client, django_capture_on_commit_callbacks):
    User.objects.create_user(
        "r@example.com", email="r@example.com", password="old-password-1", kind=UserKind.PERSON
    )
    User.objects.create_user("staff", email="staff@example.gov.cn", password="x", is_staff=True)
    client.post(reverse("accounts:password-reset"), {"email": "r@example.com"})
    client.post(reverse("accounts:password-reset"), {"email": "staff@example.gov.cn"})
    assert [m.to for m in mail.outbox] == [["r@example.com"]]  # staff reset through their administrator
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    response = client.get(link[link.index("/accounts/") :], follow=True)
    new = "Brand-new-passphrase-2026"
    response = client.post(response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert User.objects.get(username="r@example.com").check_password(new)


def test_organisation_and_saved_search_subscriptions_deliver_once(veterans_policy, make_document):
    from gongkai.search.services import index_document

    index_document(veterans_policy.pk)
    profile = profile_with(email="s@example.com")
    Subscription.objects.create(profile=profile, kind=SubscriptionKind.ORGANISATION,
                                organisation=veterans_policy.organisation, confirmed=True)  # fmt: skip
    Subscription.objects.create(
        profile=profile, kind=SubscriptionKind.SEARCH, query="退役军人 就业", confirmed=True
    )
    other = profile_with(email="o@example.com")
    Subscription.objects.create(
        profile=other, kind=SubscriptionKind.SEARCH, query="退役军人 就业", confirmed=True
    )
    unrelated = profile_with(email="u@example.com")
    Subscription.objects.create(
        profile=unrelated, kind=SubscriptionKind.SEARCH, query="养老服务", confirmed=True
    )
    push.push_published(veterans_policy.pk)
    assert Delivery.objects.filter(profile=profile, channel=Channel.EMAIL).count() == 1
    assert Delivery.objects.filter(profile=other, channel=Channel.EMAIL).count() == 1
    assert not Delivery.objects.filter(profile=unrelated).exists()
