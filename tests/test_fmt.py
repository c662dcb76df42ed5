"""app/fmt.py: values written as their readers write them, in Chinese (万/亿) and English (million), with bounds."""

import pytest

from app import fmt

CASES = [
    ((180000000, "yuan", "more_than", "zh"), "超过1.8亿元"),  # 1.8亿余元: a lower bound, never 18,000万元
    ((45451200, "yuan", "exact", "zh"), "4,545.12万元"),  # never rounded to 4,545.1
    ((4572000, "yuan", "exact", "zh"), "457.2万元"),
    ((8000, "yuan", "exact", "zh"), "8,000元"),
    ((123456789, "yuan", "exact", "zh"), "12,345.6789万元"),  # 亿 only where it loses nothing
    ((4572000, "yuan", "exact", "en"), "CNY 4.57 million"),
    ((180000000, "yuan", "more_than", "en"), "more than CNY 180 million"),
    ((1.2e9, "yuan", "approx", "en"), "about CNY 1.2 billion"),
    ((50000, "yuan", "exact", "en"), "CNY 50,000"),
    ((14.95, "per_10k", "nearly", "en"), "nearly 14.95 per 10,000 residents"),
    ((14.95, "per_10k", "nearly", "zh"), "近14.95个/万人"),
    ((5611, "count", "exact", "zh"), "5,611个"),
    ((5611, "count", "exact", "en"), "5,611"),
    ((3000, "count", "approx", "zh"), "约3,000个"),
    ((200, "count", "at_least", "en"), "at least 200"),
]


@pytest.mark.parametrize("args, expected", CASES)
def test_format_value(args, expected):
    assert fmt.format_value(*args) == expected


def test_missing_is_not_stated_never_zero():
    assert fmt.format_value(None, "yuan", "exact", "zh") == "未提及"
    assert fmt.format_value(float("nan"), "count", "exact", "en") == "not stated"


def test_ranges():
    assert fmt.format_value(30, "count", "range", "zh", 50) == "30–50个"
    assert fmt.format_value(1e6, "yuan", "range", "en", 2e6) == "CNY 1 million–CNY 2 million"


def test_bounds_and_marks():
    assert [fmt.bound_of(q) for q in ("more_than", "at_least", "nearly", "at_most", "approx", "exact")] == \
        ["lower", "lower", "upper", "upper", "about", ""]
    assert fmt.QUALIFIER_MARK["nearly"] == "≤" and fmt.QUALIFIER_MARK["more_than"] == "≥"


def test_money_scale_for_axes():
    assert fmt.money_scale(180000000, "zh") == (1e8, "亿元")
    assert fmt.money_scale(45451200, "zh") == (1e4, "万元")
    assert fmt.money_scale(45451200, "en") == (1e6, "CNY million")


def test_scope_labels_in_english_keep_the_chinese():
    assert fmt.scope_label({"scope_kind": "level_only", "scope_area": "市本级"}, "en") == "city level (市本级) only"
    assert fmt.scope_label({"scope_kind": "sub_area", "scope_area": "广德市"}, "en") == "Guangde city (广德市) only (part of the area)"
    assert fmt.scope_label({"scope_kind": "sub_area", "scope_area": "沙湾区"}, "zh") == "仅沙湾区（辖区一部分）"


def test_permalink():
    assert fmt.permalink("quzhou-2023", "c843") == "/sources?r=quzhou-2023&f=c843"
    assert fmt.permalink("quzhou-2023", "c843", "en") == "/sources?r=quzhou-2023&f=c843&lang=en"


def test_source_notes_speak_the_page_language():
    note = "weak source (one repost); 2021 derived"
    assert fmt.note_text(note, "zh") == "来源较弱（仅一处转载）；2021年数据为推算"
    assert fmt.note_text(note, "en") == note


def test_reply_words_in_english_keep_the_chinese():
    assert fmt.reply_words("意向", "en") == "pledged (意向)"
    assert fmt.reply_words("乡镇(街道)备案", "en") == "filed (乡镇(街道)备案)"
    assert fmt.reply_words("意向", "zh") == "意向"
    assert fmt.reply_words("社团", "en") == "社团"  # unknown: as written, never a guess


# ---- counts in 万 (Chinese) and thousands (English) ----------------------------------------------------------------

JIANGSU_TOTAL = 97800        # 全省共有社会组织9.78万个
JIANGSU_COMMUNITY = 153000   # 社区社会组织15.3万个
GANZHOU_VOLUNTEERS = 1139244  # 志愿者总人数达1139244人
JIANGSU_CENSUS = 84748016    # 江苏省第七次全国人口普查


def test_large_counts_in_wan_in_chinese_and_thousands_in_english():
    assert fmt.count_text(JIANGSU_TOTAL, "zh") == "9.78万"
    assert fmt.count_text(JIANGSU_TOTAL, "en") == "97,800"
    assert fmt.format_value(JIANGSU_TOTAL, "count", "exact", "zh") == "9.78万个"
    assert fmt.format_value(JIANGSU_COMMUNITY, "count", "exact", "zh") == "15.3万个"
    assert fmt.format_value(GANZHOU_VOLUNTEERS, "person", "exact", "zh") == "113.9万人"
    assert fmt.format_value(GANZHOU_VOLUNTEERS, "person", "exact", "en") == "1,139,244 people"
    assert fmt.format_value(30000, "count", "range", "zh", 50000) == "3万–5万个"
    assert fmt.count_text(5611, "zh") == "5,611"  # below 10,000: as written, with separators


def test_table_numbers_keep_every_digit():
    assert fmt.table_number(JIANGSU_CENSUS, "zh") == "8,474.8016万"
    assert fmt.table_number(JIANGSU_CENSUS, "en") == "84,748,016"
    assert fmt.table_number(JIANGSU_TOTAL, "zh") == "9.78万"
    assert fmt.table_number(14.95, "zh") == "14.95"
    assert fmt.big_number(3604000, "en") == "3.604 million" and fmt.big_number(3604000, "zh") == "360.4万"


def test_english_source_lines_name_the_issuer_in_english_beside_the_chinese():
    row = {"issuer": "乐山市民政局", "doc_date": "2021-08-20"}
    assert fmt.doc_label(row, "en") == "Leshan Civil Affairs Bureau (乐山市民政局) reply, 2021-08-20"
    assert fmt.doc_label(row, "zh") == "乐山市民政局 答复，2021-08-20"


def test_a_since_period_reads_as_its_year_or_its_day():
    from app.fmt import period_label

    assert [period_label({"period_kind": "since", "period_start": start}, "zh")
            for start in ("2019", "2019-01-01", "2019-03-01")] == ["2019年以来", "2019年以来", "2019-03-01以来"]
    assert period_label({"period_kind": "since", "period_start": "2019-01-01"}, "en") == "since 2019"
    assert period_label({"period_kind": "as_of", "period_end": "2022-12-31"}, "zh") == "截至2022-12-31"
