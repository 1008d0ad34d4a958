"""Bad input on the search page and API: a normal page or a clear message, never a 500 or a DB error."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)

BAD_QUERIES = [
    "",
    " ",
    "托育" * 1000,
    "。，！？……——《》",
    '"托育',
    'a"b"c"',
    "*",
    "NEAR(托育 社区)",
    "托育 NEAR 社区",
    "title:托育",
    ":",
    "托育*",
    "-",
    "-托育",
    "' OR 1=1 --",
    "1; DROP TABLE search_searchentry; --",
    "托育') UNION SELECT password FROM accounts_user --",
    "\\",
    "AND OR NOT",
    "^托育",
    "{title}: 托育",
    "托育\x00",
]


@pytest.fixture
def published(make_document):
    return make_document("关于社区托育点建设的通知", body_text="建设社区托育点 <script>alert(1)</script>")


@pytest.mark.parametrize("q", BAD_QUERIES)
def test_search_page_handles_bad_input(client, published, q):
    response = client.get(reverse("search:search"), {"q": q})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    for raw_error in ("OperationalError", "syntax error", "fts5", "tsquery", "ProgrammingError"):
        assert raw_error not in body


@pytest.mark.parametrize("q", BAD_QUERIES)
def test_search_api_handles_bad_input(client, published, q):
    response = client.get("/api/search/", {"q": q})
    assert response.status_code == 200, response.content
    data = response.json()
    assert isinstance(data["results"], list)


def test_bad_filters_and_page_are_clear_errors(client, published):
    response = client.get("/api/search/", {"q": "托育", "year": "abc"})
    assert response.status_code == 400 and "year" in response.json()
    response = client.get("/api/search/", {"q": "托育", "page": "x"})
    assert response.status_code == 400 and "page" in response.json()
    response = client.get(reverse("search:search"), {"q": "托育", "page": "x", "year": "abc"})
    assert response.status_code == 200 and "年份应为四位数字" in response.content.decode()


def test_long_query_is_truncated_with_a_notice(client, published):
    response = client.get("/api/search/", {"q": "托育" * 1000})
    assert any("过长" in notice for notice in response.json()["notices"])


def test_punctuation_only_query_explains(client, published):
    response = client.get(reverse("search:search"), {"q": "。，！？"})
    assert "没有可检索的词语" in response.content.decode()


def test_highlight_escapes_user_and_document_text(client, make_document):
    make_document("关于<b>托育</b>的通知", body_text="托育 & <i>服务</i>")
    response = client.get(reverse("search:search"), {"q": "托育 <i>"})
    body = response.content.decode()
    assert "<mark>托育</mark>" in body
    assert "<b>" not in body and "<i>服务" not in body
    api = client.get("/api/search/", {"q": "托育"}).json()
    assert api["results"][0]["title_html"] == "关于&lt;b&gt;<mark>托育</mark>&lt;/b&gt;的通知"
