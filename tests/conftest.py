"""Shared fixtures: organisations, staff with roles, and documents made through the services."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from gongkai.accounts.constants import Role
from gongkai.accounts.models import Organisation, User
from gongkai.documents import services
from gongkai.documents.constants import POLICY_DOC_TYPES
from gongkai.documents.interpretation_sync import set_interpretation_requirement


def pytest_configure(config) -> None:
    """The test server (`live_server`) answers with TCP_NODELAY, as production servers do: Python's HTTP server
    sends the headers and the body in separate writes, and on a keep-alive connection Nagle's algorithm
    then holds the body until the client's delayed ACK, 40 ms for every request a browser or the site
    crawler makes (47 ms against 4 ms per page measured here)."""
    import socket

    from django.core.servers.basehttp import ThreadedWSGIServer

    def get_request(server):
        connection, address = server.socket.accept()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address

    ThreadedWSGIServer.get_request = get_request


def pytest_collection_modifyitems(config, items) -> None:
    """Costliest modules first (tests/module_costs.json, scripts/module_costs.py): the workers take
    whole modules in this order (`--no-loadscope-reorder` in the Makefile), so the long ones start
    early and both workers finish together. The order inside a module is kept."""
    costs = json.loads((Path(__file__).parent / "module_costs.json").read_text(encoding="utf-8"))
    rank = {module: -cost for module, cost in costs.items()}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], 0.0))


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """pytest-django's test databases, except that on SQLite a database migrated by an earlier run with
    the same migrations is copied into place instead of applying every migration again (most of the
    time a test process spends before its first test). The first run migrates and keeps a copy."""
    from django.test.utils import setup_databases, teardown_databases

    from database_reset import keep_migrated_database, restore_migrated_database

    with django_db_blocker.unblock():
        restored = restore_migrated_database()
        config = setup_databases(verbosity=request.config.option.verbose, interactive=False, keepdb=restored)
        if not restored:
            keep_migrated_database()
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=request.config.option.verbose)


@pytest.fixture(scope="session", autouse=True)
def fast_transactional_reset(django_db_setup, django_db_blocker):
    """On SQLite, transactional tests end by restoring the migrated database, not by a flush."""
    from database_reset import install_fast_reset

    with django_db_blocker.unblock():
        install_fast_reset()


@pytest.fixture(autouse=True)
def empty_search_index():
    """On the tantivy index (SQLite's default engine) every test starts with an empty index, as its database."""
    from gongkai.search.backends import engine, get_backend

    if engine() == "tantivy":
        get_backend().clear()


@pytest.fixture(autouse=True)
def chinese_ui():
    """Every test starts in the default language, whatever an earlier request switched to."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture
def make_org(db):
    def make(
        code: str = "jingan-gov-office", name: str | None = None, organ_code: str = "静府办", **extra
    ) -> Organisation:
        return Organisation.objects.get_or_create(
            code=code,
            defaults={
                "name": name or f"机构{code}",
                "organ_code": organ_code,
                "accepts_requests": True,
                **extra,
            },
        )[0]

    return make


@pytest.fixture
def office(make_org):
    return make_org("jingan-gov-office", "上海市静安区人民政府办公室", "静府办", index_prefix="JA-GOVOFFICE")


@pytest.fixture
def other_org(make_org):
    return make_org("jingan-edu", "上海市静安区教育局", "静教")


@pytest.fixture
def make_user(db):
    def make(username: str, organisation: Organisation | None, *roles: str, **extra) -> User:
        user = User.objects.create_user(username=username, password="pw-123456789", organisation=organisation,
                                        is_staff=True, **extra)  # fmt: skip
        user.groups.add(*Group.objects.filter(name__in=roles))
        return user

    return make


@pytest.fixture
def editor(make_user, office):
    return make_user("editor", office, Role.EDITOR)


@pytest.fixture
def reviewer(make_user, office):
    return make_user("reviewer", office, Role.REVIEWER, Role.APPROVER)


@pytest.fixture
def make_document(editor, reviewer):
    """Create a document as the editor; `publish=True` submits it and has the reviewer publish it."""

    def make(
        title: str = "关于做好2023年政务公开工作的通知", publish: bool = True, organisation=None, **fields
    ):
        actor, approver = editor, reviewer
        if (
            publish
            and "tags" not in fields
            and (fields.get("is_normative") or fields.get("doc_type") in POLICY_DOC_TYPES)
        ):
            # A policy goes to review only with an 对象 and a 主题 tag (work plan item 十二).
            fields["tags"] = ["person", "theme-0203"]
        document = services.create_document(actor=actor, organisation=organisation or editor.organisation, title=title,
                                            check_permission=organisation is None, **fields)  # fmt: skip
        if publish:
            if document.needs_interpretation and "interpretation_required" not in fields:
                # 三同步 (item 十七): a policy is published only with its interpretation; tests about
                # something else record why this one has none (the waiver the rule allows).
                document = set_interpretation_requirement(document, actor=None, required=False,
                                                          reason="测试数据：与政策解读无关", check_permission=False)  # fmt: skip
            if organisation is not None and organisation != editor.organisation:
                admin = User.objects.filter(username="test-platform-admin").first() or User.objects.create_superuser(
                    "test-platform-admin", password="pw-123456789")  # fmt: skip
                actor = approver = admin
            document = services.submit_for_review(document, actor=actor)
            document = services.publish_document(document, actor=approver)
        return document

    return make


@pytest.fixture
def foi_officer(make_user, office):
    return make_user("foi-officer", office, Role.FOI_OFFICER, email="foi@example.gov.cn")


@pytest.fixture
def foi_approver(make_user, office):
    return make_user("foi-approver", office, Role.APPROVER)


@pytest.fixture
def approve_letter(reviewer):
    """The disclosure review a reply letter needs before it is issued (条例 Arts. 14–17)."""
    from gongkai.foi import services as foi_services

    def approve(letter, note: str = "所含个人信息为申请人本人信息"):
        return foi_services.review_letter(letter, actor=reviewer, approve=True, note=note)

    return approve


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium (Playwright), started once per test process (1–2 s a start)."""
    from browser_helpers import launch_chromium

    yield from launch_chromium()


@pytest.fixture(autouse=True)
def close_browser_pages(request):
    """Each browser test's pages and contexts end with it, so the shared Chromium keeps no renderer
    of an earlier test."""
    yield
    if "browser" in request.fixturenames:
        for context in request.getfixturevalue("browser").contexts:
            context.close()


@pytest.fixture
def worker():
    """A real Celery worker process over Redis, consuming this checkout's test queue."""
    from worker_helpers import start_worker

    yield from start_worker()
