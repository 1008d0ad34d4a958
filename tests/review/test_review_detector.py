"""The detector finds personal data and secrecy markers with spans, and leaves look-alike numbers alone."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from gongkai.review.detector import detect, mask_text, mask_value
from paths import FIXTURES

VALID_ID = "310101198503071232"  # GB 11643 check digit 2
BAD_ID = "310101198503071233"


def kinds(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in detect(text):
        assert text[finding.start : finding.end] == finding.text
        assert 0.5 <= finding.confidence <= 1
        found.setdefault(str(finding.kind), []).append(finding.text)
    return found


def test_each_kind_is_found_with_its_span():
    text = (
        f"申请人张伟（身份证号：{VALID_ID}，旧证号310101850307123），手机138-1234-5678，家庭电话021-62721234，"
        "住上海市静安区常德路800号3号楼201室，邮箱zhang.wei88@163.com，银行卡号6222 0212 3456 7894，"
        "护照号E12345678，车牌沪A·D12345。该公司统一社会信用代码91310106MA1FYB2X4H。"
    )
    found = kinds(text)
    assert found["id_card"] == [VALID_ID, "310101850307123"]
    assert found["mobile"] == ["138-1234-5678"]
    assert found["landline"] == ["021-62721234"]
    assert found["email"] == ["zhang.wei88@163.com"]
    assert found["bank_card"] == ["6222 0212 3456 7894"]
    assert found["passport"] == ["E12345678"]
    assert found["plate"] == ["沪A·D12345"]
    assert found["address"] == ["上海市静安区常德路800号3号楼201室"]
    assert found["name"] == ["张伟"]


def test_uscc_is_flagged_as_an_enterprise_identifier():
    from stdnum.cn import uscc

    code = "91310106MA1FYB2X4"
    code += uscc.calc_check_digit(code)
    (finding,) = [f for f in detect(f"统一社会信用代码：{code}") if f.kind == "uscc"]
    assert "企业" in finding.note


@pytest.mark.parametrize(
    "text",
    [
        "根据《关于做好政务公开工作的通知》（沪府办发〔2023〕12号）执行。",
        "本通知自2023年4月23日起施行，统计时点2023-04-23，批次20230423。",
        "全年预算支出13812345678元，共安排资金4,567,890.12万元。",
        f"项目编号{BAD_ID}（校验位不符，不是身份证号）。",
        "合同编号6222021234567890128。",
        "主要负责同志每年至少专题听取1次工作汇报。",
        "中华人民共和国保守国家秘密法规定，涉及国家秘密和商业秘密的不得公开。",
    ],
)
def test_look_alikes_are_not_flagged(text):
    assert detect(text) == []


def test_secrecy_markers():
    text = "机密★5年\n内部资料 注意保存\n关于某事项的请示\n此件不公开"
    assert [f.text for f in detect(text) if f.kind == "secrecy"] == [
        "机密★5年",
        "内部资料 注意保存",
        "此件不公开",
    ]


def test_office_contacts_are_not_personal_data():
    text = "办公地址：上海市静安区常德路370号，咨询电话：021-62721111，电子邮箱：zwgk@jingan.gov.cn。"
    assert detect(text) == []


def test_full_width_digits_keep_their_spans():
    text = "联系人：李娜，手机１３９１２３４５６７８"
    (mobile,) = [f for f in detect(text) if f.kind == "mobile"]
    assert mobile.text == "１３９１２３４５６７８"


def test_masking_formats():
    assert mask_value("id_card", VALID_ID) == "310101********1232"
    assert mask_value("mobile", "13812345678") == "138****5678"
    assert mask_value("name", "张伟") == "张*"
    assert mask_value("name", "欧阳娜娜") == "欧阳**"
    assert mask_value("address", "上海市静安区常德路800号3室") == "上海市静安区常德路**"
    text = f"申请人张伟，身份证号{VALID_ID}，手机13812345678。"
    assert mask_text(text, detect(text)) == "申请人张*，身份证号310101********1232，手机138****5678。"


def test_scan_command_reads_any_encoding_docx_and_pdf(tmp_path, capsys):
    import docx

    gbk = tmp_path / "a.txt"
    gbk.write_bytes(f"申请人张伟，身份证号{VALID_ID}。".encode("gb18030"))
    word = tmp_path / "b.docx"
    document = docx.Document()
    document.add_paragraph("联系人：李秀英女士，手机13912345678")
    document.save(word)
    clean = tmp_path / "c.txt"
    clean.write_text("沪府办发〔2023〕12号", encoding="utf-16")
    call_command("review", "scan", str(gbk), str(word), str(clean), "--json")
    lines = json.loads(capsys.readouterr().out)  # one JSON list, one object per file (README: --json)
    assert [line["file"] for line in lines] == [str(gbk), str(word), str(clean)]
    assert {(f["kind"], f["text"]) for f in lines[0]["findings"]} == {("name", "张伟"), ("id_card", VALID_ID)}
    assert {(f["kind"], f["text"]) for f in lines[1]["findings"]} == {
        ("name", "李秀英"),
        ("mobile", "13912345678"),
    }
    assert lines[2]["findings"] == []
    first = lines[0]["findings"][0]
    assert set(first) >= {"kind", "text", "start", "end", "confidence"}


# ---------------------------------------------------------------- false alarms on real documents (issue 12)
# Sentences of national regulations (LawRefBook/Laws): official documents with no private personal data.
REAL_SENTENCES = [
    # 管机关 (in 主管机关): 全民所有制工业企业厂长工作条例 第三条
    "第三条 厂长在组织企业生产经营活动中，必须坚持企业的社会主义经营方向，执行党和国家的方针、政策，"
    "遵守国家的法律、法规，执行企业主管机关的决定。",
    # 申请: 企业法人登记管理条例 第八条
    "第八条 企业办理企业法人登记，由该企业的组建负责人申请。",
    # 仲裁庭: 仲裁委员会仲裁收费办法 第九条
    "第九条 仲裁费用原则上由败诉的当事人承担；当事人部分胜诉、部分败诉的，由仲裁庭根据当事人各方责任大小"
    "确定其各自应当承担的仲裁费用的比例。",
    # 应当亲 (in 应当亲自): 中国公民收养子女登记办法 第四条
    "第四条 收养关系当事人应当亲自到收养登记机关办理成立收养关系的登记手续。",
    # 和矿长: 国务院关于预防煤矿生产安全事故的特别规定
    "并由颁发证照的部门立即吊销矿长资格证和矿长安全资格证，该煤矿的法定代表人和矿长5年内不得再担任任何"
    "煤矿的法定代表人或者矿长。",
    # 向有权: 信访条例 第二十二条
    "对不属于本机关职权范围的信访事项，应当告知信访人向有权的机关提出。",
    # 齐备: 国际海运条例
    "申请材料真实、齐备的，予以登记，并通知申请人；申请材料不真实或者不齐备的，不予登记，书面通知申请人并告知理由。",
    # 查阅: 政府信息公开条例 第四十条
    "可以通过电子数据以及其他适当形式提供，或者安排申请人查阅、抄录相关政府信息。",
]


@pytest.mark.parametrize("sentence", REAL_SENTENCES)
def test_words_of_real_regulations_are_not_names(sentence):
    assert detect(sentence) == []


def test_internal_material_inside_a_sentence_is_not_a_secrecy_mark():
    # 印刷业管理条例 第二十条: 内部资料性出版物 is a kind of publication, not a mark
    sentence = "第二十条 印刷企业接受委托印刷内部资料性出版物的，必须验证县级以上地方人民政府出版行政部门核发的准印证。"
    assert detect(sentence) == []
    assert detect("中华人民共和国保守国家秘密法规定，机密级国家秘密是重要的国家秘密。") == []
    header = "内部资料\n\n关于做好2024年政务公开工作的通知\n\n各区人民政府："
    assert [(f.kind, f.text) for f in detect(header)] == [("secrecy", "内部资料")]


@pytest.mark.parametrize(
    "mark", ["★秘密", "机密★1年", "秘密★5年", "绝密★长期", "绝密★启用前", "秘密 保密期限：10年", "密级：机密"]
)
def test_standard_secrecy_marks_are_found(mark):
    text = f"{mark}\n\n关于某事项的请示\n\n市人民政府："
    (finding,) = detect(text)
    assert finding.kind == "secrecy" and finding.text == mark and finding.confidence >= 0.9


@pytest.mark.parametrize("number", ["14412345678", "16812345678"])
def test_unallocated_mobile_after_a_phone_word_is_reported_with_lower_confidence(number):
    (finding,) = detect(f"请申请人补正材料，联系电话：{number}。")
    allocated = detect("请申请人补正材料，联系电话：13912345678。")[0]
    assert finding.kind == "mobile" and finding.text == number
    assert 0.5 <= finding.confidence < allocated.confidence
    assert detect(f"全年预算支出{number}元。") == []  # a figure, not a phone


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("联系人：王建国 13912345678", ["王建国"]),
        ("申请人李俊（身份证号：310101198503071232）。", ["李俊"]),
        ("当事人：高峰，男，1980年5月出生。", ["高峰"]),
        ("经研究，决定任命张秀英同志为区政务公开办公室副主任。", ["张秀英"]),
        ("来信人欧阳娜娜女士反映，其家中漏水。", ["欧阳娜娜"]),
        ("王小明，身份证号310101198503071232，于2023年3月提出申请。", ["王小明"]),
        ("获奖人员：吴怡庆、李兰国、杨梅新。", ["吴怡庆", "李兰国", "杨梅新"]),
        ("经查，赵斌佑于2015年12月取得该房屋。此后赵斌佑将房屋出租。", ["赵斌佑", "赵斌佑"]),
    ],
)
def test_names_in_a_personal_context_are_found(text, names):
    assert [f.text for f in detect(text) if f.kind == "name"] == names


def test_public_figures_are_not_private_names():
    text = "深入学习贯彻以习近平同志为核心的党中央决策部署，大力弘扬雷锋精神，向焦裕禄同志学习。"
    assert detect(text) == []


def test_held_out_regulations_give_at_most_one_document_with_a_finding():
    """30 national regulations the detector was not tuned on (fixtures/review/README.md)."""
    import gzip

    path = FIXTURES / "review" / "heldout-regulations-30.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        documents = [json.loads(line) for line in lines]
    assert len(documents) == 30
    flagged = {d["path"]: [(f.kind, f.text) for f in detect(d["text"])] for d in documents}
    flagged = {path: findings for path, findings in flagged.items() if findings}
    assert len(flagged) <= 1, flagged
