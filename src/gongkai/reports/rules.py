"""Consistency rules of the 2021 national format, on the report JSON (requirements-cn §2.3, §2.4).

Pure functions over the JSON shape, used by the generator, the publishing gate and `report check`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .constants import (
    APPLICANT_COLUMNS,
    CARRIED_IN_ROW,
    CARRIED_OUT_ROW,
    LEGACY_OTHER_KEY,
    NEW_ROW,
    OTHER,
    OUTCOME_ROW_KEYS,
    RESULTS_TOTAL,
    TABLE2_ROWS,
    TABLE3_COLUMNS,
    TABLE3_ROW_KEYS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TABLE4_RESULTS,
    TOTAL_COL,
    Rule,
)

Finding = dict[str, Any]


def finding(rule: Rule, detail: str, **numbers: Any) -> Finding:
    out: Finding = {"rule": rule.value, "rule_name": str(rule.label), "detail": detail}
    if numbers:
        out["numbers"] = numbers
    return out


def empty_table3() -> dict[str, dict[str, int]]:
    return {key: dict.fromkeys(TABLE3_COLUMNS, 0) for key in TABLE3_ROW_KEYS}


def empty_table4() -> dict[str, dict[str, int]]:
    return {group: dict.fromkeys(TABLE4_COLUMNS, 0) for group in TABLE4_GROUPS}


def empty_table2() -> dict[str, dict[str, Any]]:
    return {
        row: {col: (0.0 if row == "行政事业性收费" else 0) for col in cols}
        for row, cols in TABLE2_ROWS.items()
    }


def outcome_keys_present(table3: dict[str, Any]) -> list[str]:
    """The outcome rows a report actually has: the 2021 rows, or the 2019 single （六） row."""
    keys = [k for k in OUTCOME_ROW_KEYS if k in table3]
    if LEGACY_OTHER_KEY in table3 and not any(k.startswith(OTHER + "/") for k in keys):
        keys.append(LEGACY_OTHER_KEY)
    return keys


def _num(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def check_structure(data: dict[str, Any]) -> list[Finding]:
    """Rows the national format requires but the report lacks (and the 2019 single 其他处理 row)."""
    findings: list[Finding] = []
    table3 = data.get("table3") or {}
    legacy = LEGACY_OTHER_KEY in table3 and not any(k.startswith(OTHER + "/") for k in table3)
    if legacy:
        findings.append(
            finding(
                Rule.LEGACY_OTHER_ROW,
                "表三“（六）其他处理”只有一行（2019年格式），2021年格式应分为“1.申请人无正当理由逾期不补正…”"
                "“2.申请人逾期未按收费通知要求缴纳费用…”“3.其他”三项。",
                row=LEGACY_OTHER_KEY,
            )
        )
    for key in TABLE3_ROW_KEYS:
        if key in table3 or (legacy and key.startswith(OTHER + "/")):
            continue
        findings.append(finding(Rule.MISSING_ROW, f"表三缺少“{key}”行。", row=key))
    for group in TABLE4_GROUPS:
        if group not in (data.get("table4") or {}):
            findings.append(finding(Rule.MISSING_ROW, f"表四缺少“{group}”一组。", row=group))
    for row in TABLE2_ROWS:
        if row not in (data.get("table2") or {}):
            findings.append(finding(Rule.MISSING_ROW, f"表二缺少“{row}”行。", row=row))
    return findings


def check_sums(data: dict[str, Any]) -> list[Finding]:
    """The arithmetic rules of the format: every one the 2021 format states or implies."""
    table3: dict[str, dict[str, Any]] = data.get("table3") or {}
    table4: dict[str, dict[str, Any]] = data.get("table4") or {}
    findings = _negative_cells(data) + _table3_row_totals(table3)
    outcome_keys = outcome_keys_present(table3)
    for col in TABLE3_COLUMNS:
        findings += _table3_column_sums(table3, col, outcome_keys)
    return findings + _table4_totals(table4)


def _negative_cells(data: dict[str, Any]) -> list[Finding]:
    findings: list[Finding] = []
    for table_name, key in (("表二", "table2"), ("表三", "table3"), ("表四", "table4")):
        for row, cells in (data.get(key) or {}).items():
            for col, value in (cells or {}).items():
                n = _num(value)
                if n is not None and n < 0:
                    findings.append(
                        finding(
                            Rule.NEGATIVE,
                            f"{table_name}“{row}”的“{col}”为负数：{value}。",
                            row=row,
                            column=col,
                        )
                    )
    return findings


def _table3_row_totals(table3: dict[str, dict[str, Any]]) -> list[Finding]:
    """Each row's 总计 is the sum of its six applicant columns."""
    findings: list[Finding] = []
    for key, cells in table3.items():
        values = [_num(cells.get(col)) for col in APPLICANT_COLUMNS]
        total = _num(cells.get(TOTAL_COL))
        if total is None or any(v is None for v in values):
            continue
        if sum(values) != total:  # type: ignore[arg-type]
            findings.append(
                finding(
                    Rule.ROW_TOTAL,
                    f"表三“{key}”的总计为{total}，六类申请人之和为{sum(values)}。",  # type: ignore[arg-type]
                    row=key,
                    total=int(total),
                    sum=int(sum(values)),  # type: ignore[arg-type]
                )
            )
    return findings


def _table3_column_sums(
    table3: dict[str, dict[str, Any]], col: str, outcome_keys: list[str]
) -> list[Finding]:
    """One column of Table 三: the cross-footing of its parts and its （七）总计."""
    findings: list[Finding] = []
    new = _num((table3.get(NEW_ROW) or {}).get(col))
    carried_in = _num((table3.get(CARRIED_IN_ROW) or {}).get(col))
    total = _num((table3.get(RESULTS_TOTAL) or {}).get(col))
    carried_out = _num((table3.get(CARRIED_OUT_ROW) or {}).get(col))
    # 一 + 二 = 三（七）总计 + 四, for every column (the note printed in the table's corner).
    if None not in (new, carried_in, total, carried_out) and new + carried_in != total + carried_out:  # type: ignore[operator]
        findings.append(
            finding(
                Rule.CROSS_FOOTING,
                f"表三“{col}”列：一（{new}）+二（{carried_in}）={new + carried_in}，"  # type: ignore[operator]
                f"三（七）总计（{total}）+四（{carried_out}）={total + carried_out}。",  # type: ignore[operator]
                column=col,
                new=int(new),  # type: ignore[arg-type]
                carried_in=int(carried_in),  # type: ignore[arg-type]
                results_total=int(total),  # type: ignore[arg-type]
                carried_out=int(carried_out),  # type: ignore[arg-type]
            )
        )
    # （七）总计 = （一）+（二）+ the sub-rows of （三）–（六）.
    parts = [_num((table3.get(k) or {}).get(col)) for k in outcome_keys]
    if total is not None and outcome_keys and None not in parts and sum(parts) != total:  # type: ignore[arg-type]
        findings.append(
            finding(
                Rule.RESULTS_TOTAL,
                f"表三“{col}”列：（七）总计为{total}，各办理结果之和为{sum(parts)}。",  # type: ignore[arg-type]
                column=col,
                total=int(total),
                sum=int(sum(parts)),  # type: ignore[arg-type]
            )
        )
    return findings


def _table4_totals(table4: dict[str, dict[str, Any]]) -> list[Finding]:
    """Table 四: within each group 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结."""
    findings: list[Finding] = []
    for group in TABLE4_GROUPS:
        cells = table4.get(group)
        if not cells:
            continue
        values = [_num(cells.get(col)) for col in TABLE4_RESULTS]
        total = _num(cells.get(TOTAL_COL))
        if total is None or None in values:
            continue
        if sum(values) != total:  # type: ignore[arg-type]
            findings.append(
                finding(
                    Rule.TABLE4_TOTAL,
                    f"表四“{group}”总计为{total}，结果维持、结果纠正、其他结果、尚未审结之和为{sum(values)}。",  # type: ignore[arg-type]
                    group=group,
                    total=int(total),
                    sum=int(sum(values)),  # type: ignore[arg-type]
                )
            )
    return findings


def check_report(data: dict[str, Any]) -> list[Finding]:
    return check_structure(data) + check_sums(data)


def check_carry_over(earlier: dict[str, Any], later: dict[str, Any]) -> list[Finding]:
    """Year Y's 结转下年度 must be year Y+1's 上年结转, column by column."""
    findings: list[Finding] = []
    out_row = (earlier.get("table3") or {}).get(CARRIED_OUT_ROW) or {}
    in_row = (later.get("table3") or {}).get(CARRIED_IN_ROW) or {}
    for col in TABLE3_COLUMNS:
        a, b = _num(out_row.get(col)), _num(in_row.get(col))
        if a is None or b is None or a == b:
            continue
        findings.append(
            finding(
                Rule.CARRY_OVER,
                f"{earlier.get('year')}年“四、结转下年度继续办理”“{col}”为{a}，"
                f"{later.get('year')}年“二、上年结转政府信息公开申请数量”为{b}。",
                column=col,
                earlier_year=earlier.get("year"),
                carried_out=int(a),
                later_year=later.get("year"),
                carried_in=int(b),
            )
        )
    return findings
