"""信息处理费 (条例 Art. 42; 《政府信息公开信息处理费管理办法》国办函〔2020〕109号 Arts. 4–5).

Both standards are progressive (超额累进); one application uses one standard, never both.
"""

from __future__ import annotations

from decimal import Decimal

from .constants import FeeStandard


def per_application_fee(rank_in_month: int) -> Decimal:
    """按件 (Art. 4): the n-th application of one applicant in one natural month.

    1–10 free; 11–30: 100 元/件; from 31 on, every further band of 10 adds 100 元/件
    (31–40: 200, 41–50: 300, ...).
    """
    if rank_in_month <= 10:
        return Decimal("0")
    if rank_in_month <= 30:
        return Decimal("100")
    bands = (rank_in_month - 31) // 10 + 1
    return Decimal(100 + 100 * bands)


def per_page_fee(pages: int) -> Decimal:
    """按量 (Art. 5): ≤30 pages free; pages 31–100 at 10 元, 101–200 at 20 元, 201 and more at 40 元."""
    fee = 0
    fee += 10 * max(0, min(pages, 100) - 30)
    fee += 20 * max(0, min(pages, 200) - 100)
    fee += 40 * max(0, pages - 200)
    return Decimal(fee)


def compute_fee(standard: str, quantity: int) -> Decimal:
    if standard == FeeStandard.PER_APPLICATION:
        return per_application_fee(quantity)
    if standard == FeeStandard.PER_PAGE:
        return per_page_fee(quantity)
    raise ValueError(standard)
