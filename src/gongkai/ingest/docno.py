"""发文字号 (文号) normalisation.

GB/T 9704-2012 §7.2.4: 机关代字 + year in 六角括号〔〕 + serial + 号, no leading zeros, no 第.
Scraped and typed numbers use [ ], 【】, ( ), （ ）, 〔 〕 with spaces and full-width digits; they
all normalise to the canonical form. 令 numbers (国务院令第711号) keep their own form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

OPEN_BRACKETS = "[【(（〔［｛{<《〈"
CLOSE_BRACKETS = "]】)）〕］｝}>》〉"


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

    def as_dict(self) -> dict:
        return asdict(self)


_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_STANDARD = re.compile(
    r"^(?P<code>[\u4e00-\u9fffA-Za-z·]+?)\s*["
    + re.escape(OPEN_BRACKETS)
    + r"]\s*(?P<year>\d{4})\s*["
    + re.escape(CLOSE_BRACKETS)
    + r"]\s*第?\s*(?P<serial>\d+)\s*号$"
)
_BARE_YEAR = re.compile(r"^(?P<code>[\u4e00-\u9fff]+?)(?P<year>(?:19|20)\d{2})第?(?P<serial>\d+)号$")
_DECREE = re.compile(r"^(?P<code>[\u4e00-\u9fff、]*令)\s*[（(]?\s*第\s*(?P<serial>\d+)\s*号\s*[）)]?$")
_ANNOUNCEMENT = re.compile(r"^(?P<code>[\u4e00-\u9fff]+公告)(?P<year>\d{4})年第?(?P<serial>\d+)号$")


def _prepare(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw or "")
    # NFKC turns 〔〕 into themselves but full-width brackets/digits into ASCII; keep 〔〕 as the canonical pair.
    text = _SPACES.sub("", text)
    return text.strip("　 ,，。.;；:：")


def parse_doc_number(raw: str) -> DocNumber:
    """Return the canonical 文号 and its parts, or raise DocNumberError with a Chinese reason."""
    if raw is None or not str(raw).strip():
        raise DocNumberError("文号为空")
    text = _prepare(str(raw))
    if len(text) > 60:
        raise DocNumberError("文号过长，不像是发文字号")
    match = _DECREE.match(text)
    if match:
        serial = int(match["serial"])
        if serial == 0:
            raise DocNumberError("令号不能为0")
        code = match["code"]
        return DocNumber(f"{code}第{serial}号", code, None, serial, "decree")
    match = _ANNOUNCEMENT.match(text)
    if match:
        code, year, serial = match["code"], int(match["year"]), int(match["serial"])
        return DocNumber(f"{code}{year}年第{serial}号", code, year, serial, "announcement")
    match = _STANDARD.match(text) or _BARE_YEAR.match(text)
    if not match:
        if not re.search(r"\d", text):
            raise DocNumberError("缺少年份和序号")
        if "号" not in text:
            raise DocNumberError("缺少“号”字")
        raise DocNumberError("无法识别机关代字、年份和序号")
    code, year, serial = match["code"], int(match["year"]), int(match["serial"])
    if not 1949 <= year <= 2100:
        raise DocNumberError(f"年份{year}不合理")
    if serial == 0:
        raise DocNumberError("序号不能为0")
    return DocNumber(f"{code}〔{year}〕{serial}号", code, year, serial, "standard")


def normalize_doc_number(raw: str) -> str:
    return parse_doc_number(raw).normalized
