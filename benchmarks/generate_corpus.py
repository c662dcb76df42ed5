"""Synthetic national-scale corpus of civil-affairs replies, for the loader and dashboard benchmarks.

Every reply is made by recombining and perturbing the sentences of the five real replies in data/raw/:
another jurisdiction (data/reference/gazetteer_cn.csv: its provinces and cities ending in 省 or 市), other
numbers and units (万/亿/余/近), and, for some replies, the noise the clean stage exists for: traditional
characters with glued pinyin (字(pīn)), gambling/SEO spam replacing the city name and 关于, an index block
of web-page furniture, CRLF line endings, zero-width characters, full-width digits, numbers split by a line
break, GB18030 or UTF-8-with-BOM encoding; counties and county-level cities (gazetteer_county.csv), the
publication date under another label, layout and form, signatures in Chinese numerals, and issuers that omit
their place (市民政局) where the title names the congress's. Every reply ends with its signature (X市民政局 / X省民政厅) and
its date (2023年6月1日), and is written as raw/<slug>-<year>-<n>.txt (the gazetteer's slug, so a build can be
checked for the jurisdiction it names), so record ids are unique.

Deterministic: reply i depends only on (seed, i), so the 1,000-reply corpus starts with the 100 replies of the
100-reply corpus, and the 10,000-reply corpus with the 1,000.

    .venv/bin/python benchmarks/generate_corpus.py --n 1000 [--seed 2024] [--out benchmarks/out/corpus-1000]

The output folder is a complete `--data` folder for the loader: raw/, an empty curation/ and reference/
copied from data/reference/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent

DEFAULT_SEED = 2024
JURISDICTIONS_FILE = PROJECT / "data" / "reference" / "gazetteer_cn.csv"

# The five source replies' own names, replaced by placeholders in the sentence pool.
SOURCE_NAMES = [("赣州市", "赣州"), ("衢州市", "衢州"), ("江苏省", "江苏"), ("宣城市", "宣城"), ("乐山市", "乐山")]
FULL, SHORT = "\ue000", "\ue001"  # private-use placeholders: never in a real reply

# Shares of replies that carry each kind of noise.
P_TRADITIONAL = 0.10
P_SPAM = 0.10
P_FURNITURE = 0.25
P_CRLF = 0.05
P_GB18030 = 0.05
P_BOM = 0.03
P_INVISIBLE = 0.05
P_FULLWIDTH = 0.05
P_SPLIT_NUMBER = 0.03

P_HEADER_VARIANT = 0.30   # the date under another label, layout and form (issue 10: pages print dates many ways)
P_COUNTY = 0.15           # a district, county or county-level city (data/reference/gazetteer_county.csv)
P_ISSUER_OMITTED = 0.10   # the signature says only 市民政局/省民政厅; the title names the congress's place

# Date labels (written or published), layouts and forms real pages print; loaders/dates.py must read them all.
DATE_LABELS = [("成文日期", "written"), ("发文日期", "written"), ("发布日期", "published"), ("发布时间", "published"),
               ("發布日期", "published"), ("发表时间", "published"), ("更新时间", "published")]
DATE_LAYOUTS = ["{label}:{value}", "{label}：{value}", "{label} {value}", "{label}:\n\n{value}",
                "• {label}\n• {value}", "| {label} | {value} |"]
CN_DIGITS = "〇一二三四五六七八九"

SPAM_WORDS = ["mobile", "bet", "vip", "win", "app", "yabo", "leyu", "sport", "bwin", "kaiyun"]
SPAM_BRANDS = ["英国威廉希尔", "澳门新葡京", "皇冠体育", "澳门金沙", "永利皇宫", "太阳城"]
SALUTATION_NAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力国庆春海燕"
SECTORS = ["共青团界别", "民盟界别", "民建界别", "农工党界别", "九三学社界别", "社会福利和社会保障界别", "经济界别"]
ZH_NUM = "一二三四五六七八九十"


# --- sentence pool from the five real replies -------------------------------------------------


@dataclass
class Pool:
    openings: list[str]
    headings: list[str]       # top-level headings without their 一、 prefix
    subheadings: list[str]    # (一)… / 1.… headings without prefix
    body: list[str]           # sentences of the body (done work)
    numeric: list[str]        # body sentences with a number and a unit (the facts stage's food)
    planned: list[str]        # sentences of 下一步 sections
    closings: list[str]
    titles: list[str]         # proposal titles for 《…》


_SENT = re.compile(r"[^。；;!！?？]+[。；;!！?？]?")
_ENUM = re.compile(r"^(?:\d+\.|[一二三四五六七八九十]+是|[(（][一二三四五六七八九十\d]+[)）])\s*")
_HEADING = re.compile(r"^[一二三四五六七八九十]+、(.+)$")
_SUBHEADING = re.compile(r"^[(（][一二三四五六七八九十]+[)）](.+)$")
_HAS_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:万|亿)?(?:余|多)?[家个人名元项场次所%]")


def _placeholders(text: str) -> str:
    for full, short in SOURCE_NAMES:
        text = text.replace(full, FULL).replace(short, SHORT)
    return text


@lru_cache(maxsize=1)
def build_pool() -> Pool:
    """Cleaned text of the five real replies, cut into reusable pieces."""
    from loaders.clean import clean_text
    from loaders.read import load_reply

    pool = Pool([], [], [], [], [], [], [], [])
    for path in sorted((PROJECT / "data" / "raw").glob("*.txt")):
        lines = [ln.strip() for ln in clean_text(load_reply(path)).text.split("\n") if ln.strip()]
        in_plan = False
        for ln in lines:
            ln = _placeholders(ln)
            for m in re.finditer(r"《(关于[^》]{4,40})》", ln):
                if m.group(1).endswith(("建议", "提案")):
                    pool.titles.append(m.group(1))
            if "收悉" in ln or "答复如下" in ln:
                pool.openings.append(ln)
                continue
            if "感谢" in ln:
                pool.closings.append(ln)
                in_plan = False
                continue
            m = _HEADING.match(ln)
            if m:
                in_plan = "下一步" in ln
                if not in_plan:
                    pool.headings.append(m.group(1))
                continue
            m = _SUBHEADING.match(ln)
            if m and len(ln) < 40:
                pool.subheadings.append(m.group(1))
                continue
            if ln.startswith("下一步"):
                in_plan = True
            if len(ln) < 30:
                continue  # signature, date, attachments, salutation
            for s in _SENT.findall(ln):
                s = _ENUM.sub("", s.strip())
                if len(s) < 12 or "下一步" in s and not in_plan:
                    continue
                if in_plan:
                    pool.planned.append(s)
                else:
                    pool.body.append(s)
                    if _HAS_NUMBER.search(s):
                        pool.numeric.append(s)
    # Titles beyond the four real ones: the topics of the headings.
    for h in pool.headings + pool.subheadings:
        topic = re.split(r"[,，]", h)[-1].replace("“", "").replace("”", "")
        if 4 <= len(topic) <= 20:
            pool.titles.append(f"关于{topic}的建议")
    return pool


# --- jurisdictions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    name: str       # 石家庄市 / 河北省 / 北京市
    province: str
    level: str      # province | prefecture
    slug: str       # the gazetteer's: suzhou-jiangsu

    @property
    def short(self) -> str:
        return re.sub(r"(省|市)$", "", self.name)

    @property
    def bureau(self) -> str:
        return self.name + ("民政厅" if self.name.endswith("省") else "民政局")


def load_counties() -> list[Place]:
    """Counties whose name no other county bears (a shared one would need its parent written before it)."""
    import csv
    from collections import Counter

    path = PROJECT / "data" / "reference" / "gazetteer_county.csv"
    rows = list(csv.DictReader(ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")))
    counts = Counter(r["name_zh"] for r in rows)
    return [Place(r["name_zh"], r["province_zh"], "county", r["slug"]) for r in rows
            if counts[r["name_zh"]] == 1 and r["name_zh"].endswith(("区", "县", "市"))]


def date_forms(rng: random.Random, year: int, month: int, day: int) -> str:
    """One date in one of the forms pages print (2023-08-01 11:46:51 … 二〇二二年六月三十日)."""
    h, mi, sec = rng.randint(8, 18), rng.randint(0, 59), rng.randint(0, 59)
    forms = [f"{year}-{month:02d}-{day:02d}", f"{year}/{month:02d}/{day:02d}", f"{year}.{month:02d}.{day:02d}",
             f"{year}年{month}月{day}日", f"{year}年{month:02d}月{day:02d}日", f"{year}年{month}月 {day}日",
             f"{year}-{month:02d}-{day:02d} {h:02d}:{mi:02d}:{sec:02d}"]
    return rng.choice(forms)


def chinese_date(year: int, month: int, day: int) -> str:
    import cn2an

    return "".join(CN_DIGITS[int(c)] for c in str(year)) + f"年{cn2an.an2cn(month)}月{cn2an.an2cn(day)}日"


def load_places() -> list[Place]:
    """The gazetteer's provinces and cities named X省 or X市 (自治区, 自治州, 地区 and 盟 are left out: the sentence
    pool's 全市/全省 and 市民政局/省民政厅 substitutions know only those two)."""
    import csv

    lines = [ln for ln in JURISDICTIONS_FILE.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return [Place(r["name_zh"], r["province_zh"], r["level"], r["slug"]) for r in csv.DictReader(lines)
            if r["name_zh"].endswith(("省", "市"))]


# --- perturbations --------------------------------------------------------------------------------

_NUM_UNIT = re.compile(
    r"(?P<pre>近|约|超过)?(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<mult>万|亿)?(?P<q>余|多)?(?P<unit>家|个|人次|人|名|元|项|场次|场|所|%)"
)


def _new_number(rng: random.Random, text: str) -> float:
    value = float(text.replace(",", ""))
    return max(1.0, value * rng.uniform(0.3, 3.0)) if value >= 1 else value * rng.uniform(0.5, 1.5)


def _fmt(value: float, template: str) -> str:
    if "." in template:
        return f"{value:.{len(template.split('.')[1])}f}"
    return f"{round(value):,}" if "," in template else str(round(value))


def perturb_numbers(rng: random.Random, s: str) -> str:
    """Other values; now and then another unit form: 1.2万家, 3亿元, 300余人, 近50个."""
    def repl(m: re.Match) -> str:
        pre, num, mult, q, unit = m.group("pre") or "", m.group("num"), m.group("mult") or "", m.group("q") or "", m.group("unit")
        if unit == "%":
            return f"{pre}{min(99.9, _new_number(rng, num)):.1f}%" if "." in num else f"{pre}{min(99, round(_new_number(rng, num)))}%"
        value = _new_number(rng, num)
        r = rng.random()
        if r < 0.12 and not mult and value >= 10000:
            mult, num_text = "万", f"{value / 1e4:.2f}".rstrip("0").rstrip(".")
        elif r < 0.16 and unit == "元" and mult == "万" and value >= 1000:
            mult, num_text = "亿", f"{value / 1e4:.2f}".rstrip("0").rstrip(".")
        elif r < 0.30 and not q and "." not in num:
            q, num_text = "余", str(int(round(value, -1)) or 10)
        elif r < 0.40 and not pre and not q:
            pre, num_text = "近", str(round(value))
        else:
            num_text = _fmt(value, num)
        return f"{pre}{num_text}{mult}{q}{unit}"

    return _NUM_UNIT.sub(repl, s)


def localise(s: str, place: Place) -> str:
    """Source names to the target's names; city words to province words (and back) as the level needs."""
    if place.level == "province" and place.name.endswith("省"):
        for a, b in (("全市", "全省"), ("我市", "我省"), ("市本级", "省本级"), ("市民政局", "省民政厅")):
            s = s.replace(a, b)
    else:
        for a, b in (("全省", "全市"), ("我省", "我市"), ("省本级", "市本级"), ("省民政厅", "市民政局")):
            s = s.replace(a, b)
    return s.replace(FULL, place.name).replace(SHORT, place.short)


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


@lru_cache(maxsize=4096)
def _pinyin(ch: str) -> str:
    from pypinyin import Style, pinyin

    return pinyin(ch, style=Style.TONE, heteronym=False)[0][0]


def traditional_with_pinyin(rng: random.Random, text: str) -> str:
    """Xuancheng 2024's rendering: traditional characters, some followed by their pinyin (鄉(xiāng)村)."""
    converted = _s2t().convert(text)
    if len(converted) != len(text):
        converted = "".join(_s2t().convert(ch) for ch in text)
    out = []
    for simp, trad in zip(text, converted):
        out.append(trad)
        if simp != trad and rng.random() < 0.5:
            py = _pinyin(simp)
            if py and py.isalpha() and len(py) <= 6:
                out.append(f"({py})")
    return "".join(out)


def spam_site(rng: random.Random) -> str:
    """A Latin-digit gambling site name in the shape Ganzhou 2022 shows (mobile28365-365_bt365如何_…)."""
    w = rng.sample(SPAM_WORDS, 3)
    d = [str(rng.randint(100, 99999)) for _ in range(4)]
    return f"{w[0]}{d[0]}-{d[1]}_{w[1]}{d[2]}如何_{w[2]}{d[3]}官网在线"


def spam_phrase(rng: random.Random) -> str:
    return f"{rng.choice(SPAM_BRANDS)}公司,十大博彩公司"


# --- one reply ----------------------------------------------------------------------------------------


@dataclass
class Reply:
    name: str      # file name
    data: bytes
    traits: list[str]


def _person(rng: random.Random) -> str:
    return rng.choice(SALUTATION_NAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _paragraph(rng: random.Random, pool: Pool, place: Place, planned: bool = False) -> str:
    k = rng.randint(3, 6)
    source = pool.planned if planned else pool.body
    picks = [rng.choice(source) for _ in range(k)]
    if not planned:  # at least two quantitative sentences per paragraph, so every reply has facts
        picks[rng.randrange(k)] = rng.choice(pool.numeric)
        picks[rng.randrange(k)] = rng.choice(pool.numeric)
    sentences = []
    for i, s in enumerate(picks):
        s = perturb_numbers(rng, localise(s, place))
        if not s.endswith(("。", "；", ";", "!", "！", "?", "？")):
            s += "。"
        if rng.random() < 0.3 and i < len(ZH_NUM):
            s = f"{ZH_NUM[i]}是{s}"
        sentences.append(s)
    return "".join(sentences)


def make_reply(i: int, seed: int = DEFAULT_SEED, places: list[Place] | None = None) -> Reply:
    rng = random.Random(f"{seed}:{i}")
    pool = build_pool()
    places = places or load_places()
    place = rng.choice(places)
    traits = []
    if rng.random() < P_COUNTY:
        place = rng.choice(_counties())
        traits.append("county")
    year = rng.randint(2019, 2024)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    is_npc = rng.random() < 0.5
    title = rng.choice(pool.titles)
    if not is_npc:
        title = title.replace("建议", "提案") if title.endswith("建议") and rng.random() < 0.5 else title

    lines: list[str] = []
    if rng.random() < P_FURNITURE:
        traits.append("furniture")
        lines += [
            f"索引号: {rng.randint(10**17, 10**18 - 1)}/{year}-{rng.randint(10000, 999999)} "
            f"成文日期: {year}-{month:02d}-{day:02d}",
            f"公开方式: 主动公开 组配分类: {'人大代表建议' if is_npc else '政协委员提案'}",
            f"发布机构: {place.bureau}",
            "",
        ]
    if rng.random() < 0.5:
        session = f"{'市' if place.level != 'province' else '省'}{rng.choice(ZH_NUM)}届{'人大' if is_npc else '政协'}{rng.choice(ZH_NUM[:5])}次会议"
        kind = "建议" if is_npc else "提案"
        lines += [f"{place.bureau}关于对{session}第{rng.randint(1, 999):03d}号{kind}的答复"
                  f"({place.short[:1]}民{'议' if is_npc else '提'}函〔{year}〕{rng.randint(1, 99)}号)", ""]
        if "furniture" in traits:
            lines += [f"发布日期:{year}-{month:02d}-{day:02d} {rng.randint(8, 18)}:{rng.randint(0, 59):02d} "
                      "浏览次数: 信息来源:办公室 字体:[ ]", "分享:", ""]
    salutation = f"{_person(rng)}代表:" if is_npc else rng.choice([f"{_person(rng)}委员:", f"{rng.choice(SECTORS)}:"])
    lines += [salutation, ""]
    opening = rng.choice(pool.openings)
    opening = re.sub(r"《[^》]*》|“[^”]*”", f"《{title}》", opening, count=1)
    lines += [localise(opening, place), ""]
    lines += [_paragraph(rng, pool, place), ""]
    n_sections = rng.randint(2, 4)
    for s in range(n_sections):
        lines += [f"{ZH_NUM[s]}、{localise(rng.choice(pool.headings), place)}", ""]
        for p in range(rng.randint(1, 3)):
            if rng.random() < 0.4:
                lines += [f"({ZH_NUM[p]}){localise(rng.choice(pool.subheadings), place)}"]
            prefix = f"{p + 1}." if rng.random() < 0.5 else ""
            lines += [prefix + _paragraph(rng, pool, place), ""]
    if rng.random() < 0.7:
        if rng.random() < 0.5:
            lines += [f"{ZH_NUM[n_sections]}、下一步工作安排", "", _paragraph(rng, pool, place, planned=True), ""]
        else:
            lines += ["下一步," + ("我厅" if place.name.endswith("省") else "我局") + "将"
                      + _paragraph(rng, pool, place, planned=True), ""]
    lines += [localise(rng.choice(pool.closings), place), ""]
    if rng.random() < 0.3:
        lines += [f"联系人:{_person(rng)} 联系电话:{rng.randint(2000000, 8999999)}", ""]
    if rng.random() < P_HEADER_VARIANT:
        # The publication date printed above the reply under another label, layout and form; the signature below
        # stays the written date.
        traits.append("header_variant")
        label, _role = rng.choice([lr for lr in DATE_LABELS if lr[1] == "published"])
        value = date_forms(rng, year, month, min(28, day + rng.randint(0, 9)) if day < 20 else day)
        lines = rng.choice(DATE_LAYOUTS).format(label=label, value=value).split("\n") + [""] + lines
    bureau, date_text = place.bureau, f"{year}年{month}月{day}日"
    if rng.random() < P_ISSUER_OMITTED and place.level != "county":
        traits.append("issuer_omitted")
        bureau = "省民政厅" if place.name.endswith("省") else "市民政局"
        kind = "建议" if is_npc else "提案"
        lines = [f"关于对{place.name}第十三届{'人大' if is_npc else '政协'}四次会议第{rng.randint(1, 999):03d}号{kind}的答复",
                 ""] + [ln.replace(place.bureau, bureau) for ln in lines]
    if rng.random() < 0.2:
        traits.append("chinese_numeral_date")
        date_text = chinese_date(year, month, day)
    body = "\n".join(lines)
    signature = f"{bureau}\n{date_text}\n"

    if rng.random() < P_SPAM and "issuer_omitted" not in traits:  # spam over the only place name leaves none
        traits.append("spam")
        site = spam_site(rng)
        body = body.replace(place.name, site).replace(place.short, site)
        body = body.replace("关于", spam_phrase(rng), 1)
    if rng.random() < P_TRADITIONAL:
        traits.append("traditional_pinyin")
        body = traditional_with_pinyin(rng, body)
    if rng.random() < P_INVISIBLE:
        traits.append("invisible")
        chars = list(body)
        for _ in range(rng.randint(2, 8)):
            chars.insert(rng.randrange(len(chars)), "\u200b")
        body = "".join(chars)
    if rng.random() < P_FULLWIDTH:
        traits.append("fullwidth")
        body = re.sub(r"\d", lambda m: chr(ord(m.group()) + 0xFEE0) if rng.random() < 0.5 else m.group(), body)
    if rng.random() < P_SPLIT_NUMBER:
        traits.append("split_number")
        body = re.sub(r"(\d{2})(\d{2,}家)", r"\1\n\2", body, count=1)
    text = body + "\n" + signature
    if rng.random() < P_CRLF:
        traits.append("crlf")
        text = text.replace("\n", "\r\n")
    r = rng.random()
    if r < P_GB18030:
        traits.append("gb18030")
        data = text.encode("gb18030")
    elif r < P_GB18030 + P_BOM:
        traits.append("utf8_bom")
        data = b"\xef\xbb\xbf" + text.encode("utf-8")
    else:
        data = text.encode("utf-8")
    return Reply(f"{place.slug}-{year}-{i:05d}.txt", data, traits)


@lru_cache(maxsize=1)
def _counties() -> list[Place]:
    return load_counties()


# --- corpus folder ---------------------------------------------------------------------------------


def _fingerprint(n: int, seed: int) -> str:
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(JURISDICTIONS_FILE.read_bytes())
    h.update((PROJECT / "data" / "reference" / "gazetteer_county.csv").read_bytes())
    for p in sorted((PROJECT / "data" / "raw").glob("*.txt")):
        h.update(p.read_bytes())
    h.update(f"{n}:{seed}".encode())
    return h.hexdigest()[:16]


def generate(n: int, out: Path, seed: int = DEFAULT_SEED, force: bool = False, quiet: bool = False) -> dict:
    """Write the corpus folder; reuse it if it already holds this exact corpus. Returns its manifest."""
    manifest_path = out / "corpus.json"
    fp = _fingerprint(n, seed)
    if not force and manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("fingerprint") == fp and len(list((out / "raw").glob("*.txt"))) == n:
            return manifest
    t0 = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    (out / "raw").mkdir(parents=True)
    (out / "curation").mkdir()
    shutil.copytree(PROJECT / "data" / "reference", out / "reference")
    places = load_places()
    traits: dict[str, int] = {}
    total = 0
    for i in range(n):
        reply = make_reply(i, seed, places)
        (out / "raw" / reply.name).write_bytes(reply.data)
        total += len(reply.data)
        for t in reply.traits:
            traits[t] = traits.get(t, 0) + 1
        if not quiet and (i + 1) % 1000 == 0:
            print(f"  {i + 1}/{n} replies", file=sys.stderr)
    manifest = {"n": n, "seed": seed, "fingerprint": fp, "bytes": total, "traits": dict(sorted(traits.items())),
                "seconds": round(time.perf_counter() - t0, 2)}
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, required=True, help="number of replies")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--out", type=Path, help="folder (default benchmarks/out/corpus-N)")
    ap.add_argument("--force", action="store_true", help="regenerate even if the folder holds this corpus")
    args = ap.parse_args(argv)
    out = args.out or HERE / "out" / f"corpus-{args.n}"
    manifest = generate(args.n, out, args.seed, args.force)
    print(f"{out}: {manifest['n']} replies, {manifest['bytes'] / 1e6:.1f} MB, traits {manifest['traits']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
