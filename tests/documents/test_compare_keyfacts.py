"""Assisted reading on real texts: the article-level 新旧政策差异 and key facts with their spans.

The comparison runs on two official texts of one regulation, 《上海市优化营商环境条例》 as adopted in
2020 and as amended three times by 2024 (demo/content/sh-business.SOURCE.md). The key facts run on
real policy texts from the gov.cn libraries (fixtures/interpretations).
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from gongkai.documents.compare import compare_texts, split_articles, summary_text
from gongkai.documents.keyfacts import draft_sections, extract_key_facts, read_amount
from paths import CONTENT, SHARED_DATA
from paths import FIXTURES as ALL_FIXTURES

FIXTURES = ALL_FIXTURES / "interpretations"
SHARED_LAWS = SHARED_DATA / "laws" / "sample.jsonl"

OLD = (CONTENT / "sh-business-2020.txt").read_text()
NEW = (CONTENT / "sh-business-2024.txt").read_text()
VAT = (CONTENT / "law-14.txt").read_text()


def policy_texts() -> dict[str, str]:
    rows = [
        json.loads(line)
        for line in (FIXTURES / "policy-fulltext-sample.jsonl").read_text().splitlines()
        if line
    ]
    return {row["Database"]: row["Body"] for row in rows}


def test_the_current_vat_text_is_the_real_regulation():
    if not SHARED_LAWS.exists():
        pytest.skip("../shared/data is not present")
    rows = [json.loads(line) for line in SHARED_LAWS.read_text().splitlines() if line]
    real = next(row["text"] for row in rows if row["title"] == "中华人民共和国增值税暂行条例")
    assert real.split("<!-- INFO END -->")[1].split() == VAT.split()


def test_articles_are_split_with_their_spans():
    articles = split_articles(VAT)
    assert len(articles) == 28 and articles[0].label == "第一条" and articles[27].number == 28
    assert VAT[articles[26].start : articles[26].end].startswith("第二十七条 纳税人缴纳增值税的有关事项")
    assert "第二十八条" not in articles[26].text
    assert len(split_articles(OLD)) == 80 and len(split_articles(NEW)) == 97


def _pair(comparison, old_label: str):
    return next(row for row in comparison.rows if row.old and row.old.label == old_label)


def test_three_amendments_article_by_article():
    comparison = compare_texts(OLD, NEW)
    assert comparison.mode == "articles"
    first = _pair(comparison, "第一条")
    assert first.status == "changed" and first.new.label == "第一条"
    assert ("delete", "主体") in first.diff  # 激发市场主体活力 → 激发市场活力
    assert any(op == "insert" and "全面提升上海城市软实力" in text for op, text in first.diff)
    # the 施行 article keeps its wording under a new number
    last = _pair(comparison, "第八十条")
    assert (last.new.label, last.status) == ("第九十七条", "unchanged")
    # 第二十三条 (突发事件 relief) did not exist in 2020
    assert "第二十三条" in {row.new.label for row in comparison.of("added")}
    assert "突发事件" not in OLD
    for row in comparison.of("changed"):  # the character diff rebuilds both texts exactly
        assert "".join(t for op, t in row.diff if op != "insert") == row.old.text
        assert "".join(t for op, t in row.diff if op != "delete") == row.new.text


@pytest.mark.parametrize(
    ("old_label", "new_label", "kept"),
    [
        ("第二十八条", "第二十九条", "证明事项清单"),  # 告知承诺制 written in: twice as long
        ("第四十七条", "第五十二条", "供排水、燃气"),
        ("第六十一条", "第七十二条", "裁量"),  # 行政处罚裁量权 → 行政裁量权基准制度
        ("第七十二条", "第八十九条", "破产"),
    ],
)
def test_rewritten_articles_are_paired_not_deleted(old_label, new_label, kept):
    """A rewritten article reads as changed under its new number, never as one deleted and one added."""
    row = _pair(compare_texts(OLD, NEW), old_label)
    assert row.status == "changed" and row.new.label == new_label
    assert kept in row.old.text and kept in row.new.text
    removed = {r.old.label for r in compare_texts(OLD, NEW).of("removed")}
    assert old_label not in removed


def test_summary_is_a_draft_of_the_changes_section():
    text = summary_text(compare_texts(OLD, NEW), "上海市优化营商环境条例（2020年）", "上海市优化营商环境条例")
    assert text.startswith("与《上海市优化营商环境条例（2020年）》相比")
    assert "新增第二十三条" in text
    assert "第一条：删去“主体”；增加“，全面提升上海城市软实力”" in text
    assert "原第二十八条（现第二十九条）" in text


def test_texts_without_articles_are_compared_by_paragraph():
    notice = (CONTENT / "workplan-keypoints.txt").read_text()
    paragraphs = [line for line in notice.splitlines() if line.strip()]
    revised = notice.replace(paragraphs[3], paragraphs[3] + "并按季度公开进展。", 1)
    comparison = compare_texts(notice, revised)
    assert comparison.mode == "paragraphs"
    assert (
        comparison.counts["changed"] == 1 and comparison.counts["added"] == comparison.counts["removed"] == 0
    )
    changed = comparison.of("changed")[0]
    assert changed.new.label == "第4段" and ("insert", "并按季度公开进展。") in changed.diff


def test_key_facts_of_the_customs_announcement_have_spans():
    text = policy_texts()["GAC"]
    facts = extract_key_facts(text)
    assert facts and all(text[f.start : f.end] == f.text for f in facts)
    limits = [f for f in facts if f.kind == "time_limit"]
    assert {f.value for f in limits} == {"30 日"}
    assert any("主管海关" in f.detail for f in facts if f.kind == "channel")
    effective = [f for f in facts if f.kind == "date" and f.detail == "施行日期"]
    assert [f.text for f in effective] == ["自发布之日起实施"]
    assert any(f.value == "2016-01-29" for f in facts if f.kind == "date")


def test_key_facts_read_full_width_dates_and_deadlines():
    text = policy_texts()["SAFE"]  # written with full-width digits: １９９７年７月１日前报送
    dates = {f.value: f.detail for f in extract_key_facts(text) if f.kind == "date"}
    assert dates["1997-07-01"] == "申报或办理时间"
    assert "1996-12-09" in dates
    assert any("外汇管理局" in f.detail for f in extract_key_facts(text) if f.kind == "channel")


def test_key_facts_of_a_regulation_eligibility_amounts_and_channels():
    text = (CONTENT / "law-06.txt").read_text()  # 保安服务管理条例
    facts = extract_key_facts(text)
    eligibility = [f for f in facts if f.kind == "eligibility"]
    assert any(f.text.startswith("第十六条 年满18周岁") for f in eligibility)
    conditions = next(f for f in eligibility if f.text.startswith("第八条"))
    assert "（一）有不低于人民币100万元的注册资本" in conditions.text  # the list that follows “下列条件：”
    amounts = {(f.text, f.value, f.detail) for f in facts if f.kind == "amount"}
    assert ("100万元", "1000000", "不低于") in amounts and ("1000万元", "10000000", "不低于") in amounts
    assert ("5万元", "50000", "以下") in amounts
    assert any(f.detail == "所在地设区的市级人民政府公安机关" for f in facts if f.kind == "channel")
    assert any(f.value == "2010-01-01" and f.detail == "施行日期" for f in facts if f.kind == "date")


def test_amounts_in_chinese_numerals_use_cn2an():
    assert read_amount("五十", "万元") == Decimal(500000)
    assert read_amount("一千二百", "元") == Decimal(1200)
    assert read_amount("5千", "元") == Decimal(5000)  # 排污许可管理条例: 处每次5千元以上2万元以下的罚款
    assert read_amount("１，０００", "元") == Decimal(1000)
    text = "符合条件的小微企业，每户给予一次性补贴二万元。"
    facts = [f for f in extract_key_facts(text) if f.kind == "amount"]
    assert [(f.text, f.value) for f in facts] == [("二万元", "20000")]
    assert "元旦" not in [f.text for f in extract_key_facts("元旦期间暂停受理。")]


def test_draft_sections_keep_fines_out_of_benefits():
    sections = draft_sections((CONTENT / "law-06.txt").read_text())
    assert "第十六条 年满18周岁" in sections["scope"]
    assert "罚款" not in sections.get("benefits", "")
    assert "15日内" in sections["service_guide"]
    assert sections["criteria"].startswith("施行日期：2010年1月1日")
