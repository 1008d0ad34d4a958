"""The annual report generated from the platform's own data, its publishing gate and its outputs."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document as Docx
from openpyxl import load_workbook

from gongkai.accounts.constants import OrganisationKind, Role
from gongkai.core.models import Event
from gongkai.documents import services as doc_services
from gongkai.documents.constants import DocType, RelationType
from gongkai.foi.constants import OUTCOME_REPORT_ROW, Channel, Outcome, RequestStatus
from gongkai.foi.models import FOIAppeal, FOIRequest
from gongkai.reports import render, services
from gongkai.reports.constants import TABLE3_ROW_KEYS, ReportScope, ReportStatus, Rule
from gongkai.reports.rules import check_report
from gongkai.reports.selectors import build_report_data, report_with_sections

_serial = itertools.count(1)
D = dt.date


def make_request(org, received, kind="person", outcome="", decided=None, fee_paid=None):
    n = next(_serial)
    return FOIRequest.objects.create(
        organisation=org, number=f"T{n}", year=received.year, serial=n, access_code_hash="x",
        channel=Channel.IN_PERSON, received_date=received, applicant_kind=kind, applicant_name="申请人",
        description="申请公开某项信息", outcome=outcome, decided_date=decided,
        status=RequestStatus.REPLIED if decided else RequestStatus.RECEIVED,
        fee_paid_amount=fee_paid or Decimal(0), fee_paid_date=decided if fee_paid else None,
    )  # fmt: skip


@pytest.fixture
def approver(make_user, office):
    return make_user("approver", office, Role.EDITOR, Role.APPROVER)


@pytest.fixture
def year_2024(office):
    """A year of requests for the office: carried in, new, decided in every kind of row, carried out."""
    make_request(office, D(2023, 12, 20))  # open on 31 Dec 2023, still open: 二 and 四
    make_request(office, D(2023, 12, 28), "commercial", Outcome.DISCLOSED, D(2024, 1, 10))  # 二, （一）
    make_request(office, D(2023, 5, 1), "person", Outcome.REPEAT, D(2023, 6, 1))  # closed before: nowhere
    make_request(office, D(2024, 2, 1), "person", Outcome.PARTIAL, D(2024, 2, 20), fee_paid=Decimal("100"))
    make_request(office, D(2024, 3, 1), "research", Outcome.WITHHELD_STATE_SECRET, D(2024, 3, 20))
    make_request(office, D(2024, 3, 2), "social_welfare", Outcome.NOT_THIS_ORGAN, D(2024, 3, 21))
    make_request(office, D(2024, 3, 3), "legal_services", Outcome.NOT_EXIST, D(2024, 3, 22))
    make_request(office, D(2024, 4, 1), "other_org", Outcome.FEE_UNPAID, D(2024, 5, 30))
    make_request(office, D(2024, 6, 1), "person", Outcome.OTHER, D(2024, 6, 2))
    make_request(office, D(2024, 12, 30), "person", Outcome.PETITION, D(2025, 1, 5))  # 四 (decided next year)
    make_request(office, D(2025, 1, 3), "person")  # next year: nowhere
    decided = make_request(office, D(2024, 7, 1), "person", Outcome.WITHHELD_PROCESS, D(2024, 7, 10))
    for kind, result, filed, done in [
        ("reconsideration", "upheld", D(2024, 8, 1), D(2024, 10, 1)),
        ("reconsideration", "corrected", D(2024, 8, 2), D(2025, 2, 1)),  # pending on 31 Dec
        ("litigation_direct", "other", D(2024, 9, 1), D(2024, 11, 1)),
        ("litigation_after_reconsideration", "pending", D(2024, 12, 1), None),
        ("reconsideration", "upheld", D(2023, 8, 1), D(2023, 9, 1)),  # last year
    ]:
        FOIAppeal.objects.create(
            request=decided,
            organisation=office,
            kind=kind,
            result=result,
            filed_date=filed,
            decided_date=done,
        )
    return office


def t3_row(**cols: int) -> dict[str, int]:
    names = {"person": "自然人", "commercial": "商业企业", "research": "科研机构", "social_welfare": "社会公益组织",
             "legal_services": "法律服务机构", "other_org": "其他"}  # fmt: skip
    row = dict.fromkeys([*names.values(), "总计"], 0)
    for kind, n in cols.items():
        row[names[kind]] += n
        row["总计"] += n
    return row


def test_table3_and_table4_from_requests(year_2024) -> None:
    data = build_report_data(year_2024, 2024)
    t3 = data["table3"]
    assert list(t3) == TABLE3_ROW_KEYS
    assert t3["一、本年新收政府信息公开申请数量"] == t3_row(
        person=4, research=1, social_welfare=1, legal_services=1, other_org=1
    )
    assert t3["二、上年结转政府信息公开申请数量"] == t3_row(person=1, commercial=1)
    assert t3["（一）予以公开"] == t3_row(commercial=1)
    assert t3["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] == t3_row(person=1)
    assert t3["（三）不予公开/1.属于国家秘密"] == t3_row(research=1)
    assert t3["（三）不予公开/6.属于四类过程性信息"] == t3_row(person=1)
    # 条例 Art. 36 (4) and (5) both count under （四）1.
    assert t3["（四）无法提供/1.本机关不掌握相关政府信息"] == t3_row(social_welfare=1, legal_services=1)
    assert t3[OUTCOME_REPORT_ROW[Outcome.FEE_UNPAID]] == t3_row(other_org=1)
    assert t3["（六）其他处理/3.其他"] == t3_row(person=1)
    assert t3["（五）不予处理/2.重复申请"] == t3_row()
    assert t3["（七）总计"] == t3_row(
        person=3, commercial=1, research=1, social_welfare=1, legal_services=1, other_org=1
    )
    assert t3["四、结转下年度继续办理"] == t3_row(person=2)
    assert data["table4"] == {
        "行政复议": {"结果维持": 1, "结果纠正": 0, "其他结果": 0, "尚未审结": 1, "总计": 2},
        "行政诉讼/未经复议直接起诉": {"结果维持": 0, "结果纠正": 0, "其他结果": 1, "尚未审结": 0, "总计": 1},
        "行政诉讼/复议后起诉": {"结果维持": 0, "结果纠正": 0, "其他结果": 0, "尚未审结": 1, "总计": 1},
    }
    assert check_report(data) == []
    # Next year's 上年结转 is this year's 结转下年度.
    assert build_report_data(year_2024, 2025)["table3"]["二、上年结转政府信息公开申请数量"] == t3_row(
        person=2
    )


def test_table2_counts_documents_and_staff_figures(office, make_document, editor, reviewer) -> None:
    make_document(
        "关于印发甲办法的通知",
        is_normative=True,
        doc_type=DocType.NOTICE,
        written_date="2024-03-01",
        published_date="2024-03-05",
    )
    old = make_document(
        "关于印发乙办法的通知", is_normative=True, written_date="2021-01-01", published_date="2021-01-05"
    )
    make_document(
        "关于印发丙办法的通知",
        is_normative=True,
        written_date="2020-01-01",
        published_date="2020-01-05",
        expiry_date="2024-06-30",
    )
    make_document(
        "关于印发丁办法的通知", is_normative=True, written_date="2022-01-01", published_date="2022-01-05"
    )
    repealer = make_document(
        "关于废止乙办法的决定",
        publish=False,
        is_normative=True,
        tags=["public-bodies", "theme-0203"],
        interpretation_required=False,
        interpretation_waiver_reason="废止决定，无需解读",
        written_date="2024-09-01",
        published_date="2024-09-01",
    )
    doc_services.add_relation(repealer, actor=editor, relation_type=RelationType.REPEALS, target=old)
    doc_services.publish_document(doc_services.submit_for_review(repealer, actor=editor), actor=reviewer)
    make_document("一般通知", written_date="2024-02-01", published_date="2024-02-01")
    services.save_figures(actor=editor, organisation=office, year=2024, licensing_decisions=550, penalty_decisions="4119",
                          enforcement_decisions=195, fees_amount="7730.28")  # fmt: skip
    t2 = build_report_data(office, 2024)["table2"]
    # 制发: 甲 and the 废止 decision; 废止: 乙 (repealed) and 丙 (expired); 现行有效: 甲, 丁, the decision.
    assert t2["行政规范性文件"] == {"本年制发件数": 2, "本年废止件数": 2, "现行有效件数": 3}
    assert t2["规章"] == {"本年制发件数": 0, "本年废止件数": 0, "现行有效件数": 0}
    assert t2["行政许可"] == {"本年处理决定数量": 550}
    assert t2["行政处罚"] == {"本年处理决定数量": 4119}
    assert t2["行政事业性收费"] == {"本年收费金额（单位：万元）": 7730.28}
    assert Event.objects.filter(verb="report.figures_saved").count() == 1


def test_figures_reject_bad_input_and_csv_is_all_or_nothing(office, other_org, editor) -> None:
    with pytest.raises(ValidationError) as err:
        services.save_figures(
            actor=editor, organisation=office, year=2024, licensing_decisions="-1", fees_amount="abc"
        )
    assert "licensing_decisions" in err.value.message_dict and "fees_amount" in err.value.message_dict
    assert "不能为负数" in err.value.message_dict["licensing_decisions"][0]
    csv_text = "机构代码,年度,行政许可,行政处罚,行政强制,行政事业性收费（万元）\n" \
               f"{office.code},2024,10,20,3,1.5\n{office.code},2023,x,0,0,0\n"  # fmt: skip
    with pytest.raises(ValidationError) as err:
        services.import_figures_csv(actor=editor, content=csv_text)
    assert "第3行" in err.value.messages[0] and "行政许可" in err.value.messages[0]
    assert not office.disclosure_figures.exists()
    # Another organisation's figures need that organisation's role.
    with pytest.raises(ValidationError) as err:
        services.import_figures_csv(
            actor=editor, content=f"organisation,year,licensing_decisions\n{other_org.code},2024,1\n"
        )
    assert "其他单位" in err.value.messages[0]
    saved = services.import_figures_csv(
        actor=editor, content=csv_text.replace("x,", "7,").encode("utf-8-sig")
    )
    assert [(f.year, f.licensing_decisions, f.fees_amount) for f in saved] == [
        (2024, 10, Decimal("1.5")),
        (2023, 7, 0),
    ]


def test_generated_report_publishes_and_appears_on_the_portal(client, year_2024, editor, approver) -> None:
    report = services.get_or_create_report(actor=editor, organisation=year_2024, year=2024)
    services.update_report(actor=editor, report=report, problems_text="依申请公开答复规范性有待提高。")
    assert client.get("/reports/").content.decode().count("2024年政府信息公开工作年度报告") == 0
    assert client.get(f"/reports/{year_2024.code}/2024/").status_code == 404  # drafts are not public
    with pytest.raises(PermissionDenied):
        services.publish_report(actor=editor, report=report)  # publishing needs the approver role
    report = services.publish_report(actor=approver, report=report)
    assert report.status == ReportStatus.PUBLISHED and report.findings == []
    assert report.data["table3"]["（七）总计"]["总计"] == 8
    assert report.processing_fee == Decimal("100")
    assert Event.objects.filter(verb="report.published", target_id=str(report.pk)).exists()
    page = client.get("/reports/").content.decode()
    assert "2024年度" in page and report.title in page
    detail = client.get(f"/reports/{year_2024.code}/2024/").content.decode()
    assert "（三）不予公开" in detail and "依申请公开答复规范性有待提高。" in detail
    assert "收取信息处理费100元" in detail
    # Published tables are frozen: later data does not change them.
    make_request(year_2024, D(2024, 5, 5), "person", Outcome.DISCLOSED, D(2024, 5, 6))
    frozen = json.loads(client.get(f"/reports/{year_2024.code}/2024/?format=json").content)
    assert frozen["table3"]["（七）总计"]["总计"] == 8
    with pytest.raises(ValidationError):
        services.update_report(actor=editor, report=report, other_text="改动")


def test_handmade_report_with_cross_footing_error_cannot_be_published(
    office, editor, approver, tmp_path
) -> None:
    data = json.loads(render.to_json(build_report_data(office, 2024)))
    data["table3"]["二、上年结转政府信息公开申请数量"]["自然人"] = 1
    data["table3"]["二、上年结转政府信息公开申请数量"]["总计"] = 1
    report = services.save_manual_report(actor=editor, organisation=office, year=2024, data=data)
    with pytest.raises(ValidationError) as err:
        services.publish_report(actor=approver, report=report)
    assert "表三勾稽关系：一+二=三（七）总计+四" in err.value.messages[0]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert {f["rule"] for f in report.findings} == {Rule.CROSS_FOOTING}
    assert Event.objects.filter(verb="report.publish_refused", target_id=str(report.pk)).exists()
    # The same through the command line, with the rule named.
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="勾稽关系"):
        call_command(
            "report",
            "publish",
            "--year",
            "2024",
            "--organisation",
            office.code,
            "--from-json",
            str(path),
            "--user",
            approver.username,
        )


def test_text_contradicting_the_tables_blocks_publication(year_2024, editor, approver) -> None:
    report = services.get_or_create_report(actor=editor, organisation=year_2024, year=2024)
    services.update_report(actor=editor, report=report, overview_text="全年共受理政府信息公开申请99件。")
    with pytest.raises(ValidationError, match="正文数字与表格不一致"):
        services.publish_report(actor=approver, report=report)


def test_district_report_aggregates_departments_and_streets(office, make_org, editor) -> None:
    office.kind = OrganisationKind.GOVERNMENT
    office.save()
    street = make_org("street-a", "某街道办事处", "某街", parent=office, kind=OrganisationKind.STREET)
    make_request(office, D(2024, 3, 1), "person", Outcome.DISCLOSED, D(2024, 3, 5))
    make_request(street, D(2024, 3, 1), "commercial", Outcome.DISCLOSED, D(2024, 3, 5))
    make_request(street, D(2024, 12, 1), "person")
    own = build_report_data(office, 2024, ReportScope.OWN)["table3"]
    district = build_report_data(office, 2024, ReportScope.AGGREGATE)["table3"]
    assert own["一、本年新收政府信息公开申请数量"]["总计"] == 1
    assert district["一、本年新收政府信息公开申请数量"] == t3_row(person=2, commercial=1)
    assert district["四、结转下年度继续办理"] == t3_row(person=1)
    assert check_report(build_report_data(office, 2024, ReportScope.AGGREGATE)) == []


def test_docx_has_a4_national_tables_with_merged_headers(year_2024, editor) -> None:
    report = services.get_or_create_report(actor=editor, organisation=year_2024, year=2024)
    data, paragraphs = report_with_sections(report)
    doc = Docx(io.BytesIO(render.to_docx(data, paragraphs)))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert len(doc.tables) == 3
    t2, t3, t4 = doc.tables
    assert t2.cell(0, 0).text == "第二十条第（一）项" and t2.cell(0, 0)._tc is t2.cell(0, 3)._tc
    # Table 三: the corner note spans 3×3, 申请人情况 spans the seven columns, 法人或其他组织 five.
    assert t3.cell(0, 0)._tc is t3.cell(2, 2)._tc
    assert "第一项加第二项之和" in t3.cell(0, 0).text
    assert t3.cell(0, 3).text == "申请人情况" and t3.cell(0, 3)._tc is t3.cell(0, 9)._tc
    assert t3.cell(1, 4).text == "法人或其他组织" and t3.cell(1, 4)._tc is t3.cell(1, 8)._tc
    assert [t3.cell(2, c).text for c in range(4, 9)] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    assert t3.cell(5, 0).text == "三、本年度办理结果" and t3.cell(5, 0)._tc is t3.cell(5 + 21, 0)._tc
    labels = [t3.cell(r, 2).text for r in range(3, len(t3.rows))]
    assert "2.其他法律行政法规禁止公开" in labels
    assert t3.cell(len(t3.rows) - 1, 0).text == "四、结转下年度继续办理"
    assert t3.cell(len(t3.rows) - 1, 9).text == "2"
    assert t4.cell(0, 0).text == "行政复议" and t4.cell(1, 5).text == "未经复议直接起诉"
    assert [t4.cell(3, c).text for c in range(5)] == ["1", "0", "0", "1", "2"]
    fonts = {r.element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
             for p in doc.paragraphs for r in p.runs}  # fmt: skip
    assert {"黑体", "仿宋_GB2312"} <= fonts
    texts = [p.text for p in doc.paragraphs]
    assert (
        texts.index("一、总体情况")
        < texts.index("五、存在的主要问题及改进情况")
        < texts.index("六、其他需要报告的事项")
    )
    assert any("新收政府信息公开申请8件" in t for t in texts)


def test_xlsx_has_one_sheet_per_table(year_2024) -> None:
    wb = load_workbook(io.BytesIO(render.to_xlsx(build_report_data(year_2024, 2024))))
    assert wb.sheetnames == [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]
    ws = wb["三、收到和处理政府信息公开申请情况"]
    assert "A1:C3" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A4"].value == "一、本年新收政府信息公开申请数量" and ws["J4"].value == 8


def test_report_annual_command_json_and_docx(year_2024, tmp_path) -> None:
    out = io.StringIO()
    call_command(
        "report", "annual", "--year", "2024", "--organisation", year_2024.code, "--format", "json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert set(data) == {"organisation", "year", "table2", "table3", "table4", "findings"}
    assert data["findings"] == [] and data["table3"]["（七）总计"]["总计"] == 8
    target = tmp_path / "r.docx"
    call_command(
        "report",
        "annual",
        "--year",
        "2024",
        "--organisation",
        year_2024.code,
        "--format",
        "docx",
        "--output",
        str(target),
    )
    assert len(Docx(str(target)).tables) == 3


def test_back_office_preview_and_publish(client, year_2024, approver) -> None:
    client.force_login(approver)
    response = client.post(
        "/reports/manage/new/", {"organisation": year_2024.pk, "year": 2024, "scope": "own"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "三、收到和处理政府信息公开申请情况" in page and "预览" in page
    response = client.post(
        response["Location"],
        {"scope": "own", "overview_text": "", "problems_text": "无", "other_text": "", "action": "publish"},
        follow=True,
    )
    assert "年度报告已发布" in response.content.decode()
    assert client.get(f"/reports/{year_2024.code}/2024/?format=docx")["Content-Type"].startswith(
        "application/vnd.openxml"
    )
