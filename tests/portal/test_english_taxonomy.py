"""The English pages translate dates, 主题分类, 文种 and tags (issue 19); Chinese stays as it was."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.documents.models import Theme
from gongkai.search.services import rebuild_index
from gongkai.taxonomy.models import Tag

pytestmark = pytest.mark.django_db


def english(client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def test_seeded_themes_and_tags_have_english_names():
    assert Theme.objects.get(code="0203").name_en == "Government information disclosure"
    assert not Theme.objects.filter(name_en="").exists()
    assert Tag.objects.get(code="elderly").name_en == "Older people"
    assert Tag.objects.get(code="theme-0203").name_en == "Government information disclosure"


def test_english_document_page_translates_dates_theme_type_and_tags(client, make_document):
    document = make_document("关于做好政务公开工作的通知", doc_type="notice", theme="0203",
                             written_date="2026-11-27", published_date="2026-11-27",
                             tags=["elderly", "theme-0203"])  # fmt: skip
    chinese = client.get(document.get_absolute_url()).content.decode()
    assert "2026年11月27日" in chinese and "政务公开" in chinese and "老年人" in chinese
    english(client)
    html = client.get(document.get_absolute_url()).content.decode()
    assert "27 November 2026" in html and "2026年11月27日" not in html
    assert "General government affairs/Government information disclosure" in html
    assert "<td>Notice</td>" in html
    assert "Older people" in html
    listing = client.get(reverse("portal:document-list")).content.decode()
    assert "General government affairs" in listing and "Notice" in listing and "2026年" not in listing
    home = client.get("/").content.decode()
    assert "General government affairs" in home
    rebuild_index()
    search = client.get(reverse("search:search"), {"q": "政务公开"}).content.decode()
    assert "General government affairs" in search


def test_a_theme_without_an_english_name_keeps_its_chinese_name(client, make_document):
    theme = Theme.objects.get(code="0203")
    theme.name_en = ""
    theme.save()
    document = make_document("无英文名的主题", theme="0203")
    english(client)
    assert "政务公开" in client.get(document.get_absolute_url()).content.decode()
