"""年报核查 on the layouts real reports have: no finding on a clean report, every real deviation found.

A finding on a clean report accuses a government body of a deviation it did not make. The reports
here are the real 洪泽区 2023 report (`../shared/data/annual-reports`), drawn as PDFs by
`report_layouts` the way word processors lay such reports out: labels wrapped inside cells, merged
header and label cells, a page break inside any row label with the page number, a running header
and the repeated header rows between its two parts.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import report_layouts as rl
import report_samples as rs
from gongkai.reports.constants import Rule
from gongkai.reports.pdfcheck import check_files, parse_report, pdf_pages
from gongkai.reports.rules import check_report
from paths import FIXTURES, SHARED_DATA

SHARED = Path(os.environ.get("GONGKAI_SHARED_DATA", SHARED_DATA))
REAL = SHARED / "annual-reports"
FIXTURE = FIXTURES / "reports" / "hongze_district_2023_zfxxgk_annual_report.pdf"
REAL_DEVIATIONS = sorted(
    [
        (Rule.RENAMED_ROW.value, "（三）不予公开/2.其他法律行政法规禁止公开"),
        (Rule.LEGACY_OTHER_ROW.value, "（六）其他处理"),
        (Rule.TABLE4_TOTAL.value, "行政复议"),
        (Rule.TABLE4_TOTAL.value, "行政诉讼/复议后起诉"),
    ]
)


def check(report: rs.Report, layout: rl.Layout, tmp_path: Path) -> dict:
    [result] = check_files([rl.render(report, layout, tmp_path / "report.pdf")])
    return result


def signatures(result: dict) -> list[tuple[str, str]]:
    return sorted(rs.signature(f) for f in result["findings"])


def assert_read_exactly(result: dict, report: rs.Report) -> None:
    data = report.json()
    assert (result["table2"], result["table3"], result["table4"]) == (
        data["table2"],
        data["table3"],
        data["table4"],
    )


def real_reports() -> list[Path]:
    found = sorted(REAL.glob("*.pdf")) if REAL.is_dir() else []
    return found or [FIXTURE]


@pytest.mark.parametrize("path", real_reports(), ids=lambda p: p.name)
def test_the_real_report_gives_its_four_real_deviations_and_nothing_else(path: Path) -> None:
    [result] = check_files([path])
    assert signatures(result) == REAL_DEVIATIONS
    renamed = next(f for f in result["findings"] if f["rule"] == Rule.RENAMED_ROW)
    assert renamed["numbers"]["printed"] == "2.其他法律行政止公开"


def test_the_layouts_reproduce_the_real_report() -> None:
    """The generated published report is the real one: the same findings, read the same way."""
    assert rs.expected(rs.as_published()) == REAL_DEVIATIONS
    assert rs.expected(rs.clean()) == []


@pytest.mark.parametrize("layout", rl.BASE_LAYOUTS, ids=lambda layout: layout.name)
def test_clean_report_in_each_layout_has_no_finding(layout: rl.Layout, tmp_path: Path) -> None:
    report = rs.clean()
    result = check(report, layout, tmp_path)
    assert result["findings"] == []
    assert_read_exactly(result, report)


def _break_variant(index: int, key: str) -> rl.Layout:
    """Every label gets one page break; the layouts and the break points take turns."""
    points = rl.break_points(key)
    return rl.BASE_LAYOUTS[index % len(rl.BASE_LAYOUTS)].breaking(key, points[index % len(points)])


@pytest.mark.parametrize("index,key", list(enumerate(rl.label_keys())), ids=lambda v: str(v))
def test_page_break_inside_any_row_label_gives_no_finding(index: int, key: str, tmp_path: Path) -> None:
    report = rs.clean()
    result = check(report, _break_variant(index, key), tmp_path)
    assert result["findings"] == []
    assert_read_exactly(result, report)


def test_issue_example_label_broken_at_the_foot_of_a_page(tmp_path: Path) -> None:
    """“（三）不予公开” and “3.危及“三安” at the foot of a page, “全一稳定”” at the top of the next,
    after the page number and the repeated header rows."""
    key = "（三）不予公开/3.危及“三安全一稳定”"
    layout = rl.Layout("national grid, cells aligned at the top", valign="top").breaking(
        key, len("3.危及“三安")
    )
    path = rl.render(rs.clean(), layout, tmp_path / "report.pdf")
    pages = pdf_pages(path)
    foot = next(i for i, page in enumerate(pages) if page.rstrip().endswith("3.危及“三安 0 0 0 0 0 0 0"))
    assert "（三）不予公开" in pages[foot].replace("\n", "")  # wrapped in its merged cell
    top = pages[foot + 1].splitlines()
    assert top[0] == f"- {foot + 2} -" and "申请人情况" in top and "全一稳定”" in top
    result = parse_report(pages)
    assert result["findings"] == []
    assert result["table3"][key] == rs.clean().table3[key]


@pytest.mark.parametrize(
    "layout",
    [
        *rl.BASE_LAYOUTS,
        rl.BASE_LAYOUTS[0].breaking("（三）不予公开/2.其他法律行政法规禁止公开", len("2.其他法律行")),
        rl.BASE_LAYOUTS[2].breaking("（六）其他处理", 3),
        rl.BASE_LAYOUTS[1].breaking("（三）不予公开", 3),
    ],
    ids=lambda layout: layout.name,
)
def test_published_report_in_each_layout_gives_the_real_deviations(layout: rl.Layout, tmp_path: Path) -> None:
    report = rs.as_published()
    result = check(report, layout, tmp_path)
    assert signatures(result) == REAL_DEVIATIONS
    renamed = next(f for f in result["findings"] if f["rule"] == Rule.RENAMED_ROW)
    assert renamed["numbers"]["printed"] == "2.其他法律行政止公开"
    totals = [f["numbers"] for f in result["findings"] if f["rule"] == Rule.TABLE4_TOTAL]
    assert totals == [
        {"group": "行政复议", "total": 0, "sum": 11},
        {"group": "行政诉讼/复议后起诉", "total": 0, "sum": 5},
    ]


@pytest.mark.parametrize("index,plant", list(enumerate(rs.PLANTS)), ids=lambda v: str(v))
def test_planted_deviation_is_found_and_nothing_else(index: int, plant: str, tmp_path: Path) -> None:
    report = rs.planted(plant)
    keys = rl.label_keys()
    layout = _break_variant(index * 5, keys[(index * 5) % len(keys)])
    result = check(report, layout, tmp_path)
    assert signatures(result) == rs.expected(report) != []


@pytest.mark.parametrize("layout", rl.BASE_LAYOUTS, ids=lambda layout: layout.name)
def test_wrong_sum_gives_exactly_the_findings_of_the_figures(layout: rl.Layout, tmp_path: Path) -> None:
    """The same report with one wrong 总计: the PDF's findings are those of its figures, word for word."""
    report = rs.planted("row total")
    result = check(report, layout, tmp_path)
    assert result["findings"] == check_report(report.json())
    assert [f["rule"] for f in result["findings"]] == [Rule.ROW_TOTAL, Rule.RESULTS_TOTAL]
    assert result["findings"][0]["numbers"] == {
        "row": "（四）无法提供/2.没有现成信息需要另行制作",
        "total": 4,
        "sum": 3,
    }


# ---------------------------------------------------------------------------------------------
# Page furniture and repeated headers, on text


def test_a_row_of_figures_ending_two_pages_is_not_taken_for_a_running_footer() -> None:
    """Figures printed on their own line (the label wrapped beside them) may end two pages."""
    zeros = "0 0 0 0 0 0 0"
    pages = [
        "某某局2024年政府信息公开工作年度报告\n一、总体情况\n全年收到申请1件。",
        "\n".join(
            [
                "三、收到和处理政府信息公开申请情况",
                "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1",
                "二、上年结转政府信息公开申请数量",
                zeros,
            ]
        ),
        "\n".join(
            ["（一）予以公开 1 0 0 0 0 0 1", "（七）总计 1 0 0 0 0 0 1", "四、结转下年度继续办理", zeros]
        ),
        "\n".join(
            ["四、政府信息公开行政复议、行政诉讼情况", " ".join(["0"] * 15), "五、存在的主要问题及改进情况"]
        ),
    ]
    result = parse_report(pages)
    assert result["table3"]["二、上年结转政府信息公开申请数量"]["总计"] == 0
    assert result["table3"]["四、结转下年度继续办理"]["总计"] == 0
    assert not [f for f in result["findings"] if f["rule"] in {Rule.UNREADABLE, Rule.CROSS_FOOTING}]


def test_bare_page_numbers_that_skip_the_cover_are_page_numbers() -> None:
    body = ["（一）予以公开 2 0 0 0 0 0 2", "（七）总计 2 0 0 0 0 0 2"]
    pages = [
        "某某局2024年政府信息公开工作年度报告\n一、总体情况\n全年收到申请2件。",
        "1\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 2 0 0 0 0 0 2",
        "2\n二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n" + "\n".join(body),
        "3\n四、结转下年度继续办理 0 0 0 0 0 0 0\n四、政府信息公开行政复议、行政诉讼情况\n"
        + " ".join(["0"] * 15),
    ]
    result = parse_report(pages)
    assert result["table3"]["（七）总计"]["总计"] == 2
    assert result["table3"]["二、上年结转政府信息公开申请数量"]["总计"] == 0
    assert not [f for f in result["findings"] if f["rule"] in {Rule.UNREADABLE, Rule.CROSS_FOOTING}]


def test_a_label_rest_that_looks_like_the_header_s_last_cell_is_kept() -> None:
    """“3.” at the foot of a page and “其他” at the top of the next: “其他” is also the header's last
    cell, but a single line is not a repeated header."""
    header = [
        "申请人情况",
        "自然人",
        "法人或其他组织",
        "总计",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    first = ["三、收到和处理政府信息公开申请情况", *header, "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1"]
    rows = [
        "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0",
    ]
    rows += [
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0",
        "3. 1 0 0 0 0 0 1",
    ]
    rest = [
        "其他",
        "（七）总计 1 0 0 0 0 0 1",
        "四、结转下年度继续办理 0 0 0 0 0 0 0",
        "四、政府信息公开行政复议、行政诉讼情况",
        " ".join(["0"] * 15),
    ]
    result = parse_report(["\n".join(first + rows), "\n".join(rest)])
    assert result["table3"]["（六）其他处理/3.其他"]["总计"] == 1
    assert not [f for f in result["findings"] if f["rule"] == Rule.RENAMED_ROW]


@pytest.mark.parametrize("layout", rl.BASE_LAYOUTS, ids=lambda layout: layout.name)
def test_text_in_position_order_reads_the_same(layout: rl.Layout, tmp_path: Path) -> None:
    """pypdf's layout mode puts merged cells' text beside the rows it lies next to, as producers that
    draw by position do: no finding on the clean report, the real deviations on the published one."""
    from pypdf import PdfReader

    for report, wanted in ((rs.clean(), []), (rs.as_published(), REAL_DEVIATIONS)):
        path = rl.render(report, layout, tmp_path / "report.pdf")
        pages = [page.extract_text(extraction_mode="layout") for page in PdfReader(str(path)).pages]
        assert signatures(parse_report(pages)) == wanted
