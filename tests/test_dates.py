"""Dates stage: labels, layouts, forms and signatures give the written and the published date, with raw evidence."""

from pathlib import Path

import pytest
from hypothesis import given, settings

from loaders.clean import clean_text
from loaders.dates import DocumentDates, find_dates, parse_date, use_published_as_written
from loaders.read import load_reply
from tests.strategies import page_headers, signed_replies

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def _dates(raw: str) -> DocumentDates:
    clean = clean_text(raw)
    dates = find_dates(clean)
    for found in (dates.written, dates.published):
        if found is not None:
            assert clean.raw[found.raw_start:found.raw_end] == found.evidence
    return dates


def _brief(found):
    return None if found is None else (found.iso, found.role, found.how, found.label)


# --- forms ---

@pytest.mark.parametrize("text, iso", [
    ("2023-08-01 11:46:51", "2023-08-01"),
    ("2019/07/16", "2019-07-16"),
    ("2019.07.16", "2019-07-16"),
    ("2019年12月05日 09时32分", "2019-12-05"),
    ("2020年5月 14日", "2020-05-14"),
    ("2020 年 5 月 14 日", "2020-05-14"),
    ("03.01.2018 02:00", "2018-01-03"),
    ("二〇二二年六月三十日", "2022-06-30"),
    ("二○二二年六月三十日", "2022-06-30"),
    ("二零二二年十二月三十一日", "2022-12-31"),
    ("二O二二年六月三十日", "2022-06-30"),
    ("二〇二一年十月一日", "2021-10-01"),
    ("截至2023年5月底,全市", None),         # a month, not a day
    ("2023年99月99日", None),
    ("2022年13月5日", None),
    ("2023年2月30日", None),
    ("2023-02-29", None),
    ("1133/2023-142481", None),             # an index number, not a date
    ("", None),
])
def test_parse_date_reads_every_form_and_refuses_impossible_dates(text, iso):
    assert parse_date(text) == iso


# --- labels and layouts (each a page header with the body after it) ---

BODY = "\n王五代表:\n您提出的建议收悉。现答复如下:"

SAME_LINE_PUBLISHED = "发布时间:2023-08-01 11:46:51 来源:市民政局" + BODY
SAME_LINE_FULLWIDTH = "发布日期：2019/07/16" + BODY
TRADITIONAL = "發布日期 2019.07.16" + BODY
PUBLISHED_CHINESE_TIME = "发表时间:2019年12月05日 09时32分" + BODY
UPDATED_SPACED = "更新时间: 2020年5月 14日" + BODY
WRITTEN_INDEX_BLOCK = "索引号: 113308000026181032/2023-142481 成文日期: 2023-10-16\n发布机构: 市民政局" + BODY
ISSUED_NEXT_LINE = "发文日期:\n\n2021-03-04" + BODY
BULLETS = "• 成文日期\n• 2019-08-02\n• 发布机构\n• 市民政局" + BODY
PIPE_ROWS = "| 成文日期 | 2021-09-02 |\n| 发布日期 | 2021-09-03 |" + BODY
PIPE_COLUMNS = "| 成文日期 | 发布日期 |\n|---|---|\n| 2021-09-02 | 2021-09-03 |" + BODY
BARE_TIME_IN_HEADER = "某市民政局关于社会组织的通知\n时间：2022-05-06 来源：本站" + BODY
BARE_DATE_IN_FURNITURE = "日期: 2022.05.06\n索引号: 1133/2023-1" + BODY
MIRROR_TIMESTAMP = "某市民政局关于社会组织的通知\n03.01.2018 02:00\n阅读 12" + BODY
CHINESE_NUMERAL_LABEL = "成文日期：二〇二二年六月三十日" + BODY
STAMPED_ISSUE_DATE = "發(fā)布機構 宣城市民政局 發(fā)文日期 2024-07-29 11:10" + BODY
BRACKETED = "【发布时间】2023-01-02 【来源】市民政局" + BODY
GENUINE_BEATS_STAMPED = "发文日期 2024-07-29 11:10\n发布日期: 2024-07-30" + BODY
UPDATE_YIELDS_TO_PUBLICATION = "更新时间:2024-08-01\n发表时间:2024-07-30" + BODY


@pytest.mark.parametrize("raw, written, published", [
    (SAME_LINE_PUBLISHED, None, ("2023-08-01", "published", "label", "发布时间")),
    (SAME_LINE_FULLWIDTH, None, ("2019-07-16", "published", "label", "发布日期")),
    (TRADITIONAL, None, ("2019-07-16", "published", "label", "发布日期")),
    (PUBLISHED_CHINESE_TIME, None, ("2019-12-05", "published", "label", "发表时间")),
    (UPDATED_SPACED, None, ("2020-05-14", "published", "label", "更新时间")),
    (WRITTEN_INDEX_BLOCK, ("2023-10-16", "written", "label", "成文日期"), None),
    (ISSUED_NEXT_LINE, ("2021-03-04", "written", "label", "发文日期"), None),
    (BULLETS, ("2019-08-02", "written", "label", "成文日期"), None),
    (PIPE_ROWS, ("2021-09-02", "written", "label", "成文日期"), ("2021-09-03", "published", "label", "发布日期")),
    (PIPE_COLUMNS, ("2021-09-02", "written", "label", "成文日期"), ("2021-09-03", "published", "label", "发布日期")),
    (BARE_TIME_IN_HEADER, None, ("2022-05-06", "published", "label", "时间")),
    (BARE_DATE_IN_FURNITURE, None, ("2022-05-06", "published", "label", "日期")),
    (MIRROR_TIMESTAMP, None, ("2018-01-03", "published", "timestamp", "")),
    (CHINESE_NUMERAL_LABEL, ("2022-06-30", "written", "label", "成文日期"), None),
    # A time of day is the site's stamp: the publication date, whatever the label (Xuancheng 2024).
    (STAMPED_ISSUE_DATE, None, ("2024-07-29", "published", "label", "发文日期")),
    (BRACKETED, None, ("2023-01-02", "published", "label", "发布时间")),
    # ...but a label of the published role comes first.
    (GENUINE_BEATS_STAMPED, None, ("2024-07-30", "published", "label", "发布日期")),
    (UPDATE_YIELDS_TO_PUBLICATION, None, ("2024-07-30", "published", "label", "发表时间")),
])
def test_each_label_layout_and_form(raw, written, published):
    dates = _dates(raw)
    assert (_brief(dates.written), _brief(dates.published)) == (written, published)


def test_evidence_is_the_label_and_value_as_the_raw_reply_prints_them():
    dates = _dates(STAMPED_ISSUE_DATE)
    assert dates.published.evidence == "發(fā)文日期 2024-07-29 11:10"
    assert _dates(BULLETS).written.evidence == "成文日期\n• 2019-08-02"
    assert _dates(PIPE_ROWS).published.evidence == "发布日期 | 2021-09-03"


EMPTY_LABEL = "发文日期:\n发布机构:市民政局\n发布日期:2021-03-04"
EMPTY_LABEL_SAME_LINE = "发文日期: 发布机构:市民政局 发布日期:2021-03-04"


@pytest.mark.parametrize("raw", [EMPTY_LABEL, EMPTY_LABEL_SAME_LINE])
def test_an_empty_label_does_not_swallow_the_next_field(raw):
    dates = _dates(raw)
    assert dates.written is None
    assert _brief(dates.published) == ("2021-03-04", "published", "label", "发布日期")


IMPOSSIBLE_THEN_VALID = "发布日期:2023年99月99日\n更新时间:2022-02-30\n时间:2022年13月5日\n日期:2021.5.6" + BODY
IMPOSSIBLE_SIGNATURE = "王五代表:\n您的建议收悉。\n某市民政局\n2023年2月30日"


def test_impossible_dates_are_skipped_for_the_next_valid_candidate():
    dates = _dates(IMPOSSIBLE_THEN_VALID)
    assert _brief(dates.published) == ("2021-05-06", "published", "label", "日期")
    assert _brief(_dates("成文日期:2023-03-01\n" + IMPOSSIBLE_SIGNATURE).written) == \
        ("2023-03-01", "written", "label", "成文日期")
    assert _dates(IMPOSSIBLE_SIGNATURE) == DocumentDates(None, None)


BARE_WORDS_IN_BODY = "王五代表:\n您的建议收悉。\n我们用3年时间：2023年5月6日完成。\n活动日期:2021-05-06。"


def test_bare_time_and_date_are_labels_only_in_a_page_header():
    assert _dates(BARE_WORDS_IN_BODY) == DocumentDates(None, None)


# --- signatures ---

SIGNED = "王五代表:\n您的建议收悉。\n截至2023年5月底,全市共有社会组织。\n衢州市民政局\n\n2023年7月3日"
SIGNED_CONTACT_AFTER = "王五代表:\n您的建议收悉。\n衢州市民政局\n\n2023年7月3日\n\n(联系人:蒋凌燕,联系电话:3077013)"
SIGNED_COPIES_AFTER = ("王五代表:\n您的建议收悉。\n某市民政局\n二〇二二年六月三十日\n抄送:市人大常委会人代工委,市政府督查室。\n"
                       "联系人及电话:李四,3077013")
SIGNED_LATIN_O = "王五代表:\n您的建议收悉。\n某市民政局\n二O二二年六月三十日"
SIGNED_ON_ISSUER_LINE = "王五代表:\n您的建议收悉。\n衢州市民政局 2023年7月3日"
DATE_IN_LAST_SENTENCE = "王五代表:\n您的建议收悉。\n2021年6月24日召开会议,研究部署。"
SIGNATURE_BEATS_INDEX_BLOCK = "成文日期: 2023-10-16\n" + SIGNED
SIGNED_PAGE_FOOTER_AFTER = SIGNED + "\n衢州市民政局 版权所有 浙ICP备12345678号-1 浙公网安备 33080202000123号 网站地图"


@pytest.mark.parametrize("raw, written", [
    (SIGNED, ("2023-07-03", "written", "signature", "")),
    (SIGNED_CONTACT_AFTER, ("2023-07-03", "written", "signature", "")),
    (SIGNED_COPIES_AFTER, ("2022-06-30", "written", "signature", "")),
    (SIGNED_LATIN_O, ("2022-06-30", "written", "signature", "")),
    (SIGNED_ON_ISSUER_LINE, ("2023-07-03", "written", "signature", "")),
    (DATE_IN_LAST_SENTENCE, None),
    (SIGNATURE_BEATS_INDEX_BLOCK, ("2023-07-03", "written", "signature", "")),
    (SIGNED_PAGE_FOOTER_AFTER, ("2023-07-03", "written", "signature", "")),
])
def test_signature_date(raw, written):
    assert _brief(_dates(raw).written) == written


def test_signature_evidence_is_the_date_alone():
    assert _dates(SIGNED_ON_ISSUER_LINE).written.evidence == "2023年7月3日"
    assert _dates(SIGNED_COPIES_AFTER).written.evidence == "二〇二二年六月三十日"


# --- the five replies ---

FIVE = {
    # record id: (written, published) as find_dates gives them
    "ganzhou-2022": (("2022-06-30", "written", "signature", ""), None),
    "quzhou-2023": (("2023-07-03", "written", "signature", ""), ("2023-10-16", "published", "label", "发布日期")),
    "jiangsu-2021": (("2021-06-24", "written", "signature", ""), None),
    "xuancheng-2024": (None, ("2024-07-29", "published", "label", "发文日期")),
    "leshan-2021": (("2021-08-20", "written", "signature", ""), None),
}


@pytest.mark.parametrize("record_id", sorted(FIVE))
def test_dates_of_the_five_replies(record_id):
    dates = _dates(load_reply(RAW / f"{record_id}.txt"))
    assert (_brief(dates.written), _brief(dates.published)) == FIVE[record_id]


def test_a_news_item_takes_its_publication_date_as_written_only_when_the_caller_says_so():
    dates = _dates(load_reply(RAW / "xuancheng-2024.txt"))
    assert dates.written is None
    news = use_published_as_written(dates)
    assert (news.written.iso, news.published.iso) == ("2024-07-29", "2024-07-29")
    signed = _dates(SIGNED)
    assert use_published_as_written(signed) == signed


def test_scanning_is_linear_enough_for_a_hundred_thousand_short_lines():
    # Not a timing test: it must simply finish and find the header and the signature around the mass.
    raw = "发布日期:2021-03-04\n" + "全市共有社会组织12家;\n" * 100_000 + "某市民政局\n2021年3月1日"
    dates = _dates(raw)
    assert (dates.written.iso, dates.published.iso) == ("2021-03-01", "2021-03-04")


# --- properties ---

@settings(deadline=None)
@given(page_headers())
def test_any_label_layout_and_form_in_a_page_header_gives_its_date_and_role(page):
    dates = _dates(page.text)
    found = dates.written if page.role == "written" else dates.published
    other = dates.published if page.role == "written" else dates.written
    assert found is not None, page.text
    assert (found.iso, found.role, found.how) == (page.iso, page.role, "label")
    assert found.evidence.startswith(page.label) and found.evidence.endswith(page.value)
    assert other is None


@settings(deadline=None)
@given(signed_replies())
def test_the_signature_is_the_last_date_standing_alone_at_the_end(reply):
    dates = _dates(reply.text)
    assert _brief(dates.written) == (reply.iso, "written", "signature", "")
    assert dates.written.evidence == reply.value
