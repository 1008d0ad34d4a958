"""The results page's total and facets (issue 20) equal what SQL counts over the same matches.

They come from a per-process table rebuilt after any write (SQLite: triggers replace a version
token; PostgreSQL: statement triggers bump a sequence, and transactions in progress while the table
was built are watched until they end); these tests change the data every way a facet can change, including a queryset
update that sends no signal, and compare the page with a GROUP BY over the database each time.
Every test runs on SQLite and (GONGKAI_TEST_DB=postgres) PostgreSQL.
"""

from __future__ import annotations

import pytest
from django.db import connection

from gongkai.documents import services as documents
from gongkai.documents.constants import Validity
from gongkai.documents.models import Document, DocumentIssuer
from gongkai.documents.selectors import (
    DocumentFilters,
    apply_filters,
    facet_counts,
    facet_table,
    public_documents,
)
from gongkai.search import selectors
from gongkai.search.backends import engine
from gongkai.search.services import rebuild_index
from gongkai.taxonomy.models import Tag

pytestmark = pytest.mark.django_db(transaction=True)
ORDERED = ("organisation", "year", "tag")  # facets whose order both ways define fully


def sql_page(text: str, filters: DocumentFilters | None = None) -> tuple[int, dict]:
    """Total and facets counted by the database, as the page computed them before the table."""
    matches = apply_filters(public_documents(), filters or DocumentFilters()).filter(
        selectors.matching_condition(text)
    )
    return matches.count(), facet_counts(matches)


def comparable(facets: dict) -> dict:
    out = {}
    for name, items in facets.items():
        rows = [(item["value"], str(item["label"]), item["count"]) for item in items]
        out[name] = rows if name in ORDERED else sorted(rows)
    return out


def assert_page_matches_sql(text: str, filters: DocumentFilters | None = None) -> None:
    outcome = selectors.search(text, filters=filters)
    total, facets = sql_page(text, filters)
    assert outcome.total == total, text
    assert comparable(outcome.facets) == comparable(facets), text


@pytest.fixture
def corpus(make_document, other_org):
    docs = [
        make_document("关于社区托育点建设的通知", published_date="2022-03-01", body_text="建设社区托育点，提供普惠托育服务。"),
        make_document("托育服务补贴办法", published_date="2023-05-01", doc_type="measures", is_normative=True,
                      body_text="托育机构补贴标准。", tags=["person", "theme-0203"]),
        make_document("关于加强为老服务的意见", published_date="2021-06-01", body_text="社区为老服务，托育与养老统筹。"),
        make_document("养老服务条例解读", published_date="2021-09-01", body_text="养老服务设施建设。"),
        make_document("托育草稿", publish=False, body_text="托育补贴"),
    ]  # fmt: skip
    DocumentIssuer.objects.create(document=docs[0], organisation=other_org, position=1)
    return docs


QUERIES = ["托育", "养老", "服务", "托育 OR 养老", "服务 -托育", '"托育服务"', "不存在的词语甲乙"]


def test_page_total_and_facets_equal_sql(corpus):
    assert facet_table() is not None  # the page really counts from the table on both databases
    for text in QUERIES:
        assert_page_matches_sql(text)
    assert selectors.search("托育").total == 3  # the draft is never counted


def test_filters_and_facets_equal_sql(corpus, other_org):
    for params in ({"year": "2022"}, {"organisation": other_org.code}, {"normative": "1"}, {"tag": "person"}):
        filters = DocumentFilters.from_params(params)
        assert_page_matches_sql("托育", filters)
        assert_page_matches_sql("服务", DocumentFilters.from_params(params))


def test_facets_follow_writes_that_send_no_signal(corpus, other_org):
    assert_page_matches_sql("托育")
    # a queryset update (as refresh_validity does): no model signal, yet the page must change
    Document.objects.filter(pk=corpus[1].pk).update(validity=Validity.REPEALED)
    assert_page_matches_sql("托育")
    validity = {item["value"]: item["count"] for item in selectors.search("托育").facets["validity"]}
    assert validity == {Validity.VALID: 2, Validity.REPEALED: 1}
    # a tag, an issuer, a theme and a year changed directly in the database
    corpus[0].tags.add(Tag.objects.get(code="person"))
    DocumentIssuer.objects.create(document=corpus[2], organisation=other_org, position=1)
    Document.objects.filter(pk=corpus[2].pk).update(published_date="2020-01-01", is_normative=True)
    assert_page_matches_sql("托育")
    assert_page_matches_sql("服务")
    # a renamed organisation is shown by its new name at once
    other_org.name = "上海市静安区教育局（新）"
    other_org.save()
    organisations = {item["value"]: item["label"] for item in selectors.search("托育").facets["organisation"]}
    assert organisations[other_org.code] == "上海市静安区教育局（新）"


def test_a_write_committed_after_the_table_was_built_is_counted(corpus):
    """PostgreSQL: another connection changes 有效性 and commits only after this process rebuilt its
    table (the version moved at the write, before the commit): the next page must count the change."""
    if connection.vendor != "postgresql":
        pytest.skip("the version sequence and the in-progress watch are PostgreSQL's")
    import psycopg

    assert_page_matches_sql("托育")
    conf = connection.settings_dict
    with psycopg.connect(host=conf["HOST"] or "127.0.0.1", port=conf["PORT"] or 5432, user=conf["USER"],
                         dbname=conf["NAME"]) as other:  # fmt: skip
        other.execute(
            "UPDATE documents_document SET validity = %s WHERE id = %s", [Validity.REPEALED, corpus[1].pk]
        )
        assert_page_matches_sql("托育")  # not committed yet: the table is rebuilt without it
        other.commit()
    assert_page_matches_sql("托育")
    validity = {item["value"]: item["count"] for item in selectors.search("托育").facets["validity"]}
    assert validity == {Validity.VALID: 2, Validity.REPEALED: 1}


def test_withdrawn_document_leaves_total_and_facets(corpus, reviewer):
    before = selectors.search("托育").total
    documents.withdraw_document(corpus[0], actor=reviewer, reason="已过时")
    assert selectors.search("托育").total == before - 1
    assert_page_matches_sql("托育")
    organisations = {item["value"] for item in selectors.search("托育").facets["organisation"]}
    assert "jingan-edu" not in organisations  # only the withdrawn document had it


def test_tantivy_aggregations_equal_sql_after_indexing(corpus, other_org, settings):
    """SEARCH_TANTIVY_FACETS = "aggregations": tantivy's own counts, as exact as the index is current."""
    if engine() != "tantivy":
        pytest.skip("tantivy's aggregations exist only with SEARCH_ENGINE = 'tantivy'")
    settings.SEARCH_TANTIVY_FACETS = "aggregations"
    rebuild_index()  # the issuer above was added without a signal: the index learns it here
    for text in QUERIES:
        assert_page_matches_sql(text)
    assert_page_matches_sql("服务", DocumentFilters.from_params({"organisation": other_org.code}))


def test_tantivy_aggregations_stay_exact_after_writes_that_send_no_signal(corpus, other_org, settings):
    """The default tantivy path aggregates in the index and corrects the documents whose facet
    values changed in the database since they were indexed (or that are no longer public)."""
    if engine() != "tantivy":
        pytest.skip("tantivy's aggregations exist only with SEARCH_ENGINE = 'tantivy'")
    from gongkai.search.backends import get_backend
    from gongkai.search.backends.tantivy_facets import stale_ids
    from gongkai.search.backends.tantivy_index import _open_stamped, index_dir

    assert settings.SEARCH_TANTIVY_FACETS == "aggregations"  # the default
    backend = get_backend()

    def stale() -> set[int]:
        index, _schema, stamp = _open_stamped()
        return set(stale_ids(index.searcher(), facet_table(), stamp, str(index_dir())).tolist())

    def aggregated(text: str) -> tuple[int, dict]:
        counted = backend.count_and_facets(selectors.parse_query(text), None, facet_table())
        assert counted is not None  # answered by the aggregation, not by the fallback
        return counted

    assert stale() == {corpus[0].pk}  # the fixture added its issuer without a signal
    assert_page_matches_sql("托育")
    rebuild_index()
    assert stale() == set()
    assert aggregated("托育")[0] == 3
    Document.objects.filter(pk=corpus[1].pk).update(validity=Validity.REPEALED)
    corpus[0].tags.add(Tag.objects.get(code="person"))  # no index task is run in tests without commit
    DocumentIssuer.objects.create(document=corpus[2], organisation=other_org, position=1)
    Document.objects.filter(pk=corpus[2].pk).update(published_date="2020-01-01", theme=None)
    Document.objects.filter(pk=corpus[3].pk).update(status="withdrawn")  # still in the index
    assert {corpus[1].pk, corpus[2].pk, corpus[3].pk} <= stale()
    total, found = aggregated("服务")
    assert total == 3 and found["validity"] == {Validity.VALID: 2, Validity.REPEALED: 1}
    assert found["year"] == {2020: 1, 2022: 1, 2023: 1}
    for text in QUERIES:
        assert_page_matches_sql(text)
    for params in ({"year": "2020"}, {"organisation": other_org.code}, {"tag": "person"}):
        assert_page_matches_sql("服务", DocumentFilters.from_params(params))
    rebuild_index()  # indexed again: nothing stale, the same counts straight from the index
    assert stale() == set()
    assert aggregated("服务") == (total, found)


def test_tantivy_counts_every_match_when_too_many_documents_are_stale(corpus, other_org, settings):
    """A bulk change whose index tasks have not run yet: the page falls back to the table, exact."""
    if engine() != "tantivy":
        pytest.skip("tantivy's aggregations exist only with SEARCH_ENGINE = 'tantivy'")
    from gongkai.search.backends import get_backend

    settings.SEARCH_TANTIVY_MAX_STALE = 1
    rebuild_index()
    Document.objects.filter(pk__in=[corpus[0].pk, corpus[1].pk]).update(validity=Validity.REPEALED)
    assert get_backend().count_and_facets(selectors.parse_query("托育"), None, facet_table()) is None
    for text in QUERIES:
        assert_page_matches_sql(text)
    validity = {item["value"]: item["count"] for item in selectors.search("托育").facets["validity"]}
    assert validity == {Validity.VALID: 1, Validity.REPEALED: 2}
