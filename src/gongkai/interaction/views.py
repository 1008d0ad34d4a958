"""Public pages of 政民互动: ask on a policy page or the consultation page, follow an answer and say
whether it solved the problem, the knowledge base (/kb/, its API and exports). Thin (rule 2)."""

from __future__ import annotations

import hmac
import io
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.core.http import rate_limited
from gongkai.documents.selectors import public_documents

from . import kb, selectors, services, workorders
from .constants import Channel
from .forms import ConsultationForm, FeedbackForm, MailboxForm, QuestionForm, TrackForm

RATE = getattr(settings, "INTERACTION_QUESTION_RATE_PER_HOUR", 10)


def _submit(request: HttpRequest, form: QuestionForm, **kwargs) -> HttpResponse | None:
    """Run the service; None when the form has errors (the caller renders it again)."""
    if rate_limited(
        request, "interaction-ask", getattr(settings, "INTERACTION_QUESTION_RATE_PER_HOUR", RATE)
    ):
        form.add_error(None, _("提交过于频繁，请一小时后再试。"))
        return None
    if not form.is_valid():
        return None
    try:
        message = services.submit_message(
            body=form.cleaned_data["body"], contact=form.cleaned_data["contact"], name=form.cleaned_data["name"],
            user=request.user, token=form.cleaned_data["token"] or None, **kwargs,
        )  # fmt: skip
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None
    messages.success(request, _("留言已提交。请保存本页地址，答复后可在此查看并评价。"))
    return redirect(reverse("interaction:follow", args=[message.public_id]) + f"?code={message.follow_code}")


def _status(form: QuestionForm) -> int:
    return 429 if any("频繁" in str(e) for e in form.non_field_errors()) else 400


@require_POST
def ask_document(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(public_documents(), pk=pk)
    form = QuestionForm(request.POST)
    response = _submit(
        request, form, organisation=document.organisation, document=document, channel=Channel.BOARD
    )
    if response:
        return response
    return render(request, "interaction/ask.html", {"form": form, "document": document}, status=_status(form))


@require_http_methods(["GET", "POST"])
def consult(request: HttpRequest) -> HttpResponse:
    """The general consultation page (网上咨询): any organisation, no policy."""
    form = ConsultationForm(request.POST or None)
    if request.method == "POST":
        if rate_limited(request, "interaction-ask", RATE):
            form.add_error(None, _("提交过于频繁，请一小时后再试。"))
        elif form.is_valid():
            response = _submit(
                request, form, organisation=form.cleaned_data["organisation"], channel=Channel.CONSULTATION
            )
            if response:
                return response
        return render(
            request, "interaction/consult.html", {"form": form, "answers": []}, status=_status(form)
        )
    return render(request, "interaction/consult.html",
                  {"form": form, "answers": selectors.public_answers().filter(document__isnull=True)[:20]})  # fmt: skip
    # public_answers holds only is_public messages: the mailboxes' exchanges appear once selected (留言选登)


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest, public_id: str) -> HttpResponse:
    code = request.GET.get("code") or request.POST.get("code") or ""
    message = selectors.follow(public_id, code)
    if message is None:
        raise Http404
    form = FeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                ratings = {
                    k: form.cleaned_data[k]
                    for k in ("efficiency", "attitude", "result")
                    if form.cleaned_data[k]
                }
                services.give_feedback(message, code=code, solved=form.cleaned_data["solved"], ratings=ratings,
                                       feedback=form.cleaned_data["feedback"])  # fmt: skip
            except ValidationError as exc:
                form.add_service_errors(exc)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, _("感谢您的评价。"))
                return redirect(request.path + f"?code={code}")
        status = 400
    return render(
        request, "interaction/follow.html", {"message": message, "code": code, "form": form}, status=status
    )


def mine(request: HttpRequest) -> HttpResponse:
    """A logged-in visitor's own questions, with their state and answer links."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "interaction/mine.html", {"rows": selectors.messages_by(request.user)})


MAILBOXES = {"leader": Channel.LEADER_MAILBOX, "opinion": Channel.OPINION_MAILBOX}


@require_http_methods(["GET", "POST"])
def write(request: HttpRequest, box: str) -> HttpResponse:
    """领导信箱 / 人民意见征集信箱: a message with a category; the receipt shows its number and code."""
    channel = MAILBOXES.get(box)
    if channel is None:
        raise Http404
    form = MailboxForm(request.POST or None)
    if request.method == "POST":
        if rate_limited(request, "interaction-ask", RATE):
            form.add_error(None, _("提交过于频繁，请一小时后再试。"))
        elif form.is_valid():
            response = _submit(request, form, organisation=form.cleaned_data["organisation"], channel=channel,
                               category=form.cleaned_data["category"], subject=form.cleaned_data["subject"])  # fmt: skip
            if response:
                return response
        status = _status(form)
    else:
        status = 200
    return render(request, "interaction/write.html", {"form": form, "channel": channel}, status=status)


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Follow a message with its number and code (like the 依申请公开 tracking page)."""
    form = TrackForm(request.POST or None)
    if request.method == "POST":
        if rate_limited(request, "interaction-track", 30):
            form.add_error(None, _("查询过于频繁，请一小时后再试。"))
        elif form.is_valid():
            message = selectors.track(form.cleaned_data["number"], form.cleaned_data["code"])
            if message:
                return redirect(
                    reverse("interaction:follow", args=[message.public_id]) + f"?code={message.follow_code}"
                )
            form.add_error(None, _("留言编号或查询码不正确。"))
        return render(request, "interaction/track.html", {"form": form}, status=400)
    return render(request, "interaction/track.html", {"form": form})


@csrf_exempt
@require_POST
def work_order_api(request: HttpRequest) -> JsonResponse:
    """POST /api/interaction/work-orders/ (Authorization: Token …): one 12345 work order or 中国政府网
    message as JSON; the same external id returns the message already registered (200, not 201)."""
    expected = getattr(settings, "INTERACTION_API_TOKEN", "")
    given = request.headers.get("Authorization", "").removeprefix("Token ").strip()
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return JsonResponse({"detail": _("令牌无效。")}, status=403)
    try:
        row = json.loads(request.body or b"null")
        message, created = workorders.receive_work_order(row)
    except json.JSONDecodeError:
        return JsonResponse({"detail": _("请求体须为 JSON 对象。")}, status=400)
    except ValidationError as exc:
        return JsonResponse(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}, status=400
        )
    return JsonResponse({"id": message.pk, "number": message.number, "external_id": message.external_id,
                         "due_on": message.due_on.isoformat(), "created": created},
                        status=201 if created else 200, json_dumps_params={"ensure_ascii": False})  # fmt: skip


# ---------------------------------------------------------------- knowledge base
def _ask(request: HttpRequest, *, limit: int = 5) -> tuple[str, list[dict], str]:
    question = " ".join(request.GET.get("q", "").split())[:200]
    if not question:
        return "", [], ""
    try:
        answers = kb.ask(question, limit=limit)
    except ValidationError as exc:
        return question, [], exc.messages[0]
    kb.log_unanswered(question, answers)
    return question, answers, ""


@require_GET
def kb_page(request: HttpRequest) -> HttpResponse:
    question, answers, error = _ask(request)
    return render(request, "interaction/kb.html", {"q": question, "answers": answers, "error": error,
                                                   "confident": kb.is_confident(answers)})  # fmt: skip


@require_GET
def kb_ask_api(request: HttpRequest) -> JsonResponse:
    """GET /api/kb/ask/?q=…&limit=N: a JSON list, best first."""
    if not request.GET.get("q", "").strip():
        return JsonResponse({"q": [_("请输入问题。")]}, status=400)
    try:
        limit = max(1, min(int(request.GET.get("limit", 5)), 50))
    except ValueError:
        return JsonResponse({"limit": [_("条数须为1至50的整数。")]}, status=400)
    _question, answers, error = _ask(request, limit=limit)
    if error:
        return JsonResponse({"q": [error]}, status=400)
    return JsonResponse([kb_row(a) for a in answers], safe=False, json_dumps_params={"ensure_ascii": False})


def kb_row(answer: dict) -> dict:
    return {"id": answer["id"], "answer": answer["answer"], "score": answer["score"], "unit": answer["unit"],
            "category": answer["category"]}  # fmt: skip


def _export_rows() -> list[dict]:
    return [
        {"questions": e.questions, "answer": e.answer, "keywords": e.keywords, "unit": e.unit, "category": e.category,
         **({"document": e.doc_number} if e.doc_number else {})}
        for e in kb.answerable_entries().order_by("id")
    ]  # fmt: skip


@require_GET
def kb_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The knowledge base for the consultation windows (一网通办, service and community centres)."""
    if fmt not in ("jsonl", "xlsx"):
        raise Http404
    rows = _export_rows()
    if fmt == "jsonl":
        body = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        response = HttpResponse(body, content_type="application/x-ndjson; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "知识库"
        sheet.append(["问题", "答案", "关键词", "办理单位", "类别", "依据文号"])
        for row in rows:
            sheet.append(["；".join(row["questions"]), row["answer"], "；".join(row["keywords"]), row["unit"],
                          row["category"], row.get("document", "")])  # fmt: skip
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="knowledge-base.{fmt}"'
    return response


def kb_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(kb.answerable_entries().select_related("document"), pk=pk)
    return render(request, "interaction/kb_entry.html", {"entry": entry})
