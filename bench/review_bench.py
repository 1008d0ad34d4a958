"""Disclosure-review detector bench: precision and recall per kind on real official texts.

Plants generated personal data (valid GB 11643 / Luhn / GB 32100 checksums) and look-alike numbers
(文号, dates, budget figures, 18-digit numbers with a wrong check digit, 16–19 digit numbers failing
Luhn) into real documents from ../shared/data (laws, policy full texts, a 公文, an annual report),
runs the detector and prints precision and recall per kind. Findings the detector makes in the
original texts (nothing was planted there) count as false positives.

    .venv/bin/python bench/review_bench.py [--data ../shared/data] [--seed 7] [--per-doc 12] [--show-errors]

Targets (issue 7): id_card, mobile, bank_card, email recall ≥ 99% and precision ≥ 98%;
name recall ≥ 90% and precision ≥ 85%.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.conf.test")

import django  # noqa: E402

django.setup()

from stdnum import numdb  # noqa: E402
from stdnum.cn import ric, uscc  # noqa: E402

from gongkai.review.detector import detect, luhn_ok  # noqa: E402

TARGETS = {
    "id_card": (0.99, 0.98), "mobile": (0.99, 0.98), "bank_card": (0.99, 0.98), "email": (0.99, 0.98), "name": (0.90, 0.85),
}  # fmt: skip

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤"
COMPOUND = ["欧阳", "司马", "诸葛", "上官"]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰文辉鹏飞晓燕雪梅海波宇浩然子轩一鸣思雨欣怡佳琪俊峰德胜秋菊春生永庆淑珍桂兰凤英立新卫东"
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁苏浙赣鄂桂甘晋陕吉闽贵粤川"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
ROADS = [
    "常德路",
    "延安中路",
    "南京西路",
    "共和新路",
    "中山北路",
    "解放大道",
    "人民路",
    "建设街",
    "胜利巷",
    "长江路",
    "天目西路",
    "江场三路",
]
DISTRICTS = [
    "上海市静安区",
    "北京市朝阳区",
    "浙江省杭州市西湖区",
    "江苏省南京市鼓楼区",
    "广东省深圳市南山区",
    "静安区",
    "湖北省武汉市江汉区",
]
EMAIL_DOMAINS = [
    "163.com",
    "qq.com",
    "126.com",
    "sina.com",
    "gmail.com",
    "hotmail.com",
    "foxmail.com",
    "139.com",
]
PINYIN = [
    "zhang",
    "wang",
    "li",
    "liu",
    "chen",
    "yang",
    "huang",
    "zhao",
    "wu",
    "zhou",
    "xu",
    "sun",
    "ma",
    "zhu",
    "wei",
    "fang",
    "min",
    "jing",
    "lei",
]


class Gen:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        loc = numdb.get("cn/loc")
        self.regions = [
            province + county
            for _l, province, _h, _p, children in loc.prefixes
            for _l2, county, _h2, props, _c in children
            if not props.get("county", "").startswith("[")
            and county[2:] != "00"
            and province not in ("71", "81", "82")
        ] or ["310101"]

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def id_card(self) -> str:
        while True:
            number = (
                self.rng.choice(self.regions)
                + f"{self.rng.randint(1950, 2006)}{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}"
                + self.digits(3)
            )
            number += ric.calc_check_digit(number + "0")
            if ric.is_valid(number):
                return number

    def id_card_15(self) -> str:
        return (
            self.rng.choice(self.regions)
            + f"{self.rng.randint(50, 84):02d}{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}"
            + self.digits(3)
        )

    def mobile(self) -> str:
        number = self.rng.choice(
            ["138", "139", "135", "136", "150", "151", "158", "186", "187", "177", "199", "166", "147"]
        ) + self.digits(8)
        style = self.rng.random()
        if style < 0.15:
            return f"{number[:3]}-{number[3:7]}-{number[7:]}"
        if style < 0.25:
            return f"{number[:3]} {number[3:7]} {number[7:]}"
        if style < 0.3:
            return "+86 " + number
        return number

    def unallocated_mobile(self) -> str:
        """An 11-digit number outside the allocated segments (144, 168, 140...), written after 联系电话."""
        return self.rng.choice(["140", "141", "144", "154", "168", "169", "174", "179"]) + self.digits(8)

    def landline(self) -> str:
        area = self.rng.choice(["021", "010", "0571", "025", "0755", "027"])
        local = self.rng.choice("2345678") + self.digits(7 if len(area) == 3 else 6 + self.rng.randint(0, 1))
        return self.rng.choice([f"{area}-{local}", f"({area}){local}", f"{area}{local}"])

    def bank_card(self) -> str:
        while True:
            body = self.rng.choice(
                ["622202", "621700", "622848", "623668", "621226", "622588", "436742", "524094"]
            ) + self.digits(self.rng.choice([9, 12]))
            for check in "0123456789":
                if luhn_ok(body + check):
                    number = body + check
                    break
            if len(number) == 16 and self.rng.random() < 0.3:
                return " ".join(number[i : i + 4] for i in range(0, 16, 4))
            return number

    def email(self) -> str:
        if self.rng.random() < 0.3:
            local = str(self.rng.randint(10000, 9999999999))
        else:
            local = (
                self.rng.choice(PINYIN)
                + self.rng.choice(["", ".", "_"])
                + self.rng.choice(PINYIN)
                + str(self.rng.randint(0, 99))
            )
        return f"{local}@{self.rng.choice(EMAIL_DOMAINS)}"

    def uscc(self) -> str:
        while True:
            chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
            number = (
                self.rng.choice(["91", "92", "12", "52"])
                + self.rng.choice(self.regions)
                + "".join(self.rng.choice(chars) for _ in range(9))
            )
            number += uscc.calc_check_digit(number)
            if uscc.is_valid(number):
                return number

    def passport(self) -> str:
        return self.rng.choice(
            ["E" + self.digits(8), "E" + self.rng.choice("ABCDEFGH") + self.digits(7), "G" + self.digits(8)]
        )

    def plate(self) -> str:
        tail = "".join(self.rng.choice("0123456789" + PLATE_LETTERS) for _ in range(5))
        return self.rng.choice(PROVINCES) + self.rng.choice(PLATE_LETTERS) + tail

    def address(self) -> str:
        return (self.rng.choice(DISTRICTS) + self.rng.choice(ROADS) + f"{self.rng.randint(1, 2000)}号"
                + self.rng.choice(["", f"{self.rng.randint(1, 30)}号楼{self.rng.randint(101, 2505)}室", f"{self.rng.randint(101, 1202)}室"]))  # fmt: skip

    def name(self) -> str:
        surname = self.rng.choice(COMPOUND) if self.rng.random() < 0.03 else self.rng.choice(SURNAMES)
        return surname + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice([1, 2, 2])))

    # --- look-alikes: must not be flagged
    def lookalike(self) -> str:
        bad_id = self.id_card()
        bad_id = bad_id[:-1] + str((int(bad_id[-1]) + 1) % 10 if bad_id[-1] != "X" else 0)
        while True:
            bad_card = "6222" + self.digits(15)
            if not luhn_ok(bad_card):
                break
        year = self.rng.randint(2000, 2024)
        options = [
            f"根据《关于做好相关工作的通知》（沪府办发〔{year}〕{self.rng.randint(1, 120)}号）",
            f"于{year}年{self.rng.randint(1, 12)}月{self.rng.randint(1, 28)}日印发",
            f"统计时点为{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}",
            f"全年预算支出{self.rng.randint(10**10, 10**11 - 1)}元",
            f"共安排资金{self.rng.randint(1000, 99999):,}.{self.rng.randint(10, 99)}万元",
            f"项目编号{bad_id}",
            f"合同编号{bad_card}",
            f"统计编码12{self.digits(9)}",
            f"批准文号：国药准字H{year}{self.digits(4)}",
            f"{year}{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}期",
        ]
        return self.rng.choice(options)


def templates(gen: Gen) -> list[list[tuple[str, str | None]]]:
    """Each template is a list of (text, kind): kind None is plain text, otherwise a planted value."""
    n = gen.name
    return [
        [("申请人", None), (n(), "name"), ("（身份证号：", None), (gen.id_card(), "id_card"), ("，联系电话：", None), (gen.mobile(), "mobile"), ("）。", None)],
        [("当事人：", None), (n(), "name"), ("，住", None), (gen.address(), "address"), ("。", None)],
        [("联系人：", None), (n(), "name"), ("，手机", None), (gen.mobile(), "mobile"), ("，电子邮箱", None), (gen.email(), "email"), ("。", None)],
        [("经查，", None), (n(), "name"), ("于2022年3月在辖区内经营活动中存在违法行为。", None)],
        [(n(), "name"), ("同志任区政务公开办公室副主任。", None)],
        [("请将补助资金打入", None), (n(), "name"), ("的银行卡（卡号", None), (gen.bank_card(), "bank_card"), ("）。", None)],
        [("来信人", None), (n(), "name"), ("先生反映，其家庭电话", None), (gen.landline(), "landline"), ("长期占线。", None)],
        [("投诉人", None), (n(), "name"), ("女士（护照号码", None), (gen.passport(), "passport"), ("）称其车辆", None), (gen.plate(), "plate"), ("被拖移。", None)],
        [("获奖人员：", None), (n(), "name"), ("、", None), (n(), "name"), ("、", None), (n(), "name"), ("。", None)],
        [("该公司（统一社会信用代码：", None), (gen.uscc(), "uscc"), ("）法定代表人", None), (n(), "name"), ("。", None)],
        [("原身份证号码", None), (gen.id_card_15(), "id_card"), ("已停用，新号码为", None), (gen.id_card(), "id_card"), ("。", None)],
        [("如有疑问请发送邮件至", None), (gen.email(), "email"), ("或致电", None), (gen.mobile(), "mobile"), ("。", None)],
        [("\n", None), (gen.rng.choice(["机密★5年", "秘密★1年", "绝密★长期", "★秘密", "秘密 保密期限：10年"]), "secrecy"), ("\n", None)],
        [("如有疑问，联系电话：", None), (gen.unallocated_mobile(), "mobile"), ("。", None)],
        [("收款账号：", None), (gen.bank_card(), "bank_card"), ("，户名：", None), (n(), "name"), ("。", None)],
        [(n(), "name"), ("，男，", None), (f"{gen.rng.randint(1950, 2000)}年{gen.rng.randint(1, 12)}月出生，", None),
         ("公民身份号码", None), (gen.id_card(), "id_card"), ("。", None)],
    ]  # fmt: skip


def load_texts(data: Path) -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    for name, key in (("laws/sample.jsonl", "text"), ("policy-fulltext/sample.jsonl", "Body")):
        path = data / name
        if path.exists():
            for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
                if line.strip():
                    row = json.loads(line)
                    texts.append((f"{name}#{line_number}", row.get(key) or ""))
    for name in ("govdoc-cn/397.txt", "annual-reports/hongze_district_2023_zfxxgk_annual_report.txt"):
        path = data / name
        if path.exists():
            texts.append((name, path.read_text(encoding="utf-8", errors="replace")))
    return [(name, text) for name, text in texts if text.strip()]


def plant(text: str, gen: Gen, count: int) -> tuple[str, list[tuple[str, int, int]], int]:
    """Insert `count` planted snippets and as many look-alikes at paragraph ends; returns text, gold spans."""
    paragraphs = text.split("\n")
    # a paragraph end, not a line break inside a sentence (PDF text breaks lines mid-sentence)
    ends = [i for i, p in enumerate(paragraphs) if not p.strip() or p.rstrip()[-1] in "。！？；;!?）)"] or [0]
    slots = sorted(gen.rng.sample(ends, min(len(ends), count * 2)))
    pieces: dict[int, list[tuple[str, str | None]]] = {}
    lookalikes = 0
    for number, slot in enumerate(slots):
        if number % 2 == 0:
            pieces[slot] = gen.rng.choice(templates(gen))
        else:
            pieces[slot] = [(gen.lookalike() + "。", None)]
            lookalikes += 1
    out: list[str] = []
    gold: list[tuple[str, int, int]] = []
    position = 0
    for index, paragraph in enumerate(paragraphs):
        out.append(paragraph)
        position += len(paragraph)
        for chunk, kind in pieces.get(index, []):
            if kind:
                gold.append((kind, position, position + len(chunk)))
            out.append(chunk)
            position += len(chunk)
        out.append("\n")
        position += 1
    return "".join(out), gold, lookalikes


def score_planted(
    texts: list[tuple[str, str]], seed: int, per_doc: int
) -> tuple[dict[str, int], dict[str, int], dict[str, int], list[str], dict[str, float]]:
    """Plant personal data and look-alikes into `texts`; (TP, FP, FN per kind, error lines, totals)."""
    gen = Gen(random.Random(seed))
    tp: dict[str, int] = defaultdict(int)
    fp: dict[str, int] = defaultdict(int)
    fn: dict[str, int] = defaultdict(int)
    errors: list[str] = []
    characters = 0
    lookalikes = 0
    started = time.perf_counter()
    for name, original in texts:
        text, gold, planted_lookalikes = plant(original, gen, per_doc)
        lookalikes += planted_lookalikes
        characters += len(text)
        findings = detect(text)
        matched: set[int] = set()
        for finding in findings:
            hit = next((i for i, (kind, start, end) in enumerate(gold)
                        if kind == finding.kind and i not in matched and start == finding.start and end == finding.end), None)  # fmt: skip
            if hit is None:
                fp[finding.kind] += 1
                errors.append(
                    f"FP {finding.kind:9} {finding.text!r} ({name}) …{text[max(0, finding.start - 12) : finding.end + 8]!r}"
                )
            else:
                matched.add(hit)
                tp[finding.kind] += 1
        for i, (kind, start, end) in enumerate(gold):
            if i not in matched:
                fn[kind] += 1
                errors.append(
                    f"FN {kind:9} {text[start:end]!r} ({name}) …{text[max(0, start - 12) : end + 8]!r}"
                )
    totals = {"characters": characters, "lookalikes": lookalikes, "elapsed": time.perf_counter() - started}
    return tp, fp, fn, errors, totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", default=os.environ.get("GONGKAI_SHARED_DATA", str(ROOT.parent / "shared" / "data"))
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-doc", type=int, default=12)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    data = Path(args.data)
    texts = load_texts(data) if data.exists() else []
    if not texts:
        print(f"skipped: no texts under {data} (laws/, policy-fulltext/, govdoc-cn/, annual-reports/)")
        return 0
    tp, fp, fn, errors, totals = score_planted(texts, args.seed, args.per_doc)
    characters, lookalikes, elapsed = int(totals["characters"]), int(totals["lookalikes"]), totals["elapsed"]
    print(f"texts: {len(texts)}   characters: {characters:,}   look-alikes planted: {lookalikes}   "
          f"detector: {elapsed:.2f} s ({characters / elapsed / 1000:.0f} k chars/s)")  # fmt: skip
    print(
        f"{'kind':10} {'planted':>8} {'found':>6} {'TP':>5} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}  target (R/P)"
    )
    failed = False
    for kind in [
        "id_card",
        "mobile",
        "landline",
        "bank_card",
        "email",
        "uscc",
        "passport",
        "plate",
        "address",
        "name",
        "secrecy",
    ]:
        planted = tp[kind] + fn[kind]
        found = tp[kind] + fp[kind]
        precision = tp[kind] / found if found else 1.0
        recall = tp[kind] / planted if planted else 1.0
        target = TARGETS.get(kind)
        mark = ""
        if target:
            ok = recall >= target[0] and precision >= target[1]
            failed |= not ok
            mark = f"{target[0]:.0%}/{target[1]:.0%} {'ok' if ok else 'MISSED'}"
        print(
            f"{kind:10} {planted:8} {found:6} {tp[kind]:5} {fp[kind]:4} {fn[kind]:4} {precision:10.1%} {recall:8.1%}  {mark}"
        )
    if args.show_errors:
        print("\n".join(errors[:200]))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
