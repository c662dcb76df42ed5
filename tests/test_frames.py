"""Frames step (loaders/frames.py): what a count of organisations or an amount of money counts, from its clause.

Each pattern of issue 20 with a short snippet of our own, and the facts it must give, written out literally:
(indicator, value, qualifier, status, confidence)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.clean import clean_text
from loaders.facts import extract_facts, load_indicators
from loaders.frames import load_frames, reason_text
from loaders.schema import Document, Jurisdiction

CITY = Jurisdiction(slug="x", name_zh="某市", name_en="X", level="prefecture")
DOC = Document(type="npc_suggestion_reply", date_written="2023-07-03")


def frames_of(text: str) -> list[tuple]:
    return [(f.indicator, f.value, f.qualifier, f.status, f.confidence)
            for f in extract_facts(clean_text(text), CITY, DOC)]


# --- an event counted as the stock ------------------------------------------------------------------------------

DEREGISTERED_BEFORE = "2022年,我局注销登记31家社会组织,67家社会组织被列入活动异常名录。"
EVENT_BETWEEN = "截至目前,已完成社会组织年检215家,社会组织注销登记9家。"
EVENT_AFTER = "先后有17家社会组织递交了申报材料,最终确定12家入选。"
SUPPORTED = "市民政局连续三年投入资金200万元,支持53家社会组织开展为老服务。"
LISTED_ZOMBIES = "全县共排查梳理出“僵尸型”社会组织41家,其中连续两年未参加年检的29家,长期未开展活动的社会组织12家。"
PAIRED_TARGET = "力争到2026年底,结对帮扶的社会组织达300家以上。"
NEW_AND_GONE = "今年新登记社会组织86家,比上年净增40家。"


def test_an_event_before_the_count_files_it_under_the_event():
    assert frames_of(DEREGISTERED_BEFORE) == [
        ("deregistered_orgs", 31, "exact", "achievement", "high"),
        ("abnormal_list_orgs", 67, "exact", "achievement", "high"),
    ]


def test_an_event_between_the_organisations_and_their_number():
    assert frames_of(EVENT_BETWEEN) == [
        ("inspected_orgs", 215, "exact", "achievement", "high"),
        ("deregistered_orgs", 9, "exact", "achievement", "high"),
    ]


def test_an_event_after_the_organisations_counted():
    assert frames_of(EVENT_AFTER)[0] == ("applicant_orgs", 17, "exact", "achievement", "high")


def test_organisations_a_programme_supported_are_not_the_total():
    assert frames_of(SUPPORTED) == [
        ("funding", 2_000_000, "exact", "achievement", "high"),
        ("supported_orgs", 53, "exact", "achievement", "high"),
    ]


def test_a_breakdown_of_an_event_count_stays_with_it_and_a_denied_event_says_nothing():
    assert frames_of(LISTED_ZOMBIES) == [
        ("rectification_orgs", 41, "exact", "achievement", "high"),
        ("rectification_orgs", 29, "exact", "achievement", "high"),  # 未参加年检: no inspection happened
        ("rectification_orgs", 12, "exact", "achievement", "high"),  # 社会组织 of the 其中 are the whole's
    ]


def test_an_event_in_the_relative_clause_before_the_organisations_is_a_target_of_that_event():
    assert frames_of(PAIRED_TARGET) == [("participating_orgs", 300, "more_than", "target", "high")]


def test_newly_registered_and_net_change_are_flows():
    assert frames_of(NEW_AND_GONE) == [
        ("newly_registered_orgs", 86, "exact", "achievement", "high"),
        ("org_count_change", 40, "exact", "achievement", "high"),
    ]


# --- a stock of the whole set -------------------------------------------------------------------------------------

STOCKS = {
    "全市依法登记的社会组织共计5230家。": ("social_orgs_total", 5230, "exact"),
    "截至2023年底,全区社会组织总量达到1126家。": ("social_orgs_total", 1126, "exact"),
    "我市现有登记注册的社会组织4160家。": ("social_orgs_total", 4160, "exact"),
    "全市各类社会组织已发展到2800余家。": ("social_orgs_total", 2800, "more_than"),
    "全市经各级民政部门登记的社会组织数量已超1.2万家。": ("social_orgs_total", 12000, "more_than"),
    "全市在册社会组织1386家。": ("social_orgs_total", 1386, "exact"),
    "全县共有9.6万家社会组织。": ("social_orgs_total", 96000, "exact"),
    "全市镇(街道)备案的社区社会组织3120个。": ("community_social_orgs", 3120, "exact"),
    "各乡镇备案的基层社会组织860余个。": ("community_social_orgs", 860, "more_than"),
}


@pytest.mark.parametrize("text", STOCKS)
def test_a_stock_of_the_whole_set_is_the_total_and_is_published(text):
    indicator, value, qualifier = STOCKS[text]
    assert frames_of(text) == [(indicator, value, qualifier, "achievement", "high")]


def test_a_word_of_the_registering_body_never_decides_what_is_counted():
    # 部门 stands in the clause; the head of what is counted is 社会组织 (issue 20: partner_institutions before).
    assert frames_of("截至2022年底,全省各级民政部门登记的社会组织4.3万个。") == [
        ("social_orgs_total", 43000, "exact", "achievement", "high")]


# --- parts: levels, kinds, areas, breakdowns and implied units ------------------------------------------------------

LEVELS = "全市社会组织已达1600余家,其中市级社会组织320家,县级社会组织1280家。"
FILED_PARTS = "截至2022年底,全省登记备案的社区社会组织共有4.2万家(登记2100家、备案39900家)。"
IMPLIED_PARTS = "全省社区社会组织蓬勃发展,总量已突破18万,其中在民政部门登记的近1.2万,在乡镇(街道)备案的超过16.8万。"
TWO_TARGETS = "全省社会组织力争到2024年底突破6万家,到2026年底突破7万家。"
KIND = "登记成立社区社会组织联合会等枢纽型社区社会组织86个。"


def test_levels_are_parts_with_their_scope():
    facts = extract_facts(clean_text(LEVELS), CITY, DOC)
    assert [(f.indicator, f.value, f.scope_kind, f.scope_area) for f in facts] == [
        ("social_orgs_total", 1600, "whole", ""),
        ("social_orgs_total", 320, "level_only", "市级"),
        ("social_orgs_total", 1280, "level_only", "县级"),
    ]


def test_the_parts_in_brackets_follow_their_whole():
    assert frames_of(FILED_PARTS) == [
        ("community_social_orgs", 42000, "exact", "achievement", "high"),
        ("community_social_orgs", 2100, "exact", "achievement", "high"),
        ("community_social_orgs", 39900, "exact", "achievement", "high"),
    ]


def test_a_total_whose_subject_stands_in_the_clause_before_and_its_parts_without_a_unit():
    assert frames_of(IMPLIED_PARTS) == [
        ("community_social_orgs", 180000, "more_than", "achievement", "high"),
        ("community_social_orgs", 12000, "nearly", "achievement", "high"),
        ("community_social_orgs", 168000, "more_than", "achievement", "high"),
    ]


def test_a_second_target_in_the_next_clause_is_the_same_indicator():
    assert frames_of(TWO_TARGETS) == [
        ("social_orgs_total", 60000, "more_than", "target", "high"),
        ("social_orgs_total", 70000, "more_than", "target", "high"),
    ]


def test_a_kind_of_organisation_is_counted_apart():
    facts = extract_facts(clean_text(KIND), CITY, DOC)
    assert [(f.indicator, f.value, f.label) for f in facts] == [("orgs_of_a_kind", 86, "枢纽型社区社会组织")]


# --- held back for a person ---------------------------------------------------------------------------------------

UNKNOWN_VERB = "已有236家社会组织建立了党组织。"
NOT_THE_HEAD = "全省发布社会组织公益品牌达120个。"
SUBSET_BY_AREA = "全市城市社区社会组织1.1万个。"


def test_what_the_rules_cannot_place_keeps_its_indicator_low_with_the_reason():
    facts = [extract_facts(clean_text(t), CITY, DOC)[0] for t in (UNKNOWN_VERB, NOT_THE_HEAD, SUBSET_BY_AREA)]
    assert [(f.indicator, f.value, f.confidence, f.hold_reason, f.hold_words) for f in facts] == [
        ("social_orgs_total", 236, "low", "unknown_verb", "建立"),
        ("social_orgs_total", 120, "low", "not_the_head", "公益品牌"),
        ("community_social_orgs", 11000, "low", "kind_modifier", "城市社区社会组织"),
    ]


def test_every_reason_reads_in_both_languages():
    assert reason_text("not_the_head", "公益品牌", "zh") == "数字统计的是「公益品牌」，不是社会组织本身"
    assert reason_text("not_the_head", "公益品牌", "en") == "the number counts 「公益品牌」, not the organisations themselves"
    for code, texts in load_frames()["reasons"].items():
        assert "{words}" in texts["zh"] and "{words}" in texts["en"], code


# --- money ----------------------------------------------------------------------------------------------------------

LOTTERY_RAISED = "2022年,全市共筹集福彩公益金2.6亿元,其中上级转移支付1.1亿元。"
LOTTERY_SPENT = "全年累计支出福彩公益金2.3亿元,其中向养老领域投入福彩公益金1.2亿元,向社会组织公益创投投入800万元。"
WELFARE_PURPOSE = "市财政投入社会组织发展资金600万元,另投入1500万元用于养老机构改造。"


def test_a_lottery_fund_raised_or_spent_on_welfare_is_never_funding():
    assert [f[:2] for f in frames_of(LOTTERY_RAISED)] == [("lottery_fund_raised", 260_000_000),
                                                           ("lottery_fund_raised", 110_000_000)]
    assert [f[:2] for f in frames_of(LOTTERY_SPENT)] == [("lottery_fund_spent", 230_000_000),
                                                          ("lottery_fund_spent", 120_000_000),
                                                          ("funding", 8_000_000)]


def test_an_amount_for_a_field_of_welfare_waits_for_a_person():
    assert frames_of(WELFARE_PURPOSE) == [
        ("funding", 6_000_000, "exact", "achievement", "high"),
        ("funding", 15_000_000, "exact", "achievement", "low"),
    ]


# --- property: an event word before or after a count never yields a headline indicator ---------------------------

HEADLINE = set(load_frames()["headline_indicators"])
EVENT_WORDS = sorted({w for spec in load_indicators()["indicators"].values() for w in (spec.get("events") or [])})
HEADS = ["社会组织", "社区社会组织", "基层社会组织"]
PLACES = ["", "全市", "全省", "我县", "全区共"]
TIMES = ["", "2023年", "今年以来,", "截至目前,", "近三年"]
TEMPLATES = [
    "{place}{time}{event}{n}家{head}。",  # 注销登记24家社会组织
    "{place}{time}{n}家{head}被{event}。",  # 149家社会组织被列入(异常名录)
    "{place}{time}有{n}家{head}{event}了。",  # 有13家社会组织递交了
    "{place}{time}{head}{event}{n}家。",  # 社会组织年检136家
    "{place}{time}{event}{head}{n}家。",  # 排查…社会组织58家
    "{place}{time}{event}的{head}达{n}家。",  # 结对帮扶的社会组织达160家
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(TEMPLATES), st.sampled_from(EVENT_WORDS), st.sampled_from(HEADS), st.sampled_from(PLACES),
       st.sampled_from(TIMES), st.integers(min_value=2, max_value=99_999))
def test_an_event_word_before_or_after_a_count_never_yields_a_headline_indicator(template, event, head, place, time,
                                                                                  n):
    text = template.format(place=place, time=time, event=event, head=head, n=n)
    facts = extract_facts(clean_text(text), CITY, DOC)
    assert not [f for f in facts if f.indicator in HEADLINE], text


# --- forms found while widening the rules ------------------------------------------------------------------------

FORMS = {
    # 截至 and a date before the organisations leave the total a stock
    "截至2022年末全市登记社会组织共计3,215个。": [("social_orgs_total", 3215, "exact", "achievement", "high")],
    # predicate words between the organisations and the number do not push the noun out of reach
    "全市社会组织数量已经达到了3200家。": [("social_orgs_total", 3200, "exact", "achievement", "high")],
    # 增长到 is what the count rose to, and 到2022年 after it no deadline
    "全省社会组织数量从2015年的3.2万家增长到2022年的5.1万家。": [
        ("social_orgs_total", 32000, "exact", "achievement", "high"),
        ("social_orgs_total", 51000, "exact", "achievement", "high")],
    # 争取 before money is money secured; 今后 and 将 before a verb of building are a plan
    "共争取中央和省级财政资金1.2亿元。": [("funding", 120_000_000, "exact", "achievement", "high")],
    "今后三年,全市将培育发展社区社会组织1000个。": [("community_social_orgs", 1000, "exact", "target", "high")],
    # a clause of a building verb carries on its subject: sure for a base, held back for a headline count
    "市县两级社会组织孵化基地实现全覆盖,共建成23个。": [("incubation_bases", 23, "exact", "achievement", "high")],
    "全市社区社会组织蓬勃发展,共培育3200个。": [("community_social_orgs", 3200, "exact", "achievement", "low")],
}


@pytest.mark.parametrize("text", FORMS)
def test_forms_of_stocks_flows_and_plans(text):
    assert frames_of(text) == FORMS[text]


def test_a_sentence_opening_with_words_ending_in_a_place_suffix_names_no_sub_area():
    facts = extract_facts(clean_text("聚焦社区服务的社区社会组织大量涌现,总量已突破25万。"), CITY, DOC)
    assert [(f.indicator, f.value, f.scope_kind, f.scope_area) for f in facts] == [
        ("community_social_orgs", 250000, "whole", "")]


def test_the_parts_of_one_level_cover_that_level_only():
    text = "全市共有社会组织5200家,其中市级社会组织860家,包括社会团体410家、民办非企业单位430家、基金会20家。"
    facts = extract_facts(clean_text(text), CITY, DOC)
    assert [(f.indicator, f.value, f.scope_kind, f.scope_area) for f in facts] == [
        ("social_orgs_total", 5200, "whole", ""),
        ("social_orgs_total", 860, "level_only", "市级"),
        ("social_groups", 410, "level_only", "市级"),
        ("private_non_enterprise_units", 430, "level_only", "市级"),
        ("foundations", 20, "level_only", "市级"),
    ]
