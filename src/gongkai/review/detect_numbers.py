"""Number-like personal data: ID numbers (GB 11643 checksum), phones, bank cards (Luhn), e-mail,
统一社会信用代码 (GB 32100 checksum), passports and plates; figures that only look like them are skipped.
"""

from __future__ import annotations

import re

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

from gongkai.text.lazyre import lazy_compile

from .constants import FindingKind
from .detect_base import REPORT_THRESHOLD, Finding, has_word, org_contact

_DIGIT_BOUNDARY_L = r"(?<![0-9A-Za-z])"
_DIGIT_BOUNDARY_R = r"(?![0-9A-Za-z])"
_PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
    "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
}  # fmt: skip
_ID18 = lazy_compile(
    _DIGIT_BOUNDARY_L
    + r"([1-8]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx])"
    + _DIGIT_BOUNDARY_R
)
_ID15 = lazy_compile(
    _DIGIT_BOUNDARY_L + r"([1-8]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})" + _DIGIT_BOUNDARY_R
)
_MOBILE = lazy_compile(
    r"(?<![0-9A-Za-z.])((?:(?:\+|00)?86[- ]?)?1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])"
    r"(?:\d{8}|[- ]\d{4}[- ]\d{4}))(?![0-9A-Za-z.%])"
)
# Any 11-digit number starting with 1: a mobile number when a phone word stands right before it, even
# outside the allocated segments (a new segment, a typo): a missed number is a leak (issue 12).
_ANY_MOBILE = lazy_compile(
    r"(?<![0-9A-Za-z.])((?:(?:\+|00)?86[- ]?)?1\d{2}(?:\d{8}|[- ]\d{4}[- ]\d{4}))(?![0-9A-Za-z.%])"
)
_PHONE_WORDS = lazy_compile(
    r"(?:联系电话|手机号码|手机号|手机|移动电话|电话号码|电话|联系方式|Tel|TEL|tel)\s*[:：]?\s*$"
)
_LANDLINE = lazy_compile(
    r"(?<![0-9A-Za-z.\-])((?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}[-— ]?)[2-9]\d{6,7}(?:[-转]\d{1,5})?)(?![0-9A-Za-z.%])"
)
_SHORT_PHONE = lazy_compile(r"(?<![0-9A-Za-z.\-])([2-9]\d{7})(?![0-9A-Za-z.%])")
_SPECIAL_PHONE = lazy_compile(r"(?<!\d)((?:400|800)[- ]?\d{3}[- ]?\d{4})(?!\d)")
_CARD = lazy_compile(_DIGIT_BOUNDARY_L + r"((?:\d{4}[ -]){3,4}\d{1,7}|\d{16,19})" + _DIGIT_BOUNDARY_R)
_EMAIL = lazy_compile(
    r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,10})(?![A-Za-z0-9-])"
)
_USCC = lazy_compile(
    _DIGIT_BOUNDARY_L + r"([0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10})" + _DIGIT_BOUNDARY_R
)
_PASSPORT = lazy_compile(
    r"(?<![0-9A-Za-z])((?:[EG]\d{8}|E[A-HJ-NP-Z]\d{7}|[PSD]E?\d{7}|[CK]\d{8}))(?![0-9A-Za-z])"
)
_PLATE = lazy_compile(
    r"(?<![A-Za-z0-9])([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]"
    r"[A-HJ-NP-Z][·•\- ]?(?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳]|[DF][A-HJ-NP-Z0-9]{5}|[A-HJ-NP-Z0-9]{5}[DF]))"
    r"(?![A-Za-z0-9])"
)
# A number followed by a unit or preceded by a money/quantity word is a figure, not an identifier.
_FIGURE_AFTER = lazy_compile(
    r"^\s*(?:元|万|亿|千|百|%|‰|人|户|个|件|吨|平方|米|公里|年|月|日|次|项|台|辆|座|套|册|页|号文|号令)"
)
_FIGURE_BEFORE = (
    "金额",
    "预算",
    "资金",
    "合计",
    "总计",
    "价款",
    "人民币",
    "￥",
    "¥",
    "第",
    "编号",
    "文号",
    "批次",
    "代码",
)


def _window(text: str, start: int, end: int, before: int = 16, after: int = 8) -> tuple[str, str]:
    return text[max(0, start - before) : start], text[end : end + after]


def _is_figure(text: str, start: int, end: int) -> bool:
    before, after = _window(text, start, end, 6, 4)
    return bool(_FIGURE_AFTER.match(after)) or before.rstrip("：:（( ").endswith(_FIGURE_BEFORE)


def _valid_ric(number: str) -> tuple[bool, bool]:
    """(checksum and birth date valid, region code known)."""
    number = number.upper()
    try:
        if ric.calc_check_digit(number) != number[-1]:
            return False, False
        ric.get_birth_date(number)
    except (StdnumError, ValueError):
        return False, False
    try:
        ric.get_birth_place(number)
    except (StdnumError, ValueError, KeyError):
        return True, False
    return True, True


def _valid_date_15(number: str) -> bool:
    import datetime as dt

    try:
        dt.date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return False
    return True


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def find_numbers(text: str, norm: str) -> list[Finding]:
    return (
        _id_numbers(text, norm)
        + _enterprise_codes(text, norm)
        + _phones(text, norm)
        + _bank_cards(text, norm)
        + _emails(text, norm)
        + _passports_and_plates(text, norm)
    )


def _found(text: str, kind: str, match: re.Match, confidence: float, note: str = "") -> Finding:
    start, end = match.span(1)
    return Finding(kind, text[start:end], start, end, round(confidence, 2), note)


def _id_numbers(text: str, norm: str) -> list[Finding]:
    """18-digit (GB 11643 checksum) and 15-digit old-style 公民身份号码."""
    found: list[Finding] = []
    for match in _ID18.finditer(norm):
        value = match.group(1)
        ok, known_place = _valid_ric(value)
        before, _after = _window(norm, *match.span(1), 16, 0)
        if ok and value[:2] in _PROVINCES:
            found.append(_found(text, FindingKind.ID_CARD, match, 0.99 if known_place else 0.95))
        elif has_word(("身份证", "公民身份号码", "证件号"), before):
            found.append(_found(text, FindingKind.ID_CARD, match, 0.6, "校验位不符，疑似录入错误的身份证号"))
    for match in _ID15.finditer(norm):
        value = match.group(1)
        if value[:2] not in _PROVINCES or not _valid_date_15(value) or _is_figure(norm, *match.span(1)):
            continue
        before, _after = _window(norm, *match.span(1), 16, 0)
        confidence = 0.9 if has_word(("身份证", "证件", "号码"), before) else 0.6
        found.append(_found(text, FindingKind.ID_CARD, match, confidence, "15位旧身份证号"))
    return found


def _enterprise_codes(text: str, norm: str) -> list[Finding]:
    found: list[Finding] = []
    for match in _USCC.finditer(norm):
        value = match.group(1)
        if value.isdigit() and (_valid_ric(value)[0] or (value[:2] in _PROVINCES and _ID18.fullmatch(value))):
            continue  # an ID number (or a mistyped one), not an enterprise code
        if uscc.is_valid(value):
            found.append(_found(text, FindingKind.USCC, match, 0.95, "统一社会信用代码（企业标识）"))
    return found


def _phones(text: str, norm: str) -> list[Finding]:
    """Mobiles, landlines, 400/800 numbers and 8-digit numbers after 电话; an organ's published
    contact number is reported with low confidence."""
    found: list[Finding] = []
    for match in _MOBILE.finditer(norm):
        if _is_figure(norm, *match.span(1)):
            continue
        conf = 0.97 if not org_contact(norm, match.start(1)) else 0.45
        found.append(
            _found(
                text, FindingKind.MOBILE, match, conf, "" if conf >= REPORT_THRESHOLD else "机关公开联系方式"
            )
        )
    mobiles = [(f.start, f.end) for f in found if f.kind == FindingKind.MOBILE]
    for match in _ANY_MOBILE.finditer(norm):
        start, end = match.span(1)
        if any(s < end and start < e for s, e in mobiles) or not _PHONE_WORDS.search(
            norm[max(0, start - 12) : start]
        ):
            continue
        org = org_contact(norm, start)
        found.append(
            _found(
                text,
                FindingKind.MOBILE,
                match,
                0.45 if org else 0.6,
                "机关公开联系方式" if org else "号段未分配，疑似手机号码",
            )
        )
    for regex in (_LANDLINE, _SPECIAL_PHONE):
        for match in regex.finditer(norm):
            if _is_figure(norm, *match.span(1)):
                continue
            org = org_contact(norm, match.start(1)) or regex is _SPECIAL_PHONE
            found.append(
                _found(
                    text, FindingKind.LANDLINE, match, 0.45 if org else 0.9, "机关公开联系方式" if org else ""
                )
            )
    for match in _SHORT_PHONE.finditer(norm):
        before, _after = _window(norm, *match.span(1), 10, 0)
        if has_word(("电话", "座机", "联系方式", "Tel", "TEL", "tel"), before) and not _is_figure(
            norm, *match.span(1)
        ):
            org = org_contact(norm, match.start(1))
            found.append(
                _found(
                    text, FindingKind.LANDLINE, match, 0.45 if org else 0.8, "机关公开联系方式" if org else ""
                )
            )
    return found


def _bank_cards(text: str, norm: str) -> list[Finding]:
    """16–19 digits passing Luhn, not a figure and not an ID number."""
    found: list[Finding] = []
    for match in _CARD.finditer(norm):
        digits = re.sub(r"[ -]", "", match.group(1))
        if not 16 <= len(digits) <= 19 or not luhn_ok(digits) or digits[0] not in "3456789":
            continue
        if _is_figure(norm, *match.span(1)):
            continue
        before, _after = _window(norm, *match.span(1), 16, 0)
        if len(digits) == 18 and _valid_ric(digits)[0]:
            continue
        context = has_word(
            ("卡号", "账号", "帐号", "银行", "开户", "银联", "信用卡", "借记卡", "存折"), before
        )
        if not context and not digits.startswith(("62", "4", "5", "3")):
            continue
        found.append(_found(text, FindingKind.BANK_CARD, match, 0.97 if context else 0.85))
    return found


def _emails(text: str, norm: str) -> list[Finding]:
    found: list[Finding] = []
    for match in _EMAIL.finditer(norm):
        org = org_contact(norm, match.start(1)) or match.group(1).lower().endswith(".gov.cn")
        found.append(
            _found(text, FindingKind.EMAIL, match, 0.45 if org else 0.97, "机关公开联系方式" if org else "")
        )
    return found


def _passports_and_plates(text: str, norm: str) -> list[Finding]:
    found: list[Finding] = []
    for match in _PASSPORT.finditer(norm):
        before, _after = _window(norm, *match.span(1), 16, 0)
        context = has_word(("护照", "通行证", "证件", "旅行证"), before)
        if context or re.fullmatch(r"[EG]\d{8}|E[A-HJ-NP-Z]\d{7}", match.group(1)):
            found.append(_found(text, FindingKind.PASSPORT, match, 0.95 if context else 0.7))
    for match in _PLATE.finditer(norm):
        found.append(_found(text, FindingKind.PLATE, match, 0.9))
    return found
