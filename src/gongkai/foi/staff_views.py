"""Staff FOI screens: the worklist coloured by due date, registration, a request's page with its timeline
and workflow actions, and letter editing. Each view parses, checks permission, calls a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.constants import Role
from gongkai.core.calendar import missing_next_year_warning
from gongkai.core.services import events_for
from gongkai.review.selectors import highlight

from . import clock, selectors, services
from .constants import (
    AppealGrounds,
    AppealKind,
    AppealResult,
    ConsultationKind,
    DeliveryMethod,
    FeeStandard,
    LetterStatus,
    ServiceMethod,
)
from .forms import OUTCOME_CHOICES, StaffApplicationForm
from .models import FOILetter, FOIRequest
from .timeline import timeline_rows
from .views import docx_response

STAFF_ROLES = (Role.FOI_OFFICER, Role.APPROVER, Role.ORG_ADMIN)


def _require_staff(user: Any) -> None:
    if not any(user.has_role(role) for role in STAFF_ROLES):
        raise PermissionDenied(_("依申请公开办理需要“依申请公开经办人”或“审批人”角色。"))


def _require_letter_access(user: Any) -> None:
    """FOI staff, and reviewers, who review reply letters before they are issued (条例 Arts. 14–17)."""
    if not (user.has_role(Role.REVIEWER) or any(user.has_role(role) for role in STAFF_ROLES)):
        raise PermissionDenied(_("依申请公开办理需要“依申请公开经办人”或“审批人”角色。"))


def _staff_letter(request: HttpRequest, pk: int, *related: str) -> FOILetter:
    _require_letter_access(request.user)
    return get_object_or_404(selectors.staff_letters(request.user).select_related(*related), pk=pk)


def _own(request: HttpRequest, pk: int) -> FOIRequest:
    _require_staff(request.user)
    return get_object_or_404(selectors.staff_requests(request.user).prefetch_related("consultations"), pk=pk)


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    _require_staff(request.user)
    today = timezone.localdate()
    filters, queryset = selectors.worklist(request.user, request.GET)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    rows = [(item, clock.urgency(item, today)) for item in page]
    return render(
        request,
        "foi/staff_list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters.form,
            "today": today,
            "calendar_warning": missing_next_year_warning(today),
        },
    )


@login_required
def register(request: HttpRequest) -> HttpResponse:
    _require_staff(request.user)
    form = StaffApplicationForm(request.POST or None, request.FILES or None)
    if not request.user.is_platform_admin:
        form.fields["organisation"].queryset = form.fields["organisation"].queryset.filter(
            pk=request.user.organisation_id
        )
    if request.method == "POST" and form.is_valid():
        try:
            foi_request, code = services.register_request(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                channel=form.cleaned_data["channel"],
                received_date=form.cleaned_data["received_date"],
                files=[(f.name, f.read()) for f in form.cleaned_data["attachments"]],
                **form.service_fields(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("已登记，申请编号 %(number)s，查询码 %(code)s（请告知申请人）。")
                % {"number": foi_request.number, "code": code},
            )
            return redirect("foi:staff-detail", pk=foi_request.pk)
    return render(request, "foi/staff_new.html", {"form": form})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    foi_request = _own(request, pk)
    today = timezone.localdate()
    try:
        reply_due = clock.reply_due_date(foi_request)  # shown after the reply too: was it on time?
    except ValidationError as exc:
        reply_due = exc.messages[0]
    return render(
        request,
        "foi/staff_detail.html",
        {
            "r": foi_request,
            "urgency": clock.urgency(foi_request, today),
            "reply_due": reply_due,
            "timeline": timeline_rows(events_for(foi_request).order_by("id")),
            "letters": foi_request.letters.order_by("created_at", "id"),
            "appeals": foi_request.appeals.all(),
            "outcomes": OUTCOME_CHOICES,
            "consultation_kinds": ConsultationKind.choices,
            "delivery_methods": DeliveryMethod.choices,
            "fee_standards": FeeStandard.choices,
            "appeal_kinds": AppealKind.choices,
            "appeal_grounds": [c for c in AppealGrounds.choices if c[0] != AppealGrounds.ACTIVE_DISCLOSURE],
            "service_methods": ServiceMethod.choices,
            "correction_notice_late": bool(foi_request.correction_notice_date)
            and _safe(lambda: services.correction_notice_late(foi_request)),
            "appeal_results": [c for c in AppealResult.choices if c[0] != AppealResult.PENDING],
            "correction_late": foi_request.status == "received"
            and not foi_request.correction_notice_date
            and _safe(lambda: services.correction_notice_late(foi_request)),
            "today": today,
            "is_approver": request.user.has_role(Role.APPROVER),
        },
    )


def _safe(func: Callable[[], Any]) -> Any:
    try:
        return func()
    except ValidationError:
        return False


def _post(request: HttpRequest, key: str) -> str:
    return request.POST.get(key, "").strip()


# name -> callable(foi_request, user, http_request) calling exactly one service
ACTIONS: dict[str, Callable[[FOIRequest, Any, HttpRequest], Any]] = {
    "correction_notice": lambda r, u, q: services.send_correction_notice(
        r,
        actor=u,
        notice_date=_post(q, "date"),
        items=_post(q, "items"),
        correction_due_date=_post(q, "due_date") or None,
    ),
    "correction_received": lambda r, u, q: services.receive_correction(
        r, actor=u, received_date=_post(q, "date"), note=_post(q, "note")
    ),
    "close_no_correction": lambda r, u, q: services.close_for_no_correction(
        r, actor=u, decided_date=_post(q, "date")
    ),
    "consult": lambda r, u, q: services.start_consultation(
        r,
        actor=u,
        kind=_post(q, "kind"),
        party=_post(q, "party"),
        sent_date=_post(q, "date"),
        delivery_method=_post(q, "delivery_method"),
        delivered_date=_post(q, "delivered_date") or None,
    ),
    "consult_delivered": lambda r, u, q: services.record_consultation_delivery(
        r,
        actor=u,
        delivered_date=_post(q, "date"),
        delivery_method=_post(q, "delivery_method"),
        tracking_number=_post(q, "tracking_number"),
    ),
    "consult_end": lambda r, u, q: services.end_consultation(
        r,
        actor=u,
        answered_date=_post(q, "date") or None,
        answer=_post(q, "answer"),
        no_answer=bool(q.POST.get("no_answer")),
    ),
    "extension_request": lambda r, u, q: services.request_extension(
        r, actor=u, days=_post(q, "days"), reason=_post(q, "reason"), request_date=_post(q, "date") or None
    ),
    "extension_approve": lambda r, u, q: services.decide_extension(
        r, actor=u, approve=True, decision_date=_post(q, "date") or None
    ),
    "extension_reject": lambda r, u, q: services.decide_extension(
        r, actor=u, approve=False, decision_date=_post(q, "date") or None
    ),
    "fee_notice": lambda r, u, q: services.send_fee_notice(
        r,
        actor=u,
        standard=_post(q, "standard"),
        notice_date=_post(q, "date"),
        pages=_post(q, "pages") or None,
        delivery_method=_post(q, "delivery_method"),
        delivered_date=_post(q, "delivered_date") or None,
    ),
    "fee_notice_delivered": lambda r, u, q: services.record_fee_notice_delivery(
        r, actor=u, delivered_date=_post(q, "date"), delivery_method=_post(q, "delivery_method")
    ),
    "fee_paid": lambda r, u, q: services.record_fee_payment(
        r, actor=u, paid_date=_post(q, "date"), amount=_post(q, "amount") or None
    ),
    "close_unpaid": lambda r, u, q: services.close_for_unpaid_fee(r, actor=u, decided_date=_post(q, "date")),
    "prepare_reply": lambda r, u, q: services.prepare_reply(
        r, actor=u, outcome=_post(q, "outcome"), reason=_post(q, "reason")
    ),
    "deliver": lambda r, u, q: services.record_delivery(
        r,
        actor=u,
        method=_post(q, "method"),
        delivery_date=_post(q, "date"),
        tracking_number=_post(q, "tracking_number"),
    ),
    "archive": lambda r, u, q: services.archive_request(r, actor=u),
    "appeal": lambda r, u, q: services.add_appeal(
        r,
        actor=u,
        kind=_post(q, "kind"),
        grounds=_post(q, "grounds"),
        filed_date=_post(q, "date"),
        case_number=_post(q, "case_number"),
        body=_post(q, "body"),
    ),
}


@login_required
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    foi_request = _own(request, pk)
    func = ACTIONS.get(name)
    if func is None:
        raise PermissionDenied(_("未知操作。"))
    try:
        result = func(foi_request, request.user, request)
    except ValidationError as exc:
        for _field, problems in (
            exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        ).items():
            for problem in problems:
                messages.error(request, problem)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("操作已完成。"))
        if name == "prepare_reply" and isinstance(result, FOILetter):
            return redirect("foi:staff-letter", pk=result.pk)
    return redirect("foi:staff-detail", pk=foi_request.pk)


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a file to the request (corrected application, information provided, proof of delivery)."""
    foi_request = _own(request, pk)
    upload_file = request.FILES.get("file")
    if upload_file is None:
        messages.error(request, _("请选择要上传的文件。"))
    else:
        try:
            services.add_attachment(foi_request, actor=request.user, name=upload_file.name, content=upload_file.read(),
                                    from_applicant=bool(request.POST.get("from_applicant")))  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("已上传。"))
    return redirect("foi:staff-detail", pk=foi_request.pk)


@login_required
@require_POST
def appeal_result(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request.user)
    appeal = get_object_or_404(selectors.staff_appeals(request.user), pk=pk)
    try:
        services.decide_appeal(
            appeal, actor=request.user, result=_post(request, "result"), decided_date=_post(request, "date")
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    if appeal.request_id is None:
        return redirect("foi:staff-appeals")
    return redirect("foi:staff-detail", pk=appeal.request_id)


@login_required
def appeals(request: HttpRequest) -> HttpResponse:
    """Every reconsideration and lawsuit of the organisation (Table 四), and the form for a case linked
    to no request, e.g. about active disclosure (条例 Art. 51)."""
    _require_staff(request.user)
    if request.method == "POST":
        organisation = request.user.organisation
        try:
            services.add_appeal(
                None,
                actor=request.user,
                organisation=organisation,
                kind=_post(request, "kind"),
                grounds=_post(request, "grounds"),
                subject=_post(request, "subject"),
                filed_date=_post(request, "date"),
                case_number=_post(request, "case_number"),
                body=_post(request, "body"),
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("已登记。"))
            return redirect("foi:staff-appeals")
    return render(
        request,
        "foi/staff_appeals.html",
        {
            "appeals": selectors.staff_appeals(request.user)
            .select_related("request")
            .order_by("-filed_date", "-id"),
            "appeal_kinds": AppealKind.choices,
            "appeal_grounds": [
                c
                for c in AppealGrounds.choices
                if c[0] in (AppealGrounds.ACTIVE_DISCLOSURE, AppealGrounds.OTHER)
            ],
            "appeal_results": [c for c in AppealResult.choices if c[0] != AppealResult.PENDING],
            "today": timezone.localdate(),
        },
    )


@login_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft letter, then issue it (a reply letter's issue is the decision, after its review)."""
    item = _staff_letter(request, pk)
    if request.method == "POST":
        _require_staff(request.user)
        try:
            if item.status == LetterStatus.DRAFT:
                item = services.edit_letter(
                    item,
                    actor=request.user,
                    body=request.POST.get("body", ""),
                    title=request.POST.get("title"),
                )
            if request.POST.get("issue"):
                services.issue_reply(item, actor=request.user, decided_date=_post(request, "date"))
                messages.success(request, _("答复书已出具。"))
                return redirect("foi:staff-detail", pk=item.request_id)
            messages.success(request, _("已保存。"))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    findings = item.review_findings if item.review_current else services.letter_findings(item.body)
    today = timezone.localdate()
    owner = item.request
    return render(
        request,
        "foi/letter_edit.html",
        {
            "letter": item,
            "today": today,
            # the reply deadline already missed, or running out before this reply (条例 Arts. 30, 33)
            "missed": owner.reply_period_missed_on or (owner.due_date if owner.is_overdue(today) else None),
            "findings": findings,
            "highlighted": highlight(item.body, findings),
            "can_review": item.status == LetterStatus.DRAFT
            and (request.user.has_role(Role.REVIEWER) or request.user.is_platform_admin),
        },
    )


@login_required
@require_POST
def letter_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or refuse a draft letter (公开审查, 条例 Arts. 14–17); the service checks role and drafter."""
    item = _staff_letter(request, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.review_letter(item, actor=request.user, approve=approve, note=request.POST.get("note", ""))
        messages.success(request, _("已审查通过。") if approve else _("已退回修改。"))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    return redirect("foi:staff-letter", pk=item.pk)


@login_required
def letter_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return docx_response(_staff_letter(request, pk, "request__organisation"))


@login_required
def download(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    foi_request = _own(request, pk)
    item = get_object_or_404(foi_request.attachments, pk=file_pk)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.title)
