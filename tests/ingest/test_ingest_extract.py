"""Element extraction on real official documents (条例 Art. 9, GB/T 9704-2012 §7)."""

from __future__ import annotations

from gongkai.ingest.extract import extract_text
from gongkai.text.readers import read_bytes
from paths import FIXTURES as ALL_FIXTURES

FIXTURES = ALL_FIXTURES / "ingest"


def _workplan() -> dict:
    text = read_bytes((FIXTURES / "workplan.txt").read_bytes(), "workplan.txt").text
    return extract_text(text).as_dict()


def test_work_plan_elements() -> None:
    data = _workplan()
    assert data["doc_number"] == "静府办发〔2023〕5号"
    assert data["doc_number_parts"] == {
        "organ_code": "静府办发",
        "year": 2023,
        "serial": 5,
        "kind": "standard",
    }
    assert data["issuer_mark"] == "上海市静安区人民政府办公室文件"
    assert data["title"] == "上海市静安区人民政府办公室关于印发《2023年静安区政务公开工作要点》的通知"
    assert data["doc_type"] == "notice"
    assert data["recipients"] == "区政府各委、办、局，各街道办事处、彭浦镇政府"
    assert data["signature"] == "上海市静安区人民政府办公室"
    assert data["written_date"] == "2023-04-23"
    assert data["printed_date"] == "2023-04-23"
    assert data["printed_by"] == "上海市静安区人民政府办公室"
    assert data["cc_list"] == [
        "区委各部门",
        "区人大常委会办公室",
        "区政协办公室",
        "区法院",
        "区检察院",
        "区各人民团体",
    ]
    assert [i["canonical_name"] for i in data["issuers"]] == ["上海市静安区人民政府办公室"]
    issues = [r for r in data["relations"] if r["type"] == "issues"]
    assert [r["target_title"] for r in issues] == ["2023年静安区政务公开工作要点"]
    assert [d["title"] for d in data["issued_documents"]] == ["2023年静安区政务公开工作要点"]


def test_spans_and_confidences_point_at_the_source_text() -> None:
    text = read_bytes((FIXTURES / "workplan.txt").read_bytes(), "workplan.txt").text
    data = extract_text(text).as_dict()
    start, end = data["spans"]["doc_number"]
    assert text[start:end] == "静府办发〔2023〕5号"
    start, end = data["spans"]["written_date"]
    assert text[start:end] == "2023年4月23日"
    assert all(0 < value <= 1 for value in data["confidence"].values())
    issued = data["issued_documents"][0]
    assert text[issued["start"] : issued["end"]].startswith("2023年静安区政务公开工作要点")
    assert "抄送" not in text[issued["start"] : issued["end"]]


def test_joint_document_from_pdf_and_text_layer() -> None:
    for name in ("govdoc-397.pdf", "govdoc-397.txt"):
        text = read_bytes((FIXTURES / name).read_bytes(), name).text
        data = extract_text(text).as_dict()
        assert data["doc_number"] == "发改办财金规〔2019〕860号", name
        assert data["title"] == "关于加强个人所得税纳税信用建设的通知", name
        assert data["signature"] == ["国家发展改革委办公厅", "税务总局办公厅"], name
        assert data["written_date"] == "2019-08-20", name
        assert data["recipients"].endswith("社会信用体系建设部际联席会议成员单位办公厅（室）"), name
        assert {i["canonical_name"] for i in data["issuers"]} >= {
            "国家发展和改革委员会办公厅",
            "国家税务总局办公厅",
        }


def test_head_elements_of_a_classified_upward_document() -> None:
    text = "\n".join([
        "000123", "机密★5年", "特急", "静安区教育局文件", "", "静教〔２０２３〕０１２号        签发人：张三 李四",
        "静安区教育局关于2023年", "招生工作的请示", "区政府：", "现将有关情况报告如下。", "妥否，请批示。",
        "附件：1.招生计划", "2.经费预算", "静安区教育局", "二〇二三年三月一日", "（联系人：王五，电话：12345678）",
    ])  # fmt: skip
    data = extract_text(text).as_dict()
    assert data["copy_number"] == "000123"
    assert data["classification"] == "机密★5年"
    assert data["urgency"] == "特急"
    assert data["doc_number"] == "静教〔２０２３〕０１２号"
    assert data["doc_number_normalized"] == "静教〔2023〕12号"
    assert data["signer"] == "张三 李四"
    assert data["title"] == "静安区教育局关于2023年招生工作的请示"
    assert data["doc_type"] == "request"
    assert data["recipients"] == "区政府"
    assert data["attachment_note"] == "1.招生计划；2.经费预算"
    assert data["written_date"] == "2023-03-01"
    assert data["note"] == "（联系人：王五，电话：12345678）"


def test_relations_and_validity_from_the_text() -> None:
    text = "\n".join([
        "静安区人民政府关于印发《静安区公共数据开放管理办法》的通知", "静府规〔2023〕2号", "各街道办事处：",
        "根据《中华人民共和国政府信息公开条例》（国务院令第711号）和《上海市公共数据开放暂行办法》，制定本办法。",
        "本办法自2023年6月1日起施行，有效期5年。《静安区公共数据开放暂行办法》（静府规〔2019〕3号）同时废止。",
        "上海市静安区人民政府", "2023年5月10日",
    ])  # fmt: skip
    data = extract_text(text).as_dict()
    relations = {(r["type"], r["target_title"], r["target_doc_number"]) for r in data["relations"]}
    assert ("based_on", "中华人民共和国政府信息公开条例", "国务院令第711号") in relations
    assert ("based_on", "上海市公共数据开放暂行办法", "") in relations
    assert ("repeals", "静安区公共数据开放暂行办法", "静府规〔2019〕3号") in relations
    assert ("issues", "静安区公共数据开放管理办法", "") in relations
    assert data["effective_date"] == "2023-06-01"
    assert data["expiry_date"] == "2028-05-31"


def test_regulation_header_gives_title_decree_number_and_dates() -> None:
    text = "# 政府投资条例\n\n2019年4月14日 中华人民共和国国务院令第712号公布\n\n2019年7月1日 施行\n\n## 第一章 总则\n\n第一条 为了……，制定本条例。"
    data = extract_text(text).as_dict()
    assert data["title"] == "政府投资条例"
    assert data["doc_number_normalized"] == "中华人民共和国国务院令第712号"
    assert data["doc_number_parts"]["kind"] == "decree"
    assert data["written_date"] == "2019-04-14"
    assert data["effective_date"] == "2019-07-01"
    assert data["doc_type"] == "regulations"
    assert data["issuers"][0]["canonical_name"] == "国务院"


def test_text_without_any_element_gives_an_empty_result_not_an_error() -> None:
    data = extract_text("今天天气很好。").as_dict()
    assert data["doc_number"] is None and data["written_date"] is None


def test_title_in_parentheses_on_the_announcement_number_line():
    from gongkai.ingest.extract import extract_text

    text = "海关总署公告2016年第8号（关于修订飞机经营性租赁审定完税价格有关规定的公告）\n为进一步规范飞机经营性租赁完税价格审定工作，特公告如下。\n"
    result = extract_text(text).as_dict()
    assert result["title"] == "关于修订飞机经营性租赁审定完税价格有关规定的公告"
    assert result["doc_number_normalized"] == "海关总署公告2016年第8号"
