"""Typing a document's title finds that document first (issue 21); runs on SQLite and PostgreSQL.

The regulations are real (tests/fixtures/search, see SOURCES.LICENSE): 化妆品生产经营监督管理办法 cites
《化妆品监督管理条例》 throughout its body, 外商投资电信企业管理规定 cites 《中华人民共和国电信条例》
(“以下简称电信条例”), which is how a document that only mentions a title used to outrank the
document bearing it.
"""

from __future__ import annotations

import pytest

from gongkai.search import query as search_query
from gongkai.search import selectors
from paths import FIXTURES as ALL_FIXTURES

pytestmark = pytest.mark.django_db(transaction=True)
FIXTURES = ALL_FIXTURES / "search"


def ids(text: str) -> list[int]:
    return [r.document.pk for r in selectors.search(text, with_facets=False, limit=10).results]


def regulation(make_document, name: str, published_date: str):
    """A regulation as imported: the `# title` line becomes the title, the rest the body."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    header, body = text.split("\n", 1)
    return make_document(header.lstrip("# ").strip(), published_date=published_date, body_text=body.strip())


@pytest.fixture
def regulations(make_document):
    return {
        "cosmetics": regulation(make_document, "cosmetics-supervision-regulation.md", "2020-06-29"),
        "cosmetics_measures": regulation(make_document, "cosmetics-production-measures.md", "2021-08-06"),
        "telecom": regulation(make_document, "telecom-regulation.md", "2016-02-06"),
        "foreign_telecom": regulation(make_document, "foreign-telecom-enterprises.md", "2016-02-06"),
        "plan": make_document("关于做好2023年政务公开工作的通知", published_date="2023-03-01",
                              body_text="各单位要加强化妆品、电信等领域监督管理信息公开。"),
    }  # fmt: skip


def test_exact_title_ranks_first_over_documents_citing_it(regulations):
    assert regulations["telecom"].title == "中华人民共和国电信条例"
    cosmetics = ids("化妆品监督管理条例")
    assert cosmetics[0] == regulations["cosmetics"].pk
    assert regulations["cosmetics_measures"].pk in cosmetics  # the citing document is still found
    telecom = ids("中华人民共和国电信条例")
    assert telecom[0] == regulations["telecom"].pk
    assert regulations["foreign_telecom"].pk in telecom


@pytest.mark.parametrize(
    "text", ["《化妆品监督管理条例》", "化妆品 监督管理 条例", "“化妆品监督管理条例”", "化妆品监督管理条例。"]
)
def test_exact_title_ignores_spaces_punctuation_and_title_marks(regulations, text):
    assert ids(text)[0] == regulations["cosmetics"].pk


@pytest.mark.parametrize("text", ["电信条例", "《电信条例》", "中华人民共和国 电信条例"])
def test_title_without_the_national_prefix_finds_the_regulation_first(regulations, text):
    assert ids(text)[0] == regulations["telecom"].pk


def test_part_of_a_title_ranks_titles_containing_it_above_body_mentions(regulations):
    # a prefix, and a contiguous part the other document's body mentions more often
    assert ids("化妆品监督管理")[0] == regulations["cosmetics"].pk
    assert ids("外商投资电信")[0] == regulations["foreign_telecom"].pk
    assert ids("电信企业管理")[0] == regulations["foreign_telecom"].pk


def test_short_title_form_finds_the_work_plan_in_the_top_3(make_document):
    mention = "按照区政务公开工作要点的部署，落实政务公开工作要点明确的各项任务。"
    plan = make_document("2023年静安区政务公开工作要点", published_date="2023-04-23",
                         body_text="一、深化重点领域信息公开。二、加强政策解读。三、夯实政务公开基础。")  # fmt: skip
    previous = make_document("2022年静安区政务公开工作要点", published_date="2022-04-20",
                             body_text="一、围绕疫情防控做好信息发布。二、推进基层政务公开标准化。")  # fmt: skip
    citing = [
        make_document(title, published_date=f"2023-{month:02d}-10", body_text=mention * 4)
        for month, title in [(6, "静安区2023年上半年政务公开工作总结"), (9, "关于开展政务公开第三方评估的通知"),
                             (11, "静安区政务公开工作推进情况通报"), (12, "关于落实重点任务分工的通知")]
    ]  # fmt: skip
    found = ids("政务公开工作要点")
    assert plan.pk in found[:3]
    assert set(found[:2]) == {plan.pk, previous.pk}  # titles containing the words before mentions in bodies
    assert set(found) == {plan.pk, previous.pk, *[d.pk for d in citing]}


def test_exact_title_older_than_the_ranked_window_still_ranks_first(settings, make_document):
    settings.SEARCH_RANK_WINDOW = 2
    settings.SEARCH_HEAD_WINDOW = 1
    telecom = regulation(make_document, "telecom-regulation.md", "2000-09-25")
    newer = [
        make_document(title, published_date=date, body_text=f"根据电信条例，{title}。电信条例第三条")
        for title, date in [("国务院关于修改电信条例部分条款的决定", "2014-07-29"),
                            ("关于贯彻实施电信条例的通知", "2016-03-01"), ("电信业务经营许可管理办法", "2017-07-03"),
                            ("关于电信条例执行情况的报告", "2019-05-05"), ("电信设备进网管理办法", "2020-01-10")]
    ]  # fmt: skip
    found = []
    for page in range(3):
        found += [r.document.pk for r in selectors.search("电信条例", offset=page * 2, limit=2).results]
    assert found[0] == telecom.pk
    assert sorted(found) == sorted([telecom.pk, *[d.pk for d in newer]])  # every match exactly once


@pytest.mark.parametrize(
    ("text", "key"),
    [("《中华人民共和国电信条例》", "电信条例"), ("中华人民共和国 电信条例", "电信条例"),
     ("“化妆品监督管理条例”", "化妆品监督管理条例"), ("Ｗ T O 规则", "wto规则"), ("电信条例 -外商", "电信条例"),
     ("电信条例 OR 化妆品", ""), ("国务院关于修改《中华人民共和国电信条例》的决定", "国务院关于修改中华人民共和国电信条例的决定")],
)  # fmt: skip
def test_query_title_key(text, key):
    assert search_query.parse(text).title_key == key


def test_part_of_a_title_cut_inside_the_national_prefix_ranks_it_first(make_document):
    # the bench's two-thirds of 中华人民共和国民办教育促进法实施条例 starts inside the prefix
    target = make_document("中华人民共和国民办教育促进法实施条例", published_date="2021-04-07",
                           body_text="第一条 根据《中华人民共和国民办教育促进法》，制定本条例。")  # fmt: skip
    make_document("中华人民共和国中外合作办学条例", published_date="2019-03-02",
                  body_text="中外合作办学属于公益性事业。" + "民办教育促进法实施条例的规定适用于中外合作办学。" * 3)  # fmt: skip
    assert ids("和国民办教育促进法实施条")[0] == target.pk
    assert ids("中华人民共和国民办教育")[0] == target.pk


@pytest.mark.parametrize(
    "text", ["中华人民共和国化妆品监督管理条例", "《中华人民共和国 化妆品监督管理条例》"]
)
def test_title_typed_with_a_national_prefix_it_does_not_have(regulations, text):
    assert regulations["cosmetics"].title == "化妆品监督管理条例"
    assert ids(text)[0] == regulations["cosmetics"].pk


def test_short_title_forms_rank_in_the_top_3(regulations, make_document):
    plan = make_document(
        "2023年静安区政务公开工作要点", published_date="2023-04-23", body_text="深化重点领域信息公开。"
    )
    for month in range(1, 7):
        make_document(f"关于第{month}批政务公开工作的通报", published_date=f"2024-{month:02d}-01",
                      body_text="落实政务公开工作要点。" * 5)  # fmt: skip
    assert regulations["telecom"].pk in ids("电信条例")[:3]
    assert plan.pk in ids("政务公开工作要点")[:3]


@pytest.mark.parametrize(
    ("title", "query"),
    [("关于加强省、市、县三级政务公开工作的意见", "省、市、县"), ("关于加强省、市、县三级政务公开工作的意见", "省、市、县三级"),
     ("食品安全国家标准管理办法（试行）", "管理办法（试行）"), ("关于印发《A、B类项目管理规定》的通知", "A、B类")],
)  # fmt: skip
def test_punctuation_inside_a_query_never_glues_single_characters(make_document, title, query):
    # 省、市、县 used to become the one word 省市县 (pieces 省市, 市县): the document was lost
    document = make_document(title, published_date="2023-05-05", body_text=f"正文：{title}。")
    assert ids(query)[0] == document.pk
    assert ids(f'"{query}"')[0] == document.pk  # and as an exact phrase
    assert search_query.parse("省、市、县").groups == [
        ("and", [("prefix", "省"), ("prefix", "市"), ("prefix", "县")])
    ]


def test_part_of_an_old_title_ranks_first_among_many_newer_titles_sharing_its_words(settings, make_document):
    # 管理 is in the title of most regulations: the ranked windows fill with newer ones
    settings.SEARCH_RANK_WINDOW = 2
    settings.SEARCH_HEAD_WINDOW = 1
    savings = make_document(
        "储蓄管理条例", published_date="1992-12-11", body_text="第一条 为了发展储蓄事业，制定本条例。"
    )
    newer = [
        make_document(title, published_date=f"20{year}-03-01", body_text=f"{title}。加强管理，规范储蓄业务。")
        for year, title in [(10, "企业商号管理和保护规定"), (12, "广告管理条例"), (15, "危险化学品安全管理条例"),
                            (18, "物业管理条例"), (21, "排污许可管理条例")]
    ]  # fmt: skip
    found = ids("储蓄管理条")
    assert found[0] == savings.pk
    assert ids("中华人民共和国储蓄管理")[0] == savings.pk  # typed with a prefix the title does not have
    assert len(newer) == 5
