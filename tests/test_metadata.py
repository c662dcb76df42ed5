"""Metadata stage: jurisdiction, document type, addressee, title, numbers and dates of the five replies."""

import re
from pathlib import Path

import pytest

from loaders.clean import clean_text
from loaders.metadata import extract_document, identify_jurisdiction, make_record_id, pinyin_name, resolve_place
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


def _signed_by(issuer: str) -> str:
    return f"王五代表:\n您提出的建议收悉。充分发挥市民政局牵头作用,全市共有社会组织1200家。\n{issuer}\n2023年6月1日"


# Names the benchmark corpus showed misread: 合, 和 and 本 are also words ("and", "this"), so a verb filter
# alone threw these issuers away and the sub-area fallback gave the reply to Ganzhou or Leshan.
HEFEI = _signed_by("合肥市民政局")
HOHHOT = _signed_by("呼和浩特市民政局")
BENXI = _signed_by("本溪市民政局")
ENSHI = _signed_by("恩施州民政局")            # the short form of 恩施土家族苗族自治州
GUANGDE = _signed_by("广德市民政局")          # a county-level city: not in the prefecture gazetteer
SUZHOU_JS = _signed_by("苏州市民政局")
SUZHOU_AH = _signed_by("宿州市民政局")        # the same pinyin as 苏州


@pytest.mark.parametrize("text, expected", [
    (HEFEI, ("hefei", "合肥市", "Hefei", "prefecture", "安徽省")),
    (HOHHOT, ("hohhot", "呼和浩特市", "Hohhot", "prefecture", "内蒙古自治区")),
    (BENXI, ("benxi", "本溪市", "Benxi", "prefecture", "辽宁省")),
    (ENSHI, ("enshi", "恩施土家族苗族自治州", "Enshi", "prefecture", "湖北省")),
    (GUANGDE, ("guangde", "广德市", "Guangde", "county", "")),
    (SUZHOU_JS, ("suzhou-jiangsu", "苏州市", "Suzhou", "prefecture", "江苏省")),
    (SUZHOU_AH, ("suzhou-anhui", "宿州市", "Suzhou", "prefecture", "安徽省")),
])
def test_issuer_is_named_from_the_national_gazetteer(text, expected):
    j = identify_jurisdiction(clean_text(text))
    assert (j.slug, j.name_zh, j.name_en, j.level, j.province_zh) == expected


def test_running_text_before_a_known_name_is_not_part_of_it():
    assert resolve_place("发挥合肥市").slug == "hefei"
    assert resolve_place("安徽省合肥市").slug == "hefei"
    assert resolve_place("充分发挥市") is None
    assert resolve_place("加强和本市") is None


def test_gazetteer_has_every_division_once_and_agrees_with_the_curated_places():
    import csv

    import yaml

    ref = RAW.parent / "reference"
    rows = list(csv.DictReader(line for line in (ref / "gazetteer_cn.csv").read_text(encoding="utf-8").splitlines()
                               if not line.startswith("#")))
    assert len(rows) == 31 + 333
    assert sum(r["level"] == "province" for r in rows) == 31
    assert len({r["slug"] for r in rows}) == len(rows) and len({r["name_zh"] for r in rows}) == len(rows)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)?", r["slug"]) for r in rows)
    by_slug = {r["slug"]: r for r in rows}
    curated = yaml.safe_load((ref / "jurisdictions.yaml").read_text(encoding="utf-8"))["jurisdictions"]
    for j in curated:
        row = by_slug[j["slug"]]
        assert (row["name_zh"], row["name_en"], row["level"], row["province_zh"]) == \
               (j["name_zh"], j["name_en"], j["level"], j["province_zh"])
