"""Suggest a message's handling field (一级分类, the department field it belongs to) from its subject and
body: multinomial naive Bayes over the search segmenter's words and character bigrams, trained on the
platform's own handled messages (corrections by dispatchers included), with a shipped lexicon of each
field's everyday words as prior counts, so a few hundred examples — or none — give useful suggestions.

The model is a JSON file in the data directory (`gongkai messages train`), loaded by `classify`.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .retrieval import tokens

# Everyday words of each field as citizens write them (prior counts; the fields of a typical 12345 and
# 网上留言 classification). A training example with another label simply adds that field.
LEXICON: dict[str, list[str]] = {
    "城乡建设": ["小区", "物业", "拆迁", "违建", "违章建筑", "城管", "房屋", "住房", "施工", "工地", "道路修建", "路灯",
             "下水道", "供水", "停水", "燃气", "电梯", "开发商", "房产证", "安置", "棚改", "占道", "市政", "绿化"],
    "交通运输": ["公交", "公交车", "线路", "站点", "出租车", "地铁", "车站", "道路", "交通", "堵车", "红绿灯", "停车", "驾驶",
             "驾照", "车辆", "客运", "高速", "收费站", "网约车", "班车", "路口", "航班", "火车", "司机"],
    "劳动和社会保障": ["社保", "养老保险", "医保", "工资", "拖欠", "欠薪", "劳动合同", "退休", "养老金", "失业", "工伤", "就业",
                 "公积金", "辞退", "加班", "用人单位", "农民工", "低保", "补贴", "参保", "社会保险"],
    "教育文体": ["学校", "学生", "老师", "教师", "教育", "学费", "招生", "入学", "幼儿园", "小学", "中学", "考试", "补课",
             "培训", "体育", "文化", "图书馆", "校车", "学籍", "高考", "班主任", "课程"],
    "卫生计生": ["医院", "医生", "看病", "患者", "病人", "药", "疫苗", "卫生", "计生", "生育", "二胎", "出生证", "诊所",
             "护士", "医疗", "手术", "体检", "食品安全", "防疫", "准生证"],
    "商贸旅游": ["商户", "商家", "超市", "价格", "涨价", "消费者", "购物", "旅游", "景区", "导游", "酒店", "市场", "商场",
             "退货", "假货", "发票", "门票", "餐馆", "促销", "快递"],
    "环境保护": ["污染", "噪音", "噪声", "排放", "废气", "污水", "臭味", "粉尘", "垃圾焚烧", "环保", "环境", "烟囱", "化工厂",
             "水质", "扰民", "油烟", "空气", "雾霾"],
}  # fmt: skip
PRIOR_WEIGHT = (
    10.0  # each lexicon word counts as this many training messages of its field (bench/messages_bench.py)
)
MAX_TEXT = 5000


def features(text: str) -> set[str]:
    """Words only: character bigrams add more noise than signal with few examples (bench)."""
    return (
        {t for t in tokens(text[:MAX_TEXT]) if t[1:2] != ":"} if WORDS_ONLY else set(tokens(text[:MAX_TEXT]))
    )


WORDS_ONLY = True


def message_text(subject: str, body: str) -> str:
    """The subject weighs twice: it is the citizen's own summary."""
    return f"{subject} {subject} {body}"


class Classifier:
    def __init__(self, lexicon: dict[str, list[str]] | None = None) -> None:
        self.lexicon = LEXICON if lexicon is None else lexicon
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.docs: Counter = Counter()

    def fit(self, examples: Iterable[tuple[str, str]]) -> Classifier:
        for text, label in examples:
            self.docs[label] += 1
            self.counts[label].update(features(text))
        return self

    def _tables(self) -> tuple[list[str], dict[str, Counter], set[str]]:
        labels = sorted(set(self.docs) | set(self.lexicon))
        tables: dict[str, Counter] = {}
        for label in labels:
            table = Counter(self.counts.get(label, {}))
            for word in self.lexicon.get(label, []):
                for token in features(word):
                    table[token] += PRIOR_WEIGHT
            tables[label] = table
        vocabulary = set().union(*tables.values()) if tables else set()
        return labels, tables, vocabulary

    def predict(self, texts: list[str]) -> list[tuple[str, float]]:
        labels, tables, vocabulary = self._tables()
        if not labels:
            raise ValidationError({"model": _("分类模型尚未训练。")})
        size = len(vocabulary) or 1
        totals = {label: sum(tables[label].values()) for label in labels}
        n_docs = sum(self.docs.values())
        out = []
        for text in texts:
            present = [t for t in features(text) if t in vocabulary]
            scores = {}
            for label in labels:
                prior = math.log((self.docs.get(label, 0) + 1) / (n_docs + len(labels)))
                scores[label] = prior + sum(
                    math.log((tables[label][t] + 0.5) / (totals[label] + 0.5 * size)) for t in present
                )
            best = max(scores, key=scores.get)
            top = scores[best]
            norm = sum(math.exp(v - top) for v in scores.values())
            out.append((best, round(1 / norm, 3)))
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"docs": dict(self.docs), "counts": {k: dict(v) for k, v in self.counts.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Classifier:
        model = cls()
        model.docs = Counter(data.get("docs", {}))
        model.counts = defaultdict(Counter, {k: Counter(v) for k, v in data.get("counts", {}).items()})
        return model


def model_path() -> Path:
    return Path(settings.DATA_DIR) / "interaction" / "classifier.json"


def clean_example(row: Any, *, labelled: bool) -> tuple[str, str]:
    if not isinstance(row, dict):
        raise ValidationError({"line": _("每行须为一个 JSON 对象。")})
    subject, body = row.get("subject") or "", row.get("body") or ""
    if not isinstance(subject, str) or not isinstance(body, str) or not (subject.strip() or body.strip()):
        raise ValidationError({"body": _("标题和内容不能都为空。")})
    label = row.get("category") or ""
    if labelled and (not isinstance(label, str) or not label.strip() or len(label) > 50):
        raise ValidationError({"category": _("缺少类别（category）。")})
    return message_text(subject, body), label.strip() if isinstance(label, str) else ""


def train(rows: list[Any]) -> tuple[Classifier, list[dict[str, Any]]]:
    """Train on labelled rows and store the model; bad rows are reported and skipped."""
    examples, errors = [], []
    for number, row in enumerate(rows, start=1):
        try:
            examples.append(clean_example(row, labelled=True))
        except ValidationError as exc:
            errors.append({"line": number, "errors": [m for ms in exc.message_dict.values() for m in ms]})
    if not examples:
        raise ValidationError({"file": _("没有可用于训练的留言。")})
    model = Classifier().fit(examples)
    path = model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.as_dict(), ensure_ascii=False), encoding="utf-8")
    return model, errors


def load() -> Classifier:
    path = model_path()
    if not path.exists():
        return Classifier()  # the lexicon alone until a model is trained
    return Classifier.from_dict(json.loads(path.read_text(encoding="utf-8")))
