"""Build the demo content shipped in src/gongkai/demo/content/ from the real public data in ../shared.

Run once by a developer (`python scripts/build_demo_content.py ../shared`); the output is committed,
so `gongkai demo` needs nothing outside the package. Only official documents and laws are copied
(PRC Copyright Law Art. 5); citizen messages and Q&A are never copied (shared/data/README.md).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "gongkai" / "demo" / "content"

# Theme codes from the national taxonomy (src/gongkai/documents/data/themes.json).
LAW_THEMES = {
    "中国公民因私事往来香港地区或者澳门地区的暂行管理办法": "2001",
    "中华人民共和国中外合作办学条例": "1102",
    "中外合资经营企业合营期限暂行规定": "0801",
    "中央储备粮管理条例": "0301",
    "中华人民共和国乡村集体所有制企业条例": "0301",
    "保安服务管理条例": "1601",
    "公共机构节能条例": "0306",
    "取水许可和水资源费征收管理条例": "0603",
    "国务院关于在香港特别行政区同时升挂使用国旗区旗的规定": "2001",
    "国务院关于禁止在市场经济活动中实行地区封锁的规定": "0802",
    "国有土地上房屋征收与补偿条例": "1002",
    "国防专利条例": "2101",
    "国防计量监督管理条例": "2101",
    "中华人民共和国增值税暂行条例": "0402",
    "外债统计监测暂行规定": "0403",
    "大中型水利水电工程建设征地补偿和移民安置条例": "0603",
    "中华人民共和国契税暂行条例": "0402",
    "导游人员管理条例": "0804",
    "幼儿园管理条例": "1102",
    "建设工程安全生产管理条例": "0904",
    "护士条例": "1301",
    "排污许可管理条例": "1004",
    "政府投资条例": "0301",
    "政府督查工作条例": "0206",
    "旅行社条例": "0804",
    "中华人民共和国民办教育促进法实施条例": "1102",
    "民办非企业单位登记管理暂行条例": "1705",
    "中华人民共和国测量标志保护条例": "0504",
    "畜禽规模养殖污染防治条例": "1004",
    "矿产资源勘查区块登记管理办法": "0502",
}
# Real metadata for the one law whose file carries no header lines.
KNOWN_HEADERS = {
    "政府督查工作条例": ["2020年12月26日 中华人民共和国国务院令第733号公布", "2021年2月1日 施行"]
}

ORG_BY_PUBLISHER = [
    ("国务院、中华人民共和国中央军事委员会令", ["state-council", "cmc"]),
    ("国务院、中央军事委员会令", ["state-council", "cmc"]),
    ("国家教育委员会令", ["sedc"]),
    ("国务院令", ["state-council"]),
    ("公安部", ["mps"]),
    ("对外经济贸易部", ["mofert"]),
    ("国家外汇管理局", ["safe"]),
]

DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def iso(match: re.Match) -> str:
    return f"{int(match[1]):04d}-{int(match[2]):02d}-{int(match[3]):02d}"


def doc_type_for(title: str) -> str:
    for suffix, code in [("实施条例", "regulations"), ("条例", "regulations"), ("暂行规定", "provisions"), ("规定", "provisions"),
                         ("办法", "measures"), ("细则", "detailed_rules"), ("公告", "announcement"), ("通知", "notice"),
                         ("要点", "key_points")]:  # fmt: skip
        if title.endswith(suffix) or title.rstrip("）)").endswith(suffix):
            return code
    return "other"


def markdown_to_text(markdown: str) -> str:
    text = markdown.split("<!-- INFO END -->", 1)[-1]
    lines = [line.strip().lstrip("#").strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def laws(shared: Path) -> list[dict]:
    entries = []
    for line in (shared / "data/laws/sample.jsonl").read_text().splitlines():
        row = json.loads(line)
        title = row["title"]
        headers = row["info_lines"] or KNOWN_HEADERS.get(title, [])
        published = effective = None
        organisations: list[str] = []
        doc_number = ""
        history = []
        for header in headers:
            date = DATE.search(header)
            if re.search(r"(公布|发布)", header) and published is None and date:
                published = iso(date)
                decree = re.search(r"令第(\d+)号", header)
                for marker, orgs in ORG_BY_PUBLISHER:
                    if marker in header:
                        organisations = orgs
                        break
                if decree:
                    prefix = (
                        "国家教育委员会令"
                        if "国家教育委员会令" in header
                        else ("国务院、中央军事委员会令" if "中央军事委员会令" in header else "国务院令")
                    )
                    doc_number = f"{prefix}第{decree[1]}号"
            elif header.strip().endswith("施行") and date:
                effective = iso(date)
            elif date and ("修订" in header or "修正" in header):
                history.append(header.strip().rstrip("）").replace("  根据", ""))
        text = markdown_to_text(row["text"])
        slug = f"law-{len(entries) + 1:02d}"
        (OUT / f"{slug}.txt").write_text(text + "\n")
        entries.append({
            "file": f"{slug}.txt", "title": title, "doc_number": doc_number, "doc_type": doc_type_for(title),
            "organisations": organisations or ["state-council"], "written_date": published, "published_date": published,
            "effective_date": effective, "theme": LAW_THEMES.get(title, "2201"), "is_normative": False,
            "tags": ["行政法规"] if "国务院令" in doc_number or doc_number.startswith("国务院") else ["部门规章"],
            "summary": "；".join(history), "source": f"LawRefBook/Laws {row['path']}",
        })  # fmt: skip
    return entries


def policies(shared: Path) -> list[dict]:
    rows = {
        json.loads(line)["idx"]: json.loads(line)
        for line in (shared / "data/policy-fulltext/sample.jsonl").read_text().splitlines()
    }
    picks = []
    safe = rows["311872"]
    (OUT / "policy-safe-1997.txt").write_text(safe["Body"].strip() + "\n")
    picks.append({
        "file": "policy-safe-1997.txt", "title": safe["Title"].replace("（已废止）", ""), "doc_number": "",
        "doc_type": "notice", "organisations": ["safe"], "written_date": safe["Date"], "published_date": safe["Date"],
        "theme": "0403", "validity_override": "repealed", "tags": ["外汇管理"], "source": safe["Link"],
        # the library marked it 已废止 when scraped (2023) without a date: the demo records the end of 2023
        "validity_override_date": "2023-12-31",
        "validity_override_note": "The SAFE library showed the notice as 已废止 when it was scraped in 2023; "
        "the source gives no repeal date, so the demo records the end of that year (repealed by then at the latest).",
    })  # fmt: skip
    customs = rows["190286"]
    body = customs["Body"].split("浏览次数")[0].strip()
    (OUT / "policy-customs-2016-8.txt").write_text(body + "\n")
    picks.append({
        "file": "policy-customs-2016-8.txt", "title": "关于修订飞机经营性租赁审定完税价格有关规定的公告",
        "doc_number": "海关总署公告2016年第8号", "doc_type": "announcement", "organisations": ["gac"],
        "written_date": "2016-01-29", "published_date": customs["Date"], "theme": "0803", "tags": ["海关", "完税价格"],
        "source": customs["Link"],
    })  # fmt: skip
    ndrc = rows["176014"]
    body = ndrc["Body"].split("扫描二维码")[0].strip()
    (OUT / "policy-ndrc-2016-2120.txt").write_text(body + "\n")
    picks.append({
        "file": "policy-ndrc-2016-2120.txt",
        "title": "国家发展改革委 国家能源局关于印发《售电公司准入与退出管理办法》和《有序放开配电网业务管理办法》的通知",
        "doc_number": "发改经体〔2016〕2120号", "doc_type": "notice", "organisations": ["ndrc", "nea"],
        "written_date": "2016-10-08", "published_date": ndrc["Date"], "theme": "0505", "is_normative": True,
        "tags": ["电力体制改革", "售电"], "source": ndrc["Link"],
        "relations": [
            {"type": "issues", "title": "售电公司准入与退出管理办法"},
            {"type": "issues", "title": "有序放开配电网业务管理办法"},
        ],
    })  # fmt: skip
    return picks


def govdoc(shared: Path) -> dict:
    text = (shared / "data/govdoc-cn/397.txt").read_text()
    (OUT / "govdoc-397.txt").write_text(text)
    shutil.copy(shared / "data/govdoc-cn/397.pdf", OUT / "govdoc-397.pdf")
    shutil.copy(shared / "data/govdoc-cn/LICENSE", OUT / "govdoc-397.LICENSE")
    return {
        "file": "govdoc-397.txt", "title": "国家发展改革委办公厅 税务总局办公厅关于加强个人所得税纳税信用建设的通知",
        "doc_number": "发改办财金规〔2019〕860号", "doc_type": "notice", "organisations": ["ndrc-office", "sat-office"],
        "written_date": "2019-08-20", "published_date": "2019-08-20", "theme": "0402", "is_normative": True,
        "tags": ["个人所得税", "纳税信用", "社会信用体系"],
        "attachments": [{"file": "govdoc-397.pdf", "title": "发改办财金规〔2019〕860号（原文PDF）"}],
        "relations": [{"type": "based_on", "title": "中华人民共和国个人所得税法"},
                      {"type": "based_on", "title": "国务院关于印发个人所得税专项附加扣除暂行办法的通知", "doc_number": "国发〔2018〕41号"}],
        "source": "RuilinXu/GovDoc-CN (MIT)",
    }  # fmt: skip


# Demand-side tags (taxonomy codes, `gongkai tags list`) chosen by a person for each demo file;
# the 主题 tag follows from each document's 主题分类.
DEMO_TAGS = {
    "workplan-notice.txt": ["public-bodies"],
    "workplan-keypoints.txt": ["public-bodies"],
    "govdoc-397.txt": ["taxpayers"],
    "policy-safe-1997.txt": ["financial-institutions"],
    "policy-customs-2016-8.txt": ["enterprise", "business-operation"],
    "policy-ndrc-2016-2120.txt": ["enterprise", "business-licensing", "industry-44"],
    "law-01.txt": ["person"],
    "law-02.txt": ["schools", "foreign-invested"],
    "law-03.txt": ["foreign-invested", "business-start"],
    "law-04.txt": ["state-owned", "industry-01"],
    "law-05.txt": ["enterprise"],
    "law-06.txt": ["enterprise", "business-licensing"],
    "law-07.txt": ["public-bodies"],
    "law-08.txt": ["enterprise", "business-licensing"],
    "law-09.txt": ["public-bodies"],
    "law-10.txt": ["enterprise", "business-operation"],
    "law-11.txt": ["person", "housing"],
    "law-12.txt": ["enterprise"],
    "law-13.txt": ["enterprise"],
    "law-14.txt": ["enterprise", "taxpayers", "business-operation"],
    "law-15.txt": ["financial-institutions"],
    "law-16.txt": ["person", "housing"],
    "law-17.txt": ["taxpayers", "housing"],
    "law-18.txt": ["talent", "employment"],
    "law-19.txt": ["students-parents", "schools", "schooling"],
    "law-20.txt": ["enterprise", "investment-construction"],
    "law-21.txt": ["medical-staff", "employment"],
    "law-22.txt": ["enterprise", "business-licensing"],
    "law-23.txt": ["public-bodies", "investment-construction"],
    "law-24.txt": ["public-bodies"],
    "law-25.txt": ["enterprise", "business-licensing"],
    "law-26.txt": ["schools", "students-parents"],
    "law-27.txt": ["social-orgs", "business-start"],
    "law-28.txt": ["public-bodies"],
    "law-29.txt": ["enterprise", "industry-03"],
    "law-30.txt": ["enterprise", "business-licensing", "industry-B"],
}


def workplan(shared: Path) -> list[dict]:
    text = next((shared / "workplan").glob("*.txt")).read_text()
    notice, rest = text.split("2023年静安区政务公开工作要点\n", 1)
    body, tail = rest.split("抄送：", 1)
    (OUT / "workplan-notice.txt").write_text(notice.strip() + "\n\n" + "抄送：" + tail.strip() + "\n")
    (OUT / "workplan-keypoints.txt").write_text(body.strip() + "\n")
    (OUT / "workplan-original.txt").write_text(text)
    common = {"organisations": ["jingan-gov-office"], "written_date": "2023-04-23", "published_date": "2023-04-23",
              "theme": "0203", "tags": ["政务公开", "工作要点"]}  # fmt: skip
    return [
        {**common, "key": "workplan-notice", "file": "workplan-notice.txt",
         "title": "上海市静安区人民政府办公室关于印发《2023年静安区政务公开工作要点》的通知",
         "doc_number": "静府办发〔2023〕5号", "doc_type": "notice",
         "attachments": [{"file": "workplan-original.txt", "title": "静府办发〔2023〕5号全文（文本）"}],
         "relations": [{"type": "issues", "key": "workplan-keypoints"}]},
        {**common, "key": "workplan-keypoints", "file": "workplan-keypoints.txt", "title": "2023年静安区政务公开工作要点",
         "doc_number": "", "doc_type": "key_points"},
    ]  # fmt: skip


def main() -> None:
    shared = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared").resolve()
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = [*workplan(shared), govdoc(shared), *policies(shared), *laws(shared)]
    for entry in manifest:
        entry["tags"] = DEMO_TAGS.get(entry["file"], [])
    (OUT / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    print(f"{len(manifest)} documents written to {OUT}")


if __name__ == "__main__":
    main()
