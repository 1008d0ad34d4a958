"""Demo 政民互动 content, made through the interaction services and labelled 示例.

On the page of the 2023 work plan (静府办发〔2023〕5号): three questions (written for the demo), two of
them similar, answered and reviewed, and promoted to an FAQ; one still open. A small knowledge base
written for the demo (`content/kb-demo.jsonl`), so the search box answers questions about 政务公开.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.documents.selectors import public_documents
from gongkai.interaction import kb, services, workorders
from gongkai.interaction.constants import Category, Channel
from gongkai.interaction.models import Message

KB_FILE = Path(__file__).resolve().parent / "content" / "kb-demo.jsonl"
WORK_PLAN = "静府办发〔2023〕5号"

QUESTIONS = [
    ("示例：工作要点要求的政策解读，要在文件公布后多少天内发布？", "citizen1@example.com",
     "示例：政策解读应与政策文件同步发布；因特殊情况未能同步的，应在文件公开后3个工作日内发布。联系人张伟，电话13812345678。"),
    ("示例：文件公布后政策解读最迟多少天发布？", "13900001111",
     "示例：按照工作要点的“三同步”要求，解读与文件同步发布，最迟不超过文件公开后3个工作日。"),
    ("示例：工作要点提到的政策问答库，市民在哪里可以查询？", "citizen3@example.com", ""),
]  # fmt: skip


def _mailboxes(plan_organisation: object, progress: Callable[[str], None]) -> None:
    """A 领导信箱 letter left unanswered for more than three months (the dashboard's red alarm) and a
    12345 work order received today, both 示例."""
    if Message.objects.filter(external_id="示例-12345-0001").exists():
        return
    services.submit_message(
        organisation=plan_organisation, channel=Channel.LEADER_MAILBOX, category=Category.SUGGESTION,
        subject="示例：建议延长社区图书室开放时间", body="示例：建议社区图书室周末延长开放时间，方便上班族。",
        contact="reader@example.com", today=timezone.localdate() - dt.timedelta(days=100),
    )  # fmt: skip
    workorders.receive_work_order({
        "external_id": "示例-12345-0001", "channel": "hotline_12345", "organisation": plan_organisation.code,
        "category": "求助", "subject": "示例：查询政府信息公开申请进度", "body": "示例：上月提交的信息公开申请想了解办理进度。",
        "contact": "13700000000",
    })  # fmt: skip
    progress("  已添加领导信箱和12345工单示例（含超过三个月未答复的告警示例）")


def load_interaction(users: dict[str, User], progress: Callable[[str], None] = print) -> int:
    result = kb.import_entries(KB_FILE.read_text(encoding="utf-8").splitlines())
    plan = public_documents().filter(doc_number=WORK_PLAN).first()
    if plan is not None:
        _mailboxes(plan.organisation, progress)
    plan = public_documents().filter(doc_number=WORK_PLAN).first()
    if plan is None or Message.objects.filter(document=plan).exists():
        return len(result.created)
    editor, reviewer = users["editor"], users["reviewer"]
    answered = []
    for body, contact, reply in QUESTIONS:
        message = services.submit_message(organisation=plan.organisation, document=plan, body=body, contact=contact,
                                          name="示例市民")  # fmt: skip
        if reply:
            draft = services.draft_reply(message, actor=editor, body=reply)
            services.review_reply(draft, actor=reviewer, approve=True,
                                  note="示例：联系人信息公开时遮蔽。")  # fmt: skip
            answered.append(message)
    services.promote_to_faq(answered, actor=editor, question="示例：政策解读要在文件公布后多久发布？",
                            answer="示例：与政策文件同步发布（三同步）；因特殊情况未能同步的，最迟在文件公开后3个工作日内发布。")  # fmt: skip
    progress("  已添加政策留言板示例（工作要点页面）和知识库示例")
    return len(result.created)
