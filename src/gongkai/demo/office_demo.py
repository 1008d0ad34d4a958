"""Demo content of the openness office's tools (office app).

Everything here that no government wrote is labelled 示例: the district 规范性文件 (with a planted
dead link the website self-inspection must find), the catalogue items, the progress reports. The
work plan is the real seed plan 静府办发〔2023〕5号, tracked as the demo's 2025 plan; the gazette
issue reprints three published demo documents.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from gongkai.accounts.models import Organisation, User
from gongkai.documents import services as documents
from gongkai.documents.models import Document
from gongkai.office import assessment, budget, catalogue, gazette, normative, workplan
from gongkai.office.constants import (
    CATALOGUE_COLUMNS,
    LINK_COLUMNS,
    BudgetKind,
    IndicatorSource,
    ProgressStatus,
)
from gongkai.office.models import (
    AssessmentScheme,
    BudgetDisclosure,
    CatalogueItem,
    GazetteIssue,
    ProgressReport,
    WorkPlan,
)

from . import interpretation_demo

NORMATIVE_TITLE = "上海市静安区住房保障和房屋管理局关于既有多层住宅加装电梯临时补贴的若干规定（示例）"
DEAD_LINK = "/documents/attachments/jiazhuang-dianti-shenqingbiao/"
PLAN_NOTICE = "静府办发〔2023〕5号"
PLAN_YEAR = 2025
# Who answers for which item of the seed plan (besides the district office, which answers for all).
RESPONSIBLE = {
    1: ["jingan-market", "jingan-drc"], 2: ["jingan-drc"], 5: ["jingan-housing", "jingan-edu"],
    6: ["jingan-hrss", "jingan-civil", "jingan-health"], 10: ["jingan-drc"], 13: ["jingan-housing"],
    24: ["jiangninglu", "nanjingxilu", "daninglu", "pengpu-town"],
}  # fmt: skip
PROGRESS = [
    ("jingan-gov-office", 13, ProgressStatus.IN_PROGRESS,
     "（示例）完成本区行政规范性文件库的有效期标注，对到期前6个月、2个月、1个月的文件向制定机关发出预警，年度清理结果集中公布。"),
    ("jingan-gov-office", 26, ProgressStatus.IN_PROGRESS,
     "（示例）政务公开标准目录已导入平台，按目录逐项监测发布时效，对超期事项逐一督办。"),
    ("jingan-gov-office", 28, ProgressStatus.DONE,
     "（示例）政府公报电子版与印刷版同步编印，公报数据库可按标题、文号和全文检索，刊登文本标注为标准文本。"),
    ("jingan-gov-office", 33, ProgressStatus.IN_PROGRESS,
     "（示例）按工作要点逐项建立台账，各责任单位按季度填报落实情况，落实情况纳入年度报告。"),
    ("jingan-housing", 5, ProgressStatus.IN_PROGRESS,
     "（示例）加装电梯项目公示和旧住房更新改造计划按月更新。"),
    ("jingan-edu", 5, ProgressStatus.DONE, "（示例）义务教育招生政策和公办学校划片范围已在招生前集中公开。"),
]  # fmt: skip
CATALOGUE = [
    {"编号": "JA-01", "公开事项": "政务公开工作要点（示例）", "公开内容（要素）": "年度政务公开工作要点全文",
     "公开依据": "《中华人民共和国政府信息公开条例》第二十条", "公开时限": "信息形成或变更之日起20个工作日内",
     "公开主体": "区政府办公室", "公开渠道和载体": "政府网站", "公开对象": "全社会", "公开方式": "主动公开",
     "公开层级": "区级", "时限（工作日）": 20, "更新周期（日）": 365, "责任单位代码": "jingan-gov-office",
     "文种": "key_points"},
    {"编号": "JA-02", "公开事项": "行政规范性文件（示例）", "公开内容（要素）": "规范性文件全文、有效性",
     "公开依据": "《中华人民共和国政府信息公开条例》第二十条第（一）项", "公开时限": "信息形成或变更之日起20个工作日内",
     "公开主体": "区政府各部门", "公开渠道和载体": "政府网站 行政规范性文件库", "公开对象": "全社会",
     "公开方式": "主动公开", "公开层级": "区级", "时限（工作日）": 20, "责任单位代码": "jingan-housing",
     "仅规范性文件": "是"},
    {"编号": "JA-03", "公开事项": "义务教育招生入学政策（示例）", "公开内容（要素）": "招生政策、划片范围、招生计划",
     "公开依据": "《中华人民共和国政府信息公开条例》第二十条", "公开时限": "信息形成或变更之日起20个工作日内",
     "公开主体": "区教育局", "公开渠道和载体": "政府网站", "公开对象": "全社会", "公开方式": "主动公开",
     "公开层级": "区级", "时限（工作日）": 20, "更新周期（日）": 365, "责任单位代码": "jingan-edu",
     "标签代码": "students-parents"},
    {"编号": "JA-04", "公开事项": "房屋征收与补偿（示例）", "公开内容（要素）": "征收补偿政策、补偿方案、进展",
     "公开依据": "《国有土地上房屋征收与补偿条例》", "公开时限": "信息形成或变更之日起20个工作日内",
     "公开主体": "区住房保障和房屋管理局", "公开渠道和载体": "政府网站 专题", "公开对象": "全社会",
     "公开方式": "主动公开", "公开层级": "区级", "时限（工作日）": 20, "责任单位代码": "jingan-housing",
     "专题代码": "chengqu-jianshe"},
]  # fmt: skip


BUDGET = [  # (organisation, kind, title, amount in yuan, url, secret reason) — all invented: 示例
    (
        "jingan-edu",
        BudgetKind.BUDGET,
        "区教育局部门预算（示例）",
        None,
        "https://example.org/jingan-edu/budget",
        "",
    ),
    (
        "jingan-edu",
        BudgetKind.PROJECT,
        "中小学校舍修缮项目（示例）",
        12_000_000,
        "https://example.org/jingan-edu/project",
        "",
    ),
    (
        "jingan-edu",
        BudgetKind.PROJECT,
        "教育信息网络安全改造项目（示例）",
        15_000_000,
        "",
        "涉及网络安全防护部署，属于涉密信息",
    ),
    (
        "jingan-housing",
        BudgetKind.BUDGET,
        "区房管局部门预算（示例）",
        None,
        "https://example.org/jingan-housing/budget",
        "",
    ),
    ("jingan-housing", BudgetKind.PROJECT, "旧住房成套改造项目（示例）", 30_000_000, "", ""),
]
INDICATORS = [
    {"name": "标准目录事项按时公开", "weight": 25, "source": IndicatorSource.CATALOGUE},
    {"name": "依申请公开按期答复", "weight": 25, "source": IndicatorSource.FOI_ON_TIME},
    {"name": "政策解读率", "weight": 20, "source": IndicatorSource.INTERPRETATION},
    {"name": "网站自查得分", "weight": 15, "source": IndicatorSource.SITE},
    {"name": "留言按期答复", "weight": 15, "source": IndicatorSource.MESSAGES},
]


def load_budget_and_assessment(organisations: dict[str, Organisation]) -> None:
    year = timezone.localdate().year
    if not BudgetDisclosure.objects.exists():
        for code, kind, title, amount, url, secret in BUDGET:
            budget.record_disclosure(actor=None, organisation=organisations[code], year=year, kind=kind, title=title,
                                     amount_yuan=amount, url=url, is_secret=bool(secret), secret_reason=secret,
                                     is_example=True)  # fmt: skip
    if not AssessmentScheme.objects.exists():
        assessment.define_scheme(
            actor=None, year=year, title=f"{year}年度政务公开考核（示例指标）", indicators=INDICATORS
        )


def catalogue_xlsx(rows: list[dict]) -> bytes:
    """The demo catalogue as the XLSX staff would upload (national columns, then ours)."""
    book = Workbook()
    sheet = book.active
    header = ["编号", *[label for _key, label in CATALOGUE_COLUMNS + LINK_COLUMNS]]
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(name, "") for name in header])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def load_normative_example(organisations: dict[str, Organisation], admin: User) -> tuple[Document, int]:
    """A district 规范性文件 (示例) published ten days ago whose 有效期 ends in five weeks: the 2-month
    warning shows. Its text links an annex page that does not exist (the planted dead link)."""
    existing = Document.objects.filter(title=NORMATIVE_TITLE).first()
    if existing:
        return existing, 0
    today = timezone.localdate()
    text = [
        "第一条 为推进既有多层住宅加装电梯工作，结合本区实际，制定本规定。（示例文本，非正式文件）",
        "第二条 本区行政区域内既有多层住宅加装电梯项目，按本规定申请临时补贴。",
        "第三条 申请人应当向所在街道办事处提交申请表和业主同意材料。",
        "第四条 本规定自发布之日起施行，有效期至" + f"{today + dt.timedelta(days=35):%Y年%-m月%-d日}。",
    ]
    body_html = "".join(f"<p>{line}</p>" for line in text) + (
        f'<p>申请表格式见<a href="{DEAD_LINK}">附件：加装电梯临时补贴申请表</a>。</p>'
    )
    with transaction.atomic():
        document = documents.create_document(
            actor=admin, organisation=organisations["jingan-housing"], title=NORMATIVE_TITLE,
            doc_number="", doc_type="provisions", is_normative=True,
            written_date=today - dt.timedelta(days=12), published_date=today - dt.timedelta(days=10),
            effective_date=today - dt.timedelta(days=10), expiry_date=today + dt.timedelta(days=35),
            theme="1002", tags=["person", "housing"], summary="示例：加装电梯临时补贴的申请条件和程序。",
            body_html=body_html, check_permission=False,
        )  # fmt: skip
        interpretation_demo.prepare(document, actor=admin)
        document = documents.submit_for_review(document, actor=admin)
        document = documents.publish_document(document, actor=admin)
    return document, 1


def load_workplan(organisations: dict[str, Organisation], progress: Callable[[str], None]) -> None:
    """The seed plan split into its 33 items, responsible organisations, and 示例 progress reports.
    Runs before the demo's 2025 annual report is published, so the 落实情况 appear in its text."""
    plan = WorkPlan.objects.filter(year=PLAN_YEAR).first()
    if plan is None:
        notice = Document.objects.get(doc_number=PLAN_NOTICE)
        keypoints = Document.objects.filter(title="2023年静安区政务公开工作要点").first() or notice
        plan = workplan.create_plan(
            actor=None, year=PLAN_YEAR, title="2023年静安区政务公开工作要点", text=keypoints.body_text,
            document=notice, organisation=organisations["jingan-gov-office"], is_example=True,
        )  # fmt: skip
        for item in plan.items.all():
            extra = [organisations[code] for code in RESPONSIBLE.get(item.number, [])]
            if extra:
                workplan.assign(
                    actor=None, item=item, organisations=[organisations["jingan-gov-office"], *extra]
                )
        progress(f"  已建立工作要点台账：{plan.items.count()} 项")
    if not ProgressReport.objects.filter(item__plan=plan).exists():
        for code, number, status, text in PROGRESS:
            workplan.report_progress(actor=None, item=plan.items.get(number=number), status=status, text=text,
                                     organisation=organisations[code], is_example=True)  # fmt: skip


def load_office_documents(
    organisations: dict[str, Organisation], progress: Callable[[str], None] = print
) -> int:
    """The 示例 规范性文件 and the work-plan tracker; returns the number of documents created."""
    _document, created = load_normative_example(organisations, User.objects.get(username="admin"))
    load_workplan(organisations, progress)
    return created


def load_office(organisations: dict[str, Organisation], progress: Callable[[str], None] = print) -> None:
    """The catalogue (it links a topic), the expiry warnings and the gazette issue."""
    document = Document.objects.get(title=NORMATIVE_TITLE)
    if not CatalogueItem.objects.exists():
        catalogue.import_catalogue(actor=None, content=catalogue_xlsx(CATALOGUE))
        progress(f"  已导入政务公开标准目录（示例）{CatalogueItem.objects.count()} 项")
    normative.send_expiry_warnings()
    if not GazetteIssue.objects.exists():
        texts = [Document.objects.get(doc_number=PLAN_NOTICE),
                 Document.objects.get(title="2023年静安区政务公开工作要点"), document]  # fmt: skip
        today = timezone.localdate()
        issue = gazette.compile_issue(
            actor=None, year=today.year, number=1, document_ids=[d.pk for d in texts]
        )
        gazette.publish_issue(actor=None, issue=issue)
        progress(f"  已出版政府公报 {issue}（{issue.entries.count()} 篇）")
    load_budget_and_assessment(organisations)
