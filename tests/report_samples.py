"""The real 洪泽区 2023 annual report (`../shared/data/annual-reports`) as figures and text, clean
or as published, and with one planted deviation of each kind real reports make.

`report_layouts` draws these as PDFs; the 年报核查 tests and `bench/report_check_bench.py` check
them. `expected()` gives the findings a correct check must make on each.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gongkai.reports.constants import (
    APPLICANT_COLUMNS,
    CARRIED_IN_ROW,
    CARRIED_OUT_ROW,
    LEGACY_OTHER_KEY,
    NEW_ROW,
    OUTCOME_GROUPS,
    RESULTS_TOTAL,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
)


def printed_label(key: str) -> str:
    return key.rsplit("/", 1)[-1]


PROSE = {
    "intro": "本报告由淮安市洪泽区人民政府办公室根据《中华人民共和国政府信息公开条例》（国令第711号）"
    "（以下简称《条例》）要求编制此报告。报告中所列数据统计期限自2023年1月1日起至2023年12月31日止。"
    "如对本报告有疑问，请与淮安市洪泽区人民政府办公室联系（地址：淮安市洪泽区洪泽湖大道90号，"
    "邮编：223100，电话：0517-87222589，电子邮箱：hzzwgk@126.com）。",
    "一、总体情况": [
        "2023年，洪泽区人民政府坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《条例》相关"
        "规范要求，不断完善政府信息公开制度，建立健全政府信息公开保障机制，始终将政务公开工作摆在重要位置，"
        "推进政府信息公开工作规范、有序、健康发展。",
        "（一）主动公开情况。主要通过政府门户网站主动公开政府文件、项目审批、通知公告等各类政府信息。"
        "2023年，我区在政府网站平台主动公开政府信息1136条。",
        "（二）依申请公开情况。进一步规范依申请公开流程，畅通依申请公开受理渠。2023年全区受理政府信息"
        "公开申请{received}件，均在法定期限答复。",
        "（三）政府信息管理情况。加强区政府门户网站及政务新媒体日常管理，运用第三方检测平台实行常态化监测，"
        "执行信息审核发布制度。严格执行“分级审核、先审后发”程序，落实“三审三校”制度，从严从实把好政治关、"
        "法律关、政策关、保密关、文字关，未经审核的信息一律不准发布。",
        "（四）政府信息公开平台建设情况。加强对区政府网站、政务新媒体动态全面监管，按照管理标准定期检查，"
        "及时关停整合用户关注度低、更新不及时、无力运维的新媒体账号，将相关功能进行集约整合。",
        "（五）政府信息公开监督保障情况。进一步细化分解政府门户网站和政务新媒体内容保障责任单位，形成工作"
        "清单，做到任务具体、责任明确，确保政府门户网站和政务新媒体工作有序开展。",
    ],
    "五、存在的主要问题及改进情况": [
        "2023年，洪泽区政府信息公开工作取得一定的成效，但对照上级要求，仍存在一定差距。如依申请公开工作"
        "规范性还有待提高、政务公开内容的深度和广度还有待提升、政务公开队伍建设有待加强等。针对存在问题，"
        "下一步，将切实抓好以下工作：一是扎实推进依申请公开工作，全面梳理和优化工作流程。二是围绕区委区政府"
        "中心工作，进一步梳理明确政务公开的重点领域。三是继续加强业务指导培训。",
    ],
    "六、其他需要报告的事项": [
        "2023年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费0元。",
    ],
}


def _person(n: int) -> dict[str, int]:
    return {**dict.fromkeys(APPLICANT_COLUMNS, 0), "自然人": n, "总计": n}


@dataclass
class Report:
    """What is printed: the report JSON's tables, the figure its text quotes, labels as printed."""

    organisation: str
    year: int
    table2: dict[str, dict[str, Any]]
    table3: dict[str, dict[str, Any]]  # LEGACY_OTHER_KEY instead of （六）'s sub-rows: the 2019 row
    table4: dict[str, dict[str, Any]]
    received: int  # “全区受理政府信息公开申请N件”
    printed: dict[str, str] = field(default_factory=dict)  # row key → label as printed, if it differs

    def json(self) -> dict[str, Any]:
        return {
            k: copy.deepcopy(getattr(self, k)) for k in ("organisation", "year", "table2", "table3", "table4")
        }

    def label(self, key: str) -> str:
        return self.printed.get(key, printed_label(key))


def clean() -> Report:
    """The real report with its four deviations put right: every rule of the format holds."""
    counts = {
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": 4,
        "（三）不予公开/1.属于国家秘密": 1,
        "（三）不予公开/6.属于四类过程性信息": 1,
        "（三）不予公开/7.属于行政执法案卷": 1,
        "（四）无法提供/1.本机关不掌握相关政府信息": 10,
        "（四）无法提供/2.没有现成信息需要另行制作": 3,
        "（五）不予处理/1.信访举报投诉类申请": 1,
    }
    table3 = {NEW_ROW: _person(21), CARRIED_IN_ROW: _person(0)}
    for group, subs in OUTCOME_GROUPS:
        for key in [f"{group}/{sub}" for sub in subs] or [group]:
            table3[key] = _person(counts.get(key, 0))
    table3[RESULTS_TOTAL] = _person(21)
    table3[CARRIED_OUT_ROW] = _person(0)
    t4 = {
        TABLE4_GROUPS[0]: [10, 1, 0, 0, 11],
        TABLE4_GROUPS[1]: [0, 0, 0, 0, 0],
        TABLE4_GROUPS[2]: [5, 0, 0, 0, 5],
    }
    return Report(
        organisation="洪泽区人民政府",
        year=2023,
        table2={
            "规章": {"本年制发件数": 0, "本年废止件数": 0, "现行有效件数": 0},
            "行政规范性文件": {"本年制发件数": 0, "本年废止件数": 5, "现行有效件数": 5},
            "行政许可": {"本年处理决定数量": 550},
            "行政处罚": {"本年处理决定数量": 4119},
            "行政强制": {"本年处理决定数量": 195},
            "行政事业性收费": {"本年收费金额（单位：万元）": 7730.28},
        },
        table3=table3,
        table4={g: dict(zip(TABLE4_COLUMNS, v, strict=True)) for g, v in t4.items()},
        received=21,
    )


def _plant_legacy_other(report: Report) -> None:
    other = [k for k in report.table3 if k.startswith("（六）其他处理/")]
    rows = list(report.table3.items())
    at = [k for k, _v in rows].index(other[0])
    rows = [r for r in rows if r[0] not in other]
    rows.insert(at, (LEGACY_OTHER_KEY, _person(sum(report.table3[k]["总计"] for k in other))))
    report.table3 = dict(rows)


def _plant(path: tuple[str, ...], value: Any) -> Callable[[Report], None]:
    """Set the attribute of a `Report` (then the keys into it) named by `path` to `value`."""

    def plant(report: Report) -> None:
        if len(path) == 1:
            setattr(report, path[0], copy.deepcopy(value))
            return
        target = getattr(report, path[0])
        for step in path[1:-1]:
            target = target[step]
        target[path[-1]] = copy.deepcopy(value)

    return plant


# One deviation each, as real reports make them; `expected()` says which findings each must give.
PLANTS: dict[str, Callable[[Report], None]] = {
    "row total": _plant(("table3", "（四）无法提供/2.没有现成信息需要另行制作", "总计"), 4),
    "cross-footing": _plant(("table3", CARRIED_IN_ROW), _person(1)),
    "（七）总计": _plant(("table3", RESULTS_TOTAL), _person(20)),
    "表四 total": _plant(("table4", TABLE4_GROUPS[0], "总计"), 12),
    "renamed row": _plant(("printed", "（三）不予公开/4.保护第三方合法权益"), "4.保护第三方权益"),
    "2019 label in 表二": _plant(("printed", "行政规范性文件"), "规范性文件"),
    "2019 （六） row": _plant_legacy_other,
    "missing row": lambda report: report.table3.pop("（五）不予处理/2.重复申请"),
    "text figure": _plant(("received",), 12),
}


def planted(name: str) -> Report:
    report = clean()
    PLANTS[name](report)
    return report


def as_published() -> Report:
    """The report as 洪泽区 published it: a misprinted label, the 2019 single （六） row, and two
    Table 四 groups whose 总计 is printed as 0."""
    report = clean()
    report.printed["（三）不予公开/2.其他法律行政法规禁止公开"] = "2.其他法律行政止公开"
    _plant_legacy_other(report)
    report.table4[TABLE4_GROUPS[0]]["总计"] = 0
    report.table4[TABLE4_GROUPS[2]]["总计"] = 0
    return report


def signature(f: dict[str, Any]) -> tuple[str, str]:
    """A finding by its rule and the row, column or group it is about."""
    numbers = f.get("numbers") or {}
    return f["rule"], str(numbers.get("row") or numbers.get("column") or numbers.get("group") or "")


def expected(report: Report) -> list[tuple[str, str]]:
    """The findings a correct check gives on `report`: the format's rules on its figures, each label
    printed differently, and a text figure that contradicts the table."""
    from gongkai.reports.constants import Rule
    from gongkai.reports.rules import check_report

    found = [signature(f) for f in check_report(report.json())]
    found += [(Rule.RENAMED_ROW.value, key) for key in report.printed]
    if report.received != report.table3[NEW_ROW]["总计"]:
        found.append((Rule.TEXT_MISMATCH.value, NEW_ROW))
    return sorted(found)
