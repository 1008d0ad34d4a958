"""Writes of profiles and subscriptions (rule 1): one transaction, an audit event, mail on commit.

The audit log names profiles by number only (个人信息保护法: no e-mail address in the log).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts import public as accounts_public
from gongkai.accounts.constants import UserKind
from gongkai.accounts.selectors import organisation_by_code
from gongkai.core.services import record_event
from gongkai.documents.selectors import public_documents, theme_by_code
from gongkai.taxonomy.constants import INDUSTRY_PREFIX, Dimension
from gongkai.taxonomy.selectors import tags_by_codes
from gongkai.topics.selectors import published_topics

from . import tokens
from .constants import SIZE_TAGS, Channel, DeliveryStatus, Frequency, ProfileKind, SubscriptionKind
from .models import Delivery, Profile, ProfileTag, Subscription

PROFILE_DIMENSIONS = (Dimension.AUDIENCE, Dimension.INDUSTRY, Dimension.LIFE_EVENT, Dimension.REGION)


def profile_label(profile: Profile) -> str:
    return f"profile:{profile.pk}"


def _public_user(actor: Any) -> Any:
    if (
        not getattr(actor, "is_authenticated", False)
        or getattr(actor, "kind", UserKind.STAFF) == UserKind.STAFF
    ):
        raise PermissionDenied(_("请使用公众账号登录。"))
    return actor


def ensure_profile(user: Any) -> Profile:
    """The push profile of a public account, created on first use (not durable)."""
    account = accounts_public.public_account(user)
    profile, _created = Profile.objects.get_or_create(
        user=user,
        defaults={
            "kind": ProfileKind.ENTERPRISE if user.kind == UserKind.ENTERPRISE else ProfileKind.PERSON,
            "email": user.email,
            "email_confirmed": user.is_active,
            "name": (account.enterprise_name if account else "") or "",
            "push_enabled": bool(account and account.has_consent),
        },
    )
    return profile


def clean_profile_tags(codes: list[str], *, field: str = "tags") -> list[Any]:
    """Tags a profile may hold: 对象, 行业, 生命周期, 地域 (主题 describes policies, not people)."""
    tags = tags_by_codes(codes, field=field)
    wrong = [tag.code for tag in tags if tag.dimension not in PROFILE_DIMENSIONS]
    if wrong:
        raise ValidationError(
            {
                field: _("标签：%(codes)s 是主题标签，画像只能选择对象、行业、生命周期和地域标签。")
                % {"codes": "、".join(wrong)}
            }
        )
    return tags


def _set_tags(profile: Profile, tags: list[Any]) -> None:
    ProfileTag.objects.filter(profile=profile).exclude(tag__in=tags).delete()
    ProfileTag.objects.bulk_create(
        [ProfileTag(profile=profile, tag=tag) for tag in tags], ignore_conflicts=True
    )


def save_profile(
    user: Any, *, actor: Any, tag_codes: list[str], frequency: str = Frequency.IMMEDIATE,
    display_name: str | None = None, **enterprise: Any,
) -> Profile:  # fmt: skip
    """A public user's 画像: the groups and life events they choose; an enterprise's 行业 (GB/T 4754),
    size and street become tags too, so matching sees them."""
    _public_user(actor)
    if actor.pk != user.pk:
        raise PermissionDenied(_("只能修改本人的画像。"))
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("推送频率：请选择即时、每日或每周。")})
    codes = [code for code in tag_codes if code]
    if user.kind == UserKind.ENTERPRISE:
        industry = str(enterprise.get("industry_code") or "").strip().upper()
        if industry:
            codes.append(INDUSTRY_PREFIX + industry)
        if enterprise.get("size") in SIZE_TAGS:
            codes.append(SIZE_TAGS[enterprise["size"]])
    try:
        tags = clean_profile_tags(codes)
    except ValidationError as exc:
        if (
            user.kind == UserKind.ENTERPRISE
            and enterprise.get("industry_code")
            and any(INDUSTRY_PREFIX in message for message in exc.messages)
        ):
            raise ValidationError({"industry_code": _("行业：%(code)s 不是 GB/T 4754-2017 的门类或大类代码。")
                                   % {"code": enterprise["industry_code"]}}) from None  # fmt: skip
        raise
    with transaction.atomic(durable=True):
        if user.kind == UserKind.ENTERPRISE or display_name is not None:
            accounts_public.update_public_account(user, actor=actor, display_name=display_name, **enterprise)
        profile = ensure_profile(user)
        profile.frequency = frequency
        if user.kind == UserKind.ENTERPRISE:
            profile.name = str(enterprise.get("enterprise_name") or profile.name)[:120]
        profile.save()
        _set_tags(profile, tags)
        record_event("subscriptions.profile_saved", actor=accounts_public.actor_label(user), target=profile,
                     data={"tags": [tag.code for tag in tags], "frequency": frequency})  # fmt: skip
    return profile


def set_push_consent(user: Any, *, actor: Any, consent: bool) -> Profile:
    """Consent to profile-based push, or its withdrawal (个人信息保护法 Arts. 14–15)."""
    _public_user(actor)
    with transaction.atomic(durable=True):
        accounts_public.set_consent(user, actor=actor, consent=consent)
        profile = ensure_profile(user)
        profile.push_enabled = consent
        profile.save(update_fields=["push_enabled", "updated_at"])
        if not consent:  # nothing queued goes out after the withdrawal
            _cancel_queued(profile, _("已撤回同意"), by_profile_only=True)
    return profile


def _cancel_queued(profile: Profile, reason: str, *, by_profile_only: bool = False) -> int:
    queued = Delivery.objects.filter(profile=profile, status=DeliveryStatus.QUEUED)
    if by_profile_only:
        queued = queued.filter(reason__by="profile")
    return queued.update(status=DeliveryStatus.FAILED, last_error=reason)


# ---- subscriptions -------------------------------------------------------------------------


def resolve_target(kind: str, target: str) -> dict[str, Any]:
    """The subscription's target from what a form or a link says (a code, an id, a query)."""
    target = (target or "").strip()
    if kind not in SubscriptionKind.values:
        raise ValidationError({"kind": _("订阅类型：请选择发布机构、主题、标签、专题、检索或文件。")})
    if not target:
        raise ValidationError({"target": _("订阅对象：请填写要订阅的内容。")})
    if kind == SubscriptionKind.ORGANISATION:
        organisation = organisation_by_code(target)
        if organisation is None:
            raise ValidationError({"target": _("发布机构：没有代码为 %(code)s 的机构。") % {"code": target}})
        return {"organisation": organisation}
    if kind == SubscriptionKind.THEME:
        theme = theme_by_code(target)
        if theme is None:
            raise ValidationError({"target": _("主题分类：没有代码为 %(code)s 的主题。") % {"code": target}})
        return {"theme": theme}
    if kind == SubscriptionKind.TAG:
        return {"tag": tags_by_codes([target], field="target")[0]}
    if kind == SubscriptionKind.TOPIC:
        topic = published_topics().filter(code=target).first()
        if topic is None:
            raise ValidationError({"target": _("政策专题：没有这个专题。")})
        return {"topic": topic}
    if kind == SubscriptionKind.SEARCH:
        if len(target) > 200:
            raise ValidationError({"target": _("检索词：不能超过200个字。")})
        return {"query": target}
    document = public_documents().filter(pk=int(target) if target.isdigit() else -1).first()
    if document is None:
        raise ValidationError({"target": _("关注文件：没有这份公开文件。")})
    return {"document": document}


def subscribe(
    *, actor: Any, kind: str, target: str, frequency: str = Frequency.IMMEDIATE, email: str = ""
) -> Subscription:
    """Subscribe a public account (active at once) or an e-mail address (double opt-in: active
    after the address confirms the link mailed to it)."""
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("频率：请选择即时、每日或每周。")})
    fields = resolve_target(kind, target)
    signed_in = (
        getattr(actor, "is_authenticated", False) and getattr(actor, "kind", UserKind.STAFF) != UserKind.STAFF
    )
    if not signed_in:
        email = (email or "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": _("电子邮箱：请填写有效的电子邮箱地址。")}) from None
    with transaction.atomic(durable=True):
        if signed_in:
            profile = ensure_profile(actor)
        else:
            profile = Profile.objects.filter(user__isnull=True, external_id__isnull=True, email=email).first()
            if profile is None:
                profile = Profile.objects.create(email=email, push_enabled=False, email_confirmed=False)
        subscription = Subscription.objects.filter(profile=profile, kind=kind, **fields).first()
        if subscription is None:
            subscription = Subscription.objects.create(profile=profile, kind=kind, frequency=frequency,
                                                       confirmed=signed_in, **fields)  # fmt: skip
        else:
            subscription.frequency = frequency
            subscription.save(update_fields=["frequency"])
        record_event("subscriptions.subscribed", actor=profile_label(profile), target=subscription,
                     data={"kind": kind, "frequency": frequency, "confirmed": subscription.confirmed})  # fmt: skip
        if not subscription.confirmed:
            link = tokens.confirm_url(profile.pk, subscription.pk)
            transaction.on_commit(lambda: _send_confirmation(email, subscription, link))
    return subscription


def _send_confirmation(email: str, subscription: Subscription, link: str) -> None:
    body = _("您好：\n\n有人用此邮箱订阅了“%(label)s”（%(frequency)s）。请打开以下链接确认订阅：\n%(link)s\n\n"
             "如非本人操作，请忽略本邮件，您不会收到任何推送。") % {
        "label": str(subscription), "frequency": subscription.get_frequency_display(), "link": link}  # fmt: skip
    send_mail(_("请确认您的政策订阅"), body, None, [email])


def confirm_subscription(token: str) -> Subscription:
    payload = tokens.read(token, tokens.CONFIRM_SALT, tokens.CONFIRM_MAX_AGE)
    with transaction.atomic(durable=True):
        subscription = (
            Subscription.objects.select_related("profile")
            .filter(pk=payload.get("s"), profile_id=payload.get("p"))
            .first()
        )
        if subscription is None:
            raise ValidationError({"token": _("链接：该订阅已取消或不存在。")})
        profile = subscription.profile
        if not subscription.confirmed or not profile.email_confirmed:
            subscription.confirmed = True
            subscription.save(update_fields=["confirmed"])
            Profile.objects.filter(pk=profile.pk).update(email_confirmed=True, updated_at=timezone.now())
            record_event("subscriptions.confirmed", actor=profile_label(profile), target=subscription)
    return subscription


def unsubscribe(token: str, *, everything: bool = False) -> int:
    """One-click unsubscribe from the signed link of a mail: that subscription, or everything the
    address receives (every subscription and profile push). Returns how many subscriptions ended."""
    payload = tokens.read(token, tokens.UNSUBSCRIBE_SALT, tokens.UNSUBSCRIBE_MAX_AGE)
    with transaction.atomic(durable=True):
        profile = Profile.objects.select_for_update().filter(pk=payload.get("p")).first()
        if profile is None:
            return 0
        subscriptions = profile.subscriptions.all()
        if not everything and payload.get("s"):
            subscriptions = subscriptions.filter(pk=payload["s"])
        ended, _detail = subscriptions.delete()
        if everything or not payload.get("s"):
            profile.push_enabled = False
            profile.save(update_fields=["push_enabled", "updated_at"])
            Delivery.objects.filter(profile=profile, status=DeliveryStatus.QUEUED).exclude(
                channel=Channel.INBOX
            ).update(status=DeliveryStatus.FAILED, last_error=_("已退订"))
        record_event("subscriptions.unsubscribed", actor=profile_label(profile), target=profile,
                     data={"everything": everything or not payload.get("s"), "ended": ended})  # fmt: skip
    return ended


def cancel_subscription(subscription_id: int, *, actor: Any) -> None:
    _public_user(actor)
    with transaction.atomic(durable=True):
        subscription = Subscription.objects.filter(pk=subscription_id, profile__user=actor).first()
        if subscription is None:
            raise ValidationError({"subscription": _("订阅：没有这项订阅。")})
        record_event("subscriptions.cancelled", actor=accounts_public.actor_label(actor), target=subscription)
        subscription.delete()


def mark_inbox(
    delivery_id: int, *, actor: Any, read: bool | None = None, saved: bool | None = None
) -> Delivery:
    """我的政策: mark a policy read (opened) or saved."""
    _public_user(actor)
    with transaction.atomic(durable=True):
        delivery = (
            Delivery.objects.select_for_update()
            .filter(pk=delivery_id, profile__user=actor, channel=Channel.INBOX)
            .first()
        )
        if delivery is None:
            raise ValidationError({"delivery": _("我的政策：没有这条记录。")})
        if read is not None:
            delivery.opened_at = timezone.now() if read else None
            delivery.status = DeliveryStatus.OPENED if read else DeliveryStatus.SENT
        if saved is not None:
            delivery.saved = saved
        delivery.save(update_fields=["opened_at", "status", "saved"])
    return delivery


def mark_opened(token: str) -> Delivery:
    """A mail's link was followed: the delivery is opened (the only opening that can be known)."""
    payload = tokens.read(token, tokens.OPEN_SALT, None)
    with transaction.atomic(durable=True):
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("document")
            .filter(pk=payload.get("d"))
            .first()
        )
        if delivery is None:
            raise ValidationError({"token": _("链接：没有这条推送。")})
        if delivery.opened_at is None:
            delivery.opened_at = timezone.now()
            delivery.status = DeliveryStatus.OPENED
            delivery.save(update_fields=["opened_at", "status"])
    return delivery


def validate_webhook_url(url: str, *, field: str = "webhook") -> str:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            {field: _("推送接口地址：%(url)s 不是有效的 http(s) 地址。") % {"url": url[:100]}}
        ) from None
    return url
