"""Public pages: 我的政策, the profile (画像), subscriptions, double opt-in, one-click unsubscribe,
the policy calculator, and the relay operator's page (rule 2: thin views)."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.constants import EnterpriseSize, UserKind
from gongkai.accounts.public import public_account
from gongkai.core.http import rate_limited
from gongkai.documents.selectors import themes as all_themes
from gongkai.taxonomy.constants import Dimension

from . import relay, selectors, services, tokens
from .constants import Frequency, SubscriptionKind
from .models import ForwardingTask

SUBSCRIBE_PER_HOUR = 20


def public_login_required(view):
    """Signed-in public accounts only: staff use the back office, visitors are sent to log in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "accounts:login")
        if request.user.kind == UserKind.STAFF:
            raise PermissionDenied(_("此页面供公众账号使用，工作人员请使用后台。"))
        return view(request, *args, **kwargs)

    return wrapper


def _theme_options() -> list:
    """主题分类 as a tree: each top-level theme followed by its children."""

    def key(theme):
        top = theme.parent if theme.parent_id else theme
        return (top.sort_order, top.code, theme.parent_id is not None, theme.sort_order, theme.code)

    return sorted(all_themes(), key=key)


def _errors(exc: ValidationError) -> list[str]:
    return [m for ms in exc.message_dict.values() for m in ms] if hasattr(exc, "error_dict") else exc.messages


@public_login_required
def my_policies(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "")
    rows = selectors.inbox(request.user, saved_only=show == "saved", unread_only=show == "unread")
    return render(request, "subscriptions/my_policies.html", {"rows": rows, "show": show})


@public_login_required
@require_POST
def inbox_action(request: HttpRequest, pk: int) -> HttpResponse:
    action = request.POST.get("action", "")
    flags = {
        "read": {"read": True},
        "unread": {"read": False},
        "save": {"saved": True},
        "unsave": {"saved": False},
    }
    try:
        services.mark_inbox(pk, actor=request.user, **flags.get(action, {}))
    except ValidationError as exc:
        messages.error(request, "；".join(_errors(exc)))
    return redirect("subscriptions:my-policies")


@public_login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    account = public_account(user)
    current = services.ensure_profile(user) if request.method == "GET" else None
    errors: list[str] = []
    if request.method == "POST":
        if "consent" in request.POST:
            services.set_push_consent(user, actor=user, consent=request.POST["consent"] == "1")
            messages.success(request, _("已更新您的同意设置。"))
            return redirect("subscriptions:profile")
        enterprise = {name: request.POST.get(name, "") for name in
                      ("enterprise_name", "credit_code", "industry_code", "size", "street", "park", "associations")}  # fmt: skip
        try:
            services.save_profile(user, actor=user, tag_codes=request.POST.getlist("tags"),
                                  frequency=request.POST.get("frequency", Frequency.IMMEDIATE),
                                  **(enterprise if user.kind == UserKind.ENTERPRISE else {}))  # fmt: skip
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("画像已保存，“我的政策”将按新的选择推荐。"))
            return redirect("subscriptions:my-policies")
        current = services.ensure_profile(user)
    chosen = set(request.POST.getlist("tags")) if errors else set(current.tags.values_list("code", flat=True))
    groups = selectors.calculator_tags()
    return render(request, "subscriptions/profile.html", {
        "account": account, "profile": current, "groups": _tag_groups(groups, user.kind), "chosen": chosen,
        "frequencies": Frequency.choices, "sizes": EnterpriseSize.choices, "errors": errors,
        "values": request.POST if errors else None,
    }, status=400 if errors else 200)  # fmt: skip


def _tag_groups(groups: dict, kind: str = "") -> list[tuple[str, list]]:
    labels = dict(Dimension.choices)
    order = [Dimension.AUDIENCE, Dimension.LIFE_EVENT, Dimension.REGION]
    if kind != UserKind.PERSON:
        order.insert(1, Dimension.INDUSTRY)
    return [(labels[d], groups.get(str(d), [])) for d in order if groups.get(str(d))]


@public_login_required
def my_subscriptions(request: HttpRequest) -> HttpResponse:
    return render(request, "subscriptions/my_subscriptions.html", {
        "subscriptions": selectors.my_subscriptions(request.user), "kinds": SubscriptionKind.choices,
        "frequencies": Frequency.choices, "themes": _theme_options(),
    })  # fmt: skip


@public_login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.cancel_subscription(pk, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(_errors(exc)))
    else:
        messages.success(request, _("已取消订阅。"))
    return redirect("subscriptions:mine")


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    kind = data.get("kind", SubscriptionKind.THEME)
    target = (
        data.get("theme_choice")
        if kind == SubscriptionKind.THEME and data.get("theme_choice")
        else data.get("target", "")
    )
    context = {"kind": kind, "target": target,
               "frequency": data.get("frequency", Frequency.DAILY), "email": data.get("email", ""),
               "kinds": SubscriptionKind.choices, "frequencies": Frequency.choices, "themes": _theme_options(),
               "errors": []}  # fmt: skip
    if request.method == "POST":
        if rate_limited(request, "subscribe", SUBSCRIBE_PER_HOUR):
            context["errors"] = [_("订阅过于频繁，请稍后再试。")]
            return render(request, "subscriptions/subscribe.html", context, status=429)
        try:
            subscription = services.subscribe(actor=request.user, kind=context["kind"], target=context["target"],
                                              frequency=context["frequency"], email=context["email"])  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            context["errors"] = _errors(exc) if isinstance(exc, ValidationError) else [str(exc)]
            return render(request, "subscriptions/subscribe.html", context, status=400)
        if subscription.confirmed:
            messages.success(request, _("已订阅：%(label)s（%(frequency)s）。") % {
                "label": str(subscription), "frequency": subscription.get_frequency_display()})  # fmt: skip
            return redirect("subscriptions:mine")
        return render(request, "subscriptions/subscribe_sent.html", {"email": context["email"]})
    return render(request, "subscriptions/subscribe.html", context)


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscription = services.confirm_subscription(token)
    except ValidationError as exc:
        return render(request, "subscriptions/link_error.html", {"errors": _errors(exc)}, status=400)
    return render(request, "subscriptions/confirmed.html", {"subscription": subscription})


@csrf_exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click"; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":
        try:
            tokens.read(token, tokens.UNSUBSCRIBE_SALT, tokens.UNSUBSCRIBE_MAX_AGE)
        except ValidationError as exc:
            return render(request, "subscriptions/link_error.html", {"errors": _errors(exc)}, status=400)
        return render(request, "subscriptions/unsubscribe.html", {"token": token})
    try:
        ended = services.unsubscribe(token, everything=request.POST.get("everything", "1") == "1")
    except ValidationError as exc:
        return render(request, "subscriptions/link_error.html", {"errors": _errors(exc)}, status=400)
    return render(request, "subscriptions/unsubscribed.html", {"ended": ended})


def open_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        delivery = services.mark_opened(token)
    except ValidationError as exc:
        return render(request, "subscriptions/link_error.html", {"errors": _errors(exc)}, status=400)
    return redirect(delivery.document.get_absolute_url())


def calculator(request: HttpRequest) -> HttpResponse:
    codes = [code for code in request.GET.getlist("tags") if code][:30]
    results, errors = None, []
    if codes:
        try:
            results = selectors.calculate(codes)
        except ValidationError as exc:
            errors = _errors(exc)
    return render(request, "subscriptions/calculator.html", {
        "groups": _tag_groups(selectors.calculator_tags()), "chosen": set(codes), "results": results, "errors": errors,
    }, status=400 if errors else 200)  # fmt: skip


@public_login_required
def relay_home(request: HttpRequest) -> HttpResponse:
    relays = selectors.relays_operated_by(request.user).prefetch_related("members")
    if not relays:
        raise PermissionDenied(_("您不是任何接力组织的运营账号。"))
    tasks = ForwardingTask.objects.filter(relay__in=relays).select_related("relay", "document")
    return render(request, "subscriptions/relay_operator.html", {"relays": relays, "tasks": tasks,
                                                                 "max_upload": settings.DATA_UPLOAD_MAX_MEMORY_SIZE})  # fmt: skip


@public_login_required
@require_POST
def relay_forward(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(ForwardingTask.objects.filter(relay__operators=request.user), pk=pk)
    counts = relay.forward(task, actor=request.user, note=request.POST.get("note", ""))
    messages.success(request, _("已转发给 %(count)s 家会员企业。") % {"count": counts.get("email", 0)})
    return redirect("subscriptions:relay-home")


@public_login_required
@require_POST
def relay_import(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(selectors.relays_operated_by(request.user), pk=pk)
    upload = request.FILES.get("file")
    if upload is None or upload.size > 2 * 1024 * 1024:
        messages.error(request, _("文件：请选择不超过2MB的CSV文件。"))
        return redirect("subscriptions:relay-home")
    try:
        result = relay.import_members(
            organisation, upload.read().decode("utf-8-sig", errors="replace"), actor=request.user
        )
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("已导入会员企业：新增 %(c)s 家，更新 %(u)s 家。") % {"c": result.created, "u": result.updated},
        )
    return redirect("subscriptions:relay-home")
