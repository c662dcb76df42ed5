"""Property-based tests: cleaning is idempotent and mapped, quotes are raw substrings, numbers parse the same however written."""

import cn2an
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.clean import clean_text
from loaders.facts import extract_facts
from loaders.schema import Document, Jurisdiction

J = Jurisdiction(slug="x", name_zh="某市", name_en="X", level="prefecture")
DOC = Document(type="npc_suggestion_reply", date_written="2023-07-03")

PIECES = [
    "社会组织", "全市共有", "截至2023年5月底,", "社区社会组织", "福彩公益金", "万元", "家", "个", "。", ",", "\n", "\r\n",
    "３４２４", "1,139,244", "mobile28365-365_bt365如何_beat365官网在线", "鄉(xiāng)村", "社會(huì)組織", "首页 |\n",
    "索引号: 1133/2023-1\n", "英国某某公司,十大博彩公司", "(其中市本级23家)", "近", "余", "约", "\u200b", "3A级", "第015号",
    "COVID-19", "一是", "两个", "下一步,", "\u3000",
]
texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(texts)
def test_cleaning_is_idempotent(raw):
    once = clean_text(raw).text
    assert clean_text(once).text == once


@settings(max_examples=150, deadline=None)
@given(texts)
def test_every_cleaned_character_maps_into_the_raw_text(raw):
    c = clean_text(raw)
    assert len(c.offsets) == len(c.text)
    assert all(0 <= o < len(raw) for o in c.offsets)
    assert list(c.offsets) == sorted(c.offsets)


@settings(max_examples=150, deadline=None)
@given(texts)
def test_every_quote_is_a_substring_of_the_raw_text(raw):
    for fact in extract_facts(clean_text(raw), J, DOC):
        assert raw[fact.quote_start:fact.quote_end] == fact.quote
        assert fact.number_text in fact.quote


def written_forms(n: int) -> list[str]:
    forms = [str(n), f"{n:,}", "".join(chr(ord(d) + 0xFEE0) for d in str(n)), cn2an.an2cn(n)]
    if n % 100 == 0:
        forms.append(f"{n / 10000:g}万")
    return forms


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=2, max_value=99_999_999))
def test_a_number_parses_to_the_same_value_however_written(n):
    for form in written_forms(n):
        facts = extract_facts(clean_text(f"全市共有社会组织{form}家。"), J, DOC)
        assert [(f.indicator, f.value) for f in facts] == [("social_orgs_total", n)], form
