"""Retrieval behaviour of the knowledge base (issue 15) on the project's own made-up entries: words
the segmenter does not know are found through their characters, a short answer that says exactly
what was asked beats a long one that mentions everything, question words do not decide the
ranking, confidence does not depend on how many hits are asked for, questions outside the
knowledge base get no confident answer, and a question wording learned from staff wins its entry."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from gongkai.interaction.retrieval import CONFIDENT, Retriever, rewrite_question, strip_fillers

ENTRIES = {
    "residence": "办理居住证需持居民身份证、居住登记凭证到社区事务受理服务中心申请，材料齐全的当场受理，15个工作日内发证。",
    "nursery": "托育机构应当在取得营业执照后向区卫生健康部门备案，提交场地证明、从业人员健康证明和消防安全材料。",
    "snow": "暴雪来临前要关注气象部门的预警信息，储备食物和饮用水，检查门窗和取暖设施，尽量减少外出。",
    "snow_during": "遭遇暴雪时尽量待在室内，外出要远离广告牌和老树，驾车要慢速行驶并与前车保持距离。",
    "fund": "职工在本市缴存住房公积金满半年，可以申请住房公积金个人住房贷款，贷款额度按缴存余额和还款能力核定。",
    "fund_long": (
        "住房公积金是单位及其在职职工缴存的长期住房储金。本市住房公积金管理中心负责归集、提取和贷款业务，"
        "职工可以在网上业务平台查询账户余额、缴存基数、缴存比例和贷款进度；单位办理开户、增员、减员、"
        "基数调整和补缴时，应当通过网上业务系统提交申请。提取住房公积金用于购房、租房、退休和大病医疗，"
        "贷款申请、审批和放款的时限以管理中心公布为准，逾期还款的，按合同约定计收罚息。"
    ),
    "pension": "城乡居民基本养老保险按年缴费，缴费档次由参保人自主选择，年满60周岁且缴费满15年的，按月领取养老金。",
    "flood": "汛期遇到道路积水时，行人不要涉水通过井盖附近，车辆在积水中熄火后切勿再次启动发动机。",
}  # fmt: skip


def retriever(extra: dict[str, list[str]] | None = None) -> Retriever:
    index = Retriever()
    for key, answer in ENTRIES.items():
        index.add(key, answer=answer, questions=(extra or {}).get(key, []))
    return index


def keys(index: Retriever, question: str, limit: int = 3) -> list[object]:
    return [hit.key for hit in index.search(question, limit=limit)]


def test_words_the_segmenter_does_not_know_are_found_through_their_characters():
    # 托育点 and 养老金 are cut into single characters or other words; the bigrams still match
    assert keys(retriever(), "开托育点要去哪里备案")[0] == "nursery"
    assert keys(retriever(), "居民养老金每月能领吗")[0] == "pension"


def test_a_short_answer_that_says_what_was_asked_beats_a_long_one_about_everything():
    index = retriever()
    assert keys(index, "缴存公积金多久可以申请住房贷款")[0] == "fund"
    assert keys(index, "怎么查询住房公积金账户余额")[0] == "fund_long"


def test_question_words_do_not_decide_the_ranking():
    index = retriever()
    assert strip_fillers("请问怎么办理居住证呢").split() == ["办理居住证"]
    assert rewrite_question("居住证，怎么办？") == "居住证 怎么办"
    for question in ("请问怎么办理居住证呢？", "居住证办理", "如何申领居住证"):
        assert keys(index, question)[0] == "residence", question
    # two answers about the same hazard: the one about what to do *during* the snow storm
    assert keys(index, "遭遇暴雪时我们该如何应对")[0] == "snow_during"
    assert keys(index, "暴雪来临前要准备什么")[0] == "snow"


def test_confidence_does_not_depend_on_the_number_of_hits_asked_for():
    index = retriever()
    for question in ("车辆在积水中熄火怎么办", "暴雪天气注意什么", "公积金"):
        one, five = index.search(question, limit=1), index.search(question, limit=5)
        assert one[0].key == five[0].key
        assert one[0].confidence == five[0].confidence


def test_questions_outside_the_knowledge_base_get_no_confident_answer():
    index = retriever()
    for question in ("怎么做红烧肉", "世界杯冠军是谁", "如何学习吉他"):
        hits = index.search(question, limit=1)
        assert not hits or hits[0].confidence < CONFIDENT, question
    assert index.search("车辆在积水中熄火后能再次启动吗", limit=1)[0].confidence >= CONFIDENT


def test_a_learned_question_wording_wins_its_entry():
    question = "娃还小，白天没人带怎么办"  # none of its words is in any answer
    assert keys(retriever(), question, limit=1) != ["nursery"]
    learned = retriever({"nursery": [question]})
    hit = learned.search("娃还小白天没人带，怎么办？", limit=1)[0]
    assert hit.key == "nursery" and hit.confidence >= CONFIDENT


def test_an_empty_index_or_question_answers_nothing():
    assert Retriever().search("居住证", limit=5) == []
    assert retriever().search("  ", limit=5) == []
    assert retriever().search("？？！", limit=5) == []


def test_threads_sharing_an_index_build_it_once_and_get_the_same_answers():
    # A web worker's threads share the article and knowledge-base indexes; two building one at once
    # would each hold its temporary arrays (the worker's memory peak).
    class Counted(Retriever):
        builds = 0

        def _compile(self):
            Counted.builds += 1
            time.sleep(0.2)  # a long build (a large index): the other threads ask meanwhile
            return super()._compile()

    shared = Counted()
    for key, answer in ENTRIES.items():
        shared.add(key, answer=answer)
    questions = ["居住证怎么办理", "暴雪天气出行", "公积金贷款", "托育机构备案"] * 2
    start = threading.Barrier(len(questions))

    def ask(question: str) -> list[object]:
        start.wait()  # every thread searches the unbuilt index at the same moment
        return keys(shared, question)

    with ThreadPoolExecutor(max_workers=len(questions)) as pool:
        answers = list(pool.map(ask, questions))
    assert Counted.builds == 1
    assert answers == [keys(retriever(), question) for question in questions]
