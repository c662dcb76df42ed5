"""Facts stage: numbers in every written form, their indicator, qualifier, period, scope and channel; non-facts skipped."""

import pytest

from loaders.clean import clean_text
from loaders.facts import extract_facts, parse_amount, parse_number
from loaders.metadata import extract_document, identify_jurisdiction
from loaders.schema import Document, Jurisdiction

UNKNOWN = Jurisdiction(slug="huzhou", name_zh="湖州市", name_en="Huzhou", level="prefecture")
DOC = Document(type="npc_suggestion_reply", date_written="2023-07-03")

ORGS_AND_DENSITY = "截至2023年5月底,全市共有注册登记的社会组织3424家(社团1273家、民非2133家、基金会18家),每万人拥有14.95家。"
CITY_LEVEL_FUND = "2013年以来,市本级共投入福彩公益金社会组织购买服务项目资金457.2万元,实施项目93个。"
PROVINCE_FUND = "截至2020年底,省本级累计投入福彩公益金1.8亿余元。"
SUB_AREA = "沙湾区投入55万元试点公益创投,全市10家社会组织与沙湾区社区治理需求成功对接。"
NEARLY = "宁国市各行业商会已累计为乡村建设提供帮扶资金近30万元。"
CHINESE_NUMERAL = "目前,全市登记在册社会组织一千八百三十一个。"
THOUSANDS = "志愿者总人数达1,139,244人。"
PLAN = "下一步,我局将加大扶持。\n2022年,市民政局计划投入福彩公益金108万元用于扶持社会组织。"
NOT_FACTS = ("你们提出的建议(第015号)悉(衢市民议函〔2023〕2号),市八届人大三次会议。一是推进直接登记。"
             "2月23日,印发方案。联系电话:3077013。有效期内的3A级社会组织。")


def facts_of(text, jurisdiction=UNKNOWN, doc=DOC):
    return [(f.indicator, f.value, f.unit, f.qualifier) for f in extract_facts(clean_text(text), jurisdiction, doc)]


def test_parse_number_forms():
    assert parse_number("1,139,244") == 1139244
    assert parse_number("12609191.85") == 12609191.85
    assert parse_number("一千八百三十一") == 1831
    assert parse_number("两") == 2
    assert parse_amount("9.78万") == 97800
    assert parse_amount("1.8亿") == 180000000
    assert parse_amount("1100余万") == 11000000


def test_orgs_breakdown_and_density():
    assert facts_of(ORGS_AND_DENSITY) == [
        ("social_orgs_total", 3424, "count", "exact"),
        ("social_groups", 1273, "count", "exact"),
        ("private_non_enterprise_units", 2133, "count", "exact"),
        ("foundations", 18, "count", "exact"),
        ("social_orgs_per_10k", 14.95, "per_10k", "exact"),
    ]
    first = extract_facts(clean_text(ORGS_AND_DENSITY), UNKNOWN, DOC)[0]
    assert (first.period_kind, first.period_end, first.period_text) == ("as_of", "2023-05-31", "截至2023年5月底")


def test_city_level_lottery_fund_and_its_projects():
    facts = extract_facts(clean_text(CITY_LEVEL_FUND), UNKNOWN, DOC)
    assert [(f.indicator, f.value, f.channel, f.scope_kind, f.scope_area, f.period_kind, f.period_start)
            for f in facts] == [
        ("funding", 4572000, "lottery_welfare_fund", "level_only", "市本级", "since", "2013"),
        ("projects", 93, "lottery_welfare_fund", "level_only", "市本级", "since", "2013"),
    ]


def test_more_than_after_yi():
    facts = extract_facts(clean_text(PROVINCE_FUND), UNKNOWN, DOC)
    assert [(f.value, f.qualifier, f.scope_area, f.period_end) for f in facts] == [
        (180000000, "more_than", "省本级", "2020-12-31")]


def test_sub_area_opening_the_sentence_and_whole_city_after_it():
    leshan = Jurisdiction(slug="leshan", name_zh="乐山市", name_en="Leshan", level="prefecture")
    facts = extract_facts(clean_text(SUB_AREA), leshan, DOC)
    assert [(f.indicator, f.value, f.channel, f.scope_kind, f.scope_area) for f in facts] == [
        ("funding", 550000, "venture_philanthropy", "sub_area", "沙湾区"),
        ("participating_orgs", 10, "", "whole", ""),
    ]


def test_sub_area_of_a_place_the_project_has_never_seen():
    facts = extract_facts(clean_text(NEARLY), UNKNOWN, DOC)
    assert [(f.value, f.qualifier, f.scope_kind, f.scope_area, f.channel) for f in facts] == [
        (300000, "nearly", "sub_area", "宁国市", "other")]


def test_chinese_numerals_and_thousands_separators():
    assert facts_of(CHINESE_NUMERAL) == [("social_orgs_total", 1831, "count", "exact")]
    assert facts_of(THOUSANDS) == [("volunteers", 1139244, "person", "exact")]


def test_plans_are_targets():
    facts = extract_facts(clean_text(PLAN), UNKNOWN, DOC)
    assert [(f.value, f.status, f.channel) for f in facts] == [(1080000, "target", "lottery_welfare_fund")]


def test_document_numbers_sessions_dates_phones_and_ordinals_are_not_facts():
    assert facts_of(NOT_FACTS) == []


@pytest.mark.parametrize("variant", [
    "全市共有社会组织3424家。",
    "全市共有社会组织３４２４家。",
    "全市共有社会组织3,424家。",
    "全市共有社会组织三千四百二十四家。",
    "全市共有社会组织34\n24家。",
    "全市共有社会组织0.3424万家。",
])
def test_the_same_number_written_many_ways(variant):
    assert facts_of(variant) == [("social_orgs_total", 3424, "count", "exact")]


def test_unseen_reply_end_to_end():
    text = ("张三代表:\n您提出的《关于发展社会组织的建议》收悉。现答复如下:\n截至2022年底,全市共有社会组织2,560家,"
            "每万人拥有7.5个;社区社会组织超过4000个。近三年累计投入福彩公益金约300万元。\n湖州市民政局\n2023年6月1日")
    clean = clean_text(text)
    j = identify_jurisdiction(clean)
    doc = extract_document(clean, j)
    assert (j.slug, j.name_zh, j.name_en, j.level) == ("huzhou", "湖州市", "Huzhou", "prefecture")
    assert (doc.type, doc.addressee, doc.date_written) == ("npc_suggestion_reply", "张三代表", "2023-06-01")
    facts = extract_facts(clean, j, doc)
    assert [(f.indicator, f.value, f.qualifier, f.period_kind, f.channel) for f in facts] == [
        ("social_orgs_total", 2560, "exact", "as_of", ""),
        ("social_orgs_per_10k", 7.5, "exact", "as_of", ""),
        ("community_social_orgs", 4000, "more_than", "as_of", ""),
        ("funding", 3000000, "approx", "recent_years", "lottery_welfare_fund"),
    ]
