"""Metadata stage: jurisdiction, document type, addressee, title, numbers and dates of the five replies."""

from pathlib import Path

import pytest

from loaders.clean import clean_text
from loaders.metadata import extract_document, identify_jurisdiction, make_record_id, pinyin_name
from loaders.read import load_reply

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"

EXPECTED = {
    # record id: (slug, level, type, issuer, addressee, proposal number, reference, session, written, published)
    "ganzhou-2022": ("ganzhou", "prefecture", "cppcc_proposal_reply", "赣州市民政局", "曾纪丞委员", "", "", "",
                     "2022-06-30", ""),
    "quzhou-2023": ("quzhou", "prefecture", "npc_suggestion_reply", "衢州市民政局", "朱伟正等10位代表", "第015号",
                    "衢市民议函〔2023〕2号", "市八届人大三次会议", "2023-07-03", "2023-10-16"),
    "jiangsu-2021": ("jiangsu", "province", "npc_suggestion_reply", "江苏省民政厅", "万绘代表", "", "", "",
                     "2021-06-24", ""),
    "xuancheng-2024": ("xuancheng", "prefecture", "news_item", "宣城市民政局", "", "", "", "", "2024-07-29",
                       "2024-07-29"),
    "leshan-2021": ("leshan", "prefecture", "cppcc_proposal_reply", "乐山市民政局", "共青团界别", "", "", "",
                    "2021-08-20", ""),
}


@pytest.mark.parametrize("record_id", sorted(EXPECTED))
def test_metadata_of_each_reply(record_id):
    clean = clean_text(load_reply(RAW / f"{record_id}.txt"))
    j = identify_jurisdiction(clean)
    d = extract_document(clean, j)
    got = (j.slug, j.level, d.type, d.issuer, d.addressee, d.proposal_number, d.reference_number, d.session,
           d.date_written, d.date_published)
    assert got == EXPECTED[record_id]
    assert make_record_id(j, d) == record_id


def test_ganzhou_is_found_from_its_counties_although_its_name_is_spam():
    clean = clean_text(load_reply(RAW / "ganzhou-2022.txt"))
    assert "赣州" not in clean.raw
    assert identify_jurisdiction(clean).name_en == "Ganzhou"


def test_index_number_is_kept_from_the_removed_furniture():
    clean = clean_text(load_reply(RAW / "quzhou-2023.txt"))
    assert "索引号" not in clean.text
    assert extract_document(clean, identify_jurisdiction(clean)).index_number == "113308000026181032/2023-142481"


def test_unknown_place_gets_a_pinyin_name_and_level():
    clean = clean_text("李四委员:\n您提出的提案收悉。\n全县共有社会组织88家。\n安吉县民政局\n2024年3月1日")
    j = identify_jurisdiction(clean)
    assert (j.slug, j.name_zh, j.name_en, j.level) == ("anji", "安吉县", "Anji", "county")
    assert extract_document(clean, j).type == "cppcc_proposal_reply"
    assert pinyin_name("内蒙古自治区") == "Neimenggu"
