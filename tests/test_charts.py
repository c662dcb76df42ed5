"""Chart functions called without Streamlit: values plotted, titles, footnotes naming sources, gaps not drawn as 0."""

import math
import re

import pandas as pd
import pytest

from app import charts, views
from app.colors import FIXED, color_for
from app.data import read_tables
from conftest import ROOT

ALL = {"ganzhou": "Ganzhou", "jiangsu": "Jiangsu", "leshan": "Leshan", "quzhou": "Quzhou", "xuancheng": "Xuancheng"}


@pytest.fixture(scope="module")
def tables():
    return read_tables(ROOT / "data")


def trace(fig, name):
    found = [t for t in fig.data if t.name == name]
    assert found, f"no trace {name!r} in {[t.name for t in fig.data]}"
    return found[0]


def footnote(fig) -> str:
    notes = [a.text for a in fig.layout.annotations if a.name == "footnote"]
    assert len(notes) == 1
    return notes[0]


def test_density_reported_beside_computed(tables):
    fig = charts.make_density_figure(tables["density"], "en", national=tables["national"], all_jurisdictions=ALL)
    reported = dict(zip(trace(fig, "Reported").x, trace(fig, "Reported").y))
    computed = dict(zip(trace(fig, "Computed").x, trace(fig, "Computed").y))
    assert reported == {"Leshan": 5.08, "Quzhou": 14.95}
    assert computed == {"Jiangsu": 11.54, "Leshan": 5.79, "Quzhou": 15.04}
    # China's figure for the year of each count (2020, 2021, 2023).
    assert dict(zip(trace(fig, "China (same year)").x, trace(fig, "China (same year)").y)) == {
        "Jiangsu": 6.33, "Leshan": 6.38, "Quzhou": 6.25}
    assert "Social organisations per 10,000 residents" in fig.layout.title.text
    assert fig.layout.yaxis.title.text == "per 10,000 residents"


def test_density_national_reference_is_labelled_and_clear_of_bar_labels(tables):
    fig = charts.make_density_figure(tables["density"], "en", national=tables["national"], all_jurisdictions=ALL)
    segments = [s for s in fig.layout.shapes if s.name == "national"]
    assert [(s.y0, s.line.dash) for s in segments] == [(6.33, "dash"), (6.38, "dash"), (6.25, "dash")]
    # Each label is a line of its place's axis label, under the plot: never over a bar nor over another label.
    ticks = dict(zip(fig.layout.xaxis.tickvals, fig.layout.xaxis.ticktext))
    labels = [re.sub(r"<[^>]+>", "", ticks[p].split("<br>")[-1]) for p in ("Jiangsu", "Leshan", "Quzhou")]
    assert labels == ["China 6.33 (2020*)", "China 6.38 (2021)", "China 6.25 (2023*)"]
    assert not [a for a in fig.layout.annotations if a.name == "national"]
    # Bar values sit inside the bars (not above them, where the reference line runs), without dates.
    for name in ("Reported", "Computed"):
        bar = trace(fig, name)
        assert bar.textposition == "auto" and bar.insidetextanchor == "end"
        assert not any("as of" in text for text in bar.text)
    assert "some derived (* derived)" in footnote(fig).replace("<br>", " ")


def test_density_as_of_dates_under_names_and_flag(tables):
    fig = charts.make_density_figure(tables["density"], "en", all_jurisdictions=ALL)
    ticks = dict(zip(fig.layout.xaxis.tickvals, fig.layout.xaxis.ticktext))
    assert ticks["Quzhou"] == "<b>Quzhou</b><br>as of 2023-05-31"
    assert ticks["Leshan"] == "<b>Leshan</b><br>as of 2021-08-20"
    rep = trace(fig, "Reported")
    texts = dict(zip(rep.x, rep.text))
    assert texts == {"Leshan": "5.08 ⚠", "Quzhou": "14.95"}
    note = footnote(fig).replace("<br>", " ")
    assert "Leshan's reported 5.08 cannot be reproduced" in note
    assert "1,831 ÷ 5.08 × 10,000 implies 3.604 million residents" in note and "万" not in note  # English: millions
    assert "3.151 million, 3.153 million" in note
    zh = footnote(charts.make_density_figure(tables["density"], "zh", all_jurisdictions=ALL)).replace("<br>", "")
    assert "1,831÷5.08×10000意味着常住人口360.4万" in re.sub(r"\s", "", zh) and "implies" not in zh  # wrapped at a space


def test_density_not_stated_is_not_plotted_as_zero(tables):
    fig = charts.make_density_figure(tables["density"], "en", all_jurisdictions=ALL)
    for tr in fig.data:
        if tr.type == "bar":
            assert "Xuancheng" not in list(tr.x) and "Ganzhou" not in list(tr.x)
            assert all(v is None or (not math.isnan(v) and v > 0) for v in tr.y)
    # Places without a count stay on the axis, marked, after the places with one.
    assert list(fig.layout.xaxis.categoryarray) == ["Jiangsu", "Leshan", "Quzhou", "Ganzhou", "Xuancheng"]
    ticks = dict(zip(fig.layout.xaxis.tickvals, fig.layout.xaxis.ticktext))
    assert ticks["Ganzhou"] == "<b>Ganzhou</b><br>count not stated"
    marks = [(a.x, a.text) for a in fig.layout.annotations if a.name == "not_stated"]
    assert marks == [(3, "not stated"), (4, "not stated")]
    # Jiangsu states a count but no density of its own: its reported slot says so.
    slot = [tr for tr in fig.data if tr.type == "scatter" and tr.mode == "text"]
    assert [(list(tr.x), tr.offsetgroup, tr.text[0]) for tr in slot] == [(["Jiangsu"], "reported", "not stated")]
    assert "Count not stated (cannot compute): Ganzhou, Xuancheng" in footnote(fig).replace("<br>", " ")
    zh = charts.make_density_figure(tables["density"], "zh", all_jurisdictions=ALL)
    assert [a.text for a in zh.layout.annotations if a.name == "not_stated"] == ["未提及", "未提及"]


def bar_extents(fig) -> list[tuple[float, float, float]]:
    """(x from, x to, top) of every drawn bar of a grouped vertical bar chart, in axis units (category i at x = i)."""
    categories = list(fig.layout.xaxis.categoryarray)
    groups = [tr for tr in fig.data if tr.type == "bar" and tr.x and tr.x[0] is not None]
    width = (1 - fig.layout.bargap) / max(len(groups), 1)  # each group's share of a category's slot
    extents = []
    for g, tr in enumerate(groups):
        for x, y in zip(tr.x, tr.y):
            left = categories.index(x) - (1 - fig.layout.bargap) / 2 + g * width
            extents.append((left, left + width, y))
    return extents


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("hide_empty", [False, True])
def test_density_no_annotation_lies_within_a_bar(tables, lang, hide_empty):
    fig = charts.make_density_figure(tables["density"], lang, national=tables["national"], all_jurisdictions=ALL,
                                     hide_empty=hide_empty)
    bars = bar_extents(fig)
    assert len(bars) == 5
    for a in fig.layout.annotations:
        if a.xref == "paper" and a.yref == "paper":
            assert a.y <= 0 and a.yanchor == "top" and (a.yshift or 0) < 0  # the footnote, under the axis labels
            continue
        assert a.xref == "x" and a.yref == "y", a  # nothing else is placed in the plot
        for left, right, top in bars:
            assert not (left <= a.x <= right and a.y <= top), (a.text, a.x, a.y, left, right, top)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_density_legend_sits_under_the_title_and_over_the_plot(tables, lang):
    fig = charts.make_density_figure(tables["density"], lang, national=tables["national"], all_jurisdictions=ALL)
    legend, title = fig.layout.legend, fig.layout.title
    # Left-aligned just over the plot, with room above it (under the title) for two more rows on a phone.
    assert (legend.orientation, legend.x, legend.xanchor, legend.y, legend.yanchor) == ("h", 0, "left", 1.0, "bottom")
    assert (title.yref, title.y, title.yanchor) == ("container", 1, "top")
    assert fig.layout.margin.t >= title.pad.t + 24 + 3 * 20  # the title's line and three legend rows
    shown = [tr.name for tr in fig.data if tr.showlegend is not False]
    assert shown == ([] if lang == "zh" else []) + [charts.t(k, lang) for k in ("reported", "computed", "national")]


def test_density_hides_places_without_a_count_and_sorts_by_value(tables):
    fig = charts.make_density_figure(tables["density"], "en", national=tables["national"], all_jurisdictions=ALL,
                                     hide_empty=True)
    assert list(fig.layout.xaxis.categoryarray) == ["Jiangsu", "Leshan", "Quzhou"]
    assert list(fig.layout.xaxis.range) == [-0.5, 2.5]
    assert not [a for a in fig.layout.annotations if a.name == "not_stated"]
    # Hidden from the axis, still named in the footnote.
    assert "Count not stated (cannot compute): Ganzhou, Xuancheng" in footnote(fig).replace("<br>", " ")
    ranked = charts.make_density_figure(tables["density"], "en", national=tables["national"], all_jurisdictions=ALL,
                                        hide_empty=True, sort_by_value=True)
    assert list(ranked.layout.xaxis.categoryarray) == ["Quzhou", "Jiangsu", "Leshan"]  # 15.04, 11.54, 5.79
    ticks = dict(zip(ranked.layout.xaxis.tickvals, ranked.layout.xaxis.ticktext))
    assert "China 6.25 (2023*)" in ticks["Quzhou"] and "China 6.33 (2020*)" in ticks["Jiangsu"]
    segments = {round((s.x0 + s.x1) / 2): s.y0 for s in ranked.layout.shapes if s.name == "national"}
    assert segments == {0: 6.25, 1: 6.33, 2: 6.38}  # each segment moved with its place
    shown = charts.make_density_figure(tables["density"], "en", all_jurisdictions=ALL, sort_by_value=True)
    assert list(shown.layout.xaxis.categoryarray) == ["Quzhou", "Jiangsu", "Leshan", "Ganzhou", "Xuancheng"]


def test_density_footnote_names_source_replies(tables):
    fig = charts.make_density_figure(tables["density"], "zh", all_jurisdictions=ALL)
    note = footnote(fig).replace("<br>", "")
    for issuer in ("衢州市民政局", "乐山市民政局", "江苏省民政厅"):
        assert issuer in note
    assert "衢市民议函〔2023〕2号" in note
    assert fig.layout.title.text.startswith("每万人拥有社会组织数")


def test_density_nearest_base_and_community(tables):
    fig = charts.make_density_figure(tables["density"], "en", base="nearest", all_jurisdictions=ALL)
    assert dict(zip(trace(fig, "Computed").x, trace(fig, "Computed").y))["Quzhou"] == 14.95
    assert "Nearest year-end population" in footnote(fig)
    comm = charts.make_density_figure(tables["density"], "en", indicator="community_social_orgs", all_jurisdictions=ALL)
    bars = [t.name for t in comm.data if t.type == "bar" and t.x[0] is not None]
    assert bars == ["Computed"]  # no reply states a community density
    assert dict(zip(comm.data[0].x, comm.data[0].y))["Quzhou"] == 63.26
    assert "Community social organisations per 10,000" in comm.layout.title.text


def test_funding_as_stated_marks_lower_bounds_and_scope(tables):
    fig = charts.make_funding_figure(tables["facts"], "en")
    quzhou = trace(fig, "Quzhou")
    by_label = dict(zip(quzhou.y, zip(quzhou.x, quzhou.text)))
    venture = by_label["Quzhou · Venture philanthropy · recent years"]
    # English axes in CNY million: 1,100万 is CNY 11 million, its bound said in words beside the mark.
    assert venture[0] == 11 and venture[1].strip() == "more than CNY 11 million · 300 projects"
    lower = trace(fig, "more than (lower bound)")
    assert lower.marker.symbol == "triangle-right-open"
    assert "Quzhou · Venture philanthropy · recent years" in list(lower.y)
    ganzhou = trace(fig, "Ganzhou")
    assert any("city level (市本级) only" in y for y in ganzhou.y)
    assert any("Guangde city (广德市) only (part of the area)" in y for y in trace(fig, "Xuancheng").y)
    assert "CNY million" in fig.layout.title.text and "Source:" in footnote(fig)
    assert fig.layout.xaxis.exponentformat == "none"  # never "5k"


def test_funding_in_chinese_reads_in_wan_or_yi(tables):
    fig = charts.make_funding_figure(tables["facts"], "zh")
    # Jiangsu's 1.8亿余元 sets the axis in 亿元; each bar still reads as its reply wrote it.
    assert fig.layout.xaxis.title.text == "亿元" and fig.layout.xaxis.exponentformat == "none"
    quzhou = trace(fig, "衢州市")
    texts = [x.strip() for x in quzhou.text]
    assert "超过1,100万元 · 300个项目" in texts and "4,545.12万元 · 345个项目" in texts
    # Each bar carries its permalink and the number as the reply wrote it.
    links = [c[0] for c in quzhou.customdata]
    assert all(link.startswith("/sources?r=quzhou-2023&f=c") for link in links)
    assert any("原文写作: " in c[1] for c in quzhou.customdata)
    big = charts.make_funding_figure(pd.DataFrame([{**tables["facts"][tables["facts"]["indicator"] == "funding"].iloc[0].to_dict(),
                                                   "value": 180000000.0, "qualifier": "more_than", "number_text": "1.8亿余元"}]), "zh")
    assert big.layout.xaxis.title.text == "亿元" and big.data[0].x[0] == 1.8
    assert "1.8亿余元" in big.data[0].customdata[0][1] and "超过1.8亿元" in big.data[0].customdata[0][1]


def test_funding_axis_shows_words_never_fact_ids(tables):
    fig = charts.make_funding_figure(tables["facts"], "en")
    ticks = list(fig.layout.yaxis.ticktext)
    assert len(ticks) == len(fig.layout.yaxis.tickvals) == 13
    assert not any(re.search(r"\bc\d{2,}\b", tick) for tick in ticks)
    # Quzhou's two unspecified "other" sums are told apart by the reply's own words.
    quzhou_other = [tick for tick in ticks if "Quzhou" in tick and "Other" in tick and "period not stated" in tick]
    # In English, with the Chinese kept beside (data/reference/terms_en.csv).
    assert [tick.split(" · ")[-1] for tick in quzhou_other] == ["“pledged (意向)”", "“delivered (落地资金)”"]
    assert ticks[0].startswith("<b><span style='color:#BB4D8A'>Ganzhou</span></b> · Welfare lottery fund<br>")  # its text colour
    # Names are on the axis in their colours, so the legend only explains the bound markers: 余 (lower) and 近 (upper).
    assert [t.name for t in fig.data if t.showlegend is not False] == ["more than (lower bound)", "nearly (upper bound)"]
    upper = trace(fig, "nearly (upper bound)")
    assert upper.marker.symbol == "triangle-left-open"


def test_footnote_starts_at_the_figure_edge_and_wraps_between_words(tables):
    fig = charts.make_funding_figure(tables["facts"], "zh")
    note = [a for a in fig.layout.annotations if a.name == "footnote"][0]
    assert note.xshift == -(fig.layout.margin.l - 10)
    wrapped = charts._wrap("⚠ 乐山市所述 5.08 无法复现：1,831 ÷ 5.08 × 10000 意味着常住人口 360.4万；" * 3, "zh", 40)
    assert wrapped.count("<br>") >= 2
    for number in ("5.08", "1,831", "10000", "360.4万"):
        assert number in wrapped and all(number in part or number not in part.replace("<br>", "")
                                         for part in wrapped.split("<br>"))
    assert not re.search(r"[\d.,]<br>[\d.,]", wrapped)


def test_funding_per_year_divides_by_known_years_only(tables):
    fig = charts.make_funding_figure(tables["facts"], "en", mode="per_year")
    values = {y: x for tr in fig.data if tr.type == "bar" for y, x in zip(tr.y, tr.x)}
    assert values["Quzhou · Government purchase of services · 2021–2023"] == pytest.approx(45.4512 / 3)
    assert values["Leshan · Government purchase of services · since 2019"] == pytest.approx(32 / 3)
    assert values["Ganzhou · Welfare lottery fund · since 2013 · city level (市本级) only"] == pytest.approx(0.4572)
    assert not any("recent years" in y for y in values)  # 近年来 has no start year
    assert "Period unknown" in footnote(fig)


def test_funding_per_resident_excludes_partial_scope(tables):
    rows, dropped = views.funding_rows(tables["facts"], "en", mode="per_resident", population=tables["population"])
    assert set(rows["jurisdiction"]) == {"leshan", "quzhou"}
    quzhou = rows[rows["jurisdiction"] == "quzhou"].iloc[0]
    assert quzhou["shown"] == pytest.approx(45451200 / 3 / 2276184)
    assert any("Ganzhou" in item for item in dropped["scope"])


def test_funding_plans_are_separate(tables):
    fig = charts.make_funding_figure(tables["facts"], "en", status="target")
    assert "Planned funding" in fig.layout.title.text
    assert [list(t.x) for t in fig.data] == [[1.08]]
    achieved = charts.make_funding_figure(tables["facts"], "en")
    assert 1.08 not in [x for t in achieved.data for x in t.x]


def test_funding_empty_selection_says_so(tables):
    fig = charts.make_funding_figure(tables["facts"].iloc[0:0], "en")
    assert "state no funding" in fig.layout.annotations[0].text


def test_funding_per_resident_says_what_was_left_out_and_why(tables):
    ganzhou = tables["facts"][tables["facts"]["jurisdiction"] == "ganzhou"]
    fig = charts.make_funding_figure(ganzhou, "en", mode="per_resident", population=tables["population"])
    assert "state 1 amounts, but none can be shown this way" in fig.layout.annotations[0].text
    assert "Not whole-area, no per-resident figure: Ganzhou Welfare lottery fund CNY 4.57 million" in footnote(fig)
    zh = charts.make_funding_figure(ganzhou, "zh", mode="per_resident", population=tables["population"])
    assert "非全域金额不按人均计算：赣州市 福利彩票公益金 457.2万元" in footnote(zh)


MEASURES = pd.DataFrame([
    {"record_id": "quzhou-2023", "jurisdiction": "quzhou", "category": "direct_funding", "instrument_type": "supply",
     "status": "done", "quote_clean": "福彩公益金支持", "quote": "福彩公益金支持", "issuer": "衢州市民政局", "doc_date": "2023-07-03"},
    {"record_id": "leshan-2021", "jurisdiction": "leshan", "category": "direct_funding", "instrument_type": "supply",
     "status": "planned", "quote_clean": "下一步将加大投入", "quote": "下一步将加大投入", "issuer": "乐山市民政局", "doc_date": "2021-08-20"},
    {"record_id": "leshan-2021", "jurisdiction": "leshan", "category": "tax_incentives", "instrument_type": "environment",
     "status": "done", "quote_clean": "落实税收优惠", "quote": "落实税收优惠", "issuer": "乐山市民政局", "doc_date": "2021-08-20"},
])


def test_measures_matrix_done_planned_and_groups(tables):
    fig = charts.make_measures_figure(MEASURES, "en", codebook=tables["codebook"], jurisdictions={"quzhou": "Quzhou", "leshan": "Leshan"})
    heat = fig.data[0]
    assert list(heat.x) == ["Quzhou", "Leshan"]
    assert heat.y[0].startswith("Supply") and heat.y[-1].startswith("Environment")
    assert [list(r) for r in heat.z] == [[2, 1], [0, 2]]
    assert "■ done" in heat.text[0][0] and "□ planned" in heat.text[0][1]
    assert "乐山市民政局" in footnote(fig)


def test_measures_without_codebook_or_rows():
    fig = charts.make_measures_figure(MEASURES, "zh", codebook=None)
    assert "direct_funding" in fig.data[0].y[0]
    empty = charts.make_measures_figure(MEASURES.iloc[0:0], "en")
    assert "no rows yet" in empty.layout.annotations[0].text


def test_colours_are_fixed_and_deterministic():
    assert color_for("quzhou") == FIXED["quzhou"]
    assert color_for("somewhere-new") == color_for("somewhere-new")
    fig_zh = charts.make_density_figure(read_tables(ROOT / "data")["density"], "zh")
    assert fig_zh.data[0].marker.color[-1] == FIXED["quzhou"]


def test_period_years():
    assert views.period_years({"period_kind": "since", "period_start": "2019", "period_end": "2021-08-20"}) == 3
    assert views.period_years({"period_kind": "recent_years", "period_start": "", "period_end": "2023-07-03"}) is None
    assert views.period_years({"period_kind": "year", "period_start": "2022"}) == 1
    assert views.period_years({"period_kind": "as_of", "period_end": "2023-07-03"}) is None


def test_present_fonts_enlarge_and_keep_dense_charts_on_screen(tables):
    density = charts.present_fonts(charts.make_density_figure(tables["density"], "en", all_jurisdictions=ALL))
    assert density.layout.font.size == 20 and density.layout.yaxis.tickfont.size == 20
    funding = charts.present_fonts(charts.make_funding_figure(tables["facts"], "en"))
    # 13 rows: one-line labels in smaller type, so every row still fits a 1280×720 screen
    assert funding.layout.yaxis.tickfont.size == 13
    assert not any("<br>" in tick for tick in funding.layout.yaxis.ticktext)
    note = [a for a in funding.layout.annotations if a.name == "footnote"][0]
    assert note.font.size == 14 and note.xshift == -(funding.layout.margin.l - 10)
    heat = charts.present_fonts(charts.make_measures_figure(MEASURES, "en", codebook=tables["codebook"]))
    cells = [v for row in heat.data[0].text for v in row]
    assert "■ done" in cells and "□ planned" in cells  # two rows: not dense, the words stay


def test_readable_tables_use_words_not_codes(tables):
    facts = tables["facts"][tables["facts"]["indicator"] == "funding"].head(3)
    out = views.readable(facts, "zh", names={"ganzhou": "赣州市", "jiangsu": "江苏省"},
                         indicator_labels={"funding": "资金"})
    assert "资金渠道" in out.columns and "channel" not in out.columns
    assert "lottery_welfare_fund" not in out["资金渠道"].tolist() and "福利彩票公益金" in out["资金渠道"].tolist()
    assert "as_of" not in set(out["时段类型"]) and "截至某日" in set(out["时段类型"])
    assert out["地区"].tolist()[0] == "赣州市" and out["指标"].tolist()[0] == "资金"
    # The table keeps amounts in yuan: its unit must say 元, not the 万元 of the charts.
    assert set(out["单位"]) == {"元"} and out["数值"].tolist()[0] == "457.2万"  # every digit, in 万 (downloads: 4572000)
    assert set(out["上限"]) == {"—"}  # no upper value outside a range: "does not apply", not "not stated"
    density = views.readable(tables["density"], "en")
    assert "not stated" in density["Per 10,000 (reported)"].tolist()  # never a blank or "None"
    assert set(density["Reproducible"]) <= {"yes", "no", ""}


# ---- bounds: large selections are cut, and the cut is said in the figure ----------------------------------------


def test_nothing_is_cut_or_noted_with_the_real_replies(tables):
    figs = [charts.make_density_figure(tables["density"], "en", all_jurisdictions=ALL),
            charts.make_funding_figure(tables["facts"], "en"),
            charts.make_measures_figure(tables["measures"], "en", codebook=tables["codebook"], jurisdictions=ALL)]
    for fig in figs:
        note = footnote(fig)
        assert "Only the first" not in note and "Too many" not in note and "more replies" not in note


def test_funding_bars_are_bounded_and_places_take_turns(tables):
    fig = charts.make_funding_figure(tables["facts"], "en", max_bars=5)
    bars = [(tr.name, y, x) for tr in fig.data if tr.type == "bar" for y, x in zip(tr.y, tr.x)]
    assert len(bars) == 5 and len(fig.layout.yaxis.tickvals) == 5
    # every place first gets its largest amount
    assert sorted(name for name, _, _ in bars) == sorted(ALL.values())
    quzhou = max(x for name, _, x in bars if name == "Quzhou")
    assert quzhou == max(x for tr in charts.make_funding_figure(tables["facts"], "en").data
                         if tr.type == "bar" and tr.name == "Quzhou" for x in tr.x)
    note = footnote(fig).replace("<br>", " ")
    assert "Too many amounts for one chart: 5 of 13 are drawn" in note and "Places with no amount" not in note
    fig = charts.make_funding_figure(tables["facts"], "zh", max_bars=3)
    note = footnote(fig).replace("<br>", "")
    assert "图中显示 13 个金额中的 3 个" in note and "没有显示任何金额的地区：" in note


def test_density_and_measures_columns_are_bounded_and_named(tables):
    fig = charts.make_density_figure(tables["density"], "en", all_jurisdictions=ALL, max_places=2)
    assert list(fig.layout.xaxis.categoryarray) == ["Jiangsu", "Ganzhou"]  # a count first, as always
    note = footnote(fig).replace("<br>", " ")
    assert "Only the first 2 of the 5 selected places are shown; not shown: Leshan, Quzhou, Xuancheng." in note
    assert "5.08" not in note  # Leshan's flag belongs to a place not drawn
    heat = charts.make_measures_figure(MEASURES, "zh", codebook=tables["codebook"],
                                       jurisdictions={"quzhou": "衢州市", "leshan": "乐山市"}, max_places=1)
    assert list(heat.data[0].x) == ["衢州市"] and len(heat.data[0].y) == 1  # only Quzhou's category row
    note = footnote(heat).replace("<br>", "")
    assert "只显示所选 2 个地区中的前 1 个；未显示：乐山市。" in note and "乐山市民政局" not in note


def test_lists_in_notes_are_bounded():
    from app import fmt

    assert fmt.listing(["A", "B"], "en") == "A, B"
    assert fmt.listing([f"P{i}" for i in range(25)], "en", limit=3) == "P0, P1, P2 and 22 more"
    assert fmt.listing([f"地{i}" for i in range(25)], "zh", limit=2) == "地0、地1等另外 23 个"
    many = pd.DataFrame({"record_id": [f"r{i}" for i in range(30)], "issuer": "X市民政局", "doc_date": "2024-01-01"})
    line = fmt.sources_line(many, "en")
    assert line.count("X市民政局") == 12 and line.endswith("and 18 more replies (all listed on the Sources page "
                                                          "and in the XLSX download's sources sheet)")


# ---- compare helpers (app/views.py) ---------------------------------------------------------------------------

LESHAN_COMMUNITY = "社区社会组织5611个(其中:登记在册89个、乡镇(街道)备案52个、纳入村和社区指导管理5470个)"


def test_part_labels_keep_brackets_whole_and_drop_qizhong():
    q = LESHAN_COMMUNITY
    assert views.part_label(q, q.index("89个")) == "登记在册"
    assert views.part_label(q, q.index("52个")) == "乡镇(街道)备案"
    assert views.part_label("目前,全市直接登记社会组织120余家,其中市本级13家", len("目前,全市直接登记社会组织120余家,其中市本级")) == "市本级"


def test_breakdowns_find_a_total_and_its_parts(tables):
    parts = views.breakdowns(tables["facts"])
    leshan = parts[("leshan-2021", "c322")]
    assert [(p["value"], p["part_label"]) for p in leshan] == [(89.0, "登记在册"), (52.0, "乡镇(街道)备案"),
                                                             (5470.0, "纳入村和社区指导管理")]
    # 2个、8个、15个 training bases are three figures, not a total with parts; 18 and 8 per community neither.
    assert ("jiangsu-2021", "c1236") not in parts and ("quzhou-2023", "c373") not in parts


def test_indicator_table_folds_parts_and_names_rival_figures(tables):
    facts = tables["facts"][tables["facts"]["jurisdiction"].isin(["leshan", "quzhou"])]
    table = views.indicator_table(facts, ["leshan", "quzhou"], {}, "zh").set_index("指标")
    assert table.loc["community_social_orgs", "leshan"] == (
        "5,611个（截至2021-08-20） — 其中：登记在册 89个、乡镇(街道)备案 52个、纳入村和社区指导管理 5,470个")
    per_community = table.loc["community_social_orgs_per_community", "quzhou"]
    assert per_community.startswith("每个城市社区平均拥有社区社会组织：18") and "每个农村社区平均拥有社区社会组织：8" in per_community


def test_comparability_warnings():
    city = {"period_end": "2023-05-31", "scope_kind": "whole", "qualifier": "exact"}
    province = {"period_end": "2020-12-31", "scope_kind": "level_only", "scope_area": "省本级", "qualifier": "more_than"}
    assert views.comparability(province, city, "en") == [
        "⚠ years differ (2020 against 2023)", "⚠ scopes differ (provincial level (省本级) only against whole jurisdiction)",
        "⚠ a bound, the other figure is exact"]
    assert views.comparability(city, {**city, "period_end": "2022-12-31"}, "en") == []


def test_distinctive_terms_without_place_names_or_pronouns(tables):
    excluded = views.excluded_terms(ROOT / "data" / "reference")
    terms = pd.DataFrame({"term": ["衢州市", "我省", "赣县", "民政厅", "清廉", "党建", "的"], "score": range(7)})
    assert views.meaningful_terms(terms, excluded)["term"].tolist() == ["清廉", "党建"]


def test_funding_log_scale_when_asked_and_linear_otherwise(tables):
    linear = charts.make_funding_figure(tables["facts"], "zh")
    assert linear.layout.xaxis.type in (None, "linear") and linear.layout.xaxis.range[0] == 0
    assert "对数刻度" not in footnote(linear)
    log = charts.make_funding_figure(tables["facts"], "zh", log_x=True)
    assert log.layout.xaxis.type == "log"
    low, high = log.layout.xaxis.range  # in powers of ten of the axis unit (亿元 here)
    values = [x for tr in log.data if tr.type == "bar" for x in tr.x if x is not None]
    assert 10 ** low < min(values) and max(values) < 10 ** high  # 55万 (0.0055亿) and 1.8亿 both on the axis
    assert math.log10(min(values)) - low >= 0.4  # the smallest bar is a bar, not a sliver at the edge
    assert "对数刻度" in footnote(log).replace("<br>", "")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_funding_labels_stand_over_their_bars_and_the_bars_keep_the_width(tables, lang):
    fig = charts.make_funding_figure(tables["facts"], lang)
    y = fig.layout.yaxis
    # No column of labels at the left: the plot takes the figure's width, the labels stand inside it over the bars.
    assert fig.layout.margin.l <= 20 and y.ticklabelposition == "inside"
    lines = max(tick.count("<br>") + 1 for tick in y.ticktext)
    row = charts.ROW_LINE * lines + charts.ROW_BAR
    bars = [tr for tr in fig.data if tr.type == "bar" and tr.x[0] is not None]
    assert all(tr.width == charts.BAR_WIDTH for tr in bars)
    # A label's lower edge (its centre shifted up by ticklabelshift, less half its lines) clears its bar's top.
    assert y.ticklabelshift - charts.ROW_LINE * lines / 2 >= charts.BAR_WIDTH * row / 2
    # The first row's label has room over it: the axis starts above the first row by at least what the label needs.
    plot_h = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    px_per_row = plot_h / (y.range[0] - y.range[1])
    assert (-0.5 - y.range[1]) * px_per_row + px_per_row / 2 >= y.ticklabelshift + charts.ROW_LINE * lines / 2 - 2
    # Amounts inside a long bar (from its start, clear of the ▷ at its end), beside a short one.
    assert all(tr.textposition == "auto" and tr.insidetextanchor == "start" for tr in bars)
    legend = fig.layout.legend
    assert (legend.orientation, legend.x, legend.xanchor, legend.yanchor) == ("h", 0, "left", "bottom")
    assert "<br>" in fig.layout.title.text  # the mode and unit on a second line, not off a phone's screen


def test_funding_per_year_footnote_counts_what_it_leaves_out(tables):
    fig = charts.make_funding_figure(tables["facts"], "en", mode="per_year")
    note = footnote(fig).replace("<br>", " ")
    assert re.search(r"Period unknown, no per-year figure: \d+ amounts, each listed below the chart", note)
    assert "Jiangsu Welfare lottery fund" not in note  # the list itself is on the page
    plot_h = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    assert fig.layout.margin.b < plot_h + 60  # the notes no longer outgrow the chart


def test_measures_cells_hold_symbols_alone_beyond_three_places(tables):
    five = pd.concat([MEASURES.assign(jurisdiction=s) for s in ("a", "b", "c", "d", "e")])
    heat = charts.make_measures_figure(five, "en", codebook=tables["codebook"]).data[0]
    cells = {v for row in heat.text for v in row}
    assert cells <= {"■", "□", ""} and "■" in cells  # a phone's narrow cells hold a symbol, not "■ done"
    assert {v for row in heat.customdata for v in row} >= {"■ done"}  # the words in the hover
    assert "%{customdata}" in heat.hovertemplate
