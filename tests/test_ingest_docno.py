"""文号 normalisation (GB/T 9704-2012 §7.2.4) and detection in text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.text.docno import DocNumberError, find_doc_numbers, parse_doc_number


@pytest.mark.parametrize(
    ("raw", "normalized", "organ_code", "year", "serial", "kind"),
    [
        ("静府办发〔2023〕5号", "静府办发〔2023〕5号", "静府办发", 2023, 5, "standard"),
        ("豫政办 〔2006〕69号", "豫政办〔2006〕69号", "豫政办", 2006, 69, "standard"),
        ("粤府[2016] 86号", "粤府〔2016〕86号", "粤府", 2016, 86, "standard"),
        ("国办发【2019】 35 号", "国办发〔2019〕35号", "国办发", 2019, 35, "standard"),
        ("国发(2005)３号", "国发〔2005〕3号", "国发", 2005, 3, "standard"),
        ("川府发（２０１１）０４９号", "川府发〔2011〕49号", "川府发", 2011, 49, "standard"),
        ("国函〔 2004 〕第107号", "国函〔2004〕107号", "国函", 2004, 107, "standard"),
        ("省政府令 第90号", "省政府令第90号", "省政府令", None, 90, "decree"),
        ("国务院令第711号", "国务院令第711号", "国务院令", None, 711, "decree"),
        (
            "中华人民共和国国务院令（第372号）",
            "中华人民共和国国务院令第372号",
            "中华人民共和国国务院令",
            None,
            372,
            "decree",
        ),
        ("海关总署公告2016年第8号", "海关总署公告2016年第8号", "海关总署公告", 2016, 8, "announcement"),
    ],
)
def test_normalises_to_canonical_form_with_parts(raw, normalized, organ_code, year, serial, kind) -> None:
    parsed = parse_doc_number(raw)
    assert (parsed.normalized, parsed.organ_code, parsed.year, parsed.serial, parsed.kind) == (
        normalized,
        organ_code,
        year,
        serial,
        kind,
    )


@pytest.mark.parametrize(
    ("raw", "reason"),
    [("", "文号为空"), ("关于做好政务公开工作的通知", "缺少年份和序号"), ("静府办发〔2023〕0号", "序号不能为0"),
     ("静府办发〔1850〕5号", "年份1850不合理"), ("2023年4月23日", "缺少")],
)  # fmt: skip
def test_rejects_what_is_not_a_doc_number_with_a_reason(raw: str, reason: str) -> None:
    with pytest.raises(DocNumberError) as info:
        parse_doc_number(raw)
    assert reason in info.value.reason


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=40))
def test_never_raises_anything_else_and_is_idempotent(raw: str) -> None:
    try:
        parsed = parse_doc_number(raw)
    except DocNumberError:
        return
    assert parse_doc_number(parsed.normalized).normalized == parsed.normalized


code_chars = st.text(alphabet="静府办发国函豫政粤川沪教财", min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(code_chars, st.integers(1949, 2100), st.integers(1, 99999),
       st.sampled_from(["〔{}〕", "[{}]", "【{}】", "({})", "（{}）", "〔 {} 〕", "［{}］"]),
       st.booleans(), st.booleans(), st.booleans())  # fmt: skip
def test_every_bracket_spacing_and_digit_width_gives_the_same_number(
    code, year, serial, bracket, wide, zeros, spaces
) -> None:
    serial_text = f"{serial:05d}" if zeros else str(serial)
    raw = code + (" " if spaces else "") + bracket.format(year) + (" " if spaces else "") + serial_text + "号"
    if wide:
        raw = raw.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    parsed = parse_doc_number(raw)
    assert parsed.normalized == f"{code}〔{year}〕{serial}号"
    assert (parsed.organ_code, parsed.year, parsed.serial) == (code, year, serial)


def test_finds_numbers_in_running_text_without_the_words_before_them() -> None:
    text = "根据《国务院关于X的通知》（国发〔2018〕41号）和2003年3月1日 中华人民共和国国务院令第372号公布，关于废止豫政办〔2006〕101号文件的决定"
    assert [f.parsed.normalized for f in find_doc_numbers(text)] == [
        "国发〔2018〕41号", "中华人民共和国国务院令第372号", "豫政办〔2006〕101号",
    ]  # fmt: skip
    for found in find_doc_numbers(text):
        assert text[found.start : found.end] == found.raw
