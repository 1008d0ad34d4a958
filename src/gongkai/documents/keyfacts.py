"""Key facts of a policy text, each with its span: what a 解读 must make plain (work plan item 十七).

Who is eligible (适用范围, 申请条件), amounts in 元/万元/亿元 (Arabic or Chinese numerals, read with
cn2an), dates with their role (施行日期, 有效期, application windows and deadlines), time limits
(“15日内”), and where to apply (办理渠道: windows, online services, hotlines, the body to apply to).
The facts only assist staff: they are shown highlighted in the text and offered as drafts of the
interpretation's sections, which staff edit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.text.dates import find_dates


def _cn2an() -> Any:  # imported on first use: cn2an takes ~0.3 s to import (command-line start-up)
    from cn2an import cn2an

    return cn2an


_CN_NUM = "零〇一二两三四五六七八九十百千万亿点"
_FULL = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
SENTENCE_END = re.compile(r"[。；;！!？?\n]")
LIST_ITEM = re.compile(r"^\s*(?:[（(][一二三四五六七八九十0-9]+[)）]|[0-9一二三四五六七八九十]+[、.．])")

ELIGIBILITY = re.compile(
    r"适用于|本(?:办法|规定|条例|细则|通知|意见|措施|方案|公告)适用|适用范围|适用对象|申请条件|申报条件|支持对象|补贴对象|"
    r"(?:符合|具备|满足)(?:以下|下列)(?:条件|情形)|可以?(?:申请|申领|享受)|予以(?:补贴|奖励|支持)|对象为|面向"
)
AMOUNT = re.compile(
    rf"(?P<number>[0-9０-９][0-9０-９.．,，]*(?:[千万亿]+)?|[{_CN_NUM}]+)\s*(?P<unit>亿元|万元|千元|元)(?![旦素首宵])"
)
AMOUNT_QUALIFIER = re.compile(r"(最高|最多|不超过|不高于|不低于|最低|至少|每人|每户|每月|每年|每次|每平方米)")
# An amount is a benefit (惠民利企举措) only in a sentence that grants something, not in a fine or a threshold.
BENEFIT = re.compile(r"补贴|补助|奖励|资助|扶持|贴息|减免|免征|减征|退还|发放|给予|享受|支持")
PENALTY = re.compile(r"罚款|罚金|没收|处以|并处")
UNIT_FACTOR = {"元": 1, "千元": 1_000, "万元": 10_000, "亿元": 100_000_000}
TIME_LIMIT = re.compile(
    r"(?P<number>[0-9０-９]+|[一二三四五六七八九十百两]+)\s*(?P<unit>个工作日|工作日|个月|日|天|月|年)(?P<within>内|以内|之内)"
)
VALIDITY_PERIOD = re.compile(
    r"有效期(?:为|是|限)?\s*(?P<number>[0-9０-９]+|[一二三四五六七八九十两]+)\s*(?P<unit>年|个月)"
)
RELATIVE_EFFECTIVE = re.compile(r"自(?:印发|发布|公布|颁布)之日起(?:施行|实施|生效|执行)")
CHANNEL = re.compile(
    r"https?://[A-Za-z0-9./?=&_%#:~+-]+|一网通办|随申办|政务服务(?:中心|网|大厅)|社区事务受理(?:服务)?中心|网上办事大厅|"
    r"(?:受理|办事|服务)窗口|电子税务局|(?<![0-9])123(?:45|66|33|69|80)(?![0-9])|"
    r"向(?P<body>[^，。；、：\n]{2,24}?(?:机关|部门|局|委员会|委|办公室|中心|海关|分局|政府|街道办事处|镇|银行))"
    r"(?:提出|申请|申报|办理|报送|提交|备案|报告|缴纳)"
)
DATE_ROLES = (
    ("effective", re.compile(r"起?(?:施行|实施|生效|执行)")),
    ("expiry", re.compile(r"有效期|止|截止|失效|废止")),
    ("window", re.compile(r"申报|申请|受理|报名|报送|提交|办理|备案")),
)


@dataclass(frozen=True)
class Fact:
    kind: str  # eligibility | amount | date | time_limit | channel
    text: str
    start: int
    end: int
    value: str = ""  # amount in 元, ISO date, or "15 日"
    detail: str = ""  # the role of a date, the qualifier of an amount, the body to apply to
    sentence: str = ""

    @property
    def label(self) -> str:
        return str(FACT_LABELS[self.kind])

    def as_dict(self) -> dict:
        return {**asdict(self), "label": self.label}


FACT_LABELS = {
    "eligibility": gettext_lazy("适用对象和条件"), "amount": gettext_lazy("金额"), "date": gettext_lazy("日期"),
    "time_limit": gettext_lazy("时限"), "channel": gettext_lazy("办理渠道"),
}  # fmt: skip
DATE_ROLE_LABELS = {
    "effective": gettext_lazy("施行日期"), "expiry": gettext_lazy("有效期限"),
    "window": gettext_lazy("申报或办理时间"), "": gettext_lazy("日期"),
}  # fmt: skip


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, ending at 。；！？ or a line break."""
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        if text[start : match.end()].strip():
            spans.append((start, match.end()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _sentence_at(spans: list[tuple[int, int]], position: int, text: str) -> str:
    for start, end in spans:
        if start <= position < end:
            return text[start:end].strip()
    return ""


def read_amount(number: str, unit: str) -> Decimal | None:
    """The amount in 元: “10万元”, “5千元”, “1,000元”, “五十万元”, “一千二百元” (cn2an for numerals)."""
    number = number.translate(_FULL).replace(",", "").strip()
    try:
        if re.fullmatch(r"[0-9.]+", number):
            value = Decimal(number)
        else:
            value = Decimal(str(_cn2an()(number, "smart")))
    except (InvalidOperation, ValueError, KeyError, IndexError, TypeError):
        return None
    return value * UNIT_FACTOR[unit]


def _eligibility(text: str, spans: list[tuple[int, int]]) -> list[Fact]:
    facts = []
    lines = text.splitlines(keepends=True)
    for start, end in spans:
        sentence = text[start:end]
        if not ELIGIBILITY.search(sentence):
            continue
        stop = end
        if sentence.rstrip().endswith(("：", ":")):  # “符合下列条件：” — take the list that follows
            offset, taken = 0, 0
            for line in lines:
                if offset >= end and taken < 10:
                    if not LIST_ITEM.match(line):
                        break
                    stop, taken = offset + len(line.rstrip("\n")), taken + 1
                offset += len(line)
        stripped = text[start:stop].strip()
        lead = text[start:stop].index(stripped[:1]) if stripped else 0
        facts.append(
            Fact(
                "eligibility", stripped, start + lead, start + lead + len(stripped), sentence=sentence.strip()
            )
        )
    return facts


def _amounts(text: str, spans: list[tuple[int, int]]) -> list[Fact]:
    facts = []
    for match in AMOUNT.finditer(text):
        value = read_amount(match["number"], match["unit"])
        if value is None or value <= 0:
            continue
        before = AMOUNT_QUALIFIER.findall(text[max(0, match.start() - 6) : match.start()])
        after = text[match.end() : match.end() + 2]
        qualifiers = "".join([*before[-1:], *([after] if after in ("以上", "以下") else [])])
        facts.append(Fact("amount", match.group(0), match.start(), match.end(), value=f"{value.normalize():f}",
                          detail=qualifiers, sentence=_sentence_at(spans, match.start(), text)))  # fmt: skip
    return facts


def _date_role(before: str, after: str) -> str:
    for role, pattern in DATE_ROLES:
        if pattern.search(after[:8]) or (role != "effective" and pattern.search(before[-12:])):
            return role
    return ""


def _dates(text: str, spans: list[tuple[int, int]]) -> list[Fact]:
    facts = []
    for found in find_dates(text):
        role = _date_role(text[max(0, found.start - 16) : found.start], text[found.end : found.end + 12])
        facts.append(Fact("date", found.raw, found.start, found.end, value=found.date.isoformat(),
                          detail=str(DATE_ROLE_LABELS[role]), sentence=_sentence_at(spans, found.start, text)))  # fmt: skip
    for match in RELATIVE_EFFECTIVE.finditer(text):
        facts.append(Fact("date", match.group(0), match.start(), match.end(), detail=str(DATE_ROLE_LABELS["effective"]),
                          sentence=_sentence_at(spans, match.start(), text)))  # fmt: skip
    return facts


def _count(number: str) -> int | None:
    number = number.translate(_FULL)
    if number.isdigit():
        return int(number)
    try:
        return int(_cn2an()(number.replace("两", "二"), "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _time_limits(text: str, spans: list[tuple[int, int]]) -> list[Fact]:
    facts = []
    for pattern, detail in ((TIME_LIMIT, ""), (VALIDITY_PERIOD, str(DATE_ROLE_LABELS["expiry"]))):
        for match in pattern.finditer(text):
            count = _count(match["number"])
            if count is None or (match["unit"] == "年" and count > 100):
                continue  # “2023年内” is a year, not a period
            unit = match["unit"].removeprefix("个")
            facts.append(Fact("time_limit", match.group(0), match.start(), match.end(), value=f"{count} {unit}",
                              detail=detail, sentence=_sentence_at(spans, match.start(), text)))  # fmt: skip
    return facts


def _channels(text: str, spans: list[tuple[int, int]]) -> list[Fact]:
    facts = []
    for match in CHANNEL.finditer(text):
        facts.append(Fact("channel", match.group(0), match.start(), match.end(), detail=match["body"] or "",
                          sentence=_sentence_at(spans, match.start(), text)))  # fmt: skip
    return facts


def extract_key_facts(text: str) -> list[Fact]:
    """Every key fact of `text`, in order of appearance; `text[f.start:f.end] == f.text` for each."""
    text = text or ""
    spans = sentences(text)
    facts = [
        *_eligibility(text, spans), *_amounts(text, spans), *_dates(text, spans), *_time_limits(text, spans),
        *_channels(text, spans),
    ]  # fmt: skip
    return sorted(facts, key=lambda fact: (fact.start, fact.end))


def group_facts(facts: list[Fact]) -> dict[str, list[Fact]]:
    grouped: dict[str, list[Fact]] = {kind: [] for kind in FACT_LABELS}
    for fact in facts:
        grouped[fact.kind].append(fact)
    return grouped


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def draft_sections(text: str, *, effective_date: dt.date | None = None) -> dict[str, str]:
    """Drafts of interpretation sections built from the key facts (staff edit before use)."""
    grouped = group_facts(extract_key_facts(text))
    sections: dict[str, str] = {}
    scope = _unique([fact.text for fact in grouped["eligibility"]])[:6]
    if scope:
        sections["scope"] = "\n".join(scope)
    amounts = _unique(
        [
            fact.sentence
            for fact in grouped["amount"]
            if BENEFIT.search(fact.sentence) and not PENALTY.search(fact.sentence)
        ]
    )[:8]
    if amounts:
        sections["benefits"] = "\n".join(amounts)
    guide = _unique([fact.sentence for fact in grouped["channel"]])[:6]
    limits = _unique([fact.sentence for fact in grouped["time_limit"]])[:6]
    if guide or limits:
        sections["service_guide"] = "\n".join(_unique(guide + limits))
    dates = _unique(
        [
            f"{fact.detail}：{fact.text}"
            for fact in grouped["date"]
            if fact.detail != str(DATE_ROLE_LABELS[""])
        ]
    )[:6]
    if effective_date and not any(d.startswith(str(DATE_ROLE_LABELS["effective"])) for d in dates):
        dates.insert(0, _("施行日期：%(date)s") % {"date": f"{effective_date:%Y年%-m月%-d日}"})
    if dates:
        sections["criteria"] = "\n".join(dates)
    return sections
