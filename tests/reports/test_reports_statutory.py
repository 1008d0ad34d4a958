"""Issue 22, annual report: Table 二's manual repeals as of each 31 December, appeals decided in a later
year than filed, and `report annual` running the publishing checks for a year without a saved report."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from gongkai.documents import services as doc_services
from gongkai.documents.constants import Validity
from gongkai.foi.constants import Channel, RequestStatus
from gongkai.foi.models import FOIAppeal, FOIRequest
from gongkai.reports import render
from gongkai.reports.constants import ReportStatus, Rule
from gongkai.reports.models import AnnualReport
from gongkai.reports.selectors import build_report_data, report_with_sections
from gongkai.reports.textcheck import check_text

D = dt.date
_serial = itertools.count(1000)


def normative(t2: dict) -> dict:
    return t2["行政规范性文件"]


# --- (3) Table 二: a document marked 已废止 by hand (条例 Art. 20; the 2021 format) --------------------


def test_manual_repeal_counts_in_its_year_and_stays_in_force_before(office, make_document, editor) -> None:
    old = make_document(
        "关于印发戊办法的通知", is_normative=True, written_date="2021-03-01", published_date="2021-03-05"
    )
    make_document(
        "关于印发己办法的通知", is_normative=True, written_date="2022-06-01", published_date="2022-06-02"
    )
    before_2023 = normative(build_report_data(office, 2023)["table2"])
    assert before_2023 == {"本年制发件数": 0, "本年废止件数": 0, "现行有效件数": 2}

    with pytest.raises(ValidationError) as missing:  # a manual repeal needs its date
        doc_services.set_validity(old, actor=editor, validity=Validity.REPEALED)
    assert "validity_date" in missing.value.message_dict
    with pytest.raises(ValidationError) as early:
        doc_services.set_validity(old, actor=editor, validity=Validity.REPEALED, validity_date="2020-12-31")
    assert "成文日期" in early.value.message_dict["validity_date"][0]
    old.refresh_from_db()
    assert old.validity_override == "" and old.validity_override_date is None

    old = doc_services.set_validity(old, actor=editor, validity=Validity.REPEALED, validity_date="2024-05-10")
    assert old.validity == Validity.REPEALED and old.validity_override_date == D(2024, 5, 10)
    # counted in 2024's 本年废止件数, no longer in force at the end of 2024 …
    assert normative(build_report_data(office, 2024)["table2"]) == {
        "本年制发件数": 0, "本年废止件数": 1, "现行有效件数": 1,
    }  # fmt: skip
    # … and still in force in every earlier year, so a published past report stays true
    assert normative(build_report_data(office, 2023)["table2"]) == before_2023
    assert normative(build_report_data(office, 2021)["table2"]) == {
        "本年制发件数": 1, "本年废止件数": 0, "现行有效件数": 1,
    }  # fmt: skip
    # back to the computed validity: the date goes too
    old = doc_services.set_validity(old, actor=editor, validity="")
    assert old.validity_override_date is None
    assert normative(build_report_data(office, 2024)["table2"])["现行有效件数"] == 2


# --- decide and document: an appeal filed in one year and decided in the next -----------------------


def make_request(org, received: D) -> FOIRequest:
    n = next(_serial)
    return FOIRequest.objects.create(
        organisation=org, number=f"S{n}", year=received.year, serial=n, access_code_hash="x",
        channel=Channel.IN_PERSON, received_date=received, applicant_kind="person", applicant_name="申请人",
        description="申请公开某项信息", outcome="disclosed", decided_date=received + dt.timedelta(days=5),
        status=RequestStatus.REPLIED,
    )  # fmt: skip


def test_appeal_decided_the_year_after_it_was_filed_is_reported_in_both_years(office) -> None:
    request = make_request(office, D(2024, 9, 2))
    for kind, result, filed, decided in [
        ("reconsideration", "upheld", D(2024, 11, 1), D(2025, 2, 1)),  # filed 2024, decided 2025
        ("litigation_direct", "corrected", D(2024, 12, 20), D(2025, 6, 30)),  # filed 2024, decided 2025
        ("reconsideration", "other", D(2025, 3, 1), D(2025, 4, 1)),  # filed and decided in 2025
    ]:
        FOIAppeal.objects.create(
            request=request,
            organisation=office,
            kind=kind,
            result=result,
            filed_date=filed,
            decided_date=decided,
        )
    report_2024 = AnnualReport(organisation=office, year=2024)
    data, paragraphs = report_with_sections(report_2024)
    # Table 四 counts a case in the year it was filed, with its state on 31 December …
    assert data["table4"]["行政复议"] == {
        "结果维持": 0,
        "结果纠正": 0,
        "其他结果": 0,
        "尚未审结": 1,
        "总计": 1,
    }
    section_4 = paragraphs["四、政府信息公开行政复议、行政诉讼情况"]
    assert section_4 == ["上表“尚未审结”的2件案件，其审结结果在审结年度的报告中说明。"]

    # … and the year of the decision reports the result in its text, outside its table
    data, paragraphs = report_with_sections(AnnualReport(organisation=office, year=2025))
    assert data["table4"]["行政复议"] == {
        "结果维持": 0,
        "结果纠正": 0,
        "其他结果": 1,
        "尚未审结": 0,
        "总计": 1,
    }
    assert data["table4"]["行政诉讼/未经复议直接起诉"]["总计"] == 0
    assert paragraphs["四、政府信息公开行政复议、行政诉讼情况"] == [
        "以前年度收到、本年度审结的案件2件（不计入上表）：行政复议结果维持1件；行政诉讼（未经复议直接起诉）结果纠正1件。"
    ]
    # the generated text never contradicts the table (the same 年报核查 rule applies to it)
    prose = "\n".join(p for part in paragraphs.values() for p in part)
    assert check_text(prose, data) == []
    assert "以前年度收到、本年度审结的案件2件" in render.to_html(data, paragraphs)


# --- decide and document: `report annual` for a year without a saved report --------------------------


def test_report_annual_without_a_saved_report_runs_the_publish_checks(office) -> None:
    make_request(office, D(2025, 3, 3))
    previous = build_report_data(office, 2024)
    previous["table3"]["四、结转下年度继续办理"]["自然人"] = 2
    previous["table3"]["四、结转下年度继续办理"]["总计"] = 2
    AnnualReport.objects.create(
        organisation=office, year=2024, status=ReportStatus.PUBLISHED,
        data={k: previous[k] for k in ("table2", "table3", "table4")},
    )  # fmt: skip
    assert not AnnualReport.objects.filter(year=2025).exists()
    out = io.StringIO()
    call_command("report", "annual", "--year", "2025", "--organisation", office.code, "--json", stdout=out)
    findings = json.loads(out.getvalue())["findings"]
    assert [f["rule"] for f in findings] == [Rule.CARRY_OVER, Rule.CARRY_OVER]  # 自然人 and 总计
    assert "2024年“四、结转下年度继续办理”“自然人”为2" in findings[0]["detail"]
    assert not AnnualReport.objects.filter(year=2025).exists()  # looking changes nothing
