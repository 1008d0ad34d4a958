"""The publish workflow, validation and audit trail of the document library."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import Event
from gongkai.core.services import verify_chain
from gongkai.documents import services
from gongkai.documents.constants import DocumentStatus, RelationType, Validity
from gongkai.documents.models import Document

pytestmark = pytest.mark.django_db


def test_create_stores_normalised_doc_number_and_parts(editor):
    document = services.create_document(actor=editor, organisation=editor.organisation, title="测试通知",
                                        doc_number="静府办发 [2023] 05 号", written_date="2023-04-23")  # fmt: skip
    assert document.doc_number == "静府办发〔2023〕5号"
    assert (document.organ_code, document.doc_year, document.doc_serial) == ("静府办发", 2023, 5)
    assert document.status == DocumentStatus.DRAFT
    assert document.index_number == "JA-GOVOFFICE/2023-00001"
    assert [link.organisation for link in document.issuer_links.all()] == [editor.organisation]


def test_index_numbers_are_per_organisation_and_year_and_never_reused(editor, make_document):
    first = make_document("甲", publish=False, written_date="2023-01-05")
    second = make_document("乙", publish=False, written_date="2023-02-05")
    third = make_document("丙", publish=False, written_date="2024-02-05")
    assert [first.index_number, second.index_number, third.index_number] == [
        "JA-GOVOFFICE/2023-00001", "JA-GOVOFFICE/2023-00002", "JA-GOVOFFICE/2024-00001"]  # fmt: skip
    second.delete()
    fourth = make_document("丁", publish=False, written_date="2023-03-05")
    assert fourth.index_number == "JA-GOVOFFICE/2023-00003"


@pytest.mark.parametrize(
    ("fields", "field", "fragment"),
    [
        ({"written_date": "2023-02-30"}, "written_date", "成文日期"),
        ({"published_date": "昨天"}, "published_date", "发布日期"),
        ({"doc_number": "关于印发的通知"}, "doc_number", "发文字号"),
        ({"effective_date": "2024-01-01", "expiry_date": "2023-01-01"}, "expiry_date", "有效期至"),
        ({"disclosure_mode": "withheld"}, "withheld_reason", "第十四"),
    ],
)
def test_bad_input_names_the_field_in_chinese_and_saves_nothing(editor, fields, field, fragment):
    before = (Document.objects.count(), Event.objects.count())
    with pytest.raises(ValidationError) as excinfo:
        services.create_document(actor=editor, organisation=editor.organisation, title="测试", **fields)
    assert field in excinfo.value.message_dict
    assert fragment in " ".join(excinfo.value.message_dict[field])
    assert (Document.objects.count(), Event.objects.count()) == before


def test_duplicate_index_number_is_refused(editor):
    services.create_document(
        actor=editor, organisation=editor.organisation, title="甲", index_number="X/2023-1"
    )
    with pytest.raises(ValidationError) as excinfo:
        services.create_document(
            actor=editor, organisation=editor.organisation, title="乙", index_number="X/2023-1"
        )
    assert "索引号" in excinfo.value.message_dict["index_number"][0]
    assert Document.objects.filter(title="乙").count() == 0


def test_publish_needs_review_by_a_reviewer_of_the_same_organisation(editor, reviewer, make_user, other_org):
    document = services.create_document(actor=editor, organisation=editor.organisation, title="待审文件")
    with pytest.raises(ValidationError):
        services.publish_document(document, actor=reviewer)  # still a draft: must be submitted first
    document = services.submit_for_review(document, actor=editor)
    with pytest.raises(PermissionDenied):
        services.publish_document(document, actor=editor)  # an editor cannot approve
    foreign_reviewer = make_user("foreign", other_org, "reviewer")
    with pytest.raises(PermissionDenied):
        services.publish_document(document, actor=foreign_reviewer)
    document = services.publish_document(document, actor=reviewer)
    assert document.status == DocumentStatus.PUBLISHED
    assert document.published_at is not None
    verbs = list(Event.objects.filter(target_id=str(document.pk)).values_list("verb", flat=True))
    assert verbs == ["document.created", "document.submit", "document.publish"]
    assert Event.objects.get(verb="document.publish", target_id=str(document.pk)).actor == reviewer


def test_every_transition_allowed_and_forbidden(editor, reviewer):
    document = services.create_document(actor=editor, organisation=editor.organisation, title="流程")
    for forbidden in (services.publish_document, services.reopen_document):
        with pytest.raises(ValidationError):
            forbidden(document, actor=reviewer if forbidden is services.publish_document else editor)
    with pytest.raises(ValidationError):
        services.withdraw_document(document, actor=reviewer, reason="测试")
    document = services.submit_for_review(document, actor=editor)
    with pytest.raises(ValidationError):
        services.update_document(document, actor=editor, title="审核中改标题")
    with pytest.raises(ValidationError):
        services.reject_document(document, actor=reviewer, reason=" ")
    document = services.reject_document(document, actor=reviewer, reason="文号有误")
    assert document.status == DocumentStatus.DRAFT
    document = services.publish_document(services.submit_for_review(document, actor=editor), actor=reviewer)
    document = services.withdraw_document(document, actor=reviewer, reason="内容有误")
    assert document.status == DocumentStatus.WITHDRAWN
    document = services.reopen_document(document, actor=editor)
    assert document.status == DocumentStatus.DRAFT


def test_status_cannot_be_set_directly(editor):
    document = services.create_document(actor=editor, organisation=editor.organisation, title="直接改状态")
    with pytest.raises(AttributeError):
        document.status = DocumentStatus.PUBLISHED


def test_validity_follows_dates_and_relations_and_staff_override(editor, make_document, reviewer):
    today = dt.date.today()
    future = make_document("尚未施行", effective_date=str(today + dt.timedelta(days=30)))
    assert future.validity == Validity.NOT_YET_EFFECTIVE
    expired = make_document("已过期", effective_date="2020-01-01", expiry_date="2021-12-31")
    assert expired.validity == Validity.EXPIRED
    old = make_document("旧办法", written_date="2019-01-01")
    new = make_document("新办法", publish=False, written_date="2023-01-01")
    services.add_relation(new, actor=editor, relation_type=RelationType.REPEALS, target=old)
    old.refresh_from_db()
    assert old.validity == Validity.VALID  # the repealing document is not yet published
    services.publish_document(services.submit_for_review(new, actor=editor), actor=reviewer)
    old.refresh_from_db()
    assert old.validity == Validity.REPEALED
    overridden = services.set_validity(expired, actor=editor, validity=Validity.VALID)
    assert overridden.validity == Validity.VALID


def test_bodies_are_sanitised(editor):
    document = services.create_document(actor=editor, organisation=editor.organisation, title="正文",
                                        body_html='<p onclick="x()">一</p><script>alert(1)</script>')  # fmt: skip
    assert "<script" not in document.body_html and "onclick" not in document.body_html
    assert document.body_text == "一"


def test_attachment_type_and_size_are_checked(editor, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    document = services.create_document(actor=editor, organisation=editor.organisation, title="附件")
    with pytest.raises(ValidationError) as excinfo:
        services.add_attachment(document, actor=editor, filename="run.exe", content=b"MZ")
    assert "类型" in excinfo.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.add_attachment(document, actor=editor, filename="big.pdf", content=b"%PDF" + b"0" * 20)
    assert "大小" in excinfo.value.message_dict["file"][0]
    assert document.attachments.count() == 0


def test_audit_chain_detects_tampering(editor, make_document):
    make_document("甲")
    make_document("乙")
    assert verify_chain().ok
    event = Event.objects.order_by("id")[2]
    Event.objects.filter(pk=event.pk).update(data={"changed": "forged"})
    report = verify_chain()
    assert report.broken_at == event.pk


def test_several_outside_references_of_one_type_are_all_kept(editor):
    document = services.create_document(
        actor=editor, organisation=editor.organisation, title="依据多部法规的办法"
    )
    for title in ("中华人民共和国个人所得税法", "中华人民共和国税收征收管理法", "中华人民共和国个人所得税法"):
        services.add_relation(document, actor=editor, relation_type=RelationType.BASED_ON, target_title=title)
    titles = sorted(document.outgoing_relations.values_list("target_title", flat=True))
    assert titles == ["中华人民共和国个人所得税法", "中华人民共和国税收征收管理法"]
