"""Survey results: counts per option, bar-chart geometry (drawn as SVG by a template), CSV and XLSX exports.

The chart is server-drawn SVG with a title and description, and the same figures are in a table next to
it, so it needs no script (the CSP forbids inline script anyway) and a screen reader reads the table.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .constants import QuestionKind
from .models import Answer, Question, Response, Survey

BAR_HEIGHT = 26
BAR_GAP = 10
LABEL_WIDTH = 220
PLOT_WIDTH = 360
CHART_WIDTH = LABEL_WIDTH + PLOT_WIDTH + 90


@dataclass
class Bar:
    label: str
    count: int
    percent: int
    y: int = 0
    width: int = 0

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT // 2 + 5

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 6


@dataclass
class QuestionResult:
    question: Question
    answered: int
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None
    texts: int = 0

    @property
    def chart_height(self) -> int:
        return len(self.bars) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP

    @property
    def chart_width(self) -> int:
        return CHART_WIDTH

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 8

    @property
    def plot_x(self) -> int:
        return LABEL_WIDTH

    @property
    def bar_height(self) -> int:
        return BAR_HEIGHT


def _layout(bars: list[Bar], answered: int) -> list[Bar]:
    top = max((bar.count for bar in bars), default=0)
    for index, bar in enumerate(bars):
        bar.percent = round(100 * bar.count / answered) if answered else 0
        bar.width = round(PLOT_WIDTH * bar.count / top) if top else 0
        bar.y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
    return bars


def survey_results(survey: Survey) -> tuple[int, list[QuestionResult]]:
    """(responses, one result per question); multiple choice percentages are of those who answered."""
    responses = survey.responses.count()
    results = []
    answers_by_question: dict[int, list[Answer]] = {}
    for answer in Answer.objects.filter(response__survey=survey).only(
        "question_id", "choices", "value", "text"
    ):
        answers_by_question.setdefault(answer.question_id, []).append(answer)
    for question in survey.questions.all():
        answers = answers_by_question.get(question.pk, [])
        result = QuestionResult(question, answered=len(answers))
        if question.kind == QuestionKind.TEXT:
            result.texts = sum(1 for answer in answers if answer.text)
        elif question.kind == QuestionKind.SCALE:
            counts = Counter(answer.value for answer in answers)
            result.bars = _layout(
                [Bar(label, counts.get(value, 0), 0) for value, label in question.choices], len(answers)
            )
            values = [answer.value for answer in answers if answer.value is not None]
            result.mean = round(sum(values) / len(values), 2) if values else None
        else:
            counts = Counter(choice for answer in answers for choice in answer.choices)
            result.bars = _layout(
                [Bar(label, counts.get(value, 0), 0) for value, label in question.choices], len(answers)
            )
        results.append(result)
    return responses, results


def search_text_answers(survey: Survey, query: str) -> QuerySet[Answer]:
    """Staff search of free-text answers (substring, case-insensitive)."""
    rows = Answer.objects.filter(response__survey=survey, question__kind=QuestionKind.TEXT).exclude(text="")
    if query:
        rows = rows.filter(text__icontains=query)
    return rows.select_related("question", "response").order_by("response_id", "question__position")


def _cell(question: Question, answer: Answer | None) -> str | int:
    if answer is None:
        return ""
    if question.kind == QuestionKind.TEXT:
        return answer.text
    if question.kind == QuestionKind.SCALE:
        return answer.value if answer.value is not None else ""
    labels = dict(question.choices)
    return "；".join(labels.get(choice, str(choice)) for choice in answer.choices)


def export_rows(survey: Survey) -> tuple[list[str], list[list[Any]]]:
    """One row per response: number, time, then one column per question (no participant key, no account)."""
    questions = list(survey.questions.all())
    header = [_("序号"), _("提交时间")] + [f"{q.position}. {q.text}" for q in questions]
    answers: dict[tuple[int, int], Answer] = {
        (a.response_id, a.question_id): a for a in Answer.objects.filter(response__survey=survey)
    }
    rows = []
    for number, response in enumerate(Response.objects.filter(survey=survey).order_by("id"), start=1):
        when = timezone.localtime(response.created_at).strftime("%Y-%m-%d %H:%M")
        rows.append([number, when] + [_cell(q, answers.get((response.pk, q.pk))) for q in questions])
    return header, rows


def _safe(value: Any) -> Any:
    """Spreadsheet formula injection: text a citizen typed never starts a formula (=, +, -, @)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_csv(survey: Survey) -> bytes:
    header, rows = export_rows(survey)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[_safe(value) for value in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 CSV as UTF-8


def export_xlsx(survey: Survey) -> bytes:
    from openpyxl import Workbook

    header, rows = export_rows(survey)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("答卷")
    sheet.append(header)
    for row in rows:
        sheet.append([_safe(value) for value in row])
    summary = workbook.create_sheet(_("统计"))
    responses, results = survey_results(survey)
    summary.append([_("答卷数"), responses])
    for result in results:
        summary.append([])
        summary.append([f"{result.question.position}. {result.question.text}", _("人数"), _("比例（%）")])
        for bar in result.bars:
            summary.append([bar.label, bar.count, bar.percent])
        if result.mean is not None:
            summary.append([_("平均分"), result.mean])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
