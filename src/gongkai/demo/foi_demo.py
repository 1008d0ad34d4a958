"""Demo 依申请公开 requests, registered and answered through the foi services.

The applicants are obviously fictitious (示例申请人…); their ID number is the sample number printed in
GB 11643 itself. The requests give the staff worklist and the annual report something to show.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError

from gongkai.accounts.models import Organisation, User
from gongkai.foi import services
from gongkai.foi.models import FOIRequest

SAMPLE_ID = "11010519491231002X"  # the example in GB 11643-1999
SAMPLE_CREDIT_CODE = "91310106MA1FL3QY75"  # checksum-valid, not a registered company

PERSON = {
    "applicant_kind": "person",
    "id_type": "resident_id",
    "id_number": SAMPLE_ID,
    "phone": "021-00000000",
}

DEMO_REQUESTS = [
    {"channel": "online", "received_date": "2025-03-10", "applicant_name": "示例申请人丁", **PERSON,
     "description": "申请公开2024年本区老旧小区改造项目清单。", "delivery_method": "email", "email": "applicant-d@example.org",
     "outcome": "disclosed", "decided_date": "2025-03-25"},
    {"channel": "online", "received_date": "2025-12-22", "applicant_kind": "commercial", "applicant_name": "示例贸易有限公司",
     "credit_code": SAMPLE_CREDIT_CODE, "contact_person": "示例联系人", "email": "trade@example.com",
     "description": "申请公开2025年本区促进消费专项资金的分配结果。", "delivery_method": "email",
     "outcome": "disclosed", "decided_date": "2026-01-20"},
    {"channel": "online", "received_date": "2026-11-10", "applicant_name": "示例申请人甲", **PERSON,
     "description": "申请公开本区2026年既有多层住宅加装电梯项目的审批数量及名单。", "delivery_method": "email",
     "email": "applicant-a@example.org"},
    {"channel": "email", "received_date": "2026-10-29", "applicant_kind": "commercial", "applicant_name": "示例科技有限公司",
     "credit_code": SAMPLE_CREDIT_CODE, "contact_person": "示例联系人", "email": "contact@example.com",
     "description": "申请公开2026年本区中小企业扶持资金的申报条件和评审结果。", "delivery_method": "email"},
    {"channel": "in_person", "received_date": "2026-10-09", "applicant_name": "示例申请人乙", **PERSON,
     "description": "申请获取《2023年静安区政务公开工作要点》全文。", "delivery_method": "in_person",
     "outcome": "already_public", "decided_date": "2026-10-13"},
    {"channel": "post_signed", "received_date": "2026-09-01", "applicant_name": "示例申请人丙", **PERSON,
     "address": "示例地址", "description": "申请公开某企业提交的经营数据。", "delivery_method": "post",
     "outcome": "withheld_third_party", "decided_date": "2026-09-24",
     "appeal": {"kind": "reconsideration", "filed_date": "2026-10-15", "result": "upheld", "decided_date": "2026-11-16"}},
    {"channel": "online", "received_date": "2026-06-15", "applicant_kind": "legal_services", "applicant_name": "示例律师事务所",
     "credit_code": SAMPLE_CREDIT_CODE, "contact_person": "示例律师", "email": "law@example.com",
     "description": "申请公开2025年度本区行政规范性文件清理结果。", "delivery_method": "email",
     "outcome": "partial", "decided_date": "2026-07-06"},
]  # fmt: skip


# The first demo request is registered with a fixed submission token, so its verification code can be
# derived again (it is never stored) and `gongkai demo` prints it for trying the tracking page.
DEMO_TRACKING_TOKEN = "gongkai-demo-tracking-request-0001"


def demo_tracking() -> tuple[str, str] | None:
    """(number, code) of the demo request the tracking page can be tried with, if it was loaded."""
    found = services.submitted_request(DEMO_TRACKING_TOKEN)
    return (found[0].number, found[1]) if found else None


def load_foi_requests(
    users: dict[str, User], organisations: dict[str, Organisation], progress: Callable[[str], None] = print
) -> int:
    organisation = organisations["jingan-gov-office"]
    if FOIRequest.objects.filter(organisation=organisation).exists():
        return 0
    officer, approver = users["foi"], users["reviewer"]
    created = 0
    for index, row in enumerate(DEMO_REQUESTS):
        row = dict(row)
        if index == 0:
            row["submission_token"] = DEMO_TRACKING_TOKEN
        outcome, decided, appeal = (
            row.pop("outcome", None),
            row.pop("decided_date", None),
            row.pop("appeal", None),
        )
        try:
            request, _code = services.register_request(actor=officer, organisation=organisation, **row)
            if outcome:
                letter = services.prepare_reply(request, actor=officer, outcome=outcome, reason="演示数据")
                # 先审查、后公开 (条例 Arts. 14–17): the demo reviewer approves before the officer issues
                letter = services.review_letter(
                    letter, actor=approver, approve=True, note="所含个人信息为申请人本人信息（演示）"
                )
                request = services.issue_reply(letter, actor=officer, decided_date=decided)
            if appeal:
                record = services.add_appeal(
                    request, actor=officer, kind=appeal["kind"], filed_date=appeal["filed_date"]
                )
                services.decide_appeal(
                    record, actor=officer, result=appeal["result"], decided_date=appeal["decided_date"]
                )
        except ValidationError as exc:
            progress(f"  演示申请未载入：{'；'.join(exc.messages)}")
            continue
        created += 1
        progress(f"  已登记依申请公开 {request.number}（{request.get_status_display()}）")
    publish_demo_report(organisation, users["editor"], approver, 2025, progress)
    return created


def publish_demo_report(
    organisation: Organisation, editor: User, approver: User, year: int, progress: Callable[[str], None]
) -> None:
    """Publish the year's annual report, generated from the demo data (its sums hold by construction)."""
    from gongkai.reports import services as reports

    report = reports.get_or_create_report(actor=editor, organisation=organisation, year=year)
    if report.is_published:
        return
    reports.update_report(
        actor=editor, report=report,
        overview_text="本报告为演示数据生成的示例，表格数字均由平台依申请公开和公文库数据自动统计。",
    )  # fmt: skip
    reports.publish_report(actor=approver, report=report)
    progress(f"  已发布 {organisation.name}{year}年政府信息公开工作年度报告（演示）")
