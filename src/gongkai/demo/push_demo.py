"""Demo 精准推送 content, labelled 示例: a citizen, an association with its operator and two member
enterprises, and a policy for 退役军人 · 就业创业 waiting in the disclosure review, so that publishing
it (as the demo reviewer) shows the whole push: 我的政策, mail (files in the data directory), the
association's forwarding task.

The policy text was written for the demo; it is not a real Jing'an document.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.constants import UserKind
from gongkai.accounts.models import PublicAccount, User
from gongkai.documents import services as document_services
from gongkai.documents.interpretation_sync import set_interpretation_requirement
from gongkai.documents.models import Document
from gongkai.ingest.services import paragraphs_html
from gongkai.subscriptions import relay, services
from gongkai.subscriptions.models import RelayOrganisation

PENDING_POLICY_TITLE = "静安区支持退役军人就业创业若干措施（示例）"
PENDING_POLICY = """一、本措施所称退役军人，是指依法退出现役、户籍在本区的军官、军士和义务兵。
二、支持自主就业。对退役军人参加职业技能培训并取得证书的，按规定给予培训补贴。
三、支持创业。退役军人在本区首次创办企业或者个体工商户的，可以按规定申请创业担保贷款及贴息。
四、鼓励企业吸纳。企业招用退役军人并依法缴纳社会保险的，按规定享受税收优惠。
五、本措施由区退役军人事务局会同区人力资源和社会保障局负责解释。
六、本措施为平台演示编写的示例，不是静安区实际发布的文件。"""

CITIZEN = "citizen@example.com"
OPERATOR = "association@example.com"
ASSOCIATION = "静安区退役军人就业创业促进会（示例）"
MEMBERS_CSV = """名称,统一社会信用代码,邮箱,标签
示例甲科技有限公司（示例）,91310106MA1FY0T10L,member-a@example.com,small-micro
示例乙服务有限公司（示例）,91310000MA1FL4B204,member-b@example.com,small-micro
"""


def _public_user(username: str, kind: str, password: str, name: str = "") -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": username, "kind": kind, "display_name": name, "is_staff": False}
    )
    if created:
        user.set_password(password)
        user.save()
        PublicAccount.objects.create(user=user, consent_at=timezone.now(), email_verified_at=timezone.now(),
                                     enterprise_name=name if kind == UserKind.ENTERPRISE else "")  # fmt: skip
    return user


def _pending_policy(editor: User, reviewer: User) -> Document | None:
    if Document.objects.filter(title=PENDING_POLICY_TITLE).exists():
        return None
    with transaction.atomic():
        document = document_services.create_document(
            actor=editor, organisation=editor.organisation, title=PENDING_POLICY_TITLE, doc_type="measures",
            theme="1502", tags=["veterans", "employment", "theme-1502"], body_text=PENDING_POLICY,
            body_html=paragraphs_html(PENDING_POLICY), summary="示例：支持退役军人自主就业、创业和企业吸纳的措施。",
            check_permission=False,
        )  # fmt: skip
        document = set_interpretation_requirement(document, actor=None, required=False,
                                                  reason="示例文件：演示精准推送，不另行解读", check_permission=False)  # fmt: skip
        return document_services.submit_for_review(document, actor=editor)


def load_push(users: dict[str, User], progress: Callable[[str], None] = print) -> None:
    from .loader import DEMO_PASSWORD

    citizen = _public_user(CITIZEN, UserKind.PERSON, DEMO_PASSWORD, "示例市民")
    services.save_profile(citizen, actor=citizen, tag_codes=["veterans", "employment"])
    operator = _public_user(OPERATOR, UserKind.ENTERPRISE, DEMO_PASSWORD, ASSOCIATION)
    if not RelayOrganisation.objects.filter(name=ASSOCIATION).exists():
        association = relay.create_relay(actor=None, name=ASSOCIATION, kind="association",
                                         tag_codes=["veterans", "employment"], operators=[operator])  # fmt: skip
        relay.import_members(association, MEMBERS_CSV, actor=operator)
        progress(f"  已建立接力组织 {ASSOCIATION}（两家会员企业）")
    if _pending_policy(users["editor"], users["reviewer"]) is not None:
        progress(f"  待审查：{PENDING_POLICY_TITLE}（审查通过即推送）")
