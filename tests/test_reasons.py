"""app/reasons.py and app/names.py: the loader's English sentences and Chinese names in the reader's language."""

import pytest

from app.names import english_name, with_english
from app.reasons import describe_reason, split_curator_note

ISSUER = "jurisdiction from the issuer 乐山市民政局"
BODY = "jurisdiction from the body, which names 绵阳市 1 time(s)"
SUB_AREAS = "jurisdiction 乐山市 from the 3 places within it that the text names (first 沙湾区)"
DOC_TYPE = "type cppcc_proposal_reply: the salutation 共青团界别 (a CPPCC member or group)"
SIGNED = "date_written from signature 2021年8月20日"
LABELLED = "date_published from 发布日期 发布日期:2023-10-16 11:37"
NO_PERIOD = "fact c641 (3万个): no period (when was it true?)"
UNKNOWN = ("unknown: 和平区 is a district in 天津市 and in 沈阳市; the text names neither "
           "(a curator sets it in data/curation/<id>.yaml, jurisdiction:)")
DOC_NUMBER = "浙 in 浙民提〔2021〕8号 may stand for 浙江省 or 湖州市; 浙 also begins 浙江省"
FLAG = ("1,831 / 5.08 per 10,000 implies 360.4万 residents; no published population (315.1万, 315.3万, 316.0万) "
        "gives 5.08")
CLEANING = "gambling-company advertising phrase injected into the text"
CURATED = "issuer set by the curator in ganzhou-2022.yaml: The city's own name is overwritten."

ZH = [
    (ISSUER, "地区取自发文机关“乐山市民政局”"),
    (BODY, "地区取自正文，正文提及绵阳市1次"),
    (SUB_AREAS, "地区乐山市：正文提及其下辖的3个地方（首个为沙湾区）"),
    (DOC_TYPE, "文件类型为政协提案答复：称呼为“共青团界别”（政协委员或界别）"),
    (SIGNED, "成文日期取自落款：2021年8月20日"),
    (LABELLED, "发布日期取自“发布日期”：发布日期:2023-10-16 11:37"),
    (NO_PERIOD, "数字 c641（3万个）：没有时段（何时成立？）"),
    ("level of 乐山市 in the gazetteer", "层级取自地名库中的乐山市"),
    (UNKNOWN, "未知：和平区是天津市、沈阳市的市辖区；正文没有提及其中任何一个（由人工在 data/curation/<id>.yaml 的 "
              "jurisdiction: 中设定）"),
    (DOC_NUMBER, "文号浙民提〔2021〕8号中的“浙”可指浙江省、湖州市；“浙”也是浙江省的首字"),
    (FLAG, "1,831 ÷ 5.08 × 10000 意味着常住人口 360.4万；已公布的人口（315.1万、315.3万、316.0万）都得不出 5.08"),
    ("density: " + FLAG, "每万人拥有数：1,831 ÷ 5.08 × 10000 意味着常住人口 360.4万；已公布的人口（315.1万、315.3万、"
                         "316.0万）都得不出 5.08"),
    (CLEANING, "混入正文的博彩公司广告语"),
    (CURATED, "发文机关由人工校订设定（ganzhou-2022.yaml）：The city's own name is overwritten."),
]


@pytest.mark.parametrize("sentence, expected", ZH)
def test_loader_sentences_in_chinese(sentence, expected):
    assert describe_reason(sentence, "zh") == expected


def test_english_pages_get_words_for_codes_and_millions_for_wan():
    assert describe_reason(ISSUER, "en") == "jurisdiction from the issuer Leshan Civil Affairs Bureau (乐山市民政局)"
    assert describe_reason(DOC_TYPE, "en") == ("document type reply to a CPPCC proposal: the salutation 共青团界别 "
                                               "(a CPPCC member or group)")
    assert describe_reason(FLAG, "en") == ("1,831 ÷ 5.08 × 10,000 implies 3.604 million residents; no published "
                                           "population (3.151 million, 3.153 million, 3.16 million) gives 5.08")
    assert describe_reason(NO_PERIOD, "en") == NO_PERIOD  # already English, no code in it: unchanged


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unknown_sentences_are_unchanged(lang):
    for text in ("no period (when was it true?)", "the loader said something new", "", "x" * 10000,
                 "jurisdiction from somewhere new"):
        assert describe_reason(text, lang) == text


def test_a_value_taken_from_a_sentence_is_put_back_as_written():
    # Whatever a value holds comes back character for character (escaping is the page's: app/safe.py).
    assert describe_reason("jurisdiction from the issuer <b>x</b>", "zh") == "地区取自发文机关“<b>x</b>”"


def test_curator_note_is_split_from_its_sentence():
    assert split_curator_note(CURATED) == ("issuer set by the curator in ganzhou-2022.yaml",
                                           "The city's own name is overwritten.")
    assert split_curator_note(ISSUER) == (ISSUER, "")


def test_english_names_of_offices_and_places():
    assert english_name("乐山市民政局") == "Leshan Civil Affairs Bureau"
    assert english_name("江苏省民政厅") == "Jiangsu Department of Civil Affairs"
    assert english_name("乐山市市中区民政局") == "Shizhong District Civil Affairs Bureau"
    assert english_name("市民政局") == "the city's Civil Affairs Bureau"
    assert english_name("共青团界别") == ""  # not an office of the dictionary: no guess
    assert with_english("乐山市民政局", "en") == "Leshan Civil Affairs Bureau (乐山市民政局)"
    assert with_english("乐山市民政局", "zh") == "乐山市民政局"
    assert with_english("共青团界别", "en") == "共青团界别"
