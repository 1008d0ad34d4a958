"""Dates as real documents write them: moved to `gongkai.text.dates` so every app can read them."""

from gongkai.text.dates import (
    CHINESE_DATE,
    CHINESE_DATE_PLAIN,
    NUMERIC_DATE,
    NUMERIC_DATE_PLAIN,
    FoundDate,
    add_years,
    find_dates,
    parse_date,
)

__all__ = [
    "CHINESE_DATE", "CHINESE_DATE_PLAIN", "NUMERIC_DATE", "NUMERIC_DATE_PLAIN", "FoundDate", "add_years",
    "find_dates", "parse_date",
]  # fmt: skip
