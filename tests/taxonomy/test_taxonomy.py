"""The shared demand-side tag catalogue (work plan item 十二) and how documents use it."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from gongkai.accounts.constants import OrganisationKind
from gongkai.documents import services
from gongkai.documents.constants import DocType
from gongkai.documents.models import Document
from gongkai.documents.tagging import suggest_tags, tag_document
from gongkai.taxonomy import services as taxonomy
from gongkai.taxonomy.models import Tag
from paths import CONTENT

pytestmark = pytest.mark.django_db


def test_catalogue_is_seeded_in_every_dimension(make_org):
    codes = set(Tag.objects.values_list("code", flat=True))
    for code in ("graduates", "unemployed", "migrant-workers", "veterans", "elderly", "disabled", "low-income",
                 "students-parents", "new-residents", "sole-traders", "small-micro", "medium", "large",
                 "high-tech", "specialised-sme", "foreign-invested", "social-orgs"):  # fmt: skip
        assert Tag.objects.get(code=code).dimension == "audience", code
    for code in ("birth", "schooling", "employment", "marriage-childbirth", "housing", "medical", "retirement",
                 "elderly-care", "after-death", "business-start", "business-licensing", "business-operation",
                 "investment-construction", "financing", "business-change", "business-closure"):  # fmt: skip
        assert Tag.objects.get(code=code).dimension == "life_event", code
    industry = Tag.objects.filter(dimension="industry")
    assert industry.filter(parent=None).count() == 20  # 门类 A–T
    assert industry.exclude(parent=None).count() == 97  # 大类 01–97
    assert Tag.objects.get(code="industry-05").name == "农、林、牧、渔专业及辅助性活动"
    assert Tag.objects.get(code="industry-05").parent.code == "industry-A"
    assert "theme-0203" in codes and Tag.objects.get(code="theme-0203").name == "政务公开"
    street = make_org("jiangninglu", "上海市静安区人民政府江宁路街道办事处", "", kind=OrganisationKind.STREET)
    region = Tag.objects.get(code="region-jiangninglu")
    assert region.dimension == "region" and street.name in region.keywords


def test_tags_list_json_prints_code_name_dimension_parent(capsys):
    call_command("tags", "list", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert {tuple(sorted(row)) for row in rows} == {("code", "dimension", "name", "parent")}
    assert {row["dimension"] for row in rows} <= {"audience", "industry", "life_event", "theme", "region"}
    by_code = {row["code"]: row for row in rows}
    assert by_code["veterans"] == {
        "code": "veterans",
        "name": "退役军人",
        "dimension": "audience",
        "parent": "person",
    }
    assert by_code["industry-A"]["parent"] is None and by_code["industry-01"]["parent"] == "industry-A"
    call_command("tags", "list", "--dimension", "life_event", "--json")
    assert {row["dimension"] for row in json.loads(capsys.readouterr().out)} == {"life_event"}


def test_a_policy_goes_to_review_only_with_audience_and_theme_tags(editor):
    policy = services.create_document(actor=editor, organisation=editor.organisation, title="关于促进就业的若干措施",
                                      doc_type=DocType.MEASURES, interpretation_required=False,
                                      interpretation_waiver_reason="本测试只检查标签规则")  # fmt: skip
    with pytest.raises(ValidationError) as missing_both:
        services.submit_for_review(policy, actor=editor)
    message = missing_both.value.message_dict["tags"][0]
    assert message.endswith("目前缺少“对象”、“主题”标签。")
    policy = services.update_document(policy, actor=editor, tags=["graduates"])
    with pytest.raises(ValidationError) as missing_theme:
        services.submit_for_review(policy, actor=editor)
    assert missing_theme.value.message_dict["tags"][0].endswith("目前缺少“主题”标签。")
    # The 主题分类 brings its 主题 tag.
    policy = services.update_document(policy, actor=editor, theme="0203")
    assert set(policy.tags.values_list("code", flat=True)) == {"graduates", "theme-0203"}
    assert services.submit_for_review(policy, actor=editor).status == "in_review"
    notice = services.create_document(actor=editor, organisation=editor.organisation, title="关于召开会议的通知",
                                      doc_type=DocType.NOTICE)  # fmt: skip
    assert services.submit_for_review(notice, actor=editor).status == "in_review"  # not a policy


def test_unknown_tag_code_names_the_field_and_saves_nothing(editor):
    before = Document.objects.count()
    with pytest.raises(ValidationError) as error:
        services.create_document(actor=editor, organisation=editor.organisation, title="某通知",
                                 tags=["veterans", "no-such-tag"])  # fmt: skip
    assert "no-such-tag" in error.value.message_dict["tags"][0]
    assert Document.objects.count() == before


def test_catalogue_edits_check_dimension_and_rights(editor, django_user_model):
    admin = django_user_model.objects.create_superuser("tag-admin", password="pw-123456789")
    with pytest.raises(ValidationError) as wrong_dimension:
        taxonomy.create_tag(actor=admin, code="gig-workers", name="灵活就业人员", dimension="audience",
                            parent=Tag.objects.get(code="employment"))  # fmt: skip
    assert "同一维度" in wrong_dimension.value.message_dict["parent"][0]
    with pytest.raises(PermissionDenied):
        taxonomy.create_tag(actor=editor, code="gig-workers", name="灵活就业人员", dimension="audience")
    tag = taxonomy.create_tag(actor=admin, code="gig-workers", name="灵活就业人员", dimension="audience",
                              parent=Tag.objects.get(code="person"))  # fmt: skip
    assert tag.parent.code == "person"


def test_a_tag_in_use_is_merged_never_deleted(make_document, django_user_model):
    admin = django_user_model.objects.create_superuser("tag-admin", password="pw-123456789")
    source = taxonomy.create_tag(actor=admin, code="ex-servicemen", name="退伍军人", dimension="audience",
                                 parent=Tag.objects.get(code="person"))  # fmt: skip
    one = make_document("甲通知", tags=["ex-servicemen"])
    both = make_document("乙通知", tags=["ex-servicemen", "veterans"])
    with pytest.raises(ValidationError):
        taxonomy.delete_tag(source, actor=admin)
    moved = taxonomy.merge_tags(source, Tag.objects.get(code="veterans"), actor=admin)
    assert moved == 1
    assert list(one.tags.values_list("code", flat=True)) == ["veterans"]
    assert list(both.tags.values_list("code", flat=True)) == ["veterans"]
    source.refresh_from_db()
    assert source.merged_into.code == "veterans" and not source.is_active
    # The retired code still resolves, to its target.
    third = make_document("丙通知", tags=["ex-servicemen"])
    assert list(third.tags.values_list("code", flat=True)) == ["veterans"]
    unused = taxonomy.create_tag(actor=admin, code="unused-tag", name="未使用", dimension="audience")
    taxonomy.delete_tag(unused, actor=admin)
    assert not Tag.objects.filter(code="unused-tag").exists()


def test_tag_filter_includes_sub_tags_and_is_a_facet(client, make_document):
    veterans = make_document("关于退役军人就业创业的若干措施", doc_type=DocType.MEASURES,
                             tags=["veterans", "employment", "theme-0203"])  # fmt: skip
    graduates = make_document("关于高校毕业生就业的通知", tags=["graduates", "employment"])
    make_document("关于小微企业融资的通知", tags=["small-micro", "financing"])
    api = APIClient()
    by_person = api.get("/api/documents/", {"tag": "person"}).json()
    assert {row["id"] for row in by_person["results"]} == {veterans.pk, graduates.pk}
    both = api.get("/api/documents/", {"tag": ["veterans", "employment"]}).json()
    assert [row["id"] for row in both["results"]] == [veterans.pk]
    assert {"code": "veterans", "name": "退役军人", "dimension": "audience"} in both["results"][0]["tags"]
    bad = api.get("/api/documents/", {"tag": "nonsense"})
    assert bad.status_code == 400 and "tag" in bad.json()
    page = client.get(reverse("portal:document-list"), {"tag": "employment"}).content.decode()
    assert "政策标签" in page and "对象·退役军人" in page and "关于小微企业融资的通知" not in page


def test_suggestions_on_real_regulations_name_their_evidence():
    nurses = (CONTENT / "law-21.txt").read_text()
    suggestions = {s.code: s for s in suggest_tags("护士条例", nurses)}
    assert "medical-staff" in suggestions and "护士" in suggestions["medical-staff"].words
    kindergartens = (CONTENT / "law-19.txt").read_text()
    codes = [s.code for s in suggest_tags("幼儿园管理条例", kindergartens)]
    assert "students-parents" in codes or "schools" in codes
    # Nothing a regulation does not mention: no 退役军人 for nurses.
    assert "veterans" not in suggestions


def test_classifier_learns_from_documents_staff_tagged(make_document):
    for n in range(24):
        make_document(f"军休所服务工作通知{n}", body_text=f"做好军休干部服务保障，军休所第{n}批。",
                      tags=["veterans"])  # fmt: skip
        make_document(f"道路养护通知{n}", body_text=f"做好道路养护工作，第{n}批。", tags=["enterprise"])
    suggestions = {s.code: s for s in suggest_tags("关于军休干部服务的通知", "加强军休干部服务管理。")}
    assert "veterans" in suggestions and "classifier" in suggestions["veterans"].source
    assert any("军休" in word for word in suggestions["veterans"].words)


def test_bulk_tagging_adds_suggested_tags_to_published_documents(make_document, editor):
    text = (CONTENT / "law-21.txt").read_text()
    document = make_document("护士条例", body_text=text)
    added = tag_document(document, actor=editor, use_suggestions=True)
    assert "medical-staff" in added
    assert "medical-staff" in document.tags.values_list("code", flat=True)


def test_upload_confirm_screen_offers_suggested_tags_staff_accept_each(
    client, editor, django_capture_on_commit_callbacks
):
    import io

    from gongkai.ingest.models import ImportRecord

    client.force_login(editor)
    upload = io.BytesIO("护士条例\n\n".encode() + (CONTENT / "law-21.txt").read_bytes())
    upload.name = "nurses.txt"
    with django_capture_on_commit_callbacks(execute=True):  # the upload is read by a task after commit
        client.post(reverse("ingest:upload"), {"files": [upload]})
    record = ImportRecord.objects.get()
    page = client.get(reverse("ingest:record-confirm", args=[record.pk])).content.decode()
    assert 'name="suggested_tags" value="medical-staff"' in page and "护士" in page
    response = client.post(reverse("ingest:record-confirm", args=[record.pk]), {
        "title": "护士条例", "doc_type": "regulations", "theme": "1301", "suggested_tags": ["medical-staff"],
        "tags": ["employment"],
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    record.refresh_from_db()
    assert set(record.document.tags.values_list("code", flat=True)) == {
        "medical-staff",
        "employment",
        "theme-1301",
    }
    assert record.document.theme.code == "1301"
