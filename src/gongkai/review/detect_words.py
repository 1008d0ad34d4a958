"""Personal data and markers read from words: addresses, secrecy markers (密级, 不予公开) and names."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .constants import FindingKind
from .detect_base import Finding, has_word, org_contact

# ---------------------------------------------------------------- addresses
_ROAD_SUFFIX = r"(?:大道|大街|公路|路|街|巷|弄|胡同|里|村|组|小区|新村|公寓|花园|苑|大厦)"
_DOOR = re.compile(
    r"(?<=[路街道巷弄同里村组区村寓园苑厦])\s*(\d{1,5}(?:[-—之]\d{1,4})?\s*(?:号楼|支弄|号|弄|幢|栋))"
    r"((?:\s*\d{1,5}\s*(?:号楼|支弄|号|弄|幢|栋|单元|楼|层|室|户))*)"
)
_ADMIN_UNIT = r"[\u4e00-\u9fa5]{1,7}?(?:省|自治区|市|自治州|地区|盟|区|县|旗|镇|乡|街道|新区)"
_ADDRESS_RE = re.compile(r"(?:" + _ADMIN_UNIT + r")*[\u4e00-\u9fa5\d]{1,8}?" + _ROAD_SUFFIX)
_ADMIN_ONLY = re.compile(r"(?:" + _ADMIN_UNIT + r")+")
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
_SECRET_STAR = re.compile(
    r"(绝密|机密|秘密)\s*[★☆\*]\s*(?:\d+\s*(?:年|个月|月)|长期|[一二三四五六七八九十]+年)?"
)
_SECRET_LINE = re.compile(
    r"(?m)^[ \t　]*[（(【\[]?\s*(绝密|机密|秘密|内部资料|内部文件|不予公开|此件不公开|此件不予公开|涉密|内部资料\s*注意保存|注意保密)\s*[）)】\]]?[ \t　]*$"
)
_SECRET_PHRASE = re.compile(
    r"(内部资料[，,]?\s*注意保存|内部资料[，,]?\s*请勿外传|此件不(?:予)?公开|此件不宜公开|不得对外公开|密级[:：]\s*(?:绝密|机密|秘密))"
)


def find_secrecy(text: str, norm: str) -> list[Finding]:
    found: list[Finding] = []
    seen: set[tuple[int, int]] = set()
    for regex, confidence in ((_SECRET_STAR, 0.99), (_SECRET_LINE, 0.9), (_SECRET_PHRASE, 0.9)):
        for match in regex.finditer(norm):
            start, end = match.span(0) if regex is not _SECRET_LINE else match.span(1)
            if (start, end) in seen:
                continue
            seen.add((start, end))
            found.append(
                Finding(
                    FindingKind.SECRECY, text[start:end].strip(), start, end, confidence, "密级或不公开标志"
                )
            )
    for match in re.finditer("内部资料|涉密文件|涉密材料", norm):
        if not any(s <= match.start() < e for s, e in seen):
            found.append(
                Finding(
                    FindingKind.SECRECY, match.group(0), match.start(), match.end(), 0.6, "疑似内部或涉密标志"
                )
            )
    return found


# ---------------------------------------------------------------- names
_PERSON_CONTEXT = (
    "身份证", "公民身份号码", "证件号", "户籍", "住址", "住所", "家住", "居住", "现住", "本人", "申请人", "当事人",
    "联系人", "被申请人", "举报人", "投诉人", "户主", "手机", "姓名", "先生", "女士", "出生", "性别",
    "法定代表人", "委托代理人", "代理人", "收件人", "经办人", "家属", "患者", "开户", "卡号", "账号", "护照",
)  # fmt: skip
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
    "石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章"
    "鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾"
    "尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛"
    "仲虞敖巩明佘池查麻苑迟邝"
)
COMPOUND_SURNAMES = (
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "长孙", "宇文", "司徒", "端木", "独孤", "南宫",
)  # fmt: skip
_ROLE = (
    "申请人|被申请人|第三人|当事人|联系人|经办人|举报人|投诉人|来信人|来访人|信访人|户主|患者|法定代表人|委托代理人|代理人|负责人|"
    "收件人|被处罚人|姓名|户名|开户名|监护人|承办人|发现人|受益人|领款人|权利人|义务人|购房人|承租人|出租人|申报人|签收人|见证人|"
    "嫌疑人|死者|伤者|学生|职工|村民|居民|业主|家属|丈夫|妻子|儿子|女儿|母亲|父亲|户籍人|持卡人|收款人|付款人|驾驶人|驾驶员|车主"
)
# a role word right before the name (申请人张伟, 姓名：张伟, 经查，张伟于…)
_NAME_BEFORE = re.compile(
    r"(?:(?:" + _ROLE + r")\s*[:：]?\s*|经查[，,]\s*|(?:人员|名单|成员|获奖者|代表|同志)\s*[:：]\s*)$"
)
# a title or a personal particular right after the name (张伟同志, 张伟（身份证号…）, 张伟，男，)
_NAME_AFTER = re.compile(
    r"^\s*(?:同志|先生|女士|老师|医生|律师|同学|夫妇|之子|之女|之妻|之夫|本人|"
    r"[（(，,]\s*(?:男|女)[，,、）)\s]|[（(，,]\s*(?:身份证|公民身份|证件|手机|电话|联系电话|住址|住|性别|出生|现住|家住|\d{4}年\d{1,2}月\d{1,2}日?出生)|"
    r"于\s*\d{4}\s*年|等\s*\d+\s*人)"
)
_NAME_BOUNDARY = set("，,。；;：:、）)（(\n\r\t 　“”\"'的于向在因为到称等与和及是已曾将被把对从自并、")
_NOT_GIVEN = set("的了和与及或在是为对于将把被等某省市县乡路街局委厅处科室所部组队该其此之")
_STOP_NAMES = {
    "负责同志", "主要负责同志", "王府井", "金融", "高新", "林业", "江河", "安全", "任务", "任何", "万元", "于是", "程序", "文明",
    "方案", "方面", "常务", "常委", "高校", "高度", "黄金", "田间", "石油", "钱款", "严格", "严重", "齐全", "向上", "全面", "全国",
    "明确", "时间", "成本", "成立", "管理", "关于", "宁可", "司法", "车辆", "景区", "连续", "应当", "党委", "党组", "包括", "解决",
    "和平", "商务", "华侨", "卫生", "米面", "项目", "时期", "武装", "宋体", "黑体", "楷体", "平安", "康复", "常住", "孔子", "许可",
    "许可证", "申请书", "申请表", "陈述", "解密", "周转", "符合", "关系", "向社会", "林地", "石材", "金额", "余额", "高于", "低于", "于此", "邓小平理论",
    "毛泽东思想", "马克思", "马克思主义", "列宁", "雷锋", "焦裕禄", "孔繁森", "杨善洲", "钱学森", "袁隆平", "习近平", "江泽民", "胡锦涛",
}  # fmt: skip
_ROLE_WORDS = set(_ROLE.split("|"))


@lru_cache(maxsize=1)
def _tagger() -> Callable[[str], list[tuple[str, str]]]:
    import rjieba

    return rjieba.tag


def surname_len(word: str) -> int:
    if word[:2] in COMPOUND_SURNAMES:
        return 2
    return 1 if word[:1] in SURNAMES else 0


def _plausible_name(word: str) -> bool:
    surname = surname_len(word)
    if not surname or not 2 <= len(word) <= 4 or word in _STOP_NAMES or word in _ROLE_WORDS:
        return False
    if not all("\u4e00" <= ch <= "\u9fa5" for ch in word):
        return False
    given = word[surname:]
    return 1 <= len(given) <= 2 and not any(ch in _NOT_GIVEN for ch in given)


def _is_boundary(norm: str, position: int) -> bool:
    if position >= len(norm):
        return True
    ch = norm[position]
    return (
        not ("\u4e00" <= ch <= "\u9fa5")
        or ch in _NAME_BOUNDARY
        or bool(_NAME_AFTER.match(norm[position : position + 16]))
    )


def _name_at(norm: str, start: int) -> str | None:
    """The name starting at `start` (after a role word): the length whose next character ends a word."""
    surname = surname_len(norm[start : start + 2])
    if not surname:
        return None
    lengths = (surname + 2, surname + 1)
    for length in lengths:
        word = norm[start : start + length]
        if _plausible_name(word) and _is_boundary(norm, start + length):
            return word
    tokens = _tagger()(norm[start : start + 8])
    if tokens and tokens[0][1].startswith("nr") and _plausible_name(tokens[0][0]):
        return tokens[0][0]
    return None


def _name_before(norm: str, end: int) -> str | None:
    """The name ending at `end` (before 同志/先生/（身份证号…）): prefer a start after a word boundary."""
    options = [norm[max(0, end - n) : end] for n in (3, 2, 4)]
    for word in options:
        start = end - len(word)
        if _plausible_name(word) and (start == 0 or not ("\u4e00" <= norm[start - 1] <= "\u9fa5") or norm[start - 1] in _NAME_BOUNDARY
                                      or _NAME_BEFORE.search(norm[max(0, start - 12) : start])):  # fmt: skip
            return word
    window = norm[max(0, end - 8) : end]
    tokens = _tagger()(window)
    if tokens and _plausible_name(tokens[-1][0]):
        return tokens[-1][0]
    if len(tokens) > 1 and _plausible_name(tokens[-2][0] + tokens[-1][0]):
        return tokens[-2][0] + tokens[-1][0]
    return None


def find_names(text: str, norm: str) -> list[Finding]:
    found: dict[tuple[int, int], Finding] = {}

    def add(start: int, word: str, confidence: float) -> None:
        key = (start, start + len(word))
        for other in list(found):
            if other[0] < key[1] and key[0] < other[1]:
                if found[other].confidence >= confidence:
                    return
                del found[other]
        found[key] = Finding(FindingKind.NAME, text[key[0] : key[1]], key[0], key[1], confidence)

    def follow_list(end: int, confidence: float) -> None:
        # 张伟、李娜、王五: names in an enumeration after a first name
        while end < len(norm) and norm[end] in "、，," and surname_len(norm[end + 1 : end + 3]):
            word = _name_at(norm, end + 1)
            if not word:
                return
            add(end + 1, word, confidence)
            end = end + 1 + len(word)

    role_or_lead = re.compile(
        r"(?:" + _ROLE + r")\s*[:：]?\s*|经查[，,]\s*|(?:人员|名单|成员|获奖者|代表)\s*[:：]\s*"
    )
    for match in role_or_lead.finditer(norm):
        start = match.end()
        word = _name_at(norm, start)
        if word:
            add(start, word, 0.92)
            follow_list(start + len(word), 0.85)
    after = re.compile(
        r"(?=(?:同志|先生|女士|[（(，,]\s*(?:男|女)[，,、）)\s]|[（(，,]\s*(?:身份证|公民身份|手机|联系电话|住址|家住|现住)|于\s*\d{4}\s*年|的(?:银行卡|银行账户|账户|身份证|手机|住址|住宅|房屋|车辆)))"
    )
    for match in after.finditer(norm):
        end = match.start()
        if end == 0 or not ("\u4e00" <= norm[end - 1] <= "\u9fa5"):
            continue
        word = _name_before(norm, end)
        if word and not (norm[end:].startswith("于") and not _is_boundary(norm, end - len(word) - 1)):
            add(end - len(word), word, 0.88)
            follow_list(end, 0.8)
    # names the segmenter recognises, with weaker evidence
    position = 0
    tokens = _tagger()(norm)
    for index, (word, tag) in enumerate(tokens):
        start = position
        position += len(word)
        if tag not in ("nr", "nrfg") or not _plausible_name(word) or (start, start + len(word)) in found:
            continue
        listed = any(
            0 <= j < len(tokens) and tokens[(index + j) // 2][0] == "、" and tokens[j][1] in ("nr", "nrfg")
            for j in (index - 2, index + 2)
        )
        weak = has_word(_PERSON_CONTEXT, norm[max(0, start - 20) : start + len(word) + 20])
        add(start, word, 0.75 if listed else 0.7 if weak else 0.4)
    return list(found.values())
