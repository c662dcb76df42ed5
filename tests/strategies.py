"""Hypothesis strategies that build reply pages (page headers, signatures) with the dates they must yield."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import cn2an
from hypothesis import strategies as st

# Every label as a page prints it (simplified or traditional), with the role its date has. Written out here,
# not read from data/reference/date_labels.yaml, so that a wrong role in the data file fails the test.
LABELS = (
    ("成文日期", "written"), ("发文日期", "written"), ("發文日期", "written"),
    ("发布日期", "published"), ("發布日期", "published"), ("发布时间", "published"), ("發布時間", "published"),
    ("发表时间", "published"), ("發表時間", "published"), ("更新时间", "published"), ("更新時間", "published"),
)
# Bare labels: a date label only in a page header.
HEADER_LABELS = (("时间", "published"), ("時間", "published"), ("日期", "published"))

# Lines of page furniture and headers that hold neither a date nor a date label.
NOISE_LINES = (
    "索引号: 113308000026181032/2023-142481",
    "发布机构: 市民政局",
    "公开方式: 主动公开 组配分类: 人大代表建议",
    "信息来源:办公室 浏览次数: 1234",
    "分享:",
    "首页 | 政务公开 | 建议提案",
    "某市民政局关于市八届人大三次会议第015号建议的答复",
    "字体:[大 中 小]",
    "",
)
BODY = "王五代表:\n您提出的建议收悉。现答复如下:\n全市共有社会组织1200家,每万人拥有14.95家。"
ZEROS = ("〇", "○", "零", "O")  # 二〇二二, 二○二二, 二零二二, and the Latin O of copied text
_CN_DIGITS = "〇一二三四五六七八九"


@dataclass(frozen=True)
class DatedText:
    """A page with the one date it must yield: its ISO form, role, and the value text as the page prints it."""

    text: str
    iso: str
    role: str
    label: str   # as printed ("" for a signature)
    value: str   # the date as printed, with its time of day if it has one


def valid_dates() -> st.SearchStrategy[datetime.date]:
    return st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2035, 12, 31))


def chinese_numeral_date(d: datetime.date, zero: str = "〇") -> str:
    """二〇二二年六月三十日: the year digit by digit, month and day as numbers."""
    year = "".join(_CN_DIGITS[int(c)] for c in str(d.year)).replace("〇", zero)
    return f"{year}年{cn2an.an2cn(d.month)}月{cn2an.an2cn(d.day)}日"


@st.composite
def written_dates(draw, with_time: bool | None = None) -> tuple[str, str, bool]:
    """(text, iso, has a time of day) of a valid date in one of the forms replies and pages print."""
    d = draw(valid_dates())
    h, mi, s = draw(st.integers(0, 23)), draw(st.integers(0, 59)), draw(st.integers(0, 59))
    forms = {
        "iso": (f"{d:%Y-%m-%d}", False),
        "iso_time": (f"{d:%Y-%m-%d} {h:02d}:{mi:02d}:{s:02d}", True),
        "iso_minutes": (f"{d:%Y-%m-%d} {h:02d}:{mi:02d}", True),
        "slash": (f"{d:%Y/%m/%d}", False),
        "dot": (f"{d:%Y.%m.%d}", False),
        "chinese": (f"{d.year}年{d.month}月{d.day}日", False),
        "chinese_padded_time": (f"{d.year}年{d.month:02d}月{d.day:02d}日 {h:02d}时{mi:02d}分", True),
        "chinese_spaced": (f"{d.year}年{d.month}月 {d.day}日", False),
        "day_first_time": (f"{d.day:02d}.{d.month:02d}.{d.year} {h:02d}:{mi:02d}", True),
        "chinese_numerals": (chinese_numeral_date(d, draw(st.sampled_from(ZEROS))), False),
    }
    names = sorted(n for n, (_, timed) in forms.items() if with_time is None or timed == with_time)
    text, timed = forms[draw(st.sampled_from(names))]
    return text, d.isoformat(), timed


def _layout(name: str, label: str, value: str, blank_lines: int) -> list[str]:
    """The lines a label and its value take in one layout."""
    if name == "same_line_colon":
        return [f"{label}:{value}"]
    if name == "same_line_fullwidth_colon":
        return [f"{label}：{value}"]
    if name == "same_line_space":
        return [f"{label} {value}"]
    if name == "index_block":  # several fields on one line
        return [f"索引号: 1133/2023-142481 {label}: {value}"]
    if name == "next_line":
        return [f"{label}:", *[""] * blank_lines, value]
    if name == "bullets":
        return [f"• {label}", f"• {value}", "• 发布机构", "• 市民政局"]
    if name == "pipe_row":
        return [f"| {label} | {value} |"]
    if name == "pipe_columns":
        return [f"| 发布机构 | {label} |", "|---|---|", f"| 市民政局 | {value} |"]
    raise ValueError(name)


LAYOUTS = ("same_line_colon", "same_line_fullwidth_colon", "same_line_space", "index_block", "next_line",
           "bullets", "pipe_row", "pipe_columns")


def expected_role(label_role: str, has_time: bool) -> str:
    """A value with a time of day is the site's publication stamp whatever the label (time_of_day_role)."""
    return "published" if has_time else label_role


@st.composite
def page_headers(draw, labels=LABELS + HEADER_LABELS, layouts=LAYOUTS) -> DatedText:
    """A page: noise lines, one date label in one layout with a date in one form, noise lines, then the body."""
    label, role = draw(st.sampled_from(labels))
    value, iso, timed = draw(written_dates())
    layout = draw(st.sampled_from(layouts))
    lines = [
        *draw(st.lists(st.sampled_from(NOISE_LINES), max_size=4)),
        *_layout(layout, label, value, draw(st.integers(0, 2))),
        *draw(st.lists(st.sampled_from(NOISE_LINES), max_size=3)),
        BODY,
    ]
    newline = draw(st.sampled_from(("\n", "\r\n")))
    return DatedText(newline.join(lines), iso, expected_role(role, timed), label, value)


ISSUERS = ("衢州市民政局", "江苏省民政厅", "某县民政局")
CLOSING_LINES = ("(联系人:蒋凌燕,联系电话:3077013)", "抄送:市人大常委会人代工委,市政府督查室。", "联系人:张强 联系电话:2639576",
                 "(此件公开发布)", "附件:1.办理情况征询意见表")


@st.composite
def signed_replies(draw) -> DatedText:
    """A reply ending with the issuer and the signature date, perhaps a contact or 抄送 line after it, and
    dates inside body sentences that must never be taken for the signature."""
    d = draw(valid_dates())
    other, _, _ = draw(written_dates(with_time=False))
    signature = draw(st.sampled_from((f"{d.year}年{d.month}月{d.day}日", chinese_numeral_date(d, draw(st.sampled_from(ZEROS))))))
    lines = [
        BODY,
        f"截至{other},全市共有社会组织3424家。",
        f"{other}召开会议,研究部署社会组织工作。",
        "感谢您对民政工作的关心和支持!",
        *([""] * draw(st.integers(0, 1))),
        draw(st.sampled_from(ISSUERS)),
        *([""] * draw(st.integers(0, 1))),
        signature,
        *draw(st.lists(st.sampled_from(CLOSING_LINES), max_size=2)),
    ]
    return DatedText("\n".join(lines), d.isoformat(), "written", "", signature)


# --- pages with an issuer: the jurisdiction they must yield ----------------------------------------------------


@dataclass(frozen=True)
class IssuedPage:
    """A page with its date (as DatedText) and the slug of the place its issuer or title names."""

    page: DatedText
    slug: str
    where: str


def _places():
    from loaders.places import find_places, load_places

    return [p for p in load_places() if len(find_places(p.name_zh)) == 1] + \
        [p for p in load_places() if p.level == "county" and len(find_places(p.name_zh)) > 1][:50]


def _qualified_name(place) -> str:
    """A county whose name another county bears is written after its prefecture (长春市朝阳区), as pages do."""
    from loaders.places import find_places

    if place.level == "county" and len(find_places(place.name_zh)) > 1:
        return (place.prefecture_zh or place.province_zh) + place.name_zh
    return place.name_zh


def _bureau(place) -> str:
    return "民政厅" if place.level == "province" and not place.name_zh.endswith("市") else "民政局"


ISSUER_POSITIONS = ("title", "index_block", "signature", "congress_title")


@st.composite
def issued_pages(draw) -> IssuedPage:
    """A page header (any label, layout and date form) with the issuer named in one of the places pages name it,
    or, where the issuer omits its place, the congress the title names (对云南省第十三届人大四次会议…的答复)."""
    page = draw(page_headers())
    place = draw(st.sampled_from(_places()))
    where = draw(st.sampled_from(ISSUER_POSITIONS))
    issuer = _qualified_name(place) + _bureau(place)
    lines = page.text.replace("\r\n", "\n").split("\n")
    if where == "title":
        lines.insert(0, f"{issuer}关于第015号建议的答复")
    elif where == "index_block":
        lines.insert(0, f"发布机构: {issuer}")
    elif where == "signature":
        lines.append(issuer)
    else:
        # The page speaks as the level it is (省民政厅, 全省), as a real one does: 市民政局 and 全市 beside a province's
        # congress would be a page that contradicts itself.
        suffix = place.name_zh[-1] if place.level == "county" else {"province": "省", "prefecture": "市"}[place.level]
        bare = "民政厅" if suffix == "省" else "民政局"
        # The noise line's 市八届人大 too: a district page citing a city congress gave the loader two levels
        # (found by hypothesis: 东城区第十三届人大 in the title, 市八届人大 below it).
        lines = [ln.replace("市民政局", suffix + bare).replace("全市", "全" + suffix).replace("市八届", suffix + "八届")
                 for ln in lines]
        lines.insert(0, f"关于对{_qualified_name(place)}第十三届人大四次会议第0123号建议的答复")
        lines.append(suffix + bare)
    text = "\n".join(lines)
    return IssuedPage(DatedText(text, page.iso, page.role, page.label, page.value), place.slug, where)
