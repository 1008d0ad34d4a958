"""发文字号 (文号) normalisation and detection in running text.

GB/T 9704-2012 §7.2.4: 机关代字 + year in 六角括号〔〕 + serial + 号, no leading zeros, no 第.
Scraped and typed numbers use [ ], 【】, ( ), （ ）, 〔 〕 with spaces and full-width digits; they
all normalise to the canonical form. 令 numbers (国务院令第711号) keep their own form
(《规章制定程序条例》 Art. 31: 公布规章的命令应当载明…令号), as do 公告 numbers, written
`机关公告YYYY年第N号` (海关总署公告2016年第8号, also 海关总署公告（2016年第8号）, 海关总署2016年第8号公告) or
`机关YYYY年第N号` (国家税务总局2018年第32号, 农业农村部2019年第4号). Both announcement forms name the same
number, so `doc_number_variants` lists every stored form a lookup should match.

`parse_doc_number` never raises anything but DocNumberError, and its output parses to itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

from .lazyre import lazy_compile

OPEN_BRACKETS = "[【(〔［｛{<〈〖"
CLOSE_BRACKETS = "]】)〕］｝}>〉〗"

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


class DocNumberError(ValueError):
    """The string is not a 文号; `reason` says why in Chinese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class DocNumber:
    normalized: str
    organ_code: str
    year: int | None
    serial: int
    kind: str  # "standard" (…〔2023〕5号), "decree" (…令第N号) or "announcement" (…公告2016年第8号)
    # organ_code is the 机关代字 of a standard number, the "…令" of a decree and the issuing organ of an
    # announcement (海关总署 for both 海关总署公告2016年第8号 and 海关总署2016年第8号).

    def as_dict(self) -> dict:
        return asdict(self)


def chinese_number(text: str) -> int | None:
    """二十三 → 23, 一〇五 → 105, 七百一十一 → 711; None when `text` is not a Chinese numeral."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if all(ch in _CN_DIGITS for ch in text):  # digit-by-digit (二〇二三)
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


_SPACES = lazy_compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_CODE = r"[\u4e00-\u9fffA-Za-z]"
_STANDARD = lazy_compile(
    rf"^(?P<code>{_CODE}(?:{_CODE}|·)*?)[{re.escape(OPEN_BRACKETS)}](?P<year>\d{{4}})[{re.escape(CLOSE_BRACKETS)}]"
    r"第?(?P<serial>\d+)号?$"
)
# Old style with the year first: (96)汇国发字第13号
_YEAR_FIRST = lazy_compile(
    rf"^[{re.escape(OPEN_BRACKETS)}](?P<year>\d{{2}}|\d{{4}})[{re.escape(CLOSE_BRACKETS)}](?P<code>{_CODE}+?)第?(?P<serial>\d+)号$"
)
_BARE_YEAR = lazy_compile(rf"^(?P<code>{_CODE}+?)(?P<year>(?:19|20)\d{{2}})第(?P<serial>\d+)号$")
# Typed without brackets: 静府办发2023年5号, and 静府办发2023 5号 (the space, kept by _prepare as "年")
_YEAR_NIAN = lazy_compile(rf"^(?!.*公告)(?P<code>{_CODE}+?)(?P<year>(?:19|20)\d{{2}})年(?P<serial>\d+)号$")
_DECREE = lazy_compile(
    r"^(?P<code>[\u4e00-\u9fff][\u4e00-\u9fff、]*令)[(]?第?(?P<serial>\d+|[〇零一二三四五六七八九十百千]+)号[)]?$"
)
_DECREE_YEAR = lazy_compile(
    r"^(?P<code>[\u4e00-\u9fff][\u4e00-\u9fff、]*令)(?P<year>\d{4})年第(?P<serial>\d+)号$"
)
_ANNOUNCEMENT = lazy_compile(
    r"^(?P<code>[\u4e00-\u9fff][\u4e00-\u9fff、]*?)(?P<notice>公告)[(〔\[【]?(?P<year>\d{4})年第?(?P<serial>\d+)号[)〕\]】]?$"
)
# 海关总署2010年第47号公告, 国家税务总局2018年第32号, 农业农村部（2019年第4号）: the organ must end like one.
_ORGAN_END = r"(?:部|局|署|委|院|会|办|厅|府|行|室|司|处|中心)"
_ANNOUNCEMENT_BARE = lazy_compile(
    rf"^(?P<code>[\u4e00-\u9fff][\u4e00-\u9fff、]*?{_ORGAN_END})[(〔\[【]?(?P<year>\d{{4}})年第?(?P<serial>\d+)号"
    r"[)〕\]】]?(?P<notice>公告)?$"
)


_ANY_DIGIT = re.compile(r"\d")
_YEAR_GAP = lazy_compile(r"([\u4e00-\u9fffA-Za-z]\s*(?:19|20)\d{2})\s+(?=\d+\s*号)")


def _prepare(raw: str) -> str:
    # NFKC maps full-width digits, letters, （）［］ to ASCII but leaves 〔〕【】 alone.
    text = unicodedata.normalize("NFKC", raw)
    # a space between a bare four-digit year and the serial separates them (静府办发2023 5号)
    text = _YEAR_GAP.sub(r"\1年", text.strip()) if _ANY_DIGIT.search(text) else text.strip()
    text = _SPACES.sub("", text)
    return text.strip(",，。.;；:：、")


def _check_year(year: int) -> None:
    if not 1949 <= year <= 2100:
        raise DocNumberError(f"年份{year}不合理")


def _check_serial(serial: int, label: str = "序号") -> None:
    if serial <= 0:
        raise DocNumberError(f"{label}不能为0")
    if serial > 999999:
        raise DocNumberError(f"{label}{serial}过大")


def parse_doc_number(raw: str) -> DocNumber:
    """Return the canonical 文号 and its parts, or raise DocNumberError with a Chinese reason."""
    if raw is None or not str(raw).strip():
        raise DocNumberError("文号为空")
    text = _prepare(str(raw))
    if not text:
        raise DocNumberError("文号为空")
    if len(text) > 60:
        raise DocNumberError("文号过长，不像是发文字号")
    if "令" not in text and not _ANY_DIGIT.search(text):
        # Every form but a 令 needs a digit: a search for words fails here, before compiling the forms.
        raise DocNumberError("缺少年份和序号")
    match = _DECREE.match(text)
    if match:
        serial = chinese_number(match["serial"]) or 0
        _check_serial(serial, "令号")
        code = match["code"].strip("、")
        return DocNumber(f"{code}第{serial}号", code, None, serial, "decree")
    match = _DECREE_YEAR.match(text)
    if match:
        code, year, serial = match["code"], int(match["year"]), int(match["serial"])
        _check_year(year)
        _check_serial(serial, "令号")
        return DocNumber(f"{code}{year}年第{serial}号", code, year, serial, "decree")
    match = _ANNOUNCEMENT.match(text) or _ANNOUNCEMENT_BARE.match(text)
    if match:
        code, year, serial = match["code"].strip("、"), int(match["year"]), int(match["serial"])
        _check_year(year)
        _check_serial(serial)
        notice = "公告" if match["notice"] else ""
        return DocNumber(f"{code}{notice}{year}年第{serial}号", code, year, serial, "announcement")
    match = (
        _STANDARD.match(text) or _BARE_YEAR.match(text) or _YEAR_NIAN.match(text) or _YEAR_FIRST.match(text)
    )
    if not match:
        if not re.search(r"\d", text):
            raise DocNumberError("缺少年份和序号")
        if not re.search(r"(19|20)\d\d", text):
            raise DocNumberError("缺少四位年份")
        if "号" not in text:
            raise DocNumberError("缺少“号”字")
        if not re.match(_CODE, text):
            raise DocNumberError("缺少机关代字")
        raise DocNumberError("无法识别机关代字、年份和序号")
    code, year_text, serial = match["code"], match["year"], int(match["serial"])
    year = int(year_text)
    if len(year_text) == 2:
        year += 1900 if year >= 50 else 2000
    _check_year(year)
    _check_serial(serial)
    return DocNumber(f"{code}〔{year}〕{serial}号", code, year, serial, "standard")


def normalize_doc_number(raw: str) -> str:
    return parse_doc_number(raw).normalized


def doc_number_variants(parsed: DocNumber) -> list[str]:
    """Every normalised form the same number may be stored under, `parsed.normalized` first.

    `机关YYYY年第N号` is how both a 公告 and a 令 numbered by year are cited (国家税务总局2018年第32号 for
    国家税务总局公告2018年第32号, 交通运输部2016年第1号 for 交通运输部令2016年第1号), so the bare form and
    the full forms find each other.
    """
    if parsed.year is None or parsed.kind == "standard":
        return [parsed.normalized]
    organ = parsed.organ_code.removesuffix("令") if parsed.kind == "decree" else parsed.organ_code
    tail = f"{parsed.year}年第{parsed.serial}号"
    forms = [parsed.normalized, f"{organ}{tail}"]
    if parsed.normalized == f"{organ}{tail}":  # the bare form: either full form
        forms += [f"{organ}公告{tail}", f"{organ}令{tail}"]
    return list(dict.fromkeys(forms))


# ---------------------------------------------------------------------------------------------
# Finding 文号 in running text (titles, 正文 citations, 版头).

_DIGIT = "0-9０-９"
_OPEN = "〔\\[【(（［〖"
_CLOSE = "〕\\]】)）］〗"
FIND_STANDARD = lazy_compile(
    rf"(?P<code>[\u4e00-\u9fffA-Za-z]{{1,16}})[ \u3000]*[{_OPEN}][ \u3000]*(?P<year>[{_DIGIT}]{{4}})[ \u3000]*[{_CLOSE}]"
    rf"[ \u3000]*第?[ \u3000]*(?P<serial>[{_DIGIT}]{{1,6}})[ \u3000]*号"
)
FIND_DECREE = lazy_compile(
    rf"(?P<code>[\u4e00-\u9fff、]{{1,40}}?令)[ \u3000]*[（(]?[ \u3000]*第[ \u3000]*(?P<serial>[{_DIGIT}]{{1,6}}|[〇零一二三四五六七八九十百千]{{1,8}})[ \u3000]*号[）)]?"
)
FIND_ANNOUNCEMENT = lazy_compile(
    rf"(?P<code>[\u4e00-\u9fff、]{{1,30}}公告)[ \u3000]*(?P<year>[{_DIGIT}]{{4}})年第?(?P<serial>[{_DIGIT}]{{1,6}})号"
)
# 海关总署2010年第47号公告: in running text the bare form counts only with the trailing 公告.
FIND_ANNOUNCEMENT_AFTER = lazy_compile(
    rf"(?P<code>[\u4e00-\u9fff、]{{1,30}}?{_ORGAN_END})[ \u3000]*(?P<year>[{_DIGIT}]{{4}})年第(?P<serial>[{_DIGIT}]{{1,6}})号公告"
)

# Words that precede a citation but are not part of the 机关代字.
_LEAD_WORDS = lazy_compile(
    r"^.*(?:根据|依据|按照|参照|执行|废止|印发|转发|批转|贯彻|落实|关于|文件|通知|字号|文号|号文|简称|附件|的|和|及|与|或|即|见|将|为|是|原)"
)
_DECREE_LEAD = lazy_compile(r"^.*(?:根据|依据|按照|公布|发布|施行|以|经|由|的|即|见)")


@dataclass(frozen=True)
class FoundNumber:
    raw: str
    start: int
    end: int
    parsed: DocNumber


def _trim_code(code: str, start: int, lead: re.Pattern) -> tuple[str, int]:
    match = lead.match(code)
    if match and match.end() < len(code):
        return code[match.end() :], start + match.end()
    return code, start


def find_doc_numbers(text: str) -> list[FoundNumber]:
    """Every 文号/令号/公告号 in `text` with its span, parsed; overlapping matches are dropped."""
    found: list[FoundNumber] = []
    taken: list[tuple[int, int]] = []
    for pattern, lead in (
        (FIND_ANNOUNCEMENT, _LEAD_WORDS),
        (FIND_ANNOUNCEMENT_AFTER, _LEAD_WORDS),
        (FIND_STANDARD, _LEAD_WORDS),
        (FIND_DECREE, _DECREE_LEAD),
    ):
        for match in pattern.finditer(text):
            start, end = match.start(), match.end()
            code, start = _trim_code(match["code"], start, lead)
            if pattern is FIND_DECREE and code.startswith("、"):
                continue
            if any(start < t_end and end > t_start for t_start, t_end in taken):
                continue
            raw = text[start:end]
            try:
                parsed = parse_doc_number(raw)
            except DocNumberError:
                continue
            found.append(FoundNumber(raw, start, end, parsed))
            taken.append((start, end))
    found.sort(key=lambda item: item.start)
    return found
