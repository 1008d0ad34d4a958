"""Staff 公众参与 screens: the dashboard (catalogue alarm, report due dates) and a consultation's workbench.

Each view parses, checks that the object is the user's organisation's, and calls one service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.constants import Role
from gongkai.core.http import site_url
from gongkai.core.services import events_for
from gongkai.review.detector import REPORT_THRESHOLD, detect
from gongkai.review.selectors import highlight

from . import selectors, services
from .constants import Adoption, CommentSource, PartyKind, ReportStatus
from .forms import ConsultationForm, own_organisations
from .models import Comment, Consultation
from .permissions import acting_for


def require_staff(user: Any) -> None:
    if not (user.has_role(Role.EDITOR) or user.has_role(Role.ORG_ADMIN)):
        raise PermissionDenied(_("公众参与工作需要“编辑”角色。"))


def post(request: HttpRequest, key: str) -> str:
    return request.POST.get(key, "").strip()


def post_id(request: HttpRequest, key: str) -> int:
    """A posted row id; anything that is not a number matches no row (404, never a server error)."""
    value = post(request, key)
    return int(value) if value.isdigit() and len(value) < 18 else -1


def show_errors(request: HttpRequest, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    for problems in errors.values():
        for problem in problems:
            messages.error(request, problem)


def run_action(request: HttpRequest, func: Callable[[], Any], done: str) -> Any:
    try:
        result = func()
    except ValidationError as exc:
        show_errors(request, exc)
        return None
    messages.success(request, done)
    return result


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    today = timezone.localdate()
    consultations = [(c, selectors.report_urgency(c, today), c.phase(today))
                     for c in selectors.staff_consultations(request.user)[:100]]  # fmt: skip
    alerts = [
        selectors.catalogue_alert(org, today)
        for org in own_organisations(request.user).filter(kind="government")
    ]
    return render(request, "participation/staff/dashboard.html", {
        "alerts": [alert for alert in alerts if alert],
        "consultations": consultations,
        "catalogues": selectors.staff_catalogues(request.user)[:10],
        "events": selectors.staff_events(request.user).order_by("-starts_at")[:10],
        "surveys": selectors.staff_surveys(request.user)[:10],
        "solicitations": selectors.staff_solicitations(request.user)[:10],
        "attendance": selectors.attendance_counts(today.year, None if request.user.is_platform_admin else acting_for(request.user)),
        "year": today.year,
    })  # fmt: skip


@login_required
def consultation_new(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = ConsultationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            consultation = services.create_consultation(
                actor=request.user, organisation=data.pop("organisation"), **data
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request, _("已保存草案，共识别%(n)d条。核对后发布。") % {"n": len(consultation.articles)}
            )
            return redirect("participation:staff-consultation", pk=consultation.pk)
    return render(request, "participation/staff/form.html", {"form": form, "title": _("发起意见征集")})


def _own_consultation(request: HttpRequest, pk: int) -> Consultation:
    require_staff(request.user)
    return get_object_or_404(selectors.staff_consultations(request.user), pk=pk)


@login_required
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    c = _own_consultation(request, pk)
    today = timezone.localdate()
    comments = []
    for comment in c.comments.select_related("party").order_by("created_at", "id"):
        findings = [f.as_dict() for f in detect(comment.body, min_confidence=REPORT_THRESHOLD)]
        comments.append((comment, highlight(comment.body, findings) if findings else None))
    report = getattr(c, "report", None)
    counts = selectors.adoption_counts(c)
    return render(request, "participation/staff/consultation.html", {
        "c": c, "phase": c.phase(today), "urgency": selectors.report_urgency(c, today), "comments": comments,
        "counts": counts, "report": report, "problems": services.readiness_problems(c),
        "parties": c.parties.prefetch_related("comments"), "adoptions": Adoption.choices,
        "party_kinds": PartyKind.choices, "sources": [s for s in CommentSource.choices if s[0] != CommentSource.PUBLIC],
        "concentrated": _concentrated_rows(report), "report_published": report is not None and report.status == ReportStatus.PUBLISHED,
        "timeline": events_for(c).order_by("id"), "today": today,
    })  # fmt: skip


def _concentrated_rows(report: Any) -> list[dict[str, Any]]:
    rows = [dict(summary=o.summary, count=o.count, adoption=o.adoption, reason=o.reason)
            for o in (report.concentrated.all() if report else [])]  # fmt: skip
    return rows + [{"summary": "", "count": "", "adoption": "", "reason": ""}] * max(3 - len(rows), 1)


def _comment(c: Consultation, request: HttpRequest) -> Comment:
    return get_object_or_404(c.comments, pk=post_id(request, "comment"))


def _report_counts(request: HttpRequest) -> dict[str, str]:
    return {name: post(request, name) for name in ("received", "adopted", "partly", "not_adopted")}


def _concentrated_post(request: HttpRequest) -> list[dict[str, str]]:
    rows = []
    for index in range(1, 11):
        row = {key: post(request, f"c{index}_{key}") for key in ("summary", "count", "adoption", "reason")}
        if any(row.values()):
            rows.append(row)
    return rows


def _report(c: Consultation) -> Any:
    report = getattr(c, "report", None)
    if report is None:
        raise ValidationError({"status": _("请先填写并保存采纳情况。")})
    return report


def _invite(c: Consultation, request: HttpRequest) -> Any:
    party, token = services.invite_party(c, actor=request.user, name=post(request, "name"), kind=post(request, "kind"),
                                         contact=post(request, "contact"))  # fmt: skip
    link = site_url(reverse("participation:party-comment", args=[token]))
    messages.info(
        request,
        _("请将以下专用链接发给%(name)s（仅显示一次）：%(link)s") % {"name": party.name, "link": link},
    )
    return party


CONSULTATION_ACTIONS: dict[str, tuple[Callable[[Consultation, HttpRequest], Any], str]] = {
    "publish": (lambda c, q: services.publish_consultation(c, actor=q.user), _("已发布，公众即可提出意见。")),
    "withdraw": (
        lambda c, q: services.withdraw_consultation(c, actor=q.user, reason=post(q, "reason")),
        _("已撤回。"),
    ),
    "moderate": (
        lambda c, q: services.moderate_comment(
            _comment(c, q), actor=q.user, publish=post(q, "publish") == "1", note=post(q, "note")
        ),
        _("已审核。"),
    ),
    "adopt": (
        lambda c, q: services.decide_adoption(
            _comment(c, q), actor=q.user, adoption=post(q, "adoption"), reason=post(q, "reason")
        ),
        _("已记录采纳情况。"),
    ),
    "record": (
        lambda c, q: services.record_comment(
            c,
            actor=q.user,
            body=post(q, "body"),
            article_number=post(q, "article_number") or None,
            display_name=post(q, "display_name"),
            source=post(q, "source"),
            party=c.parties.filter(pk=post_id(q, "party")).first(),
        ),
        _("已登记意见。"),
    ),
    "invite": (_invite, _("已邀请。")),
    "ready": (lambda c, q: services.mark_ready_for_meeting(c, actor=q.user), _("已提请上会。")),
    "decision": (
        lambda c, q: services.record_decision_publication(
            c, actor=q.user, published_on=post(q, "published_on"), decision_title=post(q, "decision_title")
        ),
        _("已记录决策公布日期。"),
    ),
    "report": (
        lambda c, q: services.save_report(
            c,
            actor=q.user,
            summary=post(q, "summary"),
            concentrated=_concentrated_post(q),
            **_report_counts(q),
        ),
        _("已保存采纳情况。"),
    ),
    "publish_report": (lambda c, q: services.publish_report(_report(c), actor=q.user), _("采纳情况已公布。")),
}


@login_required
@require_POST
def consultation_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    c = _own_consultation(request, pk)
    if name not in CONSULTATION_ACTIONS:
        raise PermissionDenied(_("未知操作。"))
    func, done = CONSULTATION_ACTIONS[name]
    run_action(request, lambda: func(c, request), done)
    anchor = {
        "moderate": "#comments",
        "adopt": "#comments",
        "report": "#report",
        "publish_report": "#report",
    }.get(name, "")
    return redirect(reverse("participation:staff-consultation", args=[c.pk]) + anchor)
