"""年报核查: reading published report PDFs back into the report JSON and checking them."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from gongkai.reports.constants import TABLE3_COLUMNS, TABLE3_ROW_KEYS, Rule
from gongkai.reports.pdfcheck import check_files, parse_report, pdf_pages
from paths import FIXTURES as ALL_FIXTURES

FIXTURES = ALL_FIXTURES / "reports"
SAMPLE = FIXTURES / "hongze_district_2023_zfxxgk_annual_report.pdf"
HANDMADE = FIXTURES / "handmade_crossfooting_error.pdf"


def row(*values: int) -> dict[str, int]:
    return dict(zip(TABLE3_COLUMNS, values, strict=True))


def person_only(n: int) -> dict[str, int]:
    return row(n, 0, 0, 0, 0, 0, n)


# Read off the published PDF (pages 2–4) by hand.
SAMPLE_TABLE3 = {
    "一、本年新收政府信息公开申请数量": person_only(21),
    "二、上年结转政府信息公开申请数量": person_only(0),
    "（一）予以公开": person_only(0),
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": person_only(4),
    "（三）不予公开/1.属于国家秘密": person_only(1),
    "（三）不予公开/2.其他法律行政法规禁止公开": person_only(0),
    "（三）不予公开/3.危及“三安全一稳定”": person_only(0),
    "（三）不予公开/4.保护第三方合法权益": person_only(0),
    "（三）不予公开/5.属于三类内部事务信息": person_only(0),
    "（三）不予公开/6.属于四类过程性信息": person_only(1),
    "（三）不予公开/7.属于行政执法案卷": person_only(1),
    "（三）不予公开/8.属于行政查询事项": person_only(0),
    "（四）无法提供/1.本机关不掌握相关政府信息": person_only(10),
    "（四）无法提供/2.没有现成信息需要另行制作": person_only(3),
    "（四）无法提供/3.补正后申请内容仍不明确": person_only(0),
    "（五）不予处理/1.信访举报投诉类申请": person_only(1),
    "（五）不予处理/2.重复申请": person_only(0),
    "（五）不予处理/3.要求提供公开出版物": person_only(0),
    "（五）不予处理/4.无正当理由大量反复申请": person_only(0),
    "（五）不予处理/5.要求行政机关确认或重新出具已获取信息": person_only(0),
    "（六）其他处理": person_only(0),
    "（七）总计": person_only(21),
    "四、结转下年度继续办理": person_only(0),
}
SAMPLE_TABLE2 = {
    "规章": {"本年制发件数": 0, "本年废止件数": 0, "现行有效件数": 0},
    "行政规范性文件": {"本年制发件数": 0, "本年废止件数": 5, "现行有效件数": 5},
    "行政许可": {"本年处理决定数量": 550},
    "行政处罚": {"本年处理决定数量": 4119},
    "行政强制": {"本年处理决定数量": 195},
    "行政事业性收费": {"本年收费金额（单位：万元）": 7730.28},
}
SAMPLE_TABLE4 = {
    "行政复议": {"结果维持": 10, "结果纠正": 1, "其他结果": 0, "尚未审结": 0, "总计": 0},
    "行政诉讼/未经复议直接起诉": {"结果维持": 0, "结果纠正": 0, "其他结果": 0, "尚未审结": 0, "总计": 0},
    "行政诉讼/复议后起诉": {"结果维持": 5, "结果纠正": 0, "其他结果": 0, "尚未审结": 0, "总计": 0},
}


def rules(findings: list[dict]) -> list[str]:
    return sorted(f["rule"] for f in findings)


def test_sample_report_tables_and_its_real_deviations() -> None:
    [result] = check_files([SAMPLE])
    assert result["organisation"] == "洪泽区人民政府"
    assert result["year"] == 2023
    assert result["table2"] == SAMPLE_TABLE2
    assert result["table3"] == SAMPLE_TABLE3
    assert list(result["table3"]) == list(SAMPLE_TABLE3)  # national order, 2019-style （六） in its place
    assert result["table4"] == SAMPLE_TABLE4
    # The report's real deviations from the 2021 format, and nothing else.
    assert rules(result["findings"]) == sorted(
        [Rule.RENAMED_ROW, Rule.LEGACY_OTHER_ROW, Rule.TABLE4_TOTAL, Rule.TABLE4_TOTAL]
    )
    by_rule = {f["rule"]: f for f in result["findings"]}
    assert by_rule[Rule.RENAMED_ROW]["numbers"] == {
        "row": "（三）不予公开/2.其他法律行政法规禁止公开",
        "printed": "2.其他法律行政止公开",
    }
    totals = [f["numbers"] for f in result["findings"] if f["rule"] == Rule.TABLE4_TOTAL]
    assert totals == [
        {"group": "行政复议", "total": 0, "sum": 11},
        {"group": "行政诉讼/复议后起诉", "total": 0, "sum": 5},
    ]
    # The text's 受理…21件 agrees with the table, and the table's cross-footing holds.
    assert Rule.TEXT_MISMATCH not in rules(result["findings"])
    assert Rule.CROSS_FOOTING not in rules(result["findings"])


def test_layout_mode_text_of_the_same_pdf_gives_the_same_tables() -> None:
    """pypdf's layout mode interleaves the vertical merged cell and prints group labels mid-group."""
    from pypdf import PdfReader

    pages = [p.extract_text(extraction_mode="layout") for p in PdfReader(str(SAMPLE)).pages]
    result = parse_report(pages)
    assert result["table2"] == SAMPLE_TABLE2
    assert result["table3"] == SAMPLE_TABLE3
    assert result["table4"] == SAMPLE_TABLE4
    assert rules(result["findings"]) == sorted(
        [Rule.RENAMED_ROW, Rule.LEGACY_OTHER_ROW, Rule.TABLE4_TOTAL, Rule.TABLE4_TOTAL]
    )


def test_handmade_report_with_cross_footing_error_is_refused_with_the_rule_named() -> None:
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("report", "check", str(HANDMADE), "--json", stdout=out)
    assert exit_info.value.code == 1
    [result] = json.loads(out.getvalue())
    assert result["table3"]["二、上年结转政府信息公开申请数量"] == person_only(1)
    crossing = [f for f in result["findings"] if f["rule"] == Rule.CROSS_FOOTING]
    assert [f["numbers"]["column"] for f in crossing] == ["自然人", "总计"]
    assert crossing[0]["rule_name"] == "表三勾稽关系：一+二=三（七）总计+四"
    assert crossing[0]["numbers"] == {
        "column": "自然人",
        "new": 21,
        "carried_in": 1,
        "results_total": 21,
        "carried_out": 0,
    }


def _table3_text(rows: list[str]) -> str:
    return "\n".join(rows)


def _page(header: str, body: str, number: int) -> str:
    return f"{header}\n{body}\n- {number} -"


def test_layout_variations_broken_labels_page_break_spaced_numbers() -> None:
    page1 = "\n".join(
        [
            "某某区民政局",
            "2024年政府信息公开工作年度报告",
            "一、总体情况",
            "2024年，本局共收到政府信息公开申请12件，上年结转1件。",
            "二、主动公开政府信息情况",
            "第二十条第（一）项",
            "信息内容 本年制发件数 本年废止件数 现行有效件数",
            "规章 0 0 0",
            "行政规范 性文件 2 1 13",  # label broken by a space
            "第二十条第（五）项",
            "信息内容 本年处理决定数量",
            "行政许可 1,204",
            "三、收到和处理政府信息公开申请情况",
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            "申请人情况 自然人 法人或其他组织 总计 商业企业 科研机构 社会公益组织 法律服务机构 其他",
            "一、本年新收政府信息公开",
            "申请数量 1 0 2 0 0 0 0 1 2",  # label over two lines; 10 and 12 spaced as "1 0", "1 2"
            "二、上年结转政府信息公开申请数量 1 0 0 0 0 0 1",
            "三",
            "、",
            "本",
            "年",
            "（一）予以公开 5 1 0 0 0 0 6",
            "（二）部分公开（区分处理的，只计这一情形，不",
            "计其他情形） 2 0 0 0 0 0 2",
            "（三）不予公开",
            "1.属于国家秘密 0 0 0 0 0 0 0",
            "2.其他法律行政法规禁止公开 0 0 0 0 0 0 0",
            "3.危及“三安全一稳定” 0 0 0 0 0 0 0",
            "4.保护第三方合法权益 1 0 0 0 0 0 1",
        ]
    )
    page2 = "\n".join(
        [
            # the table's header repeated after the page break
            "申请人情况 自然人 法人或其他组织 总计",
            "5.属于三类内部事务信息 0 0 0 0 0 0 0",
            "6.属于四类过程性信息 0 0 0 0 0 0 0",
            "7.属于行政执法案卷 0 0 0 0 0 0 0",
            "8.属于行政查询事项 0 0 0 0 0 0 0",
            "（四）无法提供 1.本机关不掌握相关政府信息 1 0 0 0 0 0 1",
            "2.没有现成信息需要另行制作 0 0 0 0 0 0 0",
            "3.补正后申请内容仍不明确 0 0 0 0 0 0 0",
            "（五）不予处理",
            "1.信访举报投诉类申请 0 0 0 0 0 0 0",
            "2.重复申请 0 0 0 0 0 0 0",
            "3.要求提供公开出版物 0 0 0 0 0 0 0",
            "4.无正当理由大量反复申请 0 0 0 0 0 0 0",
            "5.要求行政机关确认或重新出具0 0 0 0 0 0 0",  # number glued to the label
            "已获取信息",
            "（六）其他处理",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0",
            "3.其他 1 0 0 0 0 0 1",
            "（七）总计 10 1 0 0 0 0 11",
            "四、结转下年度继续办理 1 1 0 0 0 0 2",
            "四、政府信息公开行政复议、行政诉讼情况",
            "行政复议 行政诉讼",
            "结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉",
            "1 0 0 1 2 0 0 0 0 0 0 0 0 0 0",
            "五、存在的主要问题及改进情况",
            "无。",
        ]
    )
    result = parse_report([_page("", page1, 1), _page("", page2, 2)])
    assert result["organisation"] == "某某区民政局" and result["year"] == 2024
    t3 = result["table3"]
    assert t3["一、本年新收政府信息公开申请数量"] == row(10, 2, 0, 0, 0, 0, 12)
    assert t3["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] == person_only(2)
    assert t3["（三）不予公开/4.保护第三方合法权益"] == person_only(1)
    assert t3["（四）无法提供/1.本机关不掌握相关政府信息"] == person_only(1)
    assert t3["（五）不予处理/5.要求行政机关确认或重新出具已获取信息"] == person_only(0)
    assert t3["（六）其他处理/3.其他"] == person_only(1)
    assert list(t3) == TABLE3_ROW_KEYS
    assert result["table2"]["行政许可"] == {"本年处理决定数量": 1204}
    assert result["table4"]["行政复议"] == {
        "结果维持": 1,
        "结果纠正": 0,
        "其他结果": 0,
        "尚未审结": 1,
        "总计": 2,
    }
    assert result["table2"]["行政规范性文件"] == {"本年制发件数": 2, "本年废止件数": 1, "现行有效件数": 13}
    # The text says 12 received and 1 carried in, as the table does; everything adds up. Only the
    # Table 二 rows this example leaves out are reported.
    assert [(f["rule"], f["numbers"]["row"]) for f in result["findings"]] == [
        (Rule.MISSING_ROW, "行政处罚"),
        (Rule.MISSING_ROW, "行政强制"),
        (Rule.MISSING_ROW, "行政事业性收费"),
    ]


def test_text_figure_contradicting_the_table_is_reported() -> None:
    pages = [
        "\n".join(
            [
                "某某街道办事处2024年政府信息公开工作年度报告",
                "一、总体情况",
                "全年共受理政府信息公开申请三十件。",
                "三、收到和处理政府信息公开申请情况",
                "一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3",
                "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0",
                "（一）予以公开 3 0 0 0 0 0 3",
                "（七）总计 3 0 0 0 0 0 3",
                "四、结转下年度继续办理 0 0 0 0 0 0 0",
                "四、政府信息公开行政复议、行政诉讼情况",
                "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
                "五、存在的主要问题及改进情况",
            ]
        )
    ]
    result = parse_report(pages)
    mismatch = [f for f in result["findings"] if f["rule"] == Rule.TEXT_MISMATCH]
    assert mismatch and mismatch[0]["numbers"]["text_value"] == 30
    assert mismatch[0]["numbers"]["table_value"] == 3
    missing = {f["numbers"]["row"] for f in result["findings"] if f["rule"] == Rule.MISSING_ROW}
    assert "（三）不予公开/1.属于国家秘密" in missing


def test_year_over_year_carry_over_mismatch(tmp_path: Path) -> None:
    def report(year: int, carried_in: int, carried_out: int) -> Path:
        table3 = {key: person_only(0) for key in TABLE3_ROW_KEYS}
        table3["一、本年新收政府信息公开申请数量"] = person_only(5)
        table3["二、上年结转政府信息公开申请数量"] = person_only(carried_in)
        table3["（一）予以公开"] = person_only(5 + carried_in - carried_out)
        table3["（七）总计"] = person_only(5 + carried_in - carried_out)
        table3["四、结转下年度继续办理"] = person_only(carried_out)
        path = tmp_path / f"r{year}.json"
        path.write_text(
            json.dumps({"organisation": "某某局", "year": year, "table2": SAMPLE_TABLE2, "table3": table3,
                        "table4": {g: dict.fromkeys(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"], 0) for g in SAMPLE_TABLE4}},
                       ensure_ascii=False),
            encoding="utf-8",
        )  # fmt: skip
        return path

    first, second = report(2023, 0, 2), report(2024, 1, 0)
    results = check_files([second, first])
    assert results[0]["findings"] and results[0]["findings"][0]["rule"] == Rule.CARRY_OVER
    assert {f["numbers"]["column"] for f in results[0]["findings"]} == {"自然人", "总计"}
    assert results[1]["findings"] == []
    # Consistent consecutive years produce no finding.
    assert all(r["findings"] == [] for r in check_files([report(2023, 0, 1), report(2024, 1, 0)]))


def test_pdf_pages_reads_every_page() -> None:
    pages = pdf_pages(SAMPLE)
    assert len(pages) == 5
    assert "三、收到和处理政府信息公开申请情况" in pages[2]
