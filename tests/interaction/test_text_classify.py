"""The message classifier (issue 16): the dispatcher gets a suggested department field with a
confidence, corrections train the next model, and bad input is refused with a clear error.

Every message here is written for the test; none comes from the evaluation sample.
"""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest

from gongkai.text.classify import (
    DEFAULT_CATEGORIES,
    MAX_BODY_CHARS,
    ClassifyError,
    MessageClassifier,
    train,
)

PLACES = ["东湖区", "西山县", "南港镇", "北岭街道", "清河社区", "枫林乡"]
TEMPLATES = {
    "城乡建设": [
        (
            "{p}小区路灯坏了没人修",
            "{p}某小区门口的路灯已经坏了两个月，晚上出行很不方便，请市政部门尽快维修。",
        ),
        ("{p}拆迁补偿标准不透明", "我家房屋在{p}征收范围内，拆迁补偿款至今没有公示，安置房也迟迟不交付。"),
        ("{p}物业公司不作为", "{p}小区物业收了物业费却不管电梯故障，业主多次反映无果。"),
    ],
    "环境保护": [
        ("{p}化工厂排放废气", "{p}附近的化工厂每天晚上偷排废气，刺鼻的臭味让居民无法开窗。"),
        ("{p}搅拌站粉尘污染严重", "{p}的搅拌站扬尘很大，周边环境污染严重，请环保局查处。"),
    ],
    "交通运输": [
        ("{p}公交线路班次太少", "{p}只有一条公交线路，末班车太早，希望公交公司增加班次。"),
        ("{p}出租车拒载绕路", "在{p}打车经常遇到出租车拒载，司机还故意绕路多收费。"),
    ],
    "教育文体": [
        ("{p}孩子入学难", "我家孩子在{p}上小学，学区划片不合理，学位紧张，希望教育局解决入学问题。"),
        ("{p}学校有偿补课", "{p}中学老师在课外组织有偿补课，家长负担很重。"),
    ],
    "劳动和社会保障": [
        ("{p}企业拖欠农民工工资", "我们在{p}的工地干了半年，老板拖欠工资不发，希望劳动监察部门帮助讨薪。"),
        ("{p}养老保险补缴问题", "我在{p}工作多年，单位没有给我缴纳养老保险，现在想补缴社保怎么办理？"),
    ],
    "商贸旅游": [
        ("{p}景区门票乱涨价", "{p}的旅游景区门票随意涨价，导游还强迫游客购物。"),
        ("{p}传销组织骗人", "{p}有传销组织以投资理财为名骗取钱财，请市场监管局查处。"),
    ],
    "卫生计生": [
        ("{p}医院乱收费", "在{p}医院看病，医生开了很多不必要的检查，住院费用远超正常标准。"),
        ("{p}独生子女奖励未发放", "我是{p}的独生子女家庭，计生部门承诺的独生子女奖励扶助金一直没有发放。"),
    ],
}


def examples() -> list[tuple[str, str, str]]:
    out = []
    for category, templates in TEMPLATES.items():
        for subject, body in templates:
            for place in PLACES:
                out.append((subject.format(p=place), body.format(p=place), category))
    return out


@pytest.fixture(scope="module")
def model() -> MessageClassifier:
    return train(examples())


def test_predict_gives_every_category_with_calibrated_confidence_best_first(model):
    result = model.predict("建议增加夜间公交班次", "下班很晚，公交末班车太早，希望延长运营时间。")
    assert result[0][0] == "交通运输"
    assert sorted(c for c, _ in result) == sorted(DEFAULT_CATEGORIES)
    confidences = [p for _, p in result]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) == pytest.approx(1.0, abs=1e-3)
    assert all(0.0 <= p <= 1.0 for p in confidences)


@pytest.mark.parametrize(
    ("subject", "body", "category"),
    [
        ("小区下水道堵塞", "暴雨后小区下水道堵塞，积水很深，希望尽快疏通。", "城乡建设"),
        ("夜间施工噪音扰民", "工地每天凌晨还在施工，噪音太大影响休息。", "环境保护"),
        ("驾校收费不退", "报名驾校后一直约不上科目二考试。", "交通运输"),
        ("幼儿园收费过高", "孩子上幼儿园每学期学费太贵。", "教育文体"),
        ("失业金怎么领取", "我被公司辞退了，想了解失业保险金的领取条件。", "劳动和社会保障"),
        ("超市出售过期商品", "在超市买到假冒伪劣产品，商家拒绝退货。", "商贸旅游"),
        ("卫生院医生态度差", "在乡卫生院就诊时医生态度恶劣，还误诊。", "卫生计生"),
    ],
)
def test_each_field_is_suggested_for_a_plain_message(model, subject, body, category):
    assert model.suggest(subject, body)[0] == category


def test_the_lexicon_alone_suggests_a_field_before_any_message_was_handled():
    fresh = MessageClassifier.lexicon_only()
    assert fresh.linear is None
    assert fresh.suggest("路灯不亮", "我们街道的路灯坏了很久没人修。")[0] == "城乡建设"
    assert fresh.suggest("社保卡补办", "社保卡丢了，去哪里补办？")[0] == "劳动和社会保障"
    # A message that names nothing the lexicon knows: every field equally likely, none pretended.
    flat = fresh.predict("你好", "请问一下。")
    assert max(p for _, p in flat) - min(p for _, p in flat) < 1e-3


def test_save_and_load_give_the_same_suggestions(model, tmp_path):
    path = model.save(tmp_path / "models" / "messages")
    assert path.name == "messages.npz" and path.exists()
    loaded = MessageClassifier.load(path)
    assert loaded.categories == model.categories
    assert (loaded.a, loaded.b) == (model.a, model.b)
    assert loaded.examples == model.examples
    for subject, body, _ in examples()[::7]:
        assert loaded.predict(subject, body) == model.predict(subject, body)
    # The file is plain arrays: it opens without unpickling anything.
    with np.load(path, allow_pickle=False) as archive:
        header = json.loads(str(archive["header"]))
    assert header["format"] == "gongkai-message-classifier"
    assert header["info"]["training_messages"] == len(examples())


def test_corrections_train_the_next_model(model, tmp_path):
    # A new kind of message the lexicon says nothing about, first handled as 商贸旅游 …
    new_kind = [
        (f"青禾计划第{i}期咨询", f"请问青禾计划第{i}期的申报条件和截止时间。", "商贸旅游") for i in range(8)
    ]
    first = model.learn(new_kind)
    assert first.suggest("青禾计划申报", "青禾计划什么时候开始申报？")[0] == "商贸旅游"
    # … then the dispatcher corrects them to 教育文体: the next model follows the corrections.
    corrected = [(s, b, "教育文体") for s, b, _ in new_kind]
    second = first.learn(corrected)
    assert second.suggest("青禾计划申报", "青禾计划什么时候开始申报？")[0] == "教育文体"
    # A corrected message replaces its earlier label instead of being counted twice.
    assert len(second.examples) == len(first.examples)
    assert sum(1 for *_, c in second.examples if c == "商贸旅游") == len(examples()) // 7
    # The corrected model survives a save and load.
    again = MessageClassifier.load(second.save(tmp_path / "next.npz"))
    assert again.suggest("青禾计划申报", "青禾计划什么时候开始申报？")[0] == "教育文体"


def test_a_platform_may_use_its_own_categories():
    data = [(f"事项{i}", "关于水电气的办理", "公用事业") for i in range(3)] + [
        (f"咨询{i}", "关于社保卡的办理", "社会保障") for i in range(3)
    ]
    custom = train(data, categories=None)
    assert set(custom.categories) == {"公用事业", "社会保障"}
    assert custom.suggest("社保卡", "社保卡怎么办理")[0] == "社会保障"


def test_unknown_category_in_training_data_is_refused_naming_the_line():
    data = [*examples()[:3], ("路灯坏了", "请维修。", "城市美化")]
    with pytest.raises(ClassifyError) as err:
        train(data)
    assert err.value.field == "category"
    assert "第 4 条" in err.value.message and "未知分类「城市美化」" in err.value.message


@pytest.mark.parametrize(
    ("subject", "body", "field", "words"),
    [
        ("", "", "body", "不能都为空"),
        ("   ", "\n\t ", "body", "不能都为空"),
        ("标题", "字" * (MAX_BODY_CHARS + 1), "body", "过长"),
        ("<script>alert(1)</script>", "正文", "subject", "脚本"),
        ("标题", '<img src=x onerror="alert(1)">', "body", "脚本"),
        (123, "正文", "subject", "必须是文字"),
    ],
)
def test_bad_message_gives_a_clear_error(model, subject, body, field, words):
    with pytest.raises(ClassifyError) as err:
        model.predict(subject, body)
    assert err.value.field == field
    assert words in err.value.message


def test_bad_training_data_gives_a_clear_error_and_no_model():
    with pytest.raises(ClassifyError, match="没有训练数据"):
        train([])
    with pytest.raises(ClassifyError, match="分类不能为空") as err:
        train([("标题", "内容", "  ")])
    assert err.value.field == "category"
    with pytest.raises(ClassifyError, match="三项"):
        train([("只有标题", "城乡建设")])
    with pytest.raises(ClassifyError, match="第 2 条训练数据：主题和内容不能都为空"):
        train([("路灯", "坏了", "城乡建设"), ("", "", "城乡建设")])


def test_loading_anything_but_a_model_file_is_refused_without_running_it(tmp_path):
    with pytest.raises(ClassifyError, match="找不到"):
        MessageClassifier.load(tmp_path / "missing.npz")
    text = tmp_path / "text.npz"
    text.write_text("not a model", encoding="utf-8")
    with pytest.raises(ClassifyError, match="不是 Gongkai 分类模型文件"):
        MessageClassifier.load(text)

    # A pickle inside an npz (an object array) would run code when unpickled: it is refused.
    class Boom:
        def __reduce__(self):
            return (exec, ("raise SystemExit('unpickled')",))

    hostile = tmp_path / "hostile.npz"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        with zf.open("header.npy", "w") as fh:
            np.lib.format.write_array(fh, np.array([Boom()], dtype=object), allow_pickle=True)
    hostile.write_bytes(buffer.getvalue())
    with pytest.raises(ClassifyError):
        MessageClassifier.load(hostile)

    # Another program's npz (no header of ours) is refused too.
    other = tmp_path / "other.npz"
    np.savez(other, weights=np.ones(3))
    with pytest.raises(ClassifyError, match="损坏或格式不对"):
        MessageClassifier.load(other)


def test_jsonl_files_for_the_train_and_classify_commands(model, tmp_path):
    from gongkai.text.classify import classify_many, read_jsonl

    train_file = tmp_path / "train.jsonl"
    lines = [
        json.dumps({"subject": s, "body": b, "category": c}, ensure_ascii=False) for s, b, c in examples()
    ]
    train_file.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    data = read_jsonl(train_file, labelled=True)
    assert data == examples()
    assert train(data).categories == DEFAULT_CATEGORIES

    ask = tmp_path / "ask.jsonl"
    ask.write_text(
        '{"subject": "公交站台破损", "body": "公交站台的顶棚坏了"}\n{"subject": "社保断缴", "body": "社保断缴了怎么补缴"}\n',
        encoding="utf-8",
    )
    out = classify_many(model, read_jsonl(ask, labelled=False))
    assert [o["category"] for o in out] == ["交通运输", "劳动和社会保障"]
    assert all(set(o) == {"category", "confidence"} and 0 < o["confidence"] <= 1 for o in out)

    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"subject": "路灯", "body": "坏了", "category": "城乡建设"}\n{"subject": "x"\n', encoding="utf-8"
    )
    with pytest.raises(ClassifyError, match="第 2 行：不是合法的 JSON"):
        read_jsonl(bad, labelled=True)
    bad.write_text('{"subject": "路灯", "body": "坏了"}\n', encoding="utf-8")
    with pytest.raises(ClassifyError, match="第 1 行：缺少分类"):
        read_jsonl(bad, labelled=True)
    with pytest.raises(ClassifyError, match="第 2 条留言：主题和内容不能都为空"):
        classify_many(model, [("路灯", "坏了"), ("", "")])


def test_weights_are_fitted_on_the_platform_messages_even_with_a_rare_category():
    data = [e for e in examples() if e[2] != "环境保护"]
    data.append(("河道有死鱼", "工厂排污导致河道污染，死鱼很多。", "环境保护"))
    fitted = train(data)
    assert fitted.info["weights"].startswith("fitted")
    assert fitted.info["per_category"]["环境保护"] == 1
    assert 0.0 < fitted.info["cv_accuracy"] <= 1.0
    # Too few messages to tell: fixed defaults, said so.
    small = train(examples()[:10])
    assert small.info["weights"].startswith("default")


def test_ordinary_text_with_angle_brackets_or_english_is_not_taken_for_script(model):
    category, _ = model.suggest(
        "空气质量", "监测显示PM2.5<75，但工厂废气online=1时排放，夜里<10点>后更严重。"
    )
    assert category == "环境保护"


def test_a_field_with_no_training_message_can_still_be_suggested_from_the_lexicon():
    # A new platform has handled only transport and labour messages so far.
    few = [e for e in examples() if e[2] in ("交通运输", "劳动和社会保障")]
    model = train(few)
    assert model.info["per_category"]["卫生计生"] == 0
    assert (
        model.suggest("乡镇卫生院医生误诊", "在卫生院看病被医生误诊，住院治疗花了很多医疗费。")[0]
        == "卫生计生"
    )
    assert model.suggest("公交班次太少", "希望公交公司增加班次。")[0] == "交通运输"
