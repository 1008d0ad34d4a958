"""年报核查: figures quoted in a report's prose checked against its own tables."""

from __future__ import annotations

import re
from typing import Any

from .constants import (
    CARRIED_IN_ROW,
    CARRIED_OUT_ROW,
    NEW_ROW,
    NORMATIVE_ROW,
    RESULTS_TOTAL,
    TABLE4_GROUPS,
    TOTAL_COL,
    Rule,
)
from .pdftext import norm
from .rules import Finding, finding


def _cn_or_int(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    try:
        import cn2an

        return int(cn2an.cn2an(token, "smart"))
    except (ValueError, KeyError, ImportError):
        return None


_N = r"(\d+|[零〇一二两三四五六七八九十百千]+)"


def check_text(text: str, data: dict[str, Any]) -> list[Finding]:
    """Figures quoted in the report's prose that contradict its own tables."""
    findings: list[Finding] = []
    body = norm(text)
    for pattern, where, allowed, row in _quoted_figures(data):
        allowed = [a for a in allowed if a is not None]
        if not allowed:
            continue
        for m in re.finditer(pattern, body):
            value = _cn_or_int(m.group(1))
            if value is None or value in allowed:
                continue
            findings.append(
                finding(
                    Rule.TEXT_MISMATCH,
                    f"正文“{m.group(0)}”与{where}（{allowed[0]}）不一致。",
                    text=m.group(0),
                    text_value=value,
                    table_value=allowed[0],
                    row=row,
                )
            )
    return findings


def _quoted_figures(data: dict[str, Any]) -> list[tuple[str, str, list[Any], str]]:
    """(pattern of a figure in prose, where the table has it, the values it may take, row key)."""
    t3 = data.get("table3") or {}
    t4 = data.get("table4") or {}
    t2 = data.get("table2") or {}

    def total(row: str) -> Any:
        return (t3.get(row) or {}).get(TOTAL_COL)

    def group_total(group: str) -> Any:
        return (t4.get(group) or {}).get(TOTAL_COL)

    new, carried = total(NEW_ROW), total(CARRIED_IN_ROW)
    both = new + carried if isinstance(new, int) and isinstance(carried, int) else None
    litigation = None
    if isinstance(group_total(TABLE4_GROUPS[1]), int) and isinstance(group_total(TABLE4_GROUPS[2]), int):
        litigation = group_total(TABLE4_GROUPS[1]) + group_total(TABLE4_GROUPS[2])
    return [
        (
            rf"(?:新收|收到|受理|接收)(?:各类|全区|本机关)?(?:政府信息公开|依申请公开)?(?:申请|件申请)(?:共计|共|总计)?{_N}件",
            "表三“一、本年新收政府信息公开申请数量”总计",
            [new, both],
            NEW_ROW,
        ),
        (
            rf"上年结转(?:政府信息公开申请|的申请)?{_N}件",
            "表三“二、上年结转政府信息公开申请数量”总计",
            [carried],
            CARRIED_IN_ROW,
        ),
        (
            rf"结转下(?:一)?年度(?:继续办理)?(?:的申请)?{_N}件",
            "表三“四、结转下年度继续办理”总计",
            [total(CARRIED_OUT_ROW)],
            CARRIED_OUT_ROW,
        ),
        (
            rf"(?:办结|答复)(?:政府信息公开)?申请(?:共)?{_N}件",
            "表三“（七）总计”",
            [total(RESULTS_TOTAL)],
            RESULTS_TOTAL,
        ),
        (
            rf"行政复议(?:案件|申请)?(?:共)?{_N}(?:件|起)",
            "表四“行政复议”总计",
            [group_total(TABLE4_GROUPS[0])],
            TABLE4_GROUPS[0],
        ),
        (rf"行政诉讼(?:案件)?(?:共)?{_N}(?:件|起)", "表四“行政诉讼”两组总计之和", [litigation], "行政诉讼"),
        (
            rf"(?:制发|印发|出台)(?:行政)?规范性文件(?:共)?{_N}件",
            "表二“行政规范性文件”本年制发件数",
            [(t2.get(NORMATIVE_ROW) or {}).get("本年制发件数")],
            NORMATIVE_ROW,
        ),
    ]
