"""Names of natural persons (个人隐私, 条例 Art. 15), reported only on evidence.

A span is a name when three things hold (issue 12):

1. its shape: a surname from the national list, then a given name of one or two characters;
2. a personal context right next to it: a role word before (申请人、联系人：、举报人、我叫), a form
   of address after (同志、先生、女士), particulars after (，男，/（身份证号…）/ a phone or an ID
   number / 于2020年), or the enumeration that follows such a name (张伟、李娜);
3. it is a word of its sentence, not a piece of one: the dictionary segmentation of the sentence
   has a boundary at both ends (so 管机关 in 主管机关 and 应当亲 in 应当亲自 are not candidates), it
   is not a common dictionary word or term of law (申请、陈述、管制区), and it does not begin with a
   function word glued to a word (和证人, 向有权). How common a word may be depends on how strong the
   context is (`commonness`): after 联系人： anything is a name, after a bare 申请人 only a non-word.

A name proven once is a name wherever else it stands in the same text (张伟 … 告知张伟).
Nothing is reported from the segmenter's own person tags: jieba tags 仲裁庭 and 卫星 as persons.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from gongkai.text.lazyre import lazy_compile

from .constants import FindingKind
from .detect_base import Finding

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

# Persons whom official documents name in their public role (leaders, national models): not private.
PUBLIC_FIGURES = frozenset(
    "毛泽东 周恩来 刘少奇 朱德 邓小平 陈云 江泽民 胡锦涛 习近平 李鹏 朱镕基 温家宝 李克强 李强 孙中山 鲁迅 雷锋 焦裕禄 孔繁森 "
    "杨善洲 钱学森 袁隆平 黄大年 张桂梅 王进喜 邓稼先 钟南山 屠呦呦 谷文昌 廖俊波 黄文秀 马克思 列宁".split()
)
# Role words of a person: 申请人张伟, 联系人：张伟, 经查，张伟. "人员/名单/成员/代表" only with a colon.
_ROLE = (
    "申请人|被申请人|第三人|当事人|联系人|经办人|举报人|被举报人|投诉人|被投诉人|来信人|来访人|信访人|户主|患者|法定代表人|"
    "委托代理人|代理人|负责人|收件人|被处罚人|姓名|户名|开户名|监护人|被监护人|承办人|发现人|受益人|领款人|权利人|义务人|购房人|"
    "承租人|出租人|申报人|签收人|见证人|嫌疑人|犯罪嫌疑人|被告人|原告|被告|死者|伤者|学生|职工|村民|居民|业主|家属|丈夫|妻子|儿子|"
    "女儿|母亲|父亲|户籍人|持卡人|收款人|付款人|驾驶人|驾驶员|车主|自然人|我叫|本人|签名|署名|经查[，,]"
)
_ROLE_WORDS = {role for role in _ROLE.split("|") if "[" not in role}
_LABEL = lazy_compile(r"(?:" + _ROLE + r"|人员|名单|成员|获奖者|代表)\s*[:：]\s*")
_INLINE = lazy_compile(r"(?:" + _ROLE + r")\s*[，,]?\s*")
_ROLE_BEFORE = lazy_compile(r"(?:" + _ROLE + r"|人员|名单|成员|获奖者|代表)\s*[:：，,]?\s*$")
# Forms of address and particulars right after a name.
_TITLE = lazy_compile(r"同志|先生|女士")
_PARTICULARS = lazy_compile(
    r"\s*(?:[（(，,]\s*(?:男|女)\s*[，,、）)\s]"  # 张伟，男，
    r"|[（(]\s*(?:身份证|公民身份|证件|手机|联系电话|电话|住址|现住|家住|住|户籍|\d{4}\s*年)"  # 张伟（身份证号…）
    r"|[，,]?\s*(?:身份证号|公民身份号码|证件号|手机|联系电话|电话)[号码]*\s*[:：]?\s*\d"  # 张伟，身份证号3101…
    r"|[\s:：]*(?:\+?86[- ]?)?1\d{2}[- ]?\d{4}[- ]?\d{4}(?!\d)|[\s:：]*\d{17}[\dXx](?![\dA-Za-z])"  # a phone, an ID
    r"|于\s*\d{4}\s*年|的(?:银行卡|银行账户|身份证|手机|住址))"  # 张伟于2020年, 张伟的银行卡
)
_PARTICULARS_AHEAD = lazy_compile(r"(?=" + _PARTICULARS.pattern + ")")
_HARD_BOUNDARY = lazy_compile(r"[^\u4e00-\u9fa5]|$")
_NOT_GIVEN = set("的了和与及或在是为对于将把被等某省市县乡镇村路街局委厅处科室所部组队该其此之")
# Frequencies in jieba's dictionary (see `commonness`). A name does not start with a word as frequent
# as FUSED_WORD_FREQUENCY (应当自, 范围内; 杨梅新 and 高超轩 are names).
COMMON_NOUN_FREQUENCY = 10
COMMON_PERSON_FREQUENCY = 100
PUBLIC_PERSON_FREQUENCY = 1000  # 毛泽东, 孙中山: public figures, not private data
FUSED_WORD_FREQUENCY = 500
# Single characters that, as words, are function words: 和证人 is 和 + 证人, not a person.
_FUNCTION_TAGS = ("c", "p", "r", "u")
# A single character that reads as a verb or particle after a name ends it (张伟称其: 张伟).
_VERB_TAGS = ("v", "p", "c", "u", "r", "d")

CONFIDENCE = {"label": 0.95, "title": 0.92, "role": 0.9, "particulars": 0.9, "list": 0.85, "again": 0.85}
_NOTES = {"list": "列举中的姓名", "again": "同一文本中已确认的姓名"}


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import rjieba

    return rjieba


@lru_cache(maxsize=50_000)
def word_frequency(word: str) -> int:
    """The word's frequency in the segmenter's dictionary (0 when it is not a dictionary word)."""
    jieba = _jieba()
    return jieba.suggest_freq(word) - 1 if jieba.has_word(word) else 0


@lru_cache(maxsize=4096)
def _char_tag(char: str) -> str:
    tags = _jieba().tag(char, False)
    return tags[0][1] if tags else ""


def surname_len(word: str) -> int:
    if word[:2] in COMPOUND_SURNAMES:
        return 2
    return 1 if word[:1] in SURNAMES else 0


def plausible_shape(word: str) -> bool:
    """A surname from the national list and a given name of one or two characters."""
    surname = surname_len(word)
    given = word[surname:]
    return (
        bool(surname)
        and 1 <= len(given) <= 2
        and all("\u4e00" <= ch <= "\u9fa5" for ch in word)
        and not any(ch in _NOT_GIVEN for ch in given)
    )


def commonness(word: str) -> int:
    """How much a candidate reads as an ordinary word rather than a name.

    2: a common word or a term of law — a role word, a dictionary verb, adjective or function word
    (申请, 应诉, 管控), a frequent noun (范围, 黄金), a function word glued to a word (和证人, 向有权);
    1: a dictionary noun that is rare (管制区, 许国), a frequent word the dictionary tags as a person
    (jieba tags 许可, 陈述 as persons, and 李俊, 李娜 are names too), a verb for a given name;
    a person word more frequent still is a public figure (孙中山, 毛泽东) or a common word (卫星, 高峰);
    0: not a word of the dictionary, or a rare one it tags as a person (王建国, 刘德华)."""
    if word in _ROLE_WORDS or word in PUBLIC_FIGURES or word[1:] in PUBLIC_FIGURES:
        return 2
    tag, frequency = _word_tag(word), word_frequency(word)
    if tag.startswith("nr"):
        return 2 if frequency >= PUBLIC_PERSON_FREQUENCY else 1 if frequency >= COMMON_PERSON_FREQUENCY else 0
    if tag.startswith("n") or tag in ("j", "l", "i", "s"):
        if frequency >= COMMON_NOUN_FREQUENCY:
            return 2 if frequency >= COMMON_PERSON_FREQUENCY else 1
    elif tag:
        return 2
    surname = surname_len(word)
    rest = word[surname:]
    rest_tag = _word_tag(rest) if len(rest) == 2 else ""
    if surname == 1 and rest_tag:
        if _char_tag(word[0]).startswith(_FUNCTION_TAGS):
            return 1 if rest_tag.startswith("nr") else 2  # 和证人, 向有权; 于秀英 only with evidence
        if rest_tag.startswith("v") and word_frequency(rest) >= FUSED_WORD_FREQUENCY:
            return 1
    return 0


@lru_cache(maxsize=50_000)
def _word_tag(word: str) -> str:
    """The dictionary's tag of a word of two or more characters ("" when it is not a dictionary word)."""
    if len(word) < 2 or not _jieba().has_word(word):
        return ""
    tags = _jieba().tag(word, False)
    return tags[0][1] if len(tags) == 1 else ""


def _tokens(norm: str, start: int, end: int) -> dict[int, int]:
    """Dictionary segmentation around norm[start:end]: token start -> token end (absolute positions)."""
    left = max(0, start - 10)
    window = norm[left : min(len(norm), end + 10)]
    position, tokens = left, {}
    for token in _jieba().cut(window, False):
        tokens[position] = position + len(token)
        position += len(token)
    return tokens


def word_of_sentence(
    norm: str,
    start: int,
    end: int,
    *,
    known_start: bool = False,
    known_end: bool = False,
    labelled: bool = False,
) -> bool:
    """norm[start:end] is a word of its sentence: the segmentation has a boundary at both ends (an end
    given by a role word or by evidence is known), and its first token is not a frequent word fused
    from the surname and the next character (应当 in 应当自, 范围 in 范围内; 李俊 in 李俊秀 is a name)
    unless a label says what follows is a name (获奖人员：石英欣)."""
    tokens = _tokens(norm, start, end)
    if not (known_start or start in tokens or _hard_before(norm, start)):
        return False
    if not (known_end or end in set(tokens.values()) or _hard(norm, end)):
        return False
    first_end = tokens.get(start, start)
    first = norm[start:first_end]
    person = _word_tag(first).startswith("nr") and word_frequency(first) < PUBLIC_PERSON_FREQUENCY
    fused = start + surname_len(norm[start:end]) < first_end < end and not person
    return labelled or not (fused and word_frequency(first) >= FUSED_WORD_FREQUENCY)


def _hard(norm: str, position: int) -> bool:
    """Position starts with a non-Chinese character (punctuation, digit, space) or is the end."""
    return bool(_HARD_BOUNDARY.match(norm, position))


def _hard_before(norm: str, position: int) -> bool:
    return position == 0 or _hard(norm, position - 1)


def _evidence_after(norm: str, end: int) -> bool:
    return bool(_TITLE.match(norm, end) or _PARTICULARS.match(norm, end))


def _allowed(word: str, context: str) -> bool:
    """A label (联系人：) admits any word; evidence after the name (同志, （身份证号…）, a phone) admits a
    word that may be a name (李俊, 高峰); a bare role word (申请人张伟，) or a list only a non-word."""
    return commonness(word) <= {"label": 2, "strong": 1}.get(context, 0)


def _name_after(norm: str, start: int, *, labelled: bool) -> str | None:
    """The name that starts at `start`, if there is one. After a label (联系人：) a name may run into
    the next word (联系人：张伟负责); after an inline role word (申请人张伟) or in a list it must end at
    punctuation or at evidence (同志, （身份证号…）, a phone)."""
    surname = surname_len(norm[start : start + 2])
    if not surname:
        return None
    options = []
    for length in (surname + 2, surname + 1):
        end = start + length
        word = norm[start:end]
        if len(word) < length or not plausible_shape(word):
            continue
        evidence = _evidence_after(norm, end)
        bounded = evidence or _hard(norm, end)
        if not word_of_sentence(
            norm, start, end, known_start=True, known_end=evidence, labelled=labelled and bounded
        ):
            continue
        if not _allowed(word, "label" if labelled and bounded else "strong" if evidence else "weak"):
            continue
        if bounded:
            return word
        if labelled:
            options.append(word)
    for word in options:  # no boundary after: 张伟称, 赵斌佑签订; a function character ends the name
        if len(word) == surname + 2 and _char_tag(word[-1]).startswith(_VERB_TAGS) and len(options) > 1:
            continue
        return word
    return None


def _name_before(norm: str, end: int) -> str | None:
    """The name that ends at `end` (before 同志 or particulars), if there is one: a compound surname
    first (诸葛卫军, not 卫军), then three characters, two, four. A role word right before the name
    marks its start (投诉人武梅宇女士, although 人武 is a word)."""
    lengths = (4, 3, 2) if norm[max(0, end - 4) : end - 2] in COMPOUND_SURNAMES else (3, 2, 4)
    for length in lengths:
        start = end - length
        word = norm[max(0, start) : end]
        if start < 0 or not plausible_shape(word):
            continue
        role_before = bool(_ROLE_BEFORE.search(norm, max(0, start - 8), start))
        if word_of_sentence(norm, start, end, known_start=role_before, known_end=True) and _allowed(
            word, "strong"
        ):
            return word
    return None


def find_names(text: str, norm: str) -> list[Finding]:
    found: dict[tuple[int, int], Finding] = {}

    def add(start: int, word: str, how: str) -> None:
        key = (start, start + len(word))
        confidence = CONFIDENCE[how]
        for other in list(found):
            if other[0] < key[1] and key[0] < other[1]:
                if found[other].confidence >= confidence:
                    return
                del found[other]
        found[key] = Finding(
            FindingKind.NAME, text[key[0] : key[1]], key[0], key[1], confidence, _NOTES.get(how, "")
        )

    def follow_list(end: int) -> None:
        # 张伟、李娜、王五: the names of an enumeration that starts with a name
        while end < len(norm) and norm[end] in "、，," and surname_len(norm[end + 1 : end + 3]):
            word = _name_after(norm, end + 1, labelled=False)
            if not word:
                return
            add(end + 1, word, "list")
            end = end + 1 + len(word)

    for regex, how in ((_LABEL, "label"), (_INLINE, "role")):
        for match in regex.finditer(norm):
            start = match.end()
            if match.start() not in _tokens(norm, match.start(), start) and not _hard_before(
                norm, match.start()
            ):
                continue  # 业主 inside 企业主管: the role word is not a word of the sentence
            word = _name_after(norm, start, labelled=how == "label")
            if word:
                add(start, word, how)
                follow_list(start + len(word))
    for regex, how in ((_TITLE, "title"), (_PARTICULARS_AHEAD, "particulars")):
        for match in regex.finditer(norm):
            end = match.start()
            if regex is _TITLE and match.end() not in set(_tokens(norm, end, match.end()).values()):
                continue  # 先生 inside 优先生产
            word = _name_before(norm, end)
            if word:
                add(end - len(word), word, how)
                follow_list(end)
    _repeat_known(norm, found, add)
    return list(found.values())


def _repeat_known(
    norm: str, found: dict[tuple[int, int], Finding], add: Callable[[int, str, str], None]
) -> None:
    """Other mentions of a name already proven in this text (出售给赵斌佑。…告知赵斌佑，)."""
    for word in {norm[start:end] for start, end in found}:
        for match in re.finditer(re.escape(word), norm):
            start, end = match.span()
            if (start, end) in found:
                continue
            if word_of_sentence(norm, start, end):
                add(start, word, "again")
