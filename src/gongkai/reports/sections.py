"""The report's prose sections. Sentences that carry figures are generated from the tables, so
the text and the tables cannot disagree; staff write the rest (条例 Art. 50)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .constants import (
    CARRIED_IN_ROW,
    CARRIED_OUT_ROW,
    IN_FORCE,
    ISSUED,
    LIT_AFTER,
    LIT_DIRECT,
    NEW_ROW,
    NORMATIVE_ROW,
    RECONSIDERATION,
    REPEALED,
    RESULTS_TOTAL,
    TOTAL_COL,
)

# Hook for higher apps (e.g. office's work-plan tracker, 工作要点 item 三十三): a callable
# (organisation, year) -> {section title: [paragraphs]} whose paragraphs are added to that section.
# A published report keeps the paragraphs it was published with (frozen in its data).
TEXT_SECTION_PROVIDERS: list[Callable[[Any, int], dict[str, list[str]]]] = []


def provided_sections(organisation: Any, year: int) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for provider in TEXT_SECTION_PROVIDERS:
        for title, paragraphs in (provider(organisation, year) or {}).items():
            out.setdefault(title, []).extend(paragraphs)
    return out


def _t3(data: dict[str, Any], row: str) -> int:
    return int(((data.get("table3") or {}).get(row) or {}).get(TOTAL_COL) or 0)


def _t4(data: dict[str, Any], group: str) -> int:
    return int(((data.get("table4") or {}).get(group) or {}).get(TOTAL_COL) or 0)


def overview_figures(data: dict[str, Any]) -> list[str]:
    """Generated sentences of section 一 (主动公开 and 依申请公开 counts)."""
    year = data.get("year")
    normative = (data.get("table2") or {}).get(NORMATIVE_ROW) or {}
    return [
        f"（一）主动公开情况。{year}年，制发行政规范性文件{normative.get(ISSUED, 0)}件，"
        f"废止{normative.get(REPEALED, 0)}件，现行有效{normative.get(IN_FORCE, 0)}件。",
        f"（二）依申请公开情况。{year}年，新收政府信息公开申请{_t3(data, NEW_ROW)}件，"
        f"上年结转{_t3(data, CARRIED_IN_ROW)}件，本年度办结{_t3(data, RESULTS_TOTAL)}件，"
        f"结转下年度继续办理{_t3(data, CARRIED_OUT_ROW)}件。"
        f"因政府信息公开引起行政复议{_t4(data, RECONSIDERATION)}件，"
        f"行政诉讼{_t4(data, LIT_DIRECT) + _t4(data, LIT_AFTER)}件。",
    ]


def appeal_sentences(data: dict[str, Any]) -> list[str]:
    """Section 四's text. Table 四 counts each case once, in the year it was filed, with its state on
    31 December; a case decided in a later year is reported in that year's text (docs/foi-rules.md).
    Worded so that no figure reads as a Table 四 total (textcheck)."""
    out: list[str] = []
    pending = sum(
        int(((data.get("table4") or {}).get(group) or {}).get("尚未审结") or 0)
        for group in (RECONSIDERATION, LIT_DIRECT, LIT_AFTER)
    )
    earlier = (data.get("notes") or {}).get("appeals_decided_from_earlier_years") or {}
    parts = []
    for group, label in ((RECONSIDERATION, "行政复议"), (LIT_DIRECT, "行政诉讼（未经复议直接起诉）"),
                         (LIT_AFTER, "行政诉讼（复议后起诉）")):  # fmt: skip
        cells = earlier.get(group) or {}
        results = [
            f"{col}{int(cells.get(col) or 0)}件"
            for col in ("结果维持", "结果纠正", "其他结果")
            if cells.get(col)
        ]
        if results:
            parts.append(f"{label}{'、'.join(results)}")
    if parts:
        total = sum(int((earlier.get(g) or {}).get(TOTAL_COL) or 0) for g in earlier)
        out.append(f"以前年度收到、本年度审结的案件{total}件（不计入上表）：{'；'.join(parts)}。")
    if pending:
        out.append(f"上表“尚未审结”的{pending}件案件，其审结结果在审结年度的报告中说明。")
    return out


def late_sentence(data: dict[str, Any]) -> list[str]:
    """Section 五: replies given after the statutory deadline, including those whose 补正 notice came
    after it (条例 Arts. 30, 33): a restarted period does not hide the lateness."""
    note = data.get("notes") or {}
    late, after_correction = int(note.get("late_replies") or 0), int(note.get("late_after_correction") or 0)
    if not late:
        return []
    text = f"{data.get('year')}年办结的政府信息公开申请中，{late}件未在法定期限内答复"
    if after_correction:
        text += f"，其中{after_correction}件的补正通知在答复期限届满后才发出"
    return [text + "。"]


def fee_sentence(year: int, fees: Decimal) -> str:
    # 国办函〔2020〕109号: reports state the 信息处理费 actually collected.
    amount = f"{fees:.2f}".rstrip("0").rstrip(".") if fees else "0"
    return f"{year}年，依据《政府信息公开信息处理费管理办法》收取信息处理费{amount}元。"


def sections(
    data: dict[str, Any],
    *,
    overview_text: str,
    problems_text: str,
    other_text: str,
    fees: Decimal,
    provided: dict[str, list[str]] | None = None,
) -> dict[str, list[str]]:
    """Paragraphs of sections 一, 四 (after the table), 五 and 六."""

    def paragraphs(text: str) -> list[str]:
        return [p.strip() for p in (text or "").splitlines() if p.strip()]

    out = {
        "一、总体情况": overview_figures(data) + paragraphs(overview_text),
        "四、政府信息公开行政复议、行政诉讼情况": appeal_sentences(data),
        "五、存在的主要问题及改进情况": late_sentence(data) + paragraphs(problems_text),
        "六、其他需要报告的事项": [fee_sentence(int(data.get("year") or 0), fees), *paragraphs(other_text)],
    }
    for title, extra in (provided or {}).items():
        out.setdefault(title, []).extend(extra)
    return out
