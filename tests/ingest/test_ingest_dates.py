"""Dates in every form real documents use (GB/T 9704-2012 §7.3.5: 成文日期)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.ingest.dates import find_dates, parse_date


@pytest.mark.parametrize(
    "raw",
    [
        "2023年4月23日",
        "二〇二三年四月二十三日",
        "二○二三年四月二十三日",
        "２０２３年４月２３日",
        "2023-04-23",
        "2023 年 4 月 23 日",
        "2023.4.23",
        "2023/04/23",
    ],
)
def test_every_written_form_gives_the_same_date(raw: str) -> None:
    assert parse_date(raw) == dt.date(2023, 4, 23)


@pytest.mark.parametrize("raw", ["2023年2月30日", "第45次常务会议", "", "2023年13月1日", "十月"])
def test_non_dates_give_none(raw: str) -> None:
    assert parse_date(raw) is None


def test_spans_point_into_the_text() -> None:
    text = "自二〇二三年五月一日起施行，有效期至2028年4月30日。"
    found = find_dates(text)
    assert [f.date for f in found] == [dt.date(2023, 5, 1), dt.date(2028, 4, 30)]
    assert all(text[f.start : f.end] == f.raw for f in found)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60))
def test_parser_never_raises(raw: str) -> None:
    result = parse_date(raw)
    assert result is None or isinstance(result, dt.date)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_round_trip_of_chinese_and_iso_forms(date: dt.date) -> None:
    assert parse_date(f"{date.year}年{date.month}月{date.day}日") == date
    assert parse_date(date.isoformat()) == date
    assert parse_date(parse_date(date.isoformat()).isoformat()) == date
