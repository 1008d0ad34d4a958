"""Cached public pages are never stale (issue 20): home, the document list and the document page.

Each test reads a page (it is cached), changes what it shows through the services, as staff do, and
reads it again. Runs on SQLite and PostgreSQL, with real commits (on-commit signals fire).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.documents import interpretations as interp
from gongkai.documents import services as documents
from gongkai.documents.constants import DocType, RelationType, Validity
from gongkai.documents.models import Document
from gongkai.documents.relations import add_relation, set_validity

pytestmark = pytest.mark.django_db(transaction=True)
HOME, LIST = "/", "/documents/"


@pytest.fixture
def policy(make_document):
    return make_document(
        "静安区养老服务补贴实施办法", published_date="2024-03-05", body_text="第一条 为提高老年人生活质量。"
    )


def page(client: Client, url: str, **headers: str):
    response = client.get(url, **headers)
    return response, response.content.decode()


def test_a_page_is_served_from_the_cache_until_something_changes(client, policy, editor):
    first, html = page(client, policy.get_absolute_url())
    assert first.status_code == 200 and "静安区养老服务补贴实施办法" in html
    # a write that bypasses every service and signal is not seen: the page came from the cache
    Document.objects.filter(pk=policy.pk).update(title="未经服务层修改的标题")
    assert "静安区养老服务补贴实施办法" in page(client, policy.get_absolute_url())[1]
    set_validity(
        Document.objects.get(pk=policy.pk),
        actor=editor,
        validity=Validity.EXPIRED,
        validity_date="2024-06-01",
    )
    html = page(client, policy.get_absolute_url())[1]
    assert "未经服务层修改的标题" in html and "本文件已失效" in html  # rendered afresh after a service write


@pytest.mark.parametrize("url", [HOME, LIST])
def test_etag_and_last_modified_let_a_proxy_revalidate(client, policy, url):
    response, _ = page(client, url)
    etag = response["ETag"]
    assert etag.startswith('W/"') and response["Last-Modified"] and response["Cache-Control"] == "no-cache"
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    assert client.get(url, HTTP_IF_NONE_MATCH='W/"something-else"').status_code == 200


def test_publication_is_never_served_stale(client, policy, make_document):
    home, _ = page(client, HOME)
    page(client, LIST)
    make_document(
        "关于做好2024年政务公开工作的通知", published_date="2024-04-01", body_text="各单位要加强信息公开。"
    )
    assert "关于做好2024年政务公开工作的通知" in page(client, HOME)[1]
    assert "关于做好2024年政务公开工作的通知" in page(client, LIST)[1]
    assert client.get(HOME, HTTP_IF_NONE_MATCH=home["ETag"]).status_code == 200  # the old copy is stale


def test_withdrawal_is_never_served_stale(client, policy, reviewer):
    url = policy.get_absolute_url()
    assert page(client, url)[0].status_code == 200
    assert (
        "静安区养老服务补贴实施办法" in page(client, HOME)[1]
        and "静安区养老服务补贴实施办法" in page(client, LIST)[1]
    )
    documents.withdraw_document(policy, actor=reviewer, reason="内容有误，撤回修改")
    assert client.get(url).status_code == 404
    assert client.get(url, HTTP_IF_NONE_MATCH='W/"any-earlier-copy"').status_code == 404
    assert "静安区养老服务补贴实施办法" not in page(client, HOME)[1]
    assert "静安区养老服务补贴实施办法" not in page(client, LIST)[1]


def test_validity_set_by_staff_shows_at_once(client, policy, editor):
    url = policy.get_absolute_url()
    assert "本文件已废止" not in page(client, url)[1]
    set_validity(policy, actor=editor, validity=Validity.REPEALED, validity_date="2024-06-01")
    assert "本文件已废止" in page(client, url)[1]


def test_a_new_relation_shows_on_the_related_document(client, policy, make_document, editor, reviewer):
    url = policy.get_absolute_url()
    assert "静安区养老服务补贴实施细则" not in page(client, url)[1]
    rules = make_document(
        "静安区养老服务补贴实施细则", publish=False, published_date="2024-05-01", body_text="细则。"
    )
    add_relation(rules, actor=editor, relation_type=RelationType.BASED_ON, target=policy)
    documents.publish_document(documents.submit_for_review(rules, actor=editor), actor=reviewer)
    assert "静安区养老服务补贴实施细则" in page(client, url)[1]


def test_a_published_interpretation_shows_on_its_policy(client, make_document, editor, reviewer):
    policy = make_document("静安区长者照护之家管理办法", published_date="2024-03-05", doc_type=DocType.MEASURES,
                           body_text="第一条 为规范长者照护之家管理。")  # fmt: skip
    url = policy.get_absolute_url()
    assert "一图读懂长者照护之家" not in page(client, url)[1]
    item = interp.create_interpretation(
        actor=editor, organisation=editor.organisation, documents=[policy], kind="qa", title="一图读懂长者照护之家",
        summary="服务对象和申请方式。", scope="本区老年人。", service_guide="向街道申请。", body="问：谁可以申请？\n答：本区老年人。",
    )  # fmt: skip
    interp.publish_interpretation(interp.submit_interpretation(item, actor=editor), actor=reviewer)
    assert "一图读懂长者照护之家" in page(client, url)[1]


def test_the_language_form_on_a_cached_page_carries_the_visitors_own_token(policy):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page(first, HOME)  # cached with the first visitor's token replaced by a placeholder
    _response, html = page(second, HOME)
    token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert len(token) == 64 and "\x00" not in html
    switched = second.post(
        reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
    assert (
        "Home" in page(second, HOME)[1] or 'lang="en"' in page(second, HOME)[1]
    )  # English, not the cached Chinese


def test_staff_never_get_the_anonymous_copy(client, policy, editor):
    page(client, HOME)
    staff = Client()
    staff.force_login(editor)
    response, html = page(staff, HOME)
    assert "工作台" in html or "后台" in html
    assert "ETag" not in response


TOKEN = re.compile(r'name="token" value="([^"]+)"')


def test_each_visitor_of_a_cached_policy_page_gets_a_fresh_board_token(policy):
    """The message board's one-time token: were it cached, a second visitor's question would count as
    a retry of the first visitor's and be lost. So every copy gets its own, and no proxy keeps one."""
    from gongkai.interaction.models import Message

    url = policy.get_absolute_url()
    first, second = Client(), Client()
    one = first.get(url)
    two = second.get(url)
    tokens = [TOKEN.search(r.content.decode()).group(1) for r in (one, two)]
    assert tokens[0] != tokens[1]
    assert one["Cache-Control"] == "private, no-store" and "ETag" not in one
    assert second.get(url, HTTP_IF_NONE_MATCH='W/"x"').status_code == 200
    action = reverse("interaction:ask-document", args=[policy.pk])
    for visitor, response, token in ((first, one, tokens[0]), (second, two, tokens[1])):
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)
        visitor.post(action, {"body": f"养老服务补贴怎么申请？（{token[:4]}）", "contact": "13900000000",
                              "token": token, "csrfmiddlewaretoken": csrf})  # fmt: skip
    assert Message.objects.filter(document=policy).count() == 2
