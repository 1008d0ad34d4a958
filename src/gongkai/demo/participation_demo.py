"""Demo 公众参与 content, made through the participation services and labelled 示例 throughout.

Nothing here is a real draft, catalogue or event: the texts were written for the demo. Dates of the open
draft, the event and the survey are relative to the day the demo is loaded, so they are open then; the
2023 catalogue and its decided draft are recorded as an archive (past publication dates).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.accounts.models import Organisation, User
from gongkai.participation import services
from gongkai.participation.models import Consultation, DecisionCatalogue, Event, Solicitation, Survey

OPEN_DRAFT_TITLE = "静安区促进中小企业高质量发展若干措施（征求意见稿）"
OPEN_DRAFT = """第一条 为支持本区中小企业高质量发展，优化营商环境，结合本区实际，制定本措施。
第二条 本措施适用于在本区注册、依法纳税、符合国家中小企业划型标准的企业。
第三条 对首次认定为专精特新中小企业的，给予一次性奖励；奖励标准由区经济主管部门会同区财政部门另行制定并公布。
第四条 鼓励中小企业开展数字化转型，对购买经认定的数字化服务的，按实际支出给予一定比例的补贴。
第五条 区有关部门应当通过政务服务平台集中公布惠企政策，推行免申即享，减少企业重复提交材料。
第六条 中小企业对政策执行有意见建议的，可以通过区政府门户网站、12345市民服务热线等渠道反映。
第七条 本措施由区发展和改革委员会负责解释。
第八条 本措施自公布之日起施行，有效期五年。"""

DECIDED_DRAFT_TITLE = "静安区既有多层住宅加装电梯实施办法（征求意见稿）"
DECIDED_DRAFT = """第一条 为改善既有多层住宅居民出行条件，规范加装电梯工作，制定本办法。
第二条 本办法适用于本区具备加装条件的既有多层住宅。
第三条 加装电梯应当经本幢或者本单元房屋专有部分占建筑物总面积三分之二以上的业主参与表决，并经参与表决专有部分面积四分之三以上的业主同意。
第四条 区房屋管理部门负责加装电梯的统筹协调，街道办事处负责组织实施。
第五条 本办法自公布之日起施行。"""


def _catalogue(
    editor: User, government: Organisation, housing: Organisation, progress: Callable[[str], None]
) -> None:
    if DecisionCatalogue.objects.filter(organisation=government, year=2023).exists():
        return
    catalogue = services.create_catalogue(
        actor=editor, organisation=government, year=2023, is_sample=True,
        note="示例：本目录为平台演示编写，不是静安区实际公布的目录。",
    )  # fmt: skip
    items = [
        ("静安区既有多层住宅加装电梯实施办法（示例）", housing, "2023年第三季度"),
        ("静安区促进中小企业高质量发展若干措施（示例）", government, "2023年第四季度"),
        ("静安区公共体育设施布局规划（示例）", government, "2023年第四季度"),
        ("静安区养老服务设施建设三年行动计划（示例）", government, "2023年第二季度"),
    ]
    created = [
        services.add_item(catalogue, actor=editor, title=t, lead_organisation=o, planned_time=p)
        for t, o, p in items
    ]
    services.publish_catalogue(catalogue, actor=editor, published_on="2023-03-28")
    services.remove_item(created[3], actor=editor,
                         reason="示例：经研究，该事项并入市级行动计划统一实施，调出本年度目录。")  # fmt: skip
    progress("  已公布 2023 年重大行政决策事项目录（示例）")


def _decided_draft(editor: User, government: Organisation, progress: Callable[[str], None]) -> None:
    if Consultation.objects.filter(title=DECIDED_DRAFT_TITLE).exists():
        return
    item = DecisionCatalogue.objects.get(year=2023, organisation__code="jingan-gov").items.get(position=1)
    c = services.create_consultation(
        actor=editor, organisation=government, item=item, title=DECIDED_DRAFT_TITLE, body_text=DECIDED_DRAFT,
        explanation="示例：起草说明。", opens_on="2023-05-08", closes_on="2023-06-06", is_sample=True,
    )  # fmt: skip
    services.publish_consultation(c, actor=editor, published_on="2023-05-08")
    opinions = [
        (
            3,
            "建议降低表决比例要求，低层住户多数不同意时难以推进。",
            "not_adopted",
            "表决比例依照《民法典》第二百七十八条确定，本办法不能降低。",
        ),
        (3, "表决门槛过高，希望调整。", "not_adopted", "同上，表决比例由法律规定。"),
        (4, "建议明确街道在协调邻里矛盾中的职责。", "adopted", ""),
        (
            None,
            "建议增加对低层住户的补偿指引。",
            "partly",
            "在配套问答中增加补偿协商指引，不在办法中规定标准。",
        ),
        (2, "建议把适用范围扩大到老旧小区的非住宅楼。", "not_adopted", "非住宅楼不属于本办法调整范围。"),
    ]
    for article, body, adoption, reason in opinions:
        comment = services.record_comment(c, actor=editor, body=body, article_number=article, display_name="示例居民",
                                          source="offline")  # fmt: skip
        services.decide_adoption(comment, actor=editor, adoption=adoption, reason=reason)
    services.mark_ready_for_meeting(c, actor=editor)
    services.record_step(item.steps.get(kind="risk_assessment"), actor=editor, status="omitted",
                         omit_reason="示例：已按有关规定对相关风险进行评估，依第二十二条第二款不作重复评估。")  # fmt: skip
    for kind, day in (("public_participation", "2023-06-06"), ("expert_review", "2023-06-20"),
                      ("legality_review", "2023-07-10"), ("collective_decision", "2023-08-01")):  # fmt: skip
        step = item.steps.get(kind=kind)
        services.record_step(step, actor=editor, status="done", done_on=day, summary="示例：已履行。")
    services.record_decision_publication(c, actor=editor, published_on="2023-08-15",
                                         decision_title="静安区既有多层住宅加装电梯实施办法（示例）")  # fmt: skip
    report = services.save_report(
        c, actor=editor, received=5, adopted=1, partly=1, not_adopted=3,
        summary="示例：征集期间共收到意见5条，经研究采纳1条、部分采纳1条、未采纳3条。",
        concentrated=[{"summary": "降低加装电梯的表决比例要求", "count": 2, "adoption": "not_adopted",
                       "reason": "表决比例依照《民法典》第二百七十八条确定，本办法不能降低。"}],
    )  # fmt: skip
    services.publish_report(report, actor=editor, published_on="2023-08-25")
    progress("  已登记 2023 年加装电梯办法的意见征集和采纳情况（示例）")


def _open_draft(
    editor: User, government: Organisation, today: dt.date, progress: Callable[[str], None]
) -> None:
    if Consultation.objects.filter(title=OPEN_DRAFT_TITLE).exists():
        return
    c = services.create_consultation(
        actor=editor, organisation=government, title=OPEN_DRAFT_TITLE, body_text=OPEN_DRAFT,
        explanation="示例：本草案为平台演示编写，不是真实的政策草案。", opens_on=today,
        closes_on=today + dt.timedelta(days=29), concerns_enterprises=True, is_sample=True,
        how_to_comment="示例：也可发送电子邮件至 demo@example.gov.cn。",
    )  # fmt: skip
    services.publish_consultation(c, actor=editor)
    services.invite_party(c, actor=editor, name="示例中小企业协会", kind="association", contact="示例联系人")
    comment = services.submit_comment(c, body="示例意见：建议明确专精特新奖励的申报时间。", article_number=3,
                                      display_name="示例网友")  # fmt: skip
    services.moderate_comment(comment, actor=editor, publish=True)
    progress("  已发布征求意见稿（示例），征集至 " + str(c.closes_on))


def _survey(editor: User, government: Organisation, today: dt.date) -> Survey | None:
    if Survey.objects.filter(title__startswith="政务公开工作满意度调查").exists():
        return Survey.objects.filter(title__startswith="政务公开工作满意度调查").first()
    survey = services.create_survey(actor=editor, organisation=government, title="政务公开工作满意度调查（示例）",
                                    opens_on=today, closes_on=today + dt.timedelta(days=30), is_sample=True,
                                    description="示例：调查结果仅供演示。")  # fmt: skip
    q1 = services.add_question(survey, actor=editor, kind="single", text="您通过什么渠道获取政府信息？",
                               options=["政府网站", "政务新媒体", "12345热线", "社区公告栏"])  # fmt: skip
    q2 = services.add_question(survey, actor=editor, kind="multiple", text="您最关注哪些信息？",
                               options=["惠企政策", "民生保障", "规划建设", "财政预决算"])  # fmt: skip
    q3 = services.add_question(survey, actor=editor, kind="scale", text="您对政务公开工作的总体满意度",
                               scale_min=1, scale_max=5, scale_labels="1很不满意，5很满意")  # fmt: skip
    q4 = services.add_question(survey, actor=editor, kind="text", text="您的其他建议", required=False)
    services.publish_survey(survey, actor=editor)
    for n in range(12):
        answers = {q1.field_name: str(n % 4 if n % 3 else 0), q2.field_name: [str(n % 4), str((n + 1) % 4)],
                   q3.field_name: str(3 + n % 3), q4.field_name: "示例建议：希望政策解读更通俗。" if n % 4 == 0 else ""}  # fmt: skip
        services.submit_response(survey, participant_key=f"demo-response-{n}", answers=answers)
    return survey


def _event(editor: User, government: Organisation, survey: Survey | None, now: dt.datetime) -> None:
    if Event.objects.filter(title__startswith="政府开放月").exists():
        return
    start = (now + dt.timedelta(days=20)).replace(hour=9, minute=30, second=0, microsecond=0)
    event = services.create_event(
        actor=editor, organisation=government, kind="open_day", title="政府开放月：走进区政务服务中心（示例）",
        venue="静安区行政服务中心（示例地址）", starts_at=start, ends_at=start + dt.timedelta(hours=2), capacity=5,
        description="示例：参观政务服务大厅，与工作人员面对面交流惠企政策。名额5人，报满后进入候补。",
        feedback_survey=survey, is_sample=True, publish=True,
    )  # fmt: skip
    for n in range(1, 5):
        services.register(event, name=f"示例报名人{n}", contact=f"demo{n}@example.org")


def _solicitation(editor: User, government: Organisation, today: dt.date) -> None:
    if Solicitation.objects.filter(title__startswith="2027年民生实事项目").exists():
        return
    s = services.create_solicitation(actor=editor, organisation=government, kind="project", title="2027年民生实事项目征集（示例）",
                                     opens_on=today, closes_on=today + dt.timedelta(days=30), is_sample=True,
                                     publish=True, description="示例：欢迎提出明年的民生实事项目建议。")  # fmt: skip
    for title, body in (("增设社区食堂（示例）", "建议在老年人较多的街道增设社区食堂。"),
                        ("口袋公园改造（示例）", "建议把闲置地块改造为口袋公园。")):  # fmt: skip
        proposal = services.submit_proposal(s, title=title, body=body, display_name="示例居民")
        services.moderate_proposal(proposal, actor=editor, publish=True)
    services.answer_proposal(proposal, actor=editor, answer="示例答复：已转区绿化市容局研究。")


def _attendance(editor: User, government: Organisation) -> None:
    from gongkai.participation.models import Attendance

    if Attendance.objects.filter(organisation=government, meeting_date__year=2023).exists():
        return
    for n, (day, kind) in enumerate((("2023-03-15", "citizen"), ("2023-06-21", "enterprise"),
                                     ("2023-08-01", "citizen"), ("2023-11-22", "expert")), start=1):  # fmt: skip
        row = services.invite_representative(
            actor=editor, organisation=government, meeting_title=f"区政府常务会议（示例第{n}次）", meeting_date=day,
            representative_name=f"示例代表{n}", representative_kind=kind, invited_on=day,
        )  # fmt: skip
        services.record_attendance(row, actor=editor, attended=True)


def load_participation(users: dict[str, User], organisations: dict[str, Organisation],
                       progress: Callable[[str], None] = print) -> None:  # fmt: skip
    editor, government = users["editor"], organisations["jingan-gov"]
    today, now = timezone.localdate(), timezone.localtime()
    try:
        _catalogue(editor, government, organisations["jingan-housing"], progress)
        _decided_draft(editor, government, progress)
        _attendance(editor, government)
        _open_draft(editor, government, today, progress)
        survey = _survey(editor, government, today)
        _event(editor, government, survey, now)
        _solicitation(editor, government, today)
    except ValidationError as exc:
        progress(f"  公众参与演示数据未完整载入：{'；'.join(exc.messages)}")
