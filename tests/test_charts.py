"""Chart functions called without Streamlit: values plotted, titles, footnotes naming sources, gaps not drawn as 0."""

import math

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


def test_density_as_of_dates_on_bars_and_flag(tables):
    fig = charts.make_density_figure(tables["density"], "en", all_jurisdictions=ALL)
    rep = trace(fig, "Reported")
    texts = dict(zip(rep.x, rep.text))
    assert "as of 2023-05-31" in texts["Quzhou"]
    assert "⚠" in texts["Leshan"] and "⚠" not in texts["Quzhou"]
    note = footnote(fig)
    assert "Leshan's reported 5.08 cannot be reproduced" in note
    assert "360.4万" in note


def test_density_not_stated_is_not_plotted_as_zero(tables):
    fig = charts.make_density_figure(tables["density"], "en", all_jurisdictions=ALL)
    for tr in fig.data:
        assert "Xuancheng" not in list(tr.x) and "Ganzhou" not in list(tr.x)
        assert all(v is not None and not math.isnan(v) and v > 0 for v in tr.y)
    assert "Count not stated (cannot compute): Ganzhou, Xuancheng" in footnote(fig).replace("<br>", " ")


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
    assert [t.name for t in comm.data] == ["Computed"]  # no reply states a community density
    assert dict(zip(comm.data[0].x, comm.data[0].y))["Quzhou"] == 63.26
    assert "Community social organisations per 10,000" in comm.layout.title.text


def test_funding_as_stated_marks_lower_bounds_and_scope(tables):
    fig = charts.make_funding_figure(tables["facts"], "en")
    quzhou = trace(fig, "Quzhou")
    by_label = dict(zip(quzhou.y, zip(quzhou.x, quzhou.text)))
    venture = by_label["Quzhou · Venture philanthropy · recent years"]
    assert venture[0] == 1100 and venture[1].strip().startswith("≥ 1,100.0") and "300 projects" in venture[1]
    lower = trace(fig, "more than (lower bound)")
    assert lower.marker.symbol == "triangle-right-open"
    assert "Quzhou · Venture philanthropy · recent years" in list(lower.y)
    ganzhou = trace(fig, "Ganzhou")
    assert any("市本级 only" in y for y in ganzhou.y)
    assert any("广德市 only (part of the area)" in y for y in trace(fig, "Xuancheng").y)
    assert "万元" in fig.layout.title.text and "Source:" in footnote(fig)


def test_funding_per_year_divides_by_known_years_only(tables):
    fig = charts.make_funding_figure(tables["facts"], "en", mode="per_year")
    values = {y: x for tr in fig.data if tr.type == "bar" for y, x in zip(tr.y, tr.x)}
    assert values["Quzhou · Government purchase of services · 2021–2023"] == pytest.approx(4545.12 / 3)
    assert values["Leshan · Government purchase of services · since 2019"] == pytest.approx(3200 / 3)
    assert values["Ganzhou · Welfare lottery fund · since 2013 · 市本级 only (own level)"] == pytest.approx(45.72)
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
    assert [list(t.x) for t in fig.data] == [[108.0]]
    achieved = charts.make_funding_figure(tables["facts"], "en")
    assert 108.0 not in [x for t in achieved.data for x in t.x]


def test_funding_empty_selection_says_so(tables):
    fig = charts.make_funding_figure(tables["facts"].iloc[0:0], "en")
    assert "state no funding" in fig.layout.annotations[0].text


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
