"""Error pages: Chinese, in the site's layout, and never a traceback, a local variable, a path or a setting."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path, reverse

from gongkai.urls import handler400, handler403, handler404, handler500  # noqa: F401 (this URLconf's handlers)
from gongkai.urls import urlpatterns as site_patterns

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

APPLICANT = "示例申请人王小明"
ID_NUMBER = "11010519491231002X"


def failing_view(request):
    applicant_name, id_number = APPLICANT, ID_NUMBER  # locals a debug page would list
    raise RuntimeError(f"cannot process the request of {applicant_name} ({id_number})")


def forbidden_view(request):
    raise PermissionDenied("only the FOI officer")


urlpatterns = [path("test-failure/", failing_view), path("test-forbidden/", forbidden_view), *site_patterns]


def assert_site_page(response, status: int, heading: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert f"{heading}（{status}）" in html and 'lang="zh-CN"' in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html and settings.SITE_NAME in html
    assert "Content-Security-Policy" in response.headers
    for leak in (
        "Traceback",
        "Error",
        "settings",
        "DEBUG",
        "URLconf",
        "SECRET",
        ".py",
        "/work/",
        "site-packages",
    ):
        assert leak not in html, leak
    return html


def test_a_failing_view_gets_the_500_page_without_traceback_locals_or_paths():
    client = Client(raise_request_exception=False)
    html = assert_site_page(client.get("/test-failure/"), 500, "服务器错误")
    assert APPLICANT not in html and ID_NUMBER not in html and "cannot process" not in html
    assert str(settings.PACKAGE_DIR) not in html and str(settings.DATA_DIR) not in html


def test_unknown_url_gets_the_chinese_404_page(client):
    html = assert_site_page(client.get("/no-such-page/"), 404, "页面不存在")
    assert "staff/ingest/" not in html  # no list of the site's URL patterns


def test_bad_host_gets_the_400_page(client):
    assert_site_page(client.get("/", HTTP_HOST="evil.example.com"), 400, "请求有误")


def test_forbidden_and_csrf_failures_get_the_403_page():
    assert_site_page(Client().get("/test-forbidden/"), 403, "无权访问")
    html = assert_site_page(Client(enforce_csrf_checks=True).post(reverse("foi:track"), {}), 403, "无权访问")
    assert "刷新后重新提交" in html


def test_a_three_million_character_post_gets_the_413_page(client, office):
    # a plain form post (urlencoded, as the tracking form sends it) and a multipart one (the application form)
    response = client.post(reverse("foi:track"), "number=" + "a" * 3_000_000,
                           content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert_site_page(response, 413, "提交的内容过大")
    response = client.post(reverse("foi:apply"), {"organisation": office.pk, "description": "申" * 3_000_000})
    html = assert_site_page(response, 413, "提交的内容过大")
    assert "2048 KiB" in html


def test_an_over_long_url_gets_the_414_page_but_search_caps_its_query(client):
    assert_site_page(client.get("/documents/", {"q": "a" * 5000}), 414, "网址过长")
    response = client.get(reverse("search:search"), {"q": "政务公开" * 750})  # 3000 characters, 27 kB of URL
    assert response.status_code == 200
    assert "检索词过长，只按前200个字检索。" in response.content.decode()
    api = client.get("/api/search/", {"q": "政务公开" * 750})
    assert api.status_code == 200 and "检索词过长，只按前200个字检索。" in api.json()["notices"]


def test_search_boxes_limit_the_query_length(client):
    for url in ("/", "/documents/", "/search/"):
        html = client.get(url).content.decode()
        assert 'name="q" type="search"' in html and 'maxlength="200"' in html, url
