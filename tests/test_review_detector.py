"""The detector finds personal data and secrecy markers with spans, and leaves look-alike numbers alone."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from gongkai.review.detector import detect, mask_text, mask_value

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
