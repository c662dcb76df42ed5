"""Several replies from one place (issue 22): each page shows the place's newest figure by default, says which reply
it comes from and what it changed from; the time view draws every figure; compare picks a year per side. The data
folder holds our own 2021 and 2022 Quzhou replies beside the real 2023 one (tests/over_time.py)."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from tests.over_time import QUZHOU_REPLIES


@pytest.fixture
def over_time(over_time_data, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(over_time_data))
    return over_time_data


def page(name: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=60)
    at.query_params.update(query)
    return at.run()


def unlinked(markdown: str) -> str:
    """Markdown as read: links as their text, escapes and word joiners removed."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", str(markdown))
    return re.sub(r"\\(.)", r"\1", text.replace("**", "")).replace("\u2060", "")


def test_the_tables_list_each_places_replies_newest_first(over_time):
    from app.data import read_tables

    tables = read_tables(over_time)
    docs = tables["documents"]
    assert docs.loc[docs["jurisdiction"] == "quzhou", "record_id"].tolist() == QUZHOU_REPLIES
    assert docs["jurisdiction"].drop_duplicates().tolist() == ["ganzhou", "jiangsu", "leshan", "quzhou", "xuancheng"]
    facts = tables["facts"]
    totals = facts[(facts["jurisdiction"] == "quzhou") & (facts["indicator"] == "social_orgs_total")]
    assert totals[["record_id", "value", "period_end"]].values.tolist() == [
        ["quzhou-2023", 3424.0, "2023-05-31"], ["quzhou-2022", 3085.0, "2021-12-31"], ["quzhou-2021", 2876.0, "2020-12-31"]]


def test_the_overview_card_shows_the_newest_figures_the_change_and_the_other_replies(over_time):
    at = page("overview", j="quzhou", lang="en")
    assert not at.exception
    metrics = {m.label: unlinked(m.value) for m in at.metric}
    assert metrics["Registered organisations"] == "3,424"
    assert metrics["Per 10,000 (reported)"] == "14.95"
    body = "\n".join(unlinked(m.value) for m in at.markdown)
    assert "Date: 2023-07-03" in body
    assert "3 replies from this place; each figure is the newest (also: 2022-06-28, 2021-06-25)" in body
    assert ("Change: Registered organisations +339 since 2021-12-31 (from 3,085); Per 10,000 (reported) +1.40 since "
            "2021-12-31 (from 13.55 per 10,000 residents)") in body
    # The amounts are the newest reply's own (the 2022 and 2021 replies' 860万元 and 280万元 are not on the card).
    assert "8.6" not in body.split("Funding by channel")[1] and "2.8" not in body.split("Funding by channel")[1]


def test_the_change_links_to_the_older_sentence(over_time):
    at = page("overview", j="quzhou", lang="en")
    change = next(m.value for m in at.markdown if "Change" in m.value)
    assert "/sources?r=quzhou-2022&f=c280" in change and "/sources?r=quzhou-2022&f=c315" in change


def test_a_figure_only_an_older_reply_states_is_shown_with_its_reply(over_time, monkeypatch):
    """The 2023 reply states no community organisations' count of its own in this copy: the 2022 one's is shown,
    its tooltip naming the reply."""
    from app import data

    real = data.read_tables

    def without_2023_community(base):
        tables = real(base)
        facts = tables["facts"]
        tables["facts"] = facts[~((facts["record_id"] == "quzhou-2023") & (facts["indicator"] == "community_social_orgs"))]
        dens = tables["density"]
        tables["density"] = dens[~((dens["record_id"] == "quzhou-2023") & (dens["indicator"] == "community_social_orgs"))]
        return tables

    monkeypatch.setattr(data, "read_tables", without_2023_community)
    data._cached.clear()
    try:
        at = page("overview", j="quzhou", lang="en")
        community = next(m for m in at.metric if m.label == "Community organisations")
        assert unlinked(community.value) == "12,600"
        assert "/sources?r=quzhou-2022&f=c331" in community.value
    finally:
        data._cached.clear()


def compare_table(at: AppTest) -> str:
    return next(unlinked(m.value) for m in at.markdown if m.value.startswith("| "))


def test_compare_reads_each_side_up_to_its_year(over_time):
    at = page("compare", a="quzhou", b="leshan", lang="en")
    assert not at.exception
    assert [s.label for s in at.selectbox] == ["Jurisdiction A", "Replies up to", "Jurisdiction B"]  # Leshan: one year
    assert at.selectbox[1].options == ["latest (2023)", "2022", "2021"]
    assert "| Registered social organisations | 3,424" in compare_table(at)
    at = page("compare", a="quzhou", b="leshan", ya="2021", lang="en")
    assert at.selectbox[1].value == "2021"
    table = compare_table(at)
    assert "| Registered social organisations | 2,876 :orange-badge[◌ unreviewed] (as of 2020-12-31)" in table
    assert "3,424" not in table and "3,085" not in table
    # Leshan's figures are as of 2021-08-20: a 2023 Quzhou against it is said to be years apart; the 2021 pick is not.
    assert not [m for m in at.markdown if "years apart" in m.value]
    at = page("compare", a="quzhou", b="leshan", lang="en")
    # Said once above the chart (issue 23: a ⚠ line, not a warning box in every view).
    assert [unlinked(m.value) for m in at.markdown if "years apart" in m.value] == [
        "⚠ Different dates: Quzhou's figures are as of 2023-05-31 and Leshan's as of 2021-08-20, about 1.8 years "
        "apart; part of the difference is growth over that time. Rows of the same two years are not marked again below."]


def test_the_time_view_draws_every_reply_of_a_place_as_a_point_on_its_line(over_time):
    at = page("trends", j="quzhou,leshan", lang="en")
    assert not at.exception, at.exception
    count, dens = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    quzhou = next(tr for tr in count["data"] if tr["name"] == "Quzhou")
    assert quzhou["y"] == [2876.0, 3085.0, 3424.0]
    assert [x[:10] for x in quzhou["x"]] == ["2020-12-31", "2021-12-31", "2023-05-31"]
    assert [c[0] for c in quzhou["customdata"]] == ["/sources?r=quzhou-2021&f=c265&lang=en",
                                                    "/sources?r=quzhou-2022&f=c280&lang=en",
                                                    "/sources?r=quzhou-2023&f=c299&lang=en"]
    computed = next(tr for tr in dens["data"] if tr["name"] == "Quzhou")
    assert computed["y"] == [12.64, 13.55, 15.04]
    china = next(tr for tr in dens["data"] if tr["name"] == "China")
    assert [x[:4] for x in china["x"]] == ["2020", "2021", "2022", "2023"] and china["line"]["dash"] == "dash"
    assert at.select_slider[0].value == (2020, 2023)


def test_the_period_comes_from_the_url_and_cuts_the_points(over_time):
    at = page("trends", j="quzhou", lang="en", period="2021-2022")
    assert not at.exception
    count = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert next(tr for tr in count["data"] if tr["name"] == "Quzhou")["y"] == [3085.0]
    assert at.select_slider[0].value == (2021, 2022)
    at = page("trends", j="quzhou", lang="en", period="1800-9999")  # not a period of the data: all of it
    assert at.select_slider[0].value == (2020, 2023) and not at.exception


def test_the_time_view_says_when_each_place_has_one_date(over_time):
    at = page("trends", j="leshan,ganzhou", lang="en")
    assert not at.exception
    assert any("Each place chosen has figures of one date so far" in i.value for i in at.info)


SEEDS = "ganzhou,jiangsu,leshan,quzhou,xuancheng"
# The overview of the five seeds, each with one reply, figure by figure (as before issue 22).
SEED_METRICS = [
    ("Registered organisations", "not stated"), ("Community organisations", "not stated"),
    ("Per 10,000 (reported)", "not stated"), ("Per 10,000 (computed)", "not stated"),
    ("Registered organisations", "1,831"), ("Community organisations", "5,611"), ("Per 10,000 (reported)", "5.08"),
    ("Per 10,000 (computed)", "5.79"), ("China per 10,000 (2021)", "6.38"),
    ("Registered organisations", "not stated"), ("Community organisations", "not stated"),
    ("Per 10,000 (reported)", "not stated"), ("Per 10,000 (computed)", "not stated"),
    ("Registered organisations", "97,800"), ("Community organisations", "153,000"),
    ("Per 10,000 (reported)", "not stated"), ("Per 10,000 (computed)", "11.54"), ("China per 10,000 (2020)*", "6.33"),
    ("Registered organisations", "3,424"), ("Community organisations", "14,400"), ("Per 10,000 (reported)", "14.95"),
    ("Per 10,000 (computed)", "15.04"), ("China per 10,000 (2023)*", "6.25"),
]


def test_the_seed_pages_show_the_figures_they_showed_with_one_reply_each(monkeypatch, over_time_data):
    at = page("overview", j=SEEDS, lang="en")
    assert [(m.label, unlinked(m.value)) for m in at.metric] == SEED_METRICS
    assert not any("replies from this place" in m.value or "Change" in m.value for m in at.markdown)
    # With Quzhou's older replies added, Quzhou's card shows its newest figures and every other card is unchanged.
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(over_time_data))
    at = page("overview", j=SEEDS, lang="en")
    assert [(m.label, unlinked(m.value)) for m in at.metric] == SEED_METRICS


def test_the_sidebar_says_which_places_have_several_replies(over_time):
    at = page("overview", j="quzhou,leshan", lang="en")
    assert [unlinked(c.value) for c in at.sidebar.caption if "Several replies" in c.value] == [
        "Several replies: Quzhou (3). Pages show each place's newest figures; “Over time” shows them all."]


def test_the_density_chart_and_the_presenter_take_the_newest_reply(over_time):
    at = page("density", j="quzhou,leshan", lang="en")
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    reported = next(tr for tr in fig["data"] if tr.get("name") == "Reported" and tr.get("x") and tr["x"][0])
    assert dict(zip(reported["x"], reported["y"])) == {"Quzhou": 14.95, "Leshan": 5.08}
    assert "/sources?r=quzhou-2023&f=c334&lang=en" in [c[0] for c in reported["customdata"]]
    slides = page("present", j="quzhou,leshan", lang="en", step="1")
    assert not slides.exception
    shown = " ".join(str(m.value) for m in slides.markdown) + " ".join(str(c.proto.spec) for c in slides.get("plotly_chart"))
    assert "3,424" in shown or "14.95" in shown
    assert "3,085" not in shown and "13.55" not in shown
