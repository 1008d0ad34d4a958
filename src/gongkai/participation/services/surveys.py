"""问卷调查 / 民意调查 (国务院令第713号 Art. 14 lists them among the ways of hearing the public)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation
from gongkai.core.services import record_event

from ..constants import MAX_ANSWER_CHARS, Phase, QuestionKind, SurveyStatus
from ..models import Answer, Question, Response, Survey
from .base import clean_text, parse_date, require_editor, today


def create_survey(
    *, actor: Any, organisation: Organisation, title: str, opens_on: Any, closes_on: Any, description: str = "",
    requires_login: bool = False, results_public: bool = True, is_sample: bool = False,
) -> Survey:  # fmt: skip
    with transaction.atomic(durable=True):
        require_editor(actor, organisation.pk, _("发起问卷调查"))
        opens = parse_date(opens_on, "opens_on", _("开始日期"))
        closes = parse_date(closes_on, "closes_on", _("截止日期"))
        if closes < opens:
            raise ValidationError({"closes_on": _("截止日期不能早于开始日期。")})
        survey = Survey.objects.create(
            organisation=organisation, title=clean_text(title, "title", _("标题"), max_chars=200),
            description=clean_text(description, "description", _("说明"), max_chars=5000, required=False),
            opens_on=opens, closes_on=closes, requires_login=requires_login, results_public=results_public,
            is_sample=is_sample,
        )  # fmt: skip
        record_event("participation.survey_created", actor=actor, target=survey, organisation=organisation)
        return survey


def add_question(
    survey: Survey, *, actor: Any, kind: str, text: str, options: list[str] | str = (), required: bool = True,
    scale_min: int = 1, scale_max: int = 5, scale_labels: str = "",
) -> Question:  # fmt: skip
    """Questions are added before the survey is published; its answers all answer the same questions."""
    with transaction.atomic(durable=True):
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        require_editor(actor, survey.organisation_id, _("编辑问卷"))
        if survey.status != SurveyStatus.DRAFT:
            raise ValidationError({"text": _("问卷已发布，不能再增加题目。")})
        if kind not in QuestionKind.values:
            raise ValidationError({"kind": _("请选择题型。")})
        if isinstance(options, str):
            options = options.splitlines()
        labels = [clean_text(o, "options", _("选项"), max_chars=100, required=False) for o in options]
        labels = [label for label in labels if label]
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            if len(labels) < 2 or len(set(labels)) != len(labels):
                raise ValidationError({"options": _("选择题至少需要两个互不相同的选项（每行一个）。")})
        else:
            labels = []
        if kind == QuestionKind.SCALE and not (0 <= int(scale_min) < int(scale_max) <= 10):
            raise ValidationError({"scale_max": _("量表范围应在0到10之间，且最大值大于最小值。")})
        position = (
            survey.questions.order_by("-position").values_list("position", flat=True).first() or 0
        ) + 1
        question = Question.objects.create(
            survey=survey, position=position, kind=kind, text=clean_text(text, "text", _("题目"), max_chars=300),
            options=labels, required=bool(required), scale_min=int(scale_min), scale_max=int(scale_max),
            scale_labels=clean_text(scale_labels, "scale_labels", _("量表两端说明"), max_chars=60, required=False),
        )  # fmt: skip
        record_event("participation.question_added", actor=actor, target=survey, organisation=survey.organisation,
                     data={"question": question.pk, "kind": kind})  # fmt: skip
        return question


def publish_survey(survey: Survey, *, actor: Any) -> Survey:
    with transaction.atomic(durable=True):
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        require_editor(actor, survey.organisation_id, _("发布问卷"))
        if survey.status != SurveyStatus.DRAFT:
            raise ValidationError({"status": _("问卷已发布。")})
        if not survey.questions.exists():
            raise ValidationError({"status": _("问卷还没有题目。")})
        survey.status = SurveyStatus.PUBLISHED
        survey.save(update_fields=["status", "updated_at"])
        record_event(
            "participation.survey_published", actor=actor, target=survey, organisation=survey.organisation
        )
        return survey


def _answer(question: Question, raw: Any) -> dict[str, Any] | None:
    """Check one answer; None when a non-required question was left blank."""
    field = question.field_name
    values = [v for v in (raw if isinstance(raw, list | tuple) else [raw]) if v not in (None, "")]
    if not values:
        if question.required:
            raise ValidationError({field: _("请回答：%(q)s") % {"q": question.text}})
        return None
    if question.kind == QuestionKind.TEXT:
        return {"text": clean_text(values[0], field, question.text, max_chars=MAX_ANSWER_CHARS)}
    valid = {value for value, _label in question.choices}
    try:
        numbers = sorted({int(v) for v in values})
    except (TypeError, ValueError):
        numbers = [-999]
    if any(n not in valid for n in numbers) or (question.kind != QuestionKind.MULTIPLE and len(numbers) != 1):
        raise ValidationError({field: _("“%(q)s”的答案无效，请重新选择。") % {"q": question.text}})
    if question.kind == QuestionKind.SCALE:
        return {"value": numbers[0]}
    return {"choices": numbers}


def submit_response(
    survey: Survey, *, participant_key: str, answers: dict[str, Any], user: Any = None
) -> Response:
    """One response per person: a second one from the same account or browser token is refused."""
    survey = Survey.objects.get(pk=survey.pk)
    if survey.status != SurveyStatus.PUBLISHED:
        raise ValidationError({"__all__": _("该问卷未发布。")})
    phase = survey.phase(today())
    if phase != Phase.OPEN:
        raise ValidationError({"__all__": _("调查已于%(date)s结束。") % {"date": survey.closes_on}
                               if phase == Phase.CLOSED else _("调查尚未开始。")})  # fmt: skip
    if survey.requires_login and not getattr(user, "is_authenticated", False):
        raise ValidationError({"__all__": _("本次调查须登录后参与。")})
    questions = list(survey.questions.all())
    checked = {question: _answer(question, answers.get(question.field_name)) for question in questions}
    try:
        with transaction.atomic(durable=True):
            if Response.objects.filter(survey=survey, participant_key=participant_key).exists():
                raise IntegrityError
            response = Response.objects.create(survey=survey, participant_key=participant_key,
                                               user=user if getattr(user, "is_authenticated", False) else None)  # fmt: skip
            Answer.objects.bulk_create(
                [
                    Answer(response=response, question=q, **value)
                    for q, value in checked.items()
                    if value is not None
                ]
            )
            record_event("participation.survey_answered", actor=response.user, target=survey,
                         organisation=survey.organisation, data={"response": response.pk})  # fmt: skip
    except IntegrityError:
        raise ValidationError({"__all__": _("您已参与过本次调查，每人只能提交一次。")}) from None
    return response


def has_responded(survey: Survey, participant_key: str) -> bool:
    return Response.objects.filter(survey=survey, participant_key=participant_key).exists()
