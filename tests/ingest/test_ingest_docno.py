"""文号 normalisation (GB/T 9704-2012 §7.2.4) and detection in text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.text.docno import DocNumberError, doc_number_variants, find_doc_numbers, parse_doc_number


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
        # 公告 numbers (issue 12): the organ, the year and the serial, in either form
        ("海关总署公告2016年第8号", "海关总署公告2016年第8号", "海关总署", 2016, 8, "announcement"),
        (
            "国家税务总局公告2018年第32号",
            "国家税务总局公告2018年第32号",
            "国家税务总局",
            2018,
            32,
            "announcement",
        ),
        (
            "国家税务总局 公告 2018 年第 ３２ 号",
            "国家税务总局公告2018年第32号",
            "国家税务总局",
            2018,
            32,
            "announcement",
        ),
        (
            "国家林业和草原局公告（2019年第4号）",
            "国家林业和草原局公告2019年第4号",
            "国家林业和草原局",
            2019,
            4,
            "announcement",
        ),
        ("海关总署2010年第47号公告", "海关总署公告2010年第47号", "海关总署", 2010, 47, "announcement"),
        ("国家税务总局2018年第32号", "国家税务总局2018年第32号", "国家税务总局", 2018, 32, "announcement"),
        ("农业农村部2019年第4号", "农业农村部2019年第4号", "农业农村部", 2019, 4, "announcement"),
        ("海关总署2016年8号", "海关总署2016年第8号", "海关总署", 2016, 8, "announcement"),
        (
            "财政部、国家税务总局和科技部公告2022年第16号",
            "财政部、国家税务总局和科技部公告2022年第16号",
            "财政部、国家税务总局和科技部",
            2022,
            16,
            "announcement",
        ),
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


@pytest.mark.parametrize(
    ("raw", "variants"),
    [
        ("国家税务总局公告2018年第32号", ["国家税务总局公告2018年第32号", "国家税务总局2018年第32号"]),
        ("国家税务总局2018年第32号", ["国家税务总局2018年第32号", "国家税务总局公告2018年第32号", "国家税务总局令2018年第32号"]),
        ("交通运输部令2016年第1号", ["交通运输部令2016年第1号", "交通运输部2016年第1号"]),
        ("国务院令第711号", ["国务院令第711号"]),
        ("静府办发[2023]5号", ["静府办发〔2023〕5号"]),
    ],
)  # fmt: skip
def test_both_announcement_forms_name_the_same_number(raw: str, variants: list[str]) -> None:
    assert doc_number_variants(parse_doc_number(raw)) == variants


@pytest.mark.parametrize("raw", ["公告2018年第3号", "本市2019年第4号", "2019年第4号"])
def test_an_announcement_number_needs_an_organ(raw: str) -> None:
    with pytest.raises(DocNumberError):
        parse_doc_number(raw)


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


def test_finds_announcement_numbers_cited_in_either_order() -> None:
    # the real text of 海关总署公告2016年第8号 (shared/data/policy-fulltext) cites the numbers it repeals
    text = "六、本公告自发布之日起实施，海关总署2010年第47号公告和2011年第55号公告同时废止。按照国家税务总局公告2015年第97号执行。"
    assert [f.parsed.normalized for f in find_doc_numbers(text)] == [
        "海关总署公告2010年第47号", "国家税务总局公告2015年第97号",
    ]  # fmt: skip
