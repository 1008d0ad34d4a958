"""Personal data and markers read from words: addresses and secrecy markers (密级, 不予公开); names are in
`detect_names`."""

from __future__ import annotations

from gongkai.text.lazyre import lazy_compile

from .constants import FindingKind
from .detect_base import Finding, org_contact

# ---------------------------------------------------------------- addresses
_ROAD_SUFFIX = r"(?:大道|大街|公路|路|街|巷|弄|胡同|里|村|组|小区|新村|公寓|花园|苑|大厦)"
_DOOR = lazy_compile(
    r"(?<=[路街道巷弄同里村组区村寓园苑厦])\s*(\d{1,5}(?:[-—之]\d{1,4})?\s*(?:号楼|支弄|号|弄|幢|栋))"
    r"((?:\s*\d{1,5}\s*(?:号楼|支弄|号|弄|幢|栋|单元|楼|层|室|户))*)"
)
_ADMIN_UNIT = r"[\u4e00-\u9fa5]{1,7}?(?:省|自治区|市|自治州|地区|盟|区|县|旗|镇|乡|街道|新区)"
_ADDRESS_RE = lazy_compile(r"(?:" + _ADMIN_UNIT + r")*[\u4e00-\u9fa5\d]{1,8}?" + _ROAD_SUFFIX)
_ADMIN_ONLY = lazy_compile(r"(?:" + _ADMIN_UNIT + r")+")
_ADDRESS_STOP = set("在于住址的与及或至到从向由对为是以将被把了、，。；：（）()《》“”\"' \n\t")


def find_addresses(text: str, norm: str) -> list[Finding]:
    found: list[Finding] = []
    for match in _DOOR.finditer(norm):
        door_start = match.start()
        while door_start > 0 and norm[door_start - 1] == " ":
            door_start -= 1
        start = door_start
        while (
            start > 0
            and door_start - start < 24
            and "\u4e00" <= norm[start - 1] <= "\u9fa5"
            and norm[start - 1] not in _ADDRESS_STOP
        ):
            start -= 1
        prefix = norm[start:door_start]
        for i in range(len(prefix)):
            if _ADDRESS_RE.fullmatch(prefix[i:]):
                start += i
                break
        else:
            continue
        road = norm[start:door_start]
        end = match.end()
        if road.endswith(("组", "里")) and not _ADMIN_ONLY.match(road):
            continue
        org = org_contact(norm, start)
        has_admin = bool(_ADMIN_ONLY.match(road))
        confidence = 0.45 if org else (0.9 if match.group(2) or has_admin else 0.75)
        found.append(Finding(FindingKind.ADDRESS, text[start:end].strip(), start, end, confidence,
                             "机关办公地址" if org else ""))  # fmt: skip
    return found


# ---------------------------------------------------------------- secrecy markers
# Only the standard forms of a mark (GB/T 9704-2012 7.2.2: 密级和保密期限 as 秘密★1年 at the head of
# the document; 保密法 Art. 20): the words 秘密 or 内部资料 inside a sentence (内部资料性出版物,
# 国家秘密) are not marks.
_LEVEL = r"(?:绝密|机密|秘密)"
_PERIOD = r"(?:\d+\s*(?:年|个月|月)|长期|[一二三四五六七八九十]+\s*(?:年|个月)|启用前)"
_SECRET_STAR = lazy_compile(
    _LEVEL + r"\s*[★☆]\s*" + _PERIOD + r"?|[★☆]\s*" + _LEVEL + r"(?:\s*" + _PERIOD + r")?"
    r"|" + _LEVEL + r"\s*\*\s*" + _PERIOD
)
_SECRET_PERIOD = lazy_compile(
    r"(?:密级\s*[:：]?\s*)?"
    + _LEVEL
    + r"级?\s*[，,、\s]?\s*[（(]?\s*保密期限\s*[:：]?\s*"
    + _PERIOD
    + r"[）)]?"
    r"|密级\s*[:：]\s*" + _LEVEL
)
# a line that holds nothing but the mark (a header), possibly bracketed
_SECRET_LINE = lazy_compile(
    r"(?m)^[ \t　]*[（(【\[]?\s*(绝密|机密|秘密|内部资料|内部文件|不予公开|此件不公开|此件不予公开|内部资料\s*注意保存|注意保密)"
    r"\s*[）)】\]]?[ \t　]*$"
)
_SECRET_PHRASE = lazy_compile(r"内部资料[，,]?\s*(?:注意保存|请勿外传)|此件不(?:予|宜)?公开")


def find_secrecy(text: str, norm: str) -> list[Finding]:
    found: list[Finding] = []
    seen: set[tuple[int, int]] = set()
    marks = ((_SECRET_STAR, 0.99), (_SECRET_PERIOD, 0.95), (_SECRET_LINE, 0.9), (_SECRET_PHRASE, 0.9))
    for regex, confidence in marks:
        for match in regex.finditer(norm):
            start, end = match.span(1) if regex is _SECRET_LINE else match.span(0)
            if any(s <= start and end <= e for s, e in seen):
                continue
            seen.add((start, end))
            found.append(
                Finding(
                    FindingKind.SECRECY, text[start:end].strip(), start, end, confidence, "密级或不公开标志"
                )
            )
    return found
