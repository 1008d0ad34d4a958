"""The openness office's tools: catalogue monitor, 规范性文件 清理评估, gazette, work-plan tracker."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from gongkai.accounts.constants import Role
from gongkai.core.models import Event
from gongkai.documents.constants import Validity
from gongkai.documents.models import Document
from gongkai.office import catalogue, gazette, normative, workplan
from gongkai.office.constants import CATALOGUE_COLUMNS, Light, Outcome
from gongkai.office.gazette_render import render_docx, render_pdf
from gongkai.office.models import CatalogueItem, ExpiryWarning, GazetteIssue, NormativeEvaluation, WorkPlan

pytestmark = pytest.mark.django_db

HEADER = [
    "编号",
    *[label for _key, label in CATALOGUE_COLUMNS],
    "时限（工作日）",
    "更新周期（日）",
    "责任单位代码",
    "文种",
]


def xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(code, matter, org, doc_type="key_points", cycle=365):
    return [code, matter, "内容", "条例第二十条", "20个工作日内", "区政府办公室", "政府网站", "全社会", "主动公开", "区级",
            20, cycle, org, doc_type]  # fmt: skip


@pytest.fixture
def admin(make_user, office):
    return make_user("office-admin", office, Role.PLATFORM_ADMIN)


# --- standard catalogue -----------------------------------------------------------------------


def test_catalogue_xlsx_round_trip_and_lights(admin, office, other_org, make_document):
    today = timezone.localdate()
    make_document("2025年政务公开工作要点", doc_type="key_points", written_date=today - dt.timedelta(days=3),
                  published_date=today - dt.timedelta(days=1))  # fmt: skip
    items = catalogue.import_catalogue(actor=admin, content=xlsx([
        row("A-1", "政务公开工作要点", office.code), row("A-2", "教育工作要点", other_org.code),
    ]))  # fmt: skip
    assert [i.code for i in items] == ["A-1", "A-2"]
    lights = {(s.item.code, s.organisation.code): s for s in catalogue.monitor()}
    assert lights[("A-1", office.code)].light == Light.GREEN, lights[("A-1", office.code)].problems
    red = lights[("A-2", other_org.code)]
    assert red.light == Light.RED and "未发布" in red.problems[0]
    # a year later the annual item is overdue: red with the due date named
    later = catalogue.item_status(items[0], office, today + dt.timedelta(days=400))
    assert later.light == Light.RED and "已超期" in later.problems[-1]
    exported = load_workbook(io.BytesIO(catalogue.export_catalogue())).active
    header = [c.value for c in exported[1]]
    assert all(label in header for _key, label in CATALOGUE_COLUMNS)
    assert exported.cell(row=2, column=2).value == "政务公开工作要点"


def test_catalogue_late_publication_is_amber(admin, office, make_document):
    # 条例 Art. 26: formed on 1 August, published more than 20 working days later
    make_document("2024年政务公开工作要点", doc_type="key_points", written_date=dt.date(2024, 8, 1),
                  published_date=dt.date(2024, 10, 15))  # fmt: skip
    [item] = catalogue.import_catalogue(
        actor=admin, content=xlsx([row("A-1", "工作要点", office.code, cycle="")])
    )
    status = catalogue.item_status(item, office, dt.date(2024, 10, 20))
    assert status.light == Light.AMBER and "超过20个工作日" in status.problems[0]


def test_catalogue_missing_columns_change_nothing(admin, office):
    header = [h for h in HEADER if h not in ("公开依据", "公开层级")]
    with pytest.raises(ValidationError) as exc:
        catalogue.import_catalogue(actor=admin, content=xlsx([], header=header))
    assert "公开依据" in exc.value.message_dict["file"][0] and "公开层级" in exc.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as exc:
        catalogue.import_catalogue(
            actor=admin, content=xlsx([row("A-1", "甲", office.code), row("A-2", "乙", "no-such-org")])
        )
    assert "第3行" in exc.value.messages[0] and "no-such-org" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        catalogue.import_catalogue(actor=admin, content=b"not a spreadsheet")
    assert not CatalogueItem.objects.exists()


def test_catalogue_import_is_for_the_office(editor):
    with pytest.raises(PermissionDenied):
        catalogue.import_catalogue(actor=editor, content=xlsx([]))


# --- 规范性文件 清理评估 ------------------------------------------------------------------------


def normative_document(make_document, days_left: int, **fields):
    today = timezone.localdate()
    return make_document("关于加装电梯补贴的若干规定", doc_type="provisions", is_normative=True,
                         written_date=today - dt.timedelta(days=30), published_date=today - dt.timedelta(days=20),
                         effective_date=today - dt.timedelta(days=20), expiry_date=today + dt.timedelta(days=days_left),
                         **fields)  # fmt: skip


@pytest.mark.parametrize(("days_left", "stage"), [(35, 2), (20, 1), (100, 6), (200, None)])
def test_warning_stages(make_document, days_left, stage):
    document = normative_document(make_document, days_left)
    [term] = normative.terms()
    assert term.document == document and term.stage == stage


def test_five_weeks_before_expiry_warns_once_at_two_months(
    make_document, editor, mailoutbox, django_capture_on_commit_callbacks
):
    editor.email = "editor@example.gov.cn"
    editor.save()
    document = normative_document(make_document, 35)
    [term] = normative.terms()
    assert term.warning == "2个月内到期"
    with django_capture_on_commit_callbacks(execute=True):
        assert normative.send_expiry_warnings() == 1
        assert normative.send_expiry_warnings() == 0  # once per stage
    assert ExpiryWarning.objects.get().months == 2
    assert len(mailoutbox) == 1 and document.title[:20] in mailoutbox[0].subject


def test_without_a_stated_term_five_years_are_presumed(make_document):
    today = timezone.localdate()
    make_document("关于规范某事项的通知", doc_type="notice", is_normative=True,
                  effective_date=today.replace(year=today.year - 5) + dt.timedelta(days=40))  # fmt: skip
    [term] = normative.terms()
    assert term.presumed and term.stage == 2


def test_evaluation_outcomes_change_validity_through_documents(make_document, admin):
    document = normative_document(make_document, 35)
    with pytest.raises(ValidationError) as exc:
        normative.evaluate(actor=admin, document=document, outcome=Outcome.REPEAL, reason="  ")
    assert "理由" in exc.value.message_dict["reason"][0]
    with pytest.raises(ValidationError) as exc:
        normative.evaluate(actor=admin, document=document, outcome=Outcome.EXTEND, reason="仍需执行")
    assert "new_expiry_date" in exc.value.message_dict
    assert not NormativeEvaluation.objects.exists()
    new_date = timezone.localdate() + dt.timedelta(days=700)
    normative.evaluate(
        actor=admin,
        document=document,
        outcome=Outcome.EXTEND,
        reason="政策目标尚未完成",
        new_expiry_date=new_date,
    )
    document.refresh_from_db()
    assert document.expiry_date == new_date
    assert Event.objects.filter(verb="document.expiry_extended").exists()
    normative.evaluate(actor=admin, document=document, outcome=Outcome.REPEAL, reason="上位法已修改")
    document.refresh_from_db()
    assert document.validity == Validity.REPEALED
    with pytest.raises(ValidationError):
        normative.publish_cleanup_list(actor=admin, year=2001)
    normative.publish_cleanup_list(actor=admin, year=timezone.localdate().year)
    cleanup, rows = normative.published_cleanup(timezone.localdate().year)
    assert cleanup is not None and rows.count() == 2


def test_other_organisations_cannot_evaluate(make_document, make_user, other_org):
    document = normative_document(make_document, 35)
    outsider = make_user("outsider", other_org, Role.EDITOR)
    with pytest.raises(PermissionDenied):
        normative.evaluate(actor=outsider, document=document, outcome=Outcome.REPEAL, reason="不需要")
    document.refresh_from_db()
    assert document.validity == Validity.VALID


def test_cleanup_page_public_only_once_published(client, make_document, admin):
    document = normative_document(make_document, 35)
    normative.evaluate(actor=admin, document=document, outcome=Outcome.CONTINUE, reason="继续执行")
    year = timezone.localdate().year
    assert client.get(f"/office/normative/cleanup/{year}/").status_code == 404
    normative.publish_cleanup_list(actor=admin, year=year)
    page = client.get(f"/office/normative/cleanup/{year}/")
    assert page.status_code == 200 and "继续有效" in page.content.decode()


# --- gazette -------------------------------------------------------------------------------------


def test_gazette_issue_pdf_docx_and_database(make_document, admin, client):
    docs = [
        make_document(f"关于第{n}项工作的通知", body_text="第一条 为了规范工作。\n" * (30 * n))
        for n in (1, 2, 3)
    ]
    draft = make_document("未发布的草稿", publish=False)
    with pytest.raises(ValidationError) as exc:
        gazette.compile_issue(actor=admin, year=2026, number=1, document_ids=[])
    assert "至少" in exc.value.message_dict["items"][0]
    with pytest.raises(ValidationError):
        gazette.compile_issue(actor=admin, year=2026, number=1, document_ids=[docs[0].pk, draft.pk])
    assert not GazetteIssue.objects.exists()
    issue = gazette.compile_issue(actor=admin, year=2026, number=1, document_ids=[d.pk for d in docs])
    assert client.get("/office/gazette/2026/1/").status_code == 404  # a draft is not public
    issue = gazette.publish_issue(actor=admin, issue=issue)
    starts = [e.start_page for e in issue.entries.all()]
    assert starts[0] == 2 and starts == sorted(starts) and len(set(starts)) == 3
    pdf = render_pdf(issue)
    import pypdfium2

    reader = pypdfium2.PdfDocument(pdf)
    pages = [reader[i].get_textpage().get_text_range() for i in range(len(reader))]
    assert len(pages) == issue.pages
    assert "目 录" in pages[0] and docs[0].title in pages[0]  # the table of contents, searchable text
    assert docs[1].title in pages[starts[1] - 1] and f"— {starts[1]} —" in pages[starts[1] - 1]
    assert (
        b"/FontFile3" in pdf and b"NotoSerifCJKSC" in pdf
    )  # the Chinese font is embedded: it prints anywhere
    from docx import Document as Docx

    text = "\n".join(p.text for p in Docx(io.BytesIO(render_docx(issue))).paragraphs)
    assert docs[2].title in text and f"\t{starts[2]}" in text
    page = client.get("/office/gazette/2026/1/")
    assert page.status_code == 200 and docs[0].title in page.content.decode()
    assert client.get("/office/gazette/2026/1/gazette.pdf")["Content-Type"] == "application/pdf"
    found = client.get("/office/gazette/", {"q": "第2项"}).content.decode()
    assert docs[1].title in found and docs[0].title not in found.split("检索结果")[1].split("各期公报")[0]
    entry = issue.entries.get(document=docs[1])
    assert "标准文本" in client.get(f"/office/gazette/texts/{entry.pk}/").content.decode()
    from gongkai.documents import services

    services.withdraw_document(docs[1], actor=admin, reason="发现未遮盖的个人信息")
    assert client.get(f"/office/gazette/texts/{entry.pk}/").status_code == 404
    assert docs[1].title not in client.get("/office/gazette/", {"q": "第2项"}).content.decode()


# --- work plan ------------------------------------------------------------------------------------


PLAN = """一、推进信息公开
（一）加强甲。内容甲。
续行。
(二) 加强乙。内容乙。
二、夯实基础
（三）狠抓工作落实。本工作要点的落实情况应当纳入年度报告。"""


def test_workplan_split_progress_and_annual_report(admin, office, other_org, make_user, reviewer):
    plan = workplan.create_plan(
        actor=admin, year=2025, title="2025年政务公开工作要点", text=PLAN, organisation=office
    )
    items = list(plan.items.all())
    assert [(i.number, i.title) for i in items] == [(1, "加强甲"), (2, "加强乙"), (3, "狠抓工作落实")]
    assert items[0].text.endswith("续行。") and items[2].chapter == "二、夯实基础"
    outsider = make_user("edu-editor", other_org, Role.EDITOR)
    with pytest.raises(ValidationError):
        workplan.report_progress(actor=outsider, item=items[0], status="done", text="完成")
    with pytest.raises(ValidationError) as exc:
        workplan.report_progress(actor=reviewer, item=items[0], status="done", text=" ")
    assert "落实情况" in exc.value.message_dict["text"][0]
    workplan.report_progress(actor=reviewer, item=items[0], status="done", text="已建成专栏。")
    from gongkai.reports import services as reports
    from gongkai.reports.selectors import report_with_sections

    report = reports.get_or_create_report(actor=admin, organisation=office, year=2025)
    _data, sections = report_with_sections(report)
    assert "（一）加强甲：已完成。已建成专栏。" in sections["六、其他需要报告的事项"]
    report = reports.publish_report(actor=reviewer, report=report)
    workplan.report_progress(actor=reviewer, item=items[1], status="in_progress", text="后来补报。")
    _data, sections = report_with_sections(report)
    assert "（一）加强甲：已完成。已建成专栏。" in sections["六、其他需要报告的事项"]
    assert not any("后来补报" in p for p in sections["六、其他需要报告的事项"])  # frozen at publication


def test_workplan_with_gaps_is_refused(admin, office):
    with pytest.raises(ValidationError):
        workplan.create_plan(
            actor=admin, year=2025, title="要点", text="（一）甲。\n（三）丙。", organisation=office
        )
    assert not WorkPlan.objects.exists()


def test_seed_plan_has_33_items():
    from pathlib import Path

    import gongkai.demo

    text = (Path(gongkai.demo.__file__).parent / "content" / "workplan-keypoints.txt").read_text()
    items = workplan.split_plan(text)
    assert len(items) == 33 and items[32].title == "狠抓工作落实"


def test_document_model_untouched_by_office_reads():
    assert Document.objects.count() == 0


# --- budget disclosure and assessment -------------------------------------------------------------


def test_budget_completeness_and_project_rule(admin, office):
    from gongkai.office import budget
    from gongkai.office.constants import BudgetKind

    with pytest.raises(ValidationError) as exc:
        budget.record_disclosure(actor=admin, organisation=office, year=2025, kind=BudgetKind.PROJECT, title="某项目",
                                 amount_yuan=20_000_000, is_secret=True)  # fmt: skip
    assert "理由" in exc.value.message_dict["secret_reason"][0]
    with pytest.raises(ValidationError):
        budget.record_disclosure(
            actor=admin, organisation=office, year=2025, kind=BudgetKind.PROJECT, title="无金额"
        )
    report = budget.completeness(office, 2025, today=dt.date(2026, 3, 1))
    assert "2025年部门预算未公开。" in report["missing"] and "2025年部门决算未公开。" in report["missing"]
    budget.record_disclosure(
        actor=admin,
        organisation=office,
        year=2025,
        kind=BudgetKind.BUDGET,
        title="部门预算",
        url="https://example.org/b",
    )
    budget.record_disclosure(
        actor=admin,
        organisation=office,
        year=2025,
        kind=BudgetKind.FINAL,
        title="部门决算",
        url="https://example.org/f",
    )
    budget.record_disclosure(actor=admin, organisation=office, year=2025, kind=BudgetKind.PROJECT, title="大项目",
                             amount_yuan=10_000_000)  # fmt: skip
    budget.record_disclosure(actor=admin, organisation=office, year=2025, kind=BudgetKind.PROJECT, title="小项目",
                             amount_yuan=9_999_999)  # fmt: skip
    budget.record_disclosure(actor=admin, organisation=office, year=2025, kind=BudgetKind.PROJECT, title="涉密项目",
                             amount_yuan=50_000_000, is_secret=True, secret_reason="涉及国家秘密")  # fmt: skip
    report = budget.completeness(office, 2025, today=dt.date(2026, 3, 1))
    assert any("大项目" in m and "预算" in m for m in report["missing"])
    assert not any("小项目" in m or "涉密项目" in m for m in report["missing"])
    assert [p.title for p in report["secret"]] == ["涉密项目"]
    assert "未公开专项资金绩效信息。" in report["missing"]


def test_assessment_weights_scores_ranking_export(admin, office, other_org, make_document):
    from gongkai.office import assessment
    from gongkai.office.constants import IndicatorSource

    bad = [{"name": "甲", "weight": 60, "source": IndicatorSource.CATALOGUE}, {"name": "乙", "weight": 30}]
    with pytest.raises(ValidationError) as exc:
        assessment.define_scheme(actor=admin, year=2026, title="考核", indicators=bad)
    assert "之和须为100，现为90" in exc.value.message_dict["indicators"][0]
    from gongkai.office.models import AssessmentScheme

    assert not AssessmentScheme.objects.exists()
    today = timezone.localdate()
    make_document(
        "政务公开工作要点",
        doc_type="key_points",
        written_date=today - dt.timedelta(days=2),
        published_date=today,
    )
    catalogue.import_catalogue(
        actor=admin, content=xlsx([row("A-1", "要点", office.code), row("A-2", "要点二", other_org.code)])
    )
    scheme = assessment.define_scheme(actor=admin, year=today.year, title="考核", indicators=[
        {"name": "目录", "weight": 60, "source": IndicatorSource.CATALOGUE},
        {"name": "留言", "weight": 40, "source": IndicatorSource.MESSAGES},
    ])  # fmt: skip
    messages_indicator = scheme.indicators.get(name="留言")
    with pytest.raises(ValidationError):
        assessment.enter_score(actor=admin, indicator=messages_indicator, organisation=other_org, score=120)
    assessment.enter_score(actor=admin, indicator=messages_indicator, organisation=other_org, score=90)
    rows = {r["organisation"].code: r for r in assessment.scores(scheme)}
    assert rows[office.code]["total"] == 60.0 and rows[other_org.code]["total"] == 36.0
    assert rows[office.code]["rank"] == 1 and rows[other_org.code]["rank"] == 2
    sheet = load_workbook(io.BytesIO(assessment.export_scores(scheme))).active
    assert sheet.cell(row=2, column=2).value == office.name and sheet.cell(row=2, column=5).value == 60.0


# --- pages ----------------------------------------------------------------------------------------


def test_staff_pages_permissions_and_upload_errors(client, admin, editor, office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert client.get("/office/staff/catalogue/").status_code == 302  # login first
    client.force_login(editor)
    assert client.get("/office/staff/catalogue/").status_code == 200  # own organisation's lights
    for path in (
        "/office/staff/site/",
        "/office/staff/gazette/",
        "/office/staff/budget/",
        "/office/staff/assessment/",
    ):
        assert client.get(path).status_code == 403, path
    upload = SimpleUploadedFile("catalogue.xlsx", xlsx([], header=["公开事项"]))
    assert client.post("/office/staff/catalogue/", {"file": upload}).status_code == 403
    client.force_login(admin)
    upload = SimpleUploadedFile("catalogue.xlsx", xlsx([row("A-1", "甲", office.code)], header=HEADER[:3]))
    page = client.post("/office/staff/catalogue/", {"file": upload}, follow=True).content.decode()
    assert "表格缺少国家标准目录的列" in page and "公开层级" in page
    assert not CatalogueItem.objects.exists()
    upload = SimpleUploadedFile("catalogue.xlsx", xlsx([row("A-1", "甲", office.code)]))
    client.post("/office/staff/catalogue/", {"file": upload})
    assert CatalogueItem.objects.get().matter == "甲"
    exported = client.get("/office/staff/catalogue/catalogue.xlsx")
    assert load_workbook(io.BytesIO(exported.content)).active.cell(row=2, column=1).value == "A-1"


def test_office_assigns_responsible_organisations_on_the_item_page(client, admin, office, other_org):
    plan = workplan.create_plan(actor=admin, year=2025, title="要点", text=PLAN, organisation=office)
    item = plan.items.get(number=2)
    client.force_login(admin)
    client.post(
        f"/office/staff/workplan/items/{item.pk}/",
        {"action": "assign", "organisations": [office.pk, other_org.pk]},
    )
    assert set(item.organisations.values_list("code", flat=True)) == {office.code, other_org.code}
    page = client.post(
        f"/office/staff/workplan/items/{item.pk}/", {"action": "assign"}, follow=True
    ).content.decode()
    assert "至少须有一个责任单位" in page and item.organisations.count() == 2


def test_office_command_line(tmp_path, office, capsys):
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([], header=["公开事项", "公开内容（要素）"]))
    with pytest.raises(CommandError, match="表格缺少国家标准目录的列"):
        call_command("office", "catalogue-import", str(bad))
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx([row("A-1", "甲", office.code)]))
    call_command("office", "catalogue-import", str(good))
    capsys.readouterr()
    call_command("office", "monitor", "--json")
    [line] = json.loads(capsys.readouterr().out)
    assert line["code"] == "A-1" and line["light"] == "red" and line["problems"]
