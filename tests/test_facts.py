"""Facts stage: numbers in every written form, their indicator, qualifier, period, scope and channel; non-facts skipped."""

import pytest

from loaders.clean import clean_text
from loaders.facts import QUOTE_BOUND, extract_facts, parse_amount, parse_number
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


# --- numbers whose unit is left out after 万/亿 -------------------------------------------------------

IMPLIED_UNITS = "全省社会组织总量已突破25万,其中社会团体近1.5万,民办非企业单位超过23.5万"
IMPLIED_VOLUNTEERS = "全市注册志愿者12.04万,志愿服务组织约1.2万。"
BARE_WAN_ELSEWHERE = "全市常住人口25万,社会组织服务人口12万,社会组织投入25万,全年接待来访1.5万。"


def test_a_count_may_leave_its_unit_out_after_wan():
    assert facts_of(IMPLIED_UNITS) == [
        ("social_orgs_total", 250000, "count", "more_than"),
        ("social_groups", 15000, "count", "nearly"),
        ("private_non_enterprise_units", 235000, "count", "more_than"),
    ]
    assert [f.number_text for f in extract_facts(clean_text(IMPLIED_UNITS), UNKNOWN, DOC)] == ["25万", "1.5万", "23.5万"]
    assert facts_of(IMPLIED_VOLUNTEERS) == [
        ("volunteers", 120400, "person", "exact"),
        ("volunteer_orgs", 12000, "count", "approx"),
    ]


def test_a_bare_wan_is_a_fact_only_right_after_an_organisation_or_person_keyword():
    assert facts_of(BARE_WAN_ELSEWHERE) == []


# --- qualifiers -------------------------------------------------------------------------------------

LONE_CHAO = "全市社会组织已超7万家,社会团体逾3000家。"
CHINESE_ROUND_NUMBERS = ("全市社区社会组织近百家;全市基金会百余家;全市慈善组织100多个;全市志愿服务组织一百多个;"
                         "全市社会工作者上千人;全市社会团体近千家。")
VAGUE_MAGNITUDES = "全市社会组织数十家;全市社会团体几十家;全市基金会数百家;全市志愿者数万人;百家争鸣,千家万户。"


def test_a_lone_chao_and_yu_are_more_than():
    assert facts_of(LONE_CHAO) == [
        ("social_orgs_total", 70000, "count", "more_than"),
        ("social_groups", 3000, "count", "more_than"),
    ]


def test_round_numbers_in_chinese_numerals_keep_their_qualifier():
    assert facts_of(CHINESE_ROUND_NUMBERS) == [
        ("community_social_orgs", 100, "count", "nearly"),
        ("foundations", 100, "count", "more_than"),
        ("charity_orgs", 100, "count", "more_than"),
        ("volunteer_orgs", 100, "count", "more_than"),
        ("social_workers", 1000, "person", "at_least"),
        ("social_groups", 1000, "count", "nearly"),
    ]


def test_vague_magnitudes_are_no_numbers():
    # 数十/几十/数百/数万 say a magnitude, not a count: skipped rather than guessed (decision in loaders/facts.py).
    assert facts_of(VAGUE_MAGNITUDES) == []


# --- spacing, traditional characters, decimals -------------------------------------------------------

SPACED = "全省共有社会组织37307家 (其中社会团体20676 家,基金会1 200家)。"
TRADITIONAL = "截至2023年底,全省社會組織總量已突破25萬,其中社會團體近1.5萬;省本級投入資金4.12億元。"
DECIMAL_MONEY = "市本级投入资金2406.5万元,省本级投入资金4.12亿元,全市投入资金0.35亿元。"


def test_spaces_inside_and_beside_a_number():
    facts = extract_facts(clean_text(SPACED), UNKNOWN, DOC)
    assert [(f.indicator, f.value, f.number_text) for f in facts] == [
        ("social_orgs_total", 37307, "37307家"),
        ("social_groups", 20676, "20676 家"),
        ("foundations", 1200, "1 200家"),
    ]


def test_traditional_text_end_to_end_with_raw_offsets():
    clean = clean_text(TRADITIONAL)
    assert "25万" in clean.text and "4.12亿元" in clean.text
    facts = extract_facts(clean, UNKNOWN, DOC)
    assert [(f.indicator, f.value, f.qualifier, f.number_text, f.period_end) for f in facts] == [
        ("social_orgs_total", 250000, "more_than", "25萬", "2023-12-31"),
        ("social_groups", 15000, "nearly", "1.5萬", "2023-12-31"),
        ("funding", 412000000, "exact", "4.12億元", "2023-12-31"),
    ]
    for f in facts:
        assert TRADITIONAL[f.quote_start:f.quote_end] == f.quote
        assert TRADITIONAL[int(f.id[1:]):int(f.id[1:]) + len(f.number_text)] == f.number_text


def test_money_in_wan_and_yi_yuan_is_exact_in_decimal():
    values = [f.value for f in extract_facts(clean_text(DECIMAL_MONEY), UNKNOWN, DOC)]
    assert values == [24065000, 412000000, 35000000]
    assert [repr(v) for v in values] == ["24065000.0", "412000000.0", "35000000.0"]
    assert parse_amount("4.12亿") == 412000000.0  # 4.12 * 1e8 in binary floating point is 412000000.00000006
    assert parse_amount("2406.5万") == 24065000.0


# --- values that are not what they say (issue 11) ------------------------------------------------------

NOT_WHAT_THEY_SAY = ("全市社会组织10^20家;全市社会组织1e309家;全市社会组织1E+5家;全市社会组织-5家;"
                     "全市社会组织" + "9" * 400 + "家;全市社会组织2000000000家;全市投入资金20000亿亿元。")


def test_exponents_negative_infinite_and_absurd_values_are_refused():
    # Bounds (data/reference/indicators.yaml value_bounds): 1e9 organisations, 2e9 people, 1e13 yuan.
    assert facts_of(NOT_WHAT_THEY_SAY) == []
    assert facts_of("全市社会组织999999999家。") == [("social_orgs_total", 999999999, "count", "exact")]


IMPOSSIBLE_DATES = "截至2022年13月底,全市共有社会组织3424家。2023年99月99日,全市共有社会团体1273家。"


def test_impossible_dates_leave_the_period_unspecified():
    facts = extract_facts(clean_text(IMPOSSIBLE_DATES), UNKNOWN, DOC)
    assert [(f.indicator, f.value, f.period_kind, f.period_start, f.period_end, f.period_text) for f in facts] == [
        ("social_orgs_total", 3424, "unspecified", "", "", ""),
        ("social_groups", 1273, "unspecified", "", "", ""),
    ]


# --- what is counted ----------------------------------------------------------------------------------

DONATIONS = "全市慈善捐赠总额1.2亿元,各级民政部门接收捐赠款3500万元。"
CHARITY_FEDERATION = "市慈善总会募集资金3000万元,全市投入福彩公益金500万元。"
VOLUNTEER_PLATFORM = "全市志愿服务平台注册志愿者团队762个,注册服务组织4226个,孵化平台1538个,注册志愿者12.04万人。"


def test_donations_and_charity_federation_funds_are_not_funding():
    assert facts_of(DONATIONS) == [
        ("donations_received", 120000000, "yuan", "exact"),
        ("donations_received", 35000000, "yuan", "exact"),
    ]
    facts = extract_facts(clean_text(CHARITY_FEDERATION), UNKNOWN, DOC)
    assert [(f.indicator, f.value, f.channel) for f in facts] == [
        ("charity_federation_funds", 30000000, ""),  # no grant channel: the money is the public's
        ("funding", 5000000, "lottery_welfare_fund"),
    ]


def test_volunteer_platform_counts():
    assert facts_of(VOLUNTEER_PLATFORM) == [
        ("volunteer_orgs", 762, "count", "exact"),
        ("volunteer_service_orgs", 4226, "count", "exact"),
        ("incubation_bases", 1538, "count", "exact"),
        ("volunteers", 120400, "person", "exact"),
    ]


# --- targets ------------------------------------------------------------------------------------------

TARGET_BY_YEAR_END = "全省社会组织数量力争到2023年底突破10万家。"
TARGET_BY_MONTH_END = "到2025年6月底,全市社区社会组织达到2万个。"


def test_a_target_by_a_year_or_month_end_is_as_of_that_date():
    facts = extract_facts(clean_text(TARGET_BY_YEAR_END), UNKNOWN, DOC)
    assert [(f.indicator, f.value, f.qualifier, f.status, f.period_kind, f.period_end, f.period_text)
            for f in facts] == [
        ("social_orgs_total", 100000, "more_than", "target", "as_of", "2023-12-31", "到2023年底")]
    facts = extract_facts(clean_text(TARGET_BY_MONTH_END), UNKNOWN, DOC)
    assert [(f.indicator, f.value, f.status, f.period_kind, f.period_end) for f in facts] == [
        ("community_social_orgs", 20000, "target", "as_of", "2025-06-30")]


# --- precision ----------------------------------------------------------------------------------------

DOCUMENT_NUMBERS = "关于浙民提〔2021〕8号提案和衢市民议函〔2023〕2号的答复,第015号建议,社会组织3家。"
INDEX_NUMBER = "索引号:113308000026181032/2023-142481,社会组织。"
SESSION_NUMBERS = "在市十三届人大四次会议上,第十三届全国人大代表提出关于社会组织活动的建议。"
PHONE_NUMBERS = "联系电话:3077013,0571-87051234,社会组织。"
YEARS_AND_DATES = "2023年,社会组织;2023年5月,社会组织活动;2023年5月20日。"


@pytest.mark.parametrize("snippet", [DOCUMENT_NUMBERS, INDEX_NUMBER, SESSION_NUMBERS, PHONE_NUMBERS, YEARS_AND_DATES])
def test_references_sessions_phones_and_dates_are_never_facts(snippet):
    values = [f.value for f in extract_facts(clean_text(snippet), UNKNOWN, DOC)]
    assert values == ([3] if snippet is DOCUMENT_NUMBERS else [])


ELDERLY_CARE_PAGE = ("全市共有养老机构120家,床位1.2万张,投入资金3000万元,服务老年人5万人次。"
                     "新建养老服务中心30个,养老床位增加2000张。引导社会组织参与养老服务,现有为老服务社会组织45家。")
MARRIAGE_PAGE = "全年办理结婚登记3.2万对、离婚登记8000对,婚姻登记处12个,培训婚姻登记员300人次。"
SOCIAL_ORG_REPLY_MENTIONING_ELDERLY_CARE = ("截至2023年5月底,全市共有社会组织3424家。全市社区社会组织14400家,"
                                            "其中养老服务类社区社会组织300家。投入资金3000万元支持养老服务项目。")


def test_a_page_about_another_topic_gives_only_sentences_naming_social_organisations():
    assert facts_of(ELDERLY_CARE_PAGE) == [("social_orgs_total", 45, "count", "exact")]
    assert facts_of(MARRIAGE_PAGE) == []


def test_a_reply_on_social_organisations_keeps_its_facts_when_it_mentions_elderly_care():
    assert facts_of(SOCIAL_ORG_REPLY_MENTIONING_ELDERLY_CARE) == [
        ("social_orgs_total", 3424, "count", "exact"),
        ("community_social_orgs", 14400, "count", "exact"),
        ("community_social_orgs", 300, "count", "exact"),
        ("funding", 30000000, "yuan", "exact"),
    ]


# --- bounded work (issue 11) ------------------------------------------------------------------------------

def test_a_sentence_of_20000_numbers_gives_bounded_quotes():
    raw = "截至2022年底,全市共有" + ",".join(f"社会组织{i}家" for i in range(1, 20001)) + "。"
    facts = extract_facts(clean_text(raw), UNKNOWN, DOC)
    assert len(facts) == 20000
    assert max(len(f.quote) for f in facts) <= QUOTE_BOUND
    assert max(len(f.quote_clean) for f in facts) <= QUOTE_BOUND
    middle = facts[9999]
    assert (middle.value, middle.number_text) == (10000, "10000家")
    assert raw[middle.quote_start:middle.quote_end] == middle.quote
    assert middle.quote.startswith("社会组织") and middle.quote.endswith("家")  # cut at clause breaks
    assert "社会组织10000家" in middle.quote
    assert all(raw[f.quote_start:f.quote_end] == f.quote and f.number_text in f.quote for f in facts[::997])


def test_a_sentence_below_the_bound_is_quoted_whole():
    sentence = "截至2023年5月底,全市共有社会组织" + "、".join(["社团1273家"] * 20) + "。"
    assert len(sentence) <= QUOTE_BOUND
    facts = extract_facts(clean_text(sentence), UNKNOWN, DOC)
    assert {f.quote for f in facts} == {sentence}


# --- more forms seen in replies from other places ------------------------------------------------------

SEPARATED_QUALIFIERS = "全市社会组织约有3000家,社会团体超过了1000家,基金会不足50家。"
SHARED_QUALIFIER = "到2025年,城、乡社区平均拥有社会组织不少于12个、6个。"
AVERAGE_PER_COMMUNITY = "全市共培育社区社会组织1.2万余家,平均每个社区拥有10.5家。"
RATED_AND_TEAMS = "全省共有4A级以上社会组织320家,5A级社会组织45家;全市共有志愿者队伍3500支。"
BUREAU_BUDGET = "2023年,市民政局安排福彩公益金200万元,全市投入资金800万元。"


def test_a_qualifier_may_stand_apart_from_its_number():
    assert facts_of(SEPARATED_QUALIFIERS) == [
        ("social_orgs_total", 3000, "count", "approx"),
        ("social_groups", 1000, "count", "more_than"),
        ("foundations", 50, "count", "at_most"),
    ]


def test_a_qualifier_before_a_bare_list_governs_each_figure():
    assert facts_of(SHARED_QUALIFIER) == [
        ("community_social_orgs_per_community", 12, "per_community", "at_least"),
        ("community_social_orgs_per_community", 6, "per_community", "at_least"),
    ]


def test_averages_rated_organisations_and_volunteer_teams():
    assert facts_of(AVERAGE_PER_COMMUNITY) == [
        ("community_social_orgs", 12000, "count", "more_than"),
        ("community_social_orgs_per_community", 10.5, "per_community", "exact"),
    ]
    assert facts_of(RATED_AND_TEAMS) == [
        ("rated_orgs", 320, "count", "exact"),
        ("rated_orgs", 45, "count", "exact"),
        ("volunteer_orgs", 3500, "count", "exact"),
    ]


def test_the_bureau_spending_money_is_its_own_budget():
    facts = extract_facts(clean_text(BUREAU_BUDGET), UNKNOWN, DOC)
    assert [(f.value, f.scope_kind, f.scope_area, f.channel) for f in facts] == [
        (2000000, "level_only", "市民政局", "lottery_welfare_fund"),
        (8000000, "whole", "", "lottery_welfare_fund"),
    ]


def test_an_impossible_signature_date_is_never_a_period_end():
    facts = extract_facts(clean_text("目前全市共有社会组织3424家。"), UNKNOWN,
                          Document(type="npc_suggestion_reply", date_written="2023-13-01"))
    assert [(f.value, f.period_kind, f.period_end, f.period_text) for f in facts] == [(3424, "as_of", "", "目前")]


AVERAGES_IN_A_LIST = "全市共登记备案社区社会组织2.1万个,平均每个城市社区12个、农村社区6个。"
SPECIFIC_KEYWORD_BEFORE_CONTEXT = "全市社会组织参与乡村振兴项目320个,评选表彰先进社会组织100家。"
EMPLOYEES = "全市社会组织吸纳就业人员2.3万人,从业人员超12万人。"


def test_averages_per_community_in_a_list():
    assert facts_of(AVERAGES_IN_A_LIST) == [
        ("community_social_orgs", 21000, "count", "exact"),
        ("community_social_orgs_per_community", 12, "per_community", "exact"),
        ("community_social_orgs_per_community", 6, "per_community", "exact"),
    ]


def test_a_specific_keyword_right_before_the_number_beats_context_but_a_generic_one_does_not():
    assert facts_of(SPECIFIC_KEYWORD_BEFORE_CONTEXT) == [
        ("projects", 320, "count", "exact"),
        ("awarded_orgs", 100, "count", "exact"),
    ]


def test_people_working_in_social_organisations():
    assert facts_of(EMPLOYEES) == [
        ("org_employees", 23000, "person", "exact"),
        ("org_employees", 120000, "person", "more_than"),
    ]


ACTION_BEFORE_A_GENERIC_HEAD = "全市共撤销僵尸型社会组织230家,共抽查行业协会商会45家。"


def test_an_action_word_before_a_generic_head_names_the_count():
    assert facts_of(ACTION_BEFORE_A_GENERIC_HEAD) == [
        ("revoked_orgs", 230, "count", "exact"),
        ("inspected_orgs", 45, "count", "exact"),
    ]


# Counts of places a programme covers are not counts of organisations (13个市（地）, 1326个村, 23个镇).
PLACES_COVERED = ("2018年实现13个市（地）孵化基地全覆盖,全市850余家社会组织与1326个村结成帮扶对子,23个镇（街道）均建立了社区社会组织,"
                  "已建立1个市级、4个县级培育孵化基地,组建由17个市级部门组成的专班。")
COMMUNITY_ORGS_AFTER_GE = "全市备案社区社会组织3620个,每个社区平均拥有5个社区社会组织。"


def test_counts_of_places_covered_are_not_facts():
    # 850余家社会组织与…村结成帮扶对子: the organisations that paired up, not the city's total (issue 20).
    assert facts_of(PLACES_COVERED) == [("participating_orgs", 850, "count", "more_than"),
                                        ("incubation_bases", 1, "count", "exact"),
                                        ("incubation_bases", 4, "count", "exact"),
                                        ("partner_institutions", 17, "count", "exact")]


def test_a_count_followed_by_community_organisations_is_kept():
    assert facts_of(COMMUNITY_ORGS_AFTER_GE)[0] == ("community_social_orgs", 3620, "count", "exact")
