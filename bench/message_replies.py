"""Weak field labels for 问政 messages from the official reply: which unit handled the message.

The replies of `messages/replies-sample.jsonl` (evaluation data, read from ../shared/data, never copied
into the project) say who handled a message: a bureau that passed it to one of its centres, a signature such as
"某县公安局交警大队", an office that asked the county education bureau to look into it. `HANDLING_UNITS` maps such
unit names to the department field (一级分类) whose department does that work.

Source of the table: public knowledge of each unit's functions (the published 三定 functions of city
and county departments), and where a utility or office is not a department, the regulation that puts
it under one: 城市供水条例 Art. 7 (urban water supply → the construction department), 城镇燃气管理条例
Art. 5 (gas → construction), 物业管理条例 Art. 5 (property management → the housing department),
城市照明管理规定 (住建部令第 4 号, street lighting → construction), 住房公积金管理条例 Art. 7
(provident fund → housing), 邮政法 Art. 4 (postal services → the postal administration of the transport
ministry). The names are unit names only, never topic words of a message; units whose work is outside
the seven fields (police stations, fire brigades, tax and finance offices) or that handle anything
(street offices, town and district governments, 12345 centres) are not in the table, so a reply naming
only them gives no label. The table was written from the list of unit names the replies contain and
from public knowledge, before any classifier was scored on these rows and without looking at the 58
labelled messages (their labels are the test).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

REPLIES = Path("messages") / "replies-sample.jsonl"

HANDLING_UNITS: dict[str, tuple[str, ...]] = {
    "城乡建设": (
        # housing and construction (住建), property, provident fund, real-estate registration
        "住房和城乡建设", "住建局", "住建委", "住建部", "城乡建设局", "建设局", "住房保障局", "房产局",
        "房屋管理局", "房屋管理所", "房管局", "房屋交易管理中心", "房地产交易管理", "住房公积金管理中心",
        "不动产登记中心", "质监站", "工程质量安全监督站", "建设工程质量", "村镇建设服务中心", "物业公司",
        "燃气公司", "水业集团", "自来水公司", "供水服务中心", "路灯公司", "城投公司", "市政建设投资",
        "市政部门", "管线办",
        # city management and law enforcement (城管), sanitation, illegal building
        "城市管理局", "城管局", "城管执法", "城管部门", "城市管理和行政执法局", "行政执法局", "执法局",
        "环卫局", "拆违控违办",
        # planning and land (自然资源和规划)
        "自然资源和规划局", "自然资源局", "规划局", "规划分局", "规划部门", "城乡规划局", "国土局",
        "国土资源局", "拆迁中心", "水务局",
    ),
    "环境保护": ("生态环境局", "生态环境部门", "环境保护局", "环保局", "环保部门", "生态办", "蓝天办"),
    "交通运输": (
        "交通运输局", "交通局", "交通委", "运管处", "运输管理处", "交通主管部门", "交警", "交通警察",
        "车管所", "公交公司", "公交集团", "巴士公司", "出租汽车管理", "轨道交通", "地铁集团",
        "邮政管理局", "邮政公司", "铁道部", "铁路局",
    ),
    "教育文体": (
        "教育局", "教育厅", "教育部门", "教育委员会", "基础教育处", "体育局", "文化局", "文广新局",
        "文体局", "图书馆", "电视台", "广播电视局", "文物局",
    ),
    "劳动和社会保障": (
        "人力资源和社会保障", "人力资源社会保障", "人社局", "人社部门", "社保局", "社会保险经办",
        "社保中心", "城乡居保中心", "医疗保障局", "医保局", "医保中心", "医管办", "民政局", "民政部门",
        "残联",
    ),
    "商贸旅游": (
        "商务局", "市场监督管理局", "市场监管局", "工商局", "工商分局", "旅游局",
    ),
    "卫生计生": (
        "卫生健康委", "卫健委", "卫健局", "卫计委", "卫生计生委", "卫生局", "卫生和计划生育",
        "疾病预防控制中心", "疾控中心", "计生办",
    ),
}  # fmt: skip

_UNIT = re.compile("|".join(sorted((re.escape(n) for names in HANDLING_UNITS.values() for n in names),
                                   key=len, reverse=True)))  # fmt: skip
_FIELD = {name: field for field, names in HANDLING_UNITS.items() for name in names}
SIGNATURE_CHARS = 60  # a unit named this close to the end of the reply is its signature


def reply_field(reply: str) -> tuple[str | None, str]:
    """(field, how) for a reply: the field of the units it names, or None.

    `how` is "one field" (every unit named maps to the same field), "signature" (units of several
    fields, the one signing the reply decides), "first" (several fields, no signature: the first
    named), "none" (no unit of the table).
    """
    text = re.sub(r"\s+", "", reply or "")
    hits = [(m.start(), _FIELD[m.group(0)]) for m in _UNIT.finditer(text)]
    fields = {f for _, f in hits}
    if not fields:
        return None, "none"
    if len(fields) == 1:
        return hits[0][1], "one field"
    tail = [f for pos, f in hits if pos >= len(text) - SIGNATURE_CHARS]
    if tail:
        return tail[-1], "signature"
    return hits[0][1], "first"


def load_replies(
    data_dir: Path, *, accept: tuple[str, ...] = ("one field", "signature")
) -> tuple[list[tuple[str, str, str]], Counter]:
    """(subject, body, weak field) for the replies whose label is of an accepted kind, and the count
    of every kind. Messages with neither subject nor body are skipped."""
    rows, kinds = [], Counter()
    with (data_dir / REPLIES).open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line) if line.strip() else {}
            if not row:
                continue
            field, how = reply_field(row.get("答复意见") or "")
            kinds[how] += 1
            subject, body = (row.get("留言主题") or "")[:500], (row.get("留言详情") or "")[:20_000]
            if field and how in accept and (subject or body):
                rows.append((subject, body, field))
    return rows, kinds
