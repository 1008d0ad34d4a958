"""Search behaviour a citizen relies on; every test runs on SQLite and (GONGKAI_TEST_DB=postgres) PostgreSQL."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from gongkai.documents import services as documents
from gongkai.documents.constants import DisclosureMode
from gongkai.search import query as search_query
from gongkai.search import segmenter, selectors
from gongkai.search.backends import engine, get_backend
from gongkai.search.services import rebuild_index, save_synonym

pytestmark = pytest.mark.django_db(transaction=True)


def ids(text: str, **kwargs) -> list[int]:
    return [r.document.pk for r in selectors.search(text, with_facets=False, limit=50, **kwargs).results]


@pytest.fixture
def library(make_document):
    docs = {
        "plan": make_document("2023年政务公开工作要点", doc_number="静府办发〔2023〕5号", published_date="2023-04-23",
                              body_text="推进政务公开标准化。加强就业、养老、托育和民生保障信息公开。", tags=["theme-0203"]),
        "care": make_document("关于社区托育点建设的通知", doc_number="静府办发〔2022〕11号", published_date="2022-03-01",
                              body_text="各街道要建设社区托育点，提供普惠托育服务。"),
        "elder": make_document("关于加强为老服务的意见", published_date="2021-06-01",
                               body_text="完善社区综合为老服务中心，发展助餐服务。"),
        "tax": make_document("关于个人所得税纳税信用建设的通知", published_date="2019-08-20",
                             body_text="建立个人所得税纳税信用记录，委托育儿机构代扣代缴另行规定。"),
        "draft": make_document("托育补贴草稿（未发布）", publish=False, body_text="托育补贴标准"),
        "withheld": make_document("托育内部事项", publish=True, disclosure_mode=DisclosureMode.ON_REQUEST,
                                  body_text="托育 内部 讨论"),
    }  # fmt: skip
    return docs


def test_published_documents_are_indexed_and_found(library):
    # the draft and the 依申请公开 document are never indexed
    assert len(get_backend().indexed_document_ids()) == 4
    assert set(ids("托育")) == {library["plan"].pk, library["care"].pk, library["tax"].pk}


def test_unpublished_and_not_proactive_documents_never_returned(library):
    found = ids("托育 OR 内部 OR 补贴 OR 草稿")
    assert library["draft"].pk not in found
    assert library["withheld"].pk not in found


def test_two_character_word_found_as_substring_across_segmentation(library):
    # 委托育儿 is cut 委托/育儿, yet the text contains 托育: substring truth says it is a match
    text = "建立个人所得税纳税信用记录，委托育儿机构代扣代缴另行规定。"
    assert "托育" not in segmenter.query_words(text)
    assert library["tax"].pk in ids("托育")


def test_title_match_ranks_first(library):
    assert ids("托育")[0] == library["care"].pk
    assert ids("政务公开")[0] == library["plan"].pk


def test_date_order(library):
    assert ids("托育", order="date") == [library["plan"].pk, library["care"].pk, library["tax"].pk]


def test_withdrawn_document_leaves_the_index(library, reviewer):
    documents.withdraw_document(library["care"], actor=reviewer, reason="已过时")
    assert library["care"].pk not in ids("托育")
    assert library["care"].pk not in get_backend().indexed_document_ids()


def test_a_revised_and_republished_document_is_reindexed(library, editor, reviewer):
    assert ids("碳达峰") == []
    with pytest.raises(ValidationError):  # published text changes only through withdrawal and a new review
        documents.update_document(library["elder"], actor=editor, body_text="推进碳达峰行动，完善为老服务。")
    document = documents.withdraw_document(library["elder"], actor=reviewer, reason="修订")
    assert library["elder"].pk not in ids("为老")
    document = documents.reopen_document(document, actor=editor)
    document = documents.update_document(document, actor=editor, body_text="推进碳达峰行动，完善为老服务。")
    documents.publish_document(documents.submit_for_review(document, actor=editor), actor=reviewer)
    assert ids("碳达峰") == [library["elder"].pk]


def test_words_are_anded_or_and_minus(library):
    assert ids("托育 社区") == [library["care"].pk]
    assert set(ids("助餐 OR 纳税")) == {library["elder"].pk, library["tax"].pk}
    assert set(ids("托育 -社区")) == {library["plan"].pk, library["tax"].pk}


def test_quoted_phrase_must_occur_exactly(library):
    assert ids('"普惠托育服务"') == [library["care"].pk]
    assert ids('"托育普惠服务"') == []
    assert set(ids("托育 服务")) == {library["care"].pk}


def test_phrase_is_exact_across_punctuation_letters_and_fields(make_document):
    """A phrase is a substring of one field: never glued across punctuation or from two fields."""
    exact = make_document("关于安全生产的通知", body_text="落实安全生产责任。执行GB2760标准。")
    apart = make_document("关于安全、生产的通知", body_text="安全，生产管理。按GB 2760执行。")
    assert ids('"安全生产"') == [exact.pk]
    assert set(ids("安全 生产")) == {exact.pk, apart.pk}  # as words, both
    assert ids('"安全生产责"') == [exact.pk]  # an odd number of characters
    assert ids('"gb2760标准"') == [exact.pk]  # letters and digits inside a phrase
    assert ids('"通知落实"') == []  # the title's end and the body's start are different fields
    assert ids('"责"') == [exact.pk]  # a phrase of one character


def test_synonyms_widen_a_word(library):
    assert set(ids("养老")) == {library["plan"].pk, library["elder"].pk}  # 养老/为老 seeded
    assert library["care"].pk in ids("托幼")


def test_staff_synonym_takes_effect(library, editor):
    assert ids("助老") == []
    save_synonym(actor=editor, words="助老、为老", note="")
    assert ids("助老") == [library["elder"].pk]


def test_doc_number_in_messy_forms_finds_the_document(library):
    for raw in [
        "静府办发[2023]5号",
        "静府办发 〔2023〕 5 号",
        "静府办发（2023）5号",
        "静府办发【2023】第5号",
    ]:
        outcome = selectors.search(raw)
        assert outcome.redirect is not None and outcome.redirect.pk == library["plan"].pk, raw


def test_facets_count_the_matching_documents(library):
    outcome = selectors.search("托育")
    years = {item["value"]: item["count"] for item in outcome.facets["year"]}
    assert years == {"2023": 1, "2022": 1, "2019": 1}


def test_filters_restrict_results(library):
    from gongkai.documents.selectors import DocumentFilters

    filters = DocumentFilters.from_params({"year": "2022"})
    assert ids("托育", filters=filters) == [library["care"].pk]


def test_reindex_rebuilds_everything(library):
    get_backend().clear()
    assert ids("托育") == []
    call_command("reindex", "--json")
    assert set(ids("托育")) == {library["plan"].pk, library["care"].pk, library["tax"].pk}
    assert rebuild_index() == 4


def test_reindex_on_worker_processes_finds_what_one_process_finds(library, editor):
    """A large rebuild segments on every core (issue 20); the index must answer exactly alike."""
    save_synonym(actor=editor, words="助餐，老年食堂")  # a staff word the workers must know
    queries = ["托育", "养老", "老年食堂", '"政务公开"', "纳税信用 -托育", "静府办发", "社区 OR 助餐", "信息"]
    rebuild_index(processes=1)
    serial = {text: ids(text) for text in queries}
    assert rebuild_index(processes=2, batch=1) == 4  # one document per batch: several in flight
    assert {text: ids(text) for text in queries} == serial
    assert serial["托育"] and serial["养老"] and serial['"政务公开"'] and serial["老年食堂"]


def test_a_rebuild_ranks_exactly_as_indexing_on_publication(library):
    """`gongkai reindex` writes in bulk (PostgreSQL: COPY of vectors built from joined tokens); a
    citizen must get the same documents in the same order with the same scores as before it."""
    queries = ["托育", "养老", '"政务公开"', "静府办发", "信息 公开", "社区 OR 助餐", "纳税信用 -托育"]

    def ranked() -> dict[str, list[tuple[int, float]]]:
        return {
            text: [(r.document.pk, r.score) for r in selectors.search(text, with_facets=False).results]
            for text in queries
        }

    published = ranked()  # indexed one document at a time, on publication
    assert published["托育"] and published['"政务公开"'] and published["静府办发"]
    rebuild_index(processes=1)
    assert ranked() == published


@pytest.mark.parametrize("window", [2, 3])
@pytest.mark.parametrize("bands", [None, (1, 2, 4)])
def test_bounded_ranking_keeps_every_match_and_title_matches(
    settings, make_document, monkeypatch, window, bands
):
    """`bands`: PostgreSQL looks for the newest matches among the newest 1, 2, 4 entries first."""
    if bands:
        from gongkai.search.backends import postgres

        monkeypatch.setattr(postgres, "BANDS", bands)
    settings.SEARCH_RANK_WINDOW = window
    settings.SEARCH_HEAD_WINDOW = 2
    old_title = make_document("营商环境优化方案", published_date="2018-01-01", body_text="营商环境")
    bodies = [make_document(f"第{i}号工作通知", published_date=f"2020-01-{i + 1:02d}",
                            body_text="持续优化营商环境，" * (i + 1)) for i in range(6)]  # fmt: skip
    found = []
    for page in range(4):
        found += [r.document.pk for r in selectors.search("营商环境", offset=page * 2, limit=2).results]
    assert sorted(found) == sorted([old_title.pk, *[d.pk for d in bodies]])  # every match once
    assert found[0] == old_title.pk  # the old title match is still ranked first
    assert selectors.search("营商环境").total == 7


def test_query_parser_never_passes_syntax_through():
    parsed = search_query.parse('NEAR(政务 公开) title:* "abc')
    for node in parsed.groups:
        assert "NEAR(" not in repr(node) and ":" not in repr(node) and "*" not in repr(node)
    assert parsed.notices  # unbalanced quote reported


def test_an_index_of_an_older_layout_is_replaced_and_refilled_by_reindex(library, settings, tmp_path):
    """After an upgrade that changed the tantivy index's fields, pages must not fail for good."""
    if engine() != "tantivy":
        pytest.skip("only the tantivy index has a layout of its own")
    import tantivy

    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    settings.SEARCH_INDEX_DIR.mkdir()
    older = tantivy.SchemaBuilder()
    older.add_integer_field("doc_id", stored=False, indexed=True, fast=True)
    tantivy.Index(older.build(), path=str(tmp_path / "index")).writer(15_000_000, 1).commit()
    (tmp_path / "index" / "keep.txt").write_text("not tantivy's")
    outcome = selectors.search("托育")
    assert outcome.error == "" and outcome.results == []  # an empty index of today's layout, no error
    rebuild_index()
    assert set(ids("托育")) == {library["plan"].pk, library["care"].pk, library["tax"].pk}
    assert (tmp_path / "index" / "keep.txt").exists()


def test_full_width_text_is_found_by_what_is_typed_half_width(make_document):
    """Documents write ＧＢ５０１８０ and （试行）; citizens type GB50180: the index stores NFKC forms.

    `segmenter.normalize` skips the full NFKC pass when mapping the full-width characters suffices
    (issue 20); it must give exactly NFKC in every case, combining marks after them included.
    """
    import unicodedata

    document = make_document("城市居住区规划设计标准", body_text="执行ＧＢ５０１８０－２０１８（试行）。")
    assert document.pk in ids("GB50180")
    assert document.pk in ids('"gb50180-2018(试行)"')
    for text in ["ＡＢＣ，ｘ\u0301；\u3000（１）", "ｶﾞｷﾞ ﾞ", "Å ﬁ ① ² ½ 々 〇", "", "全角　空格", "ＩＩ\u0308"]:
        assert segmenter.normalize(text) == unicodedata.normalize("NFKC", text).lower()


def test_pieces_chain_is_every_two_character_piece():
    """The phrase field holds every piece at its position (`build.pieces_chain`, numpy-made)."""
    from gongkai.search.build import pieces_chain

    for text in ["政务公开", "a1，法␞𠀀b", "x", "", "托育\ud800点"]:
        assert pieces_chain(text) == " ".join(text[i : i + 2] for i in range(len(text) - 1))


def test_the_index_splits_the_words_as_the_segmenter_does(settings):
    """tantivy splits the words joined as cut (`Layout.unsplit`) into exactly the segmenter's tokens."""
    if engine() != "tantivy":
        pytest.skip("only the tantivy index splits the words itself")
    import tantivy

    analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).build()
    text = segmenter.normalize("第1.5条 C++、e-mail和10%的x光机；" + "ｙ" * 70 + " 委托育儿机构")
    for pieces in (True, False):
        expected = segmenter.index_tokens_of_normalized(text, pieces)
        assert sorted(analyzer.analyze(segmenter.joined_index_tokens(text, pieces))) == sorted(expected)


def test_a_lost_index_directory_is_refilled_before_serving(library, settings, tmp_path, capsys):
    """A new host or a lost directory: `gongkai serve` runs `reindex --if-incomplete` before the workers."""
    if engine() != "tantivy":
        pytest.skip("only an index outside the database can be lost on its own")
    call_command("reindex", "--if-incomplete", "--json")
    assert json.loads(capsys.readouterr().out) == {"documents": None, "backend": "tantivy", "rebuilt": False}
    settings.SEARCH_INDEX_DIR = tmp_path / "new-host-index"
    assert ids("托育") == []
    call_command("reindex", "--if-incomplete", "--json")
    assert json.loads(capsys.readouterr().out) == {"documents": 4, "backend": "tantivy", "rebuilt": True}
    assert set(ids("托育")) == {library["plan"].pk, library["care"].pk, library["tax"].pk}


def test_the_engine_follows_the_database_unless_chosen(settings):
    """tantivy beside SQLite (one host), PostgreSQL's own full text on PostgreSQL; a wrong choice is named."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db import connection

    settings.SEARCH_ENGINE = ""
    assert engine() == {"sqlite": "tantivy", "postgresql": "postgres"}[connection.vendor]
    settings.SEARCH_ENGINE = "tantivy"
    assert engine() == "tantivy"
    settings.SEARCH_ENGINE = {"sqlite": "postgres", "postgresql": "fts5"}[connection.vendor]
    with pytest.raises(ImproperlyConfigured, match="GONGKAI_SEARCH_ENGINE"):
        get_backend()
