"""The curated records of the five replies: exact facts, quotes that are raw substrings, and the extractor's accuracy."""

from pathlib import Path

import pytest

from loaders.records import build_draft, load_record
from loaders.read import load_reply

DATA = Path(__file__).resolve().parent.parent / "data"

# (id, indicator, value, unit, qualifier, status, channel, scope_kind, scope_area, period_kind, period_start, period_end)
EXPECTED = {
    "ganzhou-2022": [
        ("c402", "volunteers", 1139244, "person", "exact", "achievement", "", "whole", "", "as_of", "", "2022-06-30"),
        ("c419", "volunteer_hours", 12609191.85, "hour", "exact", "achievement", "", "whole", "", "as_of", "", "2022-06-30"),
        ("c351", "volunteer_orgs", 200, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2022-06-30"),
        ("c361", "volunteer_orgs", 23, "count", "exact", "achievement", "", "level_only", "市本级", "as_of", "", "2022-06-30"),
        ("c732", "partner_institutions", 8, "count", "exact", "achievement", "", "whole", "", "unspecified", "", ""),
        ("c968", "directly_registered_orgs", 120, "count", "more_than", "achievement", "", "whole", "", "as_of", "", "2022-06-30"),
        ("c979", "directly_registered_orgs", 13, "count", "exact", "achievement", "", "level_only", "市本级", "as_of", "", "2022-06-30"),
        ("c1173", "funding", 4572000, "yuan", "exact", "achievement", "lottery_welfare_fund", "level_only", "市本级", "since", "2013", "2022-06-30"),
        ("c1185", "projects", 93, "count", "exact", "achievement", "lottery_welfare_fund", "level_only", "市本级", "since", "2013", "2022-06-30"),
        ("c1496", "trainings", 15, "event", "exact", "achievement", "", "whole", "", "year", "2022", "2022"),
        ("c1505", "trainees", 395, "person", "exact", "achievement", "", "whole", "", "year", "2022", "2022"),
        ("c2099", "incubation_bases", 12, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2022-06-30"),
        ("c2164", "incubated_orgs", 60, "count", "more_than", "achievement", "", "whole", "", "as_of", "", "2022-06-30"),
        ("c2836", "awarded_orgs", 18, "count", "exact", "achievement", "", "whole", "", "year", "2021", "2021"),
        ("c3331", "funding", 1080000, "yuan", "exact", "target", "lottery_welfare_fund", "level_only", "市民政局", "year", "2022", "2022"),
    ],
    "jiangsu-2021": [
        ("c125", "social_orgs_total", 97800, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2020-12-31"),
        ("c144", "share_of_orgs", 87, "percent", "exact", "achievement", "", "whole", "", "as_of", "", "2020-12-31"),
        ("c158", "share_of_orgs", 47.7, "percent", "exact", "achievement", "", "whole", "", "as_of", "", "2020-12-31"),
        ("c229", "culture_orgs", 5369, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2020-12-31"),
        ("c238", "education_orgs", 9713, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2020-12-31"),
        ("c247", "sports_orgs", 6899, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2020-12-31"),
        ("c260", "volunteer_orgs", 4500, "count", "more_than", "achievement", "", "whole", "", "as_of", "", "2020-12-31"),
        ("c273", "volunteers", 16000000, "person", "more_than", "achievement", "", "whole", "", "as_of", "", "2020-12-31"),
        ("c578", "funding", 180000000, "yuan", "more_than", "achievement", "lottery_welfare_fund", "level_only", "省本级", "as_of", "", "2020-12-31"),
        ("c839", "community_social_orgs_per_community", 10, "per_community", "at_least", "target", "", "whole", "", "year", "2020", "2020"),
        ("c843", "community_social_orgs_per_community", 5, "per_community", "at_least", "target", "", "whole", "", "year", "2020", "2020"),
        ("c868", "community_social_orgs", 153000, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2020-12-31"),
        ("c1034", "social_work_agencies", 2106, "count", "exact", "achievement", "", "whole", "", "plan_period", "2016", "2020"),
        ("c1042", "participating_orgs", 20, "count", "exact", "achievement", "", "whole", "", "unspecified", "", ""),
        ("c1084", "partner_institutions", 21, "count", "exact", "achievement", "", "whole", "", "unspecified", "", ""),
        ("c1155", "social_workers", 126800, "person", "exact", "achievement", "", "whole", "", "unspecified", "", ""),
        ("c1165", "social_work_exam_passers", 79300, "person", "exact", "achievement", "", "whole", "", "unspecified", "", ""),
        ("c1209", "training_bases", 2, "count", "exact", "achievement", "", "whole", "", "unspecified", "", ""),
        ("c1227", "training_bases", 8, "count", "exact", "achievement", "", "whole", "", "unspecified", "", ""),
        ("c1236", "training_bases", 15, "count", "exact", "achievement", "", "whole", "", "unspecified", "", ""),
    ],
    "leshan-2021": [
        ("c310", "social_orgs_total", 1831, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2021-08-20"),
        ("c322", "community_social_orgs", 5611, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2021-08-20"),
        ("c335", "community_social_orgs", 89, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2021-08-20"),
        ("c347", "community_social_orgs", 52, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2021-08-20"),
        ("c361", "community_social_orgs", 5470, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2021-08-20"),
        ("c390", "social_orgs_per_10k", 5.08, "per_10k", "exact", "achievement", "", "whole", "", "as_of", "", "2021-08-20"),
        ("c707", "incubation_bases", 1, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2021-08-20"),
        ("c712", "incubation_bases", 4, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2021-08-20"),
        ("c793", "incubated_orgs", 38, "count", "exact", "achievement", "", "whole", "", "unspecified", "", ""),
        ("c805", "incubated_orgs", 12, "count", "exact", "achievement", "", "whole", "", "unspecified", "", ""),
        ("c896", "funding", 32000000, "yuan", "more_than", "achievement", "government_purchase", "whole", "", "since", "2019", "2021-08-20"),
        ("c1167", "volunteer_orgs", 1400, "count", "more_than", "achievement", "", "whole", "", "as_of", "", "2021-08-20"),
        ("c1252", "other_orgs", 1370, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2021-08-20"),
        ("c1263", "other_orgs", 1321, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2021-08-20"),
        ("c1280", "other_orgs", 1247, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2021-08-20"),
        ("c1309", "community_funds", 9, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2021-08-20"),
        ("c1314", "funding", 1350000, "yuan", "exact", "achievement", "other", "whole", "", "as_of", "", "2021-08-20"),
        ("c1348", "funding", 550000, "yuan", "exact", "achievement", "venture_philanthropy", "sub_area", "沙湾区", "unspecified", "", ""),
        ("c1361", "participating_orgs", 10, "count", "exact", "achievement", "", "whole", "", "unspecified", "", ""),
        ("c1407", "ideas_collected", 100, "count", "more_than", "achievement", "", "sub_area", "市中区", "unspecified", "", ""),
        ("c1418", "awarded_orgs", 10, "count", "exact", "achievement", "", "sub_area", "市中区", "unspecified", "", ""),
        ("c1618", "service_stations", 20, "count", "exact", "achievement", "", "whole", "", "unspecified", "", ""),
        ("c1631", "beneficiaries", 100000, "person_time", "more_than", "achievement", "", "whole", "", "unspecified", "", ""),
    ],
    "quzhou-2023": [
        ("c299", "social_orgs_total", 3424, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-05-31"),
        ("c307", "social_groups", 1273, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-05-31"),
        ("c315", "private_non_enterprise_units", 2133, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-05-31"),
        ("c324", "foundations", 18, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-05-31"),
        ("c334", "social_orgs_per_10k", 14.95, "per_10k", "exact", "achievement", "", "whole", "", "as_of", "", "2023-05-31"),
        ("c350", "community_social_orgs", 14400, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-05-31"),
        ("c373", "community_social_orgs_per_community", 18, "per_community", "exact", "achievement", "", "whole", "", "as_of", "", "2023-05-31"),
        ("c393", "community_social_orgs_per_community", 8, "per_community", "exact", "achievement", "", "whole", "", "as_of", "", "2023-05-31"),
        ("c411", "rated_orgs", 270, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-05-31"),
        ("c424", "charity_orgs", 53, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-05-31"),
        ("c727", "party_orgs", 151, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-07-03"),
        ("c749", "party_members", 1534, "person", "exact", "achievement", "", "whole", "", "as_of", "", "2023-07-03"),
        ("c767", "party_instructors", 935, "person", "exact", "achievement", "", "whole", "", "as_of", "", "2023-07-03"),
        ("c926", "party_members", 101, "person", "exact", "achievement", "", "whole", "", "since", "2020", "2023-07-03"),
        ("c1046", "trainings", 20, "event", "exact", "achievement", "", "whole", "", "as_of", "", "2023-07-03"),
        ("c1053", "trainees", 1000, "person_time", "more_than", "achievement", "", "whole", "", "as_of", "", "2023-07-03"),
        ("c1340", "subsidy_standard", 10000, "yuan_per_person_year", "at_least", "achievement", "party_building", "whole", "", "unspecified", "", ""),
        ("c1356", "subsidy_standard", 5000, "yuan_per_person_year", "at_least", "achievement", "party_building", "whole", "", "unspecified", "", ""),
        ("c1374", "subsidy_standard", 3000, "yuan_per_person_year", "at_least", "achievement", "party_building", "whole", "", "unspecified", "", ""),
        ("c1394", "subsidy_standard", 2000, "yuan_per_person_year", "at_least", "achievement", "party_building", "whole", "", "unspecified", "", ""),
        ("c1427", "subsidy_standard", 20000, "yuan_per_unit_year", "at_least", "achievement", "party_building", "whole", "", "unspecified", "", ""),
        ("c1500", "subsidy_standard", 10000, "yuan", "exact", "achievement", "party_building", "whole", "", "as_of", "", "2023-07-03"),
        ("c1627", "funding", 11000000, "yuan", "more_than", "achievement", "venture_philanthropy", "whole", "", "recent_years", "", "2023-07-03"),
        ("c1639", "projects", 300, "count", "more_than", "achievement", "venture_philanthropy", "whole", "", "recent_years", "", "2023-07-03"),
        ("c1647", "beneficiaries", 100000, "person_time", "more_than", "achievement", "", "whole", "", "recent_years", "", "2023-07-03"),
        ("c1697", "funding", 4000000, "yuan", "more_than", "achievement", "government_purchase", "whole", "", "as_of", "", "2023-07-03"),
        ("c1763", "incubation_bases", 2, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-07-03"),
        ("c1914", "purchase_catalogue_orgs", 156, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-07-03"),
        ("c1930", "projects", 345, "count", "exact", "achievement", "government_purchase", "whole", "", "recent_years", "2021", "2023-07-03"),
        ("c1939", "funding", 45451200, "yuan", "exact", "achievement", "government_purchase", "whole", "", "recent_years", "2021", "2023-07-03"),
        ("c1956", "tax_exempt_orgs", 15, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-07-03"),
        ("c1988", "tax_exempt_orgs", 106, "count", "exact", "achievement", "", "whole", "", "as_of", "2023", "2023-07-03"),
        ("c2144", "brand_orgs", 10, "count", "exact", "achievement", "", "whole", "", "recent_years", "", "2023-07-03"),
        ("c2152", "leading_figures", 23, "person", "exact", "achievement", "", "whole", "", "recent_years", "", "2023-07-03"),
        ("c2164", "brand_orgs", 30, "count", "exact", "achievement", "", "whole", "", "recent_years", "", "2023-07-03"),
        ("c2172", "leading_figures", 30, "person", "exact", "achievement", "", "whole", "", "recent_years", "", "2023-07-03"),
        ("c2257", "social_workers", 5020, "person", "exact", "achievement", "", "whole", "", "as_of", "", "2023-07-03"),
        ("c2274", "social_work_exam_passers", 1482, "person", "exact", "achievement", "", "whole", "", "year", "2022", "2022"),
        ("c2320", "subsidy_standard", 2000, "yuan_per_person", "exact", "achievement", "other", "whole", "", "year", "2022", "2022"),
        ("c2326", "subsidy_standard", 5000, "yuan_per_person", "exact", "achievement", "other", "whole", "", "year", "2022", "2022"),
        ("c2388", "partner_institutions", 17, "count", "exact", "achievement", "", "whole", "", "unspecified", "", ""),
        ("c2604", "rectification_orgs", 321, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-07-03"),
        ("c2614", "rectification_orgs", 103, "count", "exact", "achievement", "", "level_only", "市本级", "as_of", "", "2023-07-03"),
        ("c2626", "rectification_orgs", 218, "count", "exact", "achievement", "", "level_only", "各县", "as_of", "", "2023-07-03"),
        ("c2641", "inspected_orgs", 102, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-07-03"),
        ("c2650", "inspected_orgs", 57, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-07-03"),
        ("c2658", "orgs_with_problems", 58, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-07-03"),
        ("c2666", "rectified_orgs", 53, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-07-03"),
        ("c2713", "illegal_orgs_banned", 11, "count", "exact", "achievement", "", "whole", "", "recent_years", "2021", "2023-07-03"),
        ("c2766", "fee_reduction", 4800000, "yuan", "more_than", "achievement", "", "whole", "", "unspecified", "", ""),
        ("c2891", "rectification_orgs", 614, "count", "exact", "achievement", "", "whole", "", "since", "2023", "2023-07-03"),
        ("c2901", "rectified_orgs", 504, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-07-03"),
        ("c2909", "completion_rate", 82.08, "percent", "exact", "achievement", "", "whole", "", "as_of", "", "2023-07-03"),
        ("c3077", "abnormal_list_orgs", 270, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-07-03"),
        ("c3086", "dishonest_list_orgs", 52, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-07-03"),
        ("c3173", "revoked_orgs", 52, "count", "exact", "achievement", "", "whole", "", "as_of", "", "2023-07-03"),
        ("c3351", "awarded_orgs", 40, "count", "exact", "achievement", "", "whole", "", "year", "2022", "2022"),
        ("c3359", "awarded_people", 40, "person", "exact", "achievement", "", "whole", "", "year", "2022", "2022"),
        ("c3442", "deputies_and_members", 154, "person", "exact", "achievement", "", "whole", "", "recent_years", "", "2023-07-03"),
        ("c3451", "deputies_and_members", 80, "person", "exact", "achievement", "", "whole", "", "recent_years", "", "2023-07-03"),
        ("c3686", "investment_attracted", 1000000000, "usd", "exact", "achievement", "", "whole", "", "unspecified", "", ""),
        ("c3769", "projects", 200, "count", "more_than", "achievement", "other", "whole", "", "recent_years", "", "2023-07-03"),
        ("c3779", "funding", 23000000, "yuan", "more_than", "achievement", "other", "whole", "", "recent_years", "", "2023-07-03"),
        ("c3939", "projects", 42, "count", "exact", "achievement", "other", "whole", "", "unspecified", "", ""),
        ("c3947", "funding", 21716000, "yuan", "exact", "achievement", "other", "whole", "", "unspecified", "", ""),
        ("c3962", "funding", 10448000, "yuan", "exact", "achievement", "other", "whole", "", "unspecified", "", ""),
        ("c3983", "beneficiaries", 10000, "person_time", "more_than", "achievement", "", "whole", "", "unspecified", "", ""),
        ("c4075", "beneficiaries", 5000, "person_time", "more_than", "achievement", "", "whole", "", "since", "2021", "2023-07-03"),
        ("c4168", "events", 300, "event", "more_than", "achievement", "", "whole", "", "unspecified", "", ""),
        ("c4177", "beneficiaries", 20000, "person_time", "more_than", "achievement", "", "whole", "", "unspecified", "", ""),
    ],
    "xuancheng-2024": [
        ("c1637", "events", 7, "event", "exact", "achievement", "", "sub_area", "广德市", "unspecified", "", ""),
        ("c1657", "projects", 64, "count", "exact", "achievement", "venture_philanthropy", "sub_area", "广德市", "unspecified", "", ""),
        ("c1667", "funding", 2600000, "yuan", "more_than", "achievement", "venture_philanthropy", "sub_area", "广德市", "unspecified", "", ""),
        ("c2401", "funding", 300000, "yuan", "nearly", "achievement", "other", "sub_area", "宁国市", "as_of", "", "2024-07-29"),
    ],
}

FIELDS = ("id", "indicator", "value", "unit", "qualifier", "status", "channel", "scope_kind", "scope_area",
          "period_kind", "period_start", "period_end")


def _as_tuple(fact) -> tuple:
    return tuple(getattr(fact, k) for k in FIELDS)


@pytest.mark.parametrize("record_id", sorted(EXPECTED))
def test_curated_facts_are_exactly_these(record_id):
    record = load_record(DATA / "records" / f"{record_id}.yaml")
    assert [_as_tuple(f) for f in record.facts] == EXPECTED[record_id]


@pytest.mark.parametrize("record_id", sorted(EXPECTED))
def test_every_quote_is_the_raw_text_at_its_offsets(record_id):
    raw = load_reply(DATA / "raw" / f"{record_id}.txt")
    record = load_record(DATA / "records" / f"{record_id}.yaml")
    for item in list(record.facts) + list(record.measures):
        assert raw[item.quote_start:item.quote_end] == item.quote, item.id
    for fact in record.facts:
        assert fact.number_text in fact.quote, fact.id


def test_extractor_alone_gets_at_least_90_percent_of_curated_facts_right():
    curated, right = 0, 0
    for record_id in EXPECTED:
        draft, _ = build_draft(load_reply(DATA / "raw" / f"{record_id}.txt"))
        drafted = {_as_tuple(f) for f in draft.facts}
        record = load_record(DATA / "records" / f"{record_id}.yaml")
        curated += len(record.facts)
        right += sum(1 for f in record.facts if _as_tuple(f) in drafted)
    assert right / curated >= 0.90, f"{right}/{curated}"


def test_known_figures_are_in_the_records():
    quzhou = load_record(DATA / "records" / "quzhou-2023.yaml")
    density = [f for f in quzhou.facts if f.indicator == "social_orgs_per_10k"]
    assert [(f.value, f.quote_clean[:20]) for f in density] == [(14.95, "截至2023年5月底,全市共有注册登记的")]
    leshan = load_record(DATA / "records" / "leshan-2021.yaml")
    assert [f.value for f in leshan.facts if f.indicator == "social_orgs_per_10k"] == [5.08]
    assert leshan.document.proposal_title == "关于培育和促进社区社会组织参与城乡基层治理的建议"
    xuancheng = load_record(DATA / "records" / "xuancheng-2024.yaml")
    assert not [f for f in xuancheng.facts if f.indicator in ("social_orgs_total", "social_orgs_per_10k")]
