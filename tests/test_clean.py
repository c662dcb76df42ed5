"""Clean stage: each repair is recorded, and every cleaned character maps back to the raw text."""

from loaders.clean import clean_text

SPAM_NAME = "培育了mobile28365-365_bt365如何_beat365官网在线志愿者联合会、abc888-888_xyz888官网爱心协会"
SPAM_TITLE = "您单位提出的“某国某某公司,十大博彩公司培育和促进社区社会组织的建议”提案"
PINYIN = "鄉(xiāng)村振興(xīng),社會(huì)組織"
FURNITURE = "首页 |\n索引号: 113308/2023-1 成文日期: 2023-10-16\n发布日期:2023-10-16 浏览次数: 字体:[ ]\n分享:\n正文3424家。\n相关文章\n"
COVID = "新冠COVID-19疫情期间,3A级社会组织有270家。"
SPLIT = "全市共有社会组织34\n24家。"


def test_spam_site_names_are_removed_by_shape():
    c = clean_text(SPAM_NAME)
    assert c.text == "培育了志愿者联合会、爱心协会"
    assert [r.kind for r in c.repairs] == ["spam", "spam"]


def test_gambling_phrase_in_title_is_removed():
    assert clean_text(SPAM_TITLE).text == "您单位提出的“培育和促进社区社会组织的建议”提案"


def test_ordinary_latin_and_digits_are_kept():
    assert clean_text(COVID).text == COVID


def test_pinyin_is_stripped_and_text_simplified():
    c = clean_text(PINYIN)
    assert c.text == "乡村振兴,社会组织"
    assert {r.kind for r in c.repairs} == {"pinyin", "traditional"}


def test_furniture_lines_are_removed_and_recorded():
    c = clean_text(FURNITURE)
    assert c.text == "正文3424家。"
    assert sum(r.kind == "furniture" for r in c.repairs) == 5


def test_number_split_by_a_line_break_is_joined():
    assert clean_text(SPLIT).text == "全市共有社会组织3424家。"


def test_crlf_and_fullwidth_digits():
    c = clean_text("全市共有社会组织３４２４家。\r\n第二行")
    assert c.text == "全市共有社会组织3424家。\n第二行"


def test_offsets_map_every_character_back_to_raw():
    for raw in (SPAM_NAME, SPAM_TITLE, PINYIN, FURNITURE, SPLIT):
        c = clean_text(raw)
        assert len(c.offsets) == len(c.text)
        for i, ch in enumerate(c.text):
            assert 0 <= c.offsets[i] < len(raw)
        # a cleaned span maps to a raw span that contains the same characters once cleaned
        a, b = c.raw_span(0, len(c.text))
        assert clean_text(raw[a:b]).text == c.text


def test_cleaning_is_idempotent():
    for raw in (SPAM_NAME, SPAM_TITLE, PINYIN, FURNITURE, COVID, SPLIT):
        once = clean_text(raw).text
        assert clean_text(once).text == once


# OpenCC reads 乾 as the traditional form of 干 (dry): a simplified reply from 乾县 (Xianyang) must keep its name.
SIMPLIFIED_QIAN = "乾县民政局关于社会组织发展情况的答复。全县共有社会组织3424家,其中社会团体1200家,民办非企业单位2200家,引用名称萬家。"
TRADITIONAL_QIAN = "乾縣民政局關於社會組織發展情況的答復。全縣共有社會組織120家"


def test_a_simplified_text_keeps_its_simplified_characters_and_converts_only_traditional_ones():
    assert clean_text(SIMPLIFIED_QIAN).text == SIMPLIFIED_QIAN.replace("萬", "万")


def test_a_traditional_text_is_converted_whole():
    assert clean_text(TRADITIONAL_QIAN).text == "乾县民政局关于社会组织发展情况的答复。全县共有社会组织120家"
