"""The compare page's pure parts on small literal tables: which pair is shown first, its chart, the flag beside
Leshan's 5.08 and the density table's flag columns up front."""

import math

import pandas as pd

from app import views
from app.charts_compare import make_compare_figure

COLS = ["jurisdiction", "record_id", "id", "indicator", "value", "unit", "status", "scope_kind", "period_end", "doc_date"]


def facts(*rows) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(COLS, r)) for r in rows], columns=COLS)


def fact(place, indicator, value, end, status="achievement", scope="whole"):
    return (place, f"{place}-r", f"c{int(value)}", indicator, value, "count", status, scope, end, end)


LEVELS = {"a": "prefecture", "b": "province", "c": "prefecture", "d": "prefecture"}


def test_the_pair_sharing_the_most_stated_headline_figures_wins():
    # a and c share two indicators; b shares all three with a but is a province: the count of shared figures first.
    f = facts(fact("a", "social_orgs_total", 100, "2021-12-31"), fact("a", "community_social_orgs", 50, "2021-12-31"),
              fact("a", "social_orgs_per_10k", 5, "2021-12-31"),
              fact("b", "social_orgs_total", 900, "2021-12-31"), fact("b", "community_social_orgs", 70, "2021-12-31"),
              fact("b", "social_orgs_per_10k", 9, "2021-12-31"),
              fact("c", "social_orgs_total", 200, "2021-12-31"), fact("c", "community_social_orgs", 60, "2021-12-31"))
    assert views.most_comparable_pair(f, LEVELS, ["a", "b", "c", "d"]) == ("a", "b")
    # Without b's third figure, a-b and a-c share two each: the same level (a, c) wins over the closer order.
    f2 = f[~((f["jurisdiction"] == "b") & (f["indicator"] == "social_orgs_per_10k"))]
    assert views.most_comparable_pair(f2, LEVELS, ["a", "b", "c", "d"]) == ("a", "c")


def test_closest_years_break_a_tie_and_targets_or_parts_do_not_count():
    f = facts(fact("a", "social_orgs_total", 100, "2021-12-31"), fact("c", "social_orgs_total", 300, "2023-12-31"),
              fact("d", "social_orgs_total", 400, "2022-06-30"),
              # a target and a part of the area are no headline figure: they make no shared indicator
              fact("c", "community_social_orgs", 10, "2023-12-31", status="target"),
              fact("a", "community_social_orgs", 5, "2021-12-31", scope="sub_area"),
              fact("d", "community_social_orgs", 9, "2022-06-30"))
    # Each pair shares the total only; a-c are 2 years apart, a-d and c-d 1: of those two, the earlier in slugs.
    assert views.most_comparable_pair(f, LEVELS, ["a", "c", "d"]) == ("a", "d")
    assert views.most_comparable_pair(f, LEVELS, ["c", "d", "a"]) == ("c", "d")


def test_two_places_are_the_pair_and_one_is_none():
    f = facts(fact("a", "social_orgs_total", 100, "2021-12-31"))
    assert views.most_comparable_pair(f, LEVELS, ["d", "a"]) == ("d", "a")  # the reader's own two, in order
    assert views.most_comparable_pair(f, LEVELS, ["a"]) is None
    assert views.most_comparable_pair(facts(), LEVELS, ["a", "b", "c"]) == ("a", "c")  # nothing stated: same level


def chart_rows(*rows) -> pd.DataFrame:
    cols = ["indicator", "jurisdiction", "name", "value", "value_text", "when", "link", "is_draft", "flag"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)


def test_compare_figure_one_panel_per_indicator_values_with_dates_and_not_stated_as_text():
    rows = chart_rows(
        ("Registered", "leshan", "Leshan", 1831.0, "1,831", "as of 2021-08-20", "/sources?r=l&f=c310", False, False),
        ("Registered", "quzhou", "Quzhou", 3424.0, "3,424", "as of 2023-05-31", "/sources?r=q&f=c299", False, False),
        ("Per 10,000 (reported)", "leshan", "Leshan", 5.08, "5.08", "as of 2021-08-20", "/sources?r=l&f=c390", False, True),
        ("Per 10,000 (reported)", "quzhou", "Quzhou", math.nan, "", "", "", False, False),
    )
    fig = make_compare_figure(rows, "en")
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["Registered", "Per 10,000 (reported)"]
    bars = [tr for tr in fig.data if tr.type == "bar"]
    assert [(b.x[0], b.y[0]) for b in bars] == [("Leshan", 1831.0), ("Quzhou", 3424.0), ("Leshan", 5.08)]
    assert bars[0].text[0] == "1,831<br>as of 2021-08-20"
    assert bars[2].text[0].startswith("⚠ 5.08") and bars[2].marker.line.width == 3  # the flag, on its bar
    assert bars[1].customdata[0][0] == "/sources?r=q&f=c299"  # a click opens the sentence
    # Quzhou's reported density is not stated: a word in the second panel, no bar (never a bar of 0).
    words = [tr for tr in fig.data if tr.type == "scatter"]
    assert len(words) == 1 and words[0].text == ("not stated",) and words[0].xaxis == "x2"
    assert not any(b.y[0] == 0 for b in bars)
    zh = make_compare_figure(rows.assign(value_text=rows["value_text"]), "zh")
    assert [tr.text for tr in zh.data if tr.type == "scatter"] == [("未提及",)]


def test_compare_figure_without_rows_says_not_stated():
    fig = make_compare_figure(chart_rows(), "zh")
    assert not fig.data and fig.layout.annotations[0].text == "未提及"


DENSITY = pd.DataFrame({
    "record_id": ["leshan-2021", "leshan-2021", "quzhou-2023"], "jurisdiction": ["leshan", "leshan", "quzhou"],
    "indicator": ["social_orgs_total"] * 3, "fact_id": ["c310", "c310", "c299"], "count": [1831.0, 1831.0, 3424.0],
    "reported_per_10k": [5.08, 5.08, 14.95], "reported_fact_id": ["c390", "c390", "c334"],
    "base": ["census", "nearest", "census"], "is_reproducible": ["False", "False", "True"],
    "flag_note": ["1,831 / 5.08 per 10,000 implies 360.4万 residents; no published population (315.1万, 345.6万) gives 5.08"] * 2 + [""],
})


def test_density_flags_name_the_reported_fact_in_the_readers_language():
    en = views.density_flags(DENSITY, "leshan-2021", "en")
    zh = views.density_flags(DENSITY, "leshan-2021", "zh")
    assert list(en) == ["c390"] and list(zh) == ["c390"]
    assert "implies 3.604 million residents" in en["c390"] and "万" not in en["c390"]
    assert "意味着常住人口 360.4万" in zh["c390"]
    assert views.density_flags(DENSITY, "quzhou-2023", "en") == {}  # reproducible: no flag
    assert views.density_flags(None, "leshan-2021", "en") == {}


def test_flag_columns_come_right_after_the_indicator():
    out = views.flag_up_front(DENSITY)
    assert list(out.columns)[:5] == ["record_id", "jurisdiction", "indicator", "is_reproducible", "flag_note"]
    assert views.flag_up_front(DENSITY.drop(columns=["is_reproducible", "flag_note"])).columns.tolist() == \
        DENSITY.drop(columns=["is_reproducible", "flag_note"]).columns.tolist()
