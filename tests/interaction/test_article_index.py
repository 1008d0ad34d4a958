"""搜问一体's article index in files (issue 20: a web worker within 250 MB): answers identical to the
in-memory index, never an article of a withdrawn or edited document even from files older than the
database, no error when the files are missing, and a rebuild when the public documents change."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from django.core.management import call_command
from django.db import connection

from gongkai.documents import services as document_services
from gongkai.documents.models import Document
from gongkai.interaction import article_index
from gongkai.interaction.selectors import article_answer

pytestmark = pytest.mark.django_db

QUESTION = "政策解读与政策文件同步发布"


@pytest.fixture(autouse=True)
def index_folder(settings, tmp_path):
    settings.ARTICLE_INDEX_DIR = tmp_path / "article-index"
    settings.ARTICLE_INDEX_BUILD = "inline"
    return settings.ARTICLE_INDEX_DIR


@pytest.fixture
def plan(make_document):
    return make_document("关于印发《2023年静安区政务公开工作要点》的通知", doc_number="静府办发〔2023〕5号",
                         body_text="第一条 政策解读应与政策文件同步发布。\n第二条 依申请公开按时答复。")  # fmt: skip


@pytest.fixture
def others(make_document):
    body = "第一条 为规范第{i}类事项办理，制定本规则。\n第二条 申请材料应当齐全。\n第三条 本规则自发布之日起施行，有效期{i}年。"
    return [
        make_document(
            f"关于印发第{i}号工作规则的通知",
            doc_number=f"静府办发〔2023〕{10 + i}号",
            body_text=body.format(i=i),
        )
        for i in range(1, 4)
    ]


def test_stored_index_answers_exactly_as_the_in_memory_index(plan, others):
    """The mapped files give each question's top hits with the same keys, scores and confidences as
    the in-memory index over the same documents (the answers did not change when they moved)."""
    memory = article_index.article_retriever()
    loaded = article_index.current()
    assert loaded is not None and len(loaded.retriever) == len(memory) == 8
    questions = [
        QUESTION,
        "申请材料应当齐全吗",
        "本规则自什么时候施行",
        "依申请公开按时答复",
        "第2类事项怎么办理",
        "股市行情",
    ]
    for question in questions:
        expected = [(h.key, h.score, h.confidence) for h in memory.search(question, limit=5)]
        assert [
            (h.key, h.score, h.confidence) for h in loaded.retriever.search(question, limit=5)
        ] == expected
    answer = article_answer(QUESTION)
    assert answer["article"] == "第一条" and answer["source_url"] == plan.get_absolute_url()


def test_withdrawn_document_is_never_answered_from_older_files(settings, plan, others, reviewer,
                                                              django_capture_on_commit_callbacks):  # fmt: skip
    assert article_answer(QUESTION)["source_title"] == plan.title
    settings.ARTICLE_INDEX_BUILD = "off"  # the rebuild has not happened yet (e.g. still running)
    with django_capture_on_commit_callbacks(execute=True):
        document_services.withdraw_document(plan, actor=reviewer, reason="测试：撤回")
    loaded = article_index.current()
    assert loaded.version != article_index.data_version()[0]  # the files are older than the database
    hit = loaded.retriever.search(QUESTION, limit=1)[0]
    assert hit.key[0] == plan.pk and hit.confidence >= 0.7  # they would still answer from it
    assert article_answer(QUESTION) is None
    settings.ARTICLE_INDEX_BUILD = "inline"  # the rebuild: the article is gone from the files too
    loaded = article_index.current()
    assert loaded.version == article_index.data_version()[0]
    assert all(h.key[0] != plan.pk for h in loaded.retriever.search(QUESTION, limit=5))
    assert article_answer(QUESTION) is None


def test_edited_document_is_not_answered_from_its_old_text(settings, plan, others):
    assert article_answer(QUESTION)["answer"] == "政策解读应与政策文件同步发布。"
    settings.ARTICLE_INDEX_BUILD = "off"
    plan.body_text = "第一条 政策解读应在政策文件公开后五个工作日内发布。"
    plan.save()
    assert article_answer(QUESTION) is None  # the files still hold the old first article
    settings.ARTICLE_INDEX_BUILD = "inline"
    assert "五个工作日" in article_answer("政策解读应在政策文件公开后几个工作日内发布")["answer"]


def test_missing_files_give_no_answer_box_and_no_error_then_are_built(settings, client, index_folder, plan):
    settings.ARTICLE_INDEX_BUILD = "off"
    page = client.get("/search/", {"q": QUESTION})
    assert page.status_code == 200 and "answer-box" not in page.content.decode()
    assert article_answer(QUESTION) is None and not index_folder.exists()
    settings.ARTICLE_INDEX_BUILD = "inline"  # the build when missing (a child process in production)
    page = client.get("/search/", {"q": QUESTION}).content.decode()
    assert "answer-box" in page and "政策解读应与政策文件同步发布" in page
    shutil.rmtree(index_folder)  # deleted under a running worker: still no error, rebuilt
    assert article_answer(QUESTION)["article"] == "第一条"


def test_new_publication_is_answered_after_the_rebuild(settings, make_document, plan):
    first = article_index.current()
    assert article_answer("托育机构备案需要什么材料") is None
    make_document(
        "关于托育机构备案的通知", body_text="第一条 托育机构备案需提供场地证明和从业人员健康证明等材料。"
    )
    assert article_answer("托育机构备案需要什么材料")["article"] == "第一条"
    assert article_index.current().version != first.version


def test_command_builds_only_when_stale_and_reports(plan):
    out = io.StringIO()
    call_command("article_index", "--json", stdout=out)
    built = json.loads(out.getvalue())
    assert built["built"] and built["version"] == article_index.data_version()[0]
    out = io.StringIO()
    call_command("article_index", "--if-stale", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"built": False}
    Document.objects.filter(pk=plan.pk).update(title="改过的标题")  # no save(): the version is unchanged
    out = io.StringIO()
    call_command("article_index", "--json", stdout=out)  # without --if-stale: always
    assert json.loads(out.getvalue())["built"]


@pytest.mark.django_db(transaction=True)
def test_web_worker_leaves_the_build_to_a_child_process(settings, monkeypatch, tmp_path, plan):
    """In production a missing index is built by `gongkai article_index` in a child process (its
    memory is not the worker's): no answer meanwhile, the answer once the child has written the files."""
    folder = tmp_path / "child-index"
    del settings.ARTICLE_INDEX_DIR
    settings.ARTICLE_INDEX_BUILD = "process"
    monkeypatch.setenv("GONGKAI_ARTICLE_INDEX_DIR", str(folder))
    monkeypatch.setenv("GONGKAI_WORKER_DB_NAME", str(connection.settings_dict["NAME"]))
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "gongkai.conf.test")
    monkeypatch.setitem(article_index._state, "spawned_at", -article_index.RETRY_SECONDS)
    assert article_answer(QUESTION) is None
    child = article_index._state["child"]
    assert child is not None and child.wait(timeout=300) == 0
    assert article_answer(QUESTION)["article"] == "第一条"
    assert article_index._state["child"] is child  # the files were current: no second child
