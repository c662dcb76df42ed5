"""The compare page's first view, its chart and URL pair, and the Leshan flag where a reader lands from 5.08 on the
Sources page (AppTest, the project's data)."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT


def page(name: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=30)
    at.query_params.update(query)
    return at.run()


def plain(markdown) -> str:
    return re.sub(r"\\(.)", r"\1", str(markdown)).replace("\u2060", "")


def headline(at: AppTest) -> dict[str, str]:
    table = next(m.value for m in at.markdown if m.value.startswith("| "))
    return {line.split(" | ")[0].strip("| "): plain(line) for line in table.splitlines()[2:]}


def test_compare_opens_on_the_most_comparable_pair_with_its_chart_and_no_warning():
    at = page("compare", lang="en")
    assert not at.exception, at.exception
    # Leshan and Quzhou: both prefecture-level, both state all three headline figures (Ganzhou against Jiangsu was
    # a city against a province with nothing stated in common).
    assert (at.selectbox[0].value, at.selectbox[1].value) == ("leshan", "quzhou")
    assert not at.warning
    assert "the two places that compare best" in "\n".join(c.value for c in at.caption)
    rows = headline(at)
    assert "not stated" not in rows["Registered social organisations"]
    # The years are said once, above the table, with both dates; no row repeats them.
    note = next(plain(m.value) for m in at.markdown if m.value.startswith("⚠"))
    assert "Leshan's figures are as of 2021-08-20 and Quzhou's as of 2023-05-31" in note
    assert not any("years differ (2021 against 2023)" in r for r in rows.values())
    # ⚠ only where it says something specific: Leshan's 5.08, and a bound per resident against an exact one; totals
    # that cannot be put per resident say why in their cell and carry no ⚠.
    marked = {k: r for k, r in rows.items() if "⚠" in r}
    assert set(marked) == {"Per 10,000 residents (reported)",
                           "Funding: Government purchase of services (yuan per resident per year, or totals as stated)"}
    assert "(as of 2021-08-20) ⚠ no published population reproduces it | [14.95" in marked["Per 10,000 residents (reported)"]
    assert rows["Per 10,000 residents (reported)"].count("⚠") == 1
    # Funding rows say what their cells show: per resident where they are, the totals as stated where not.
    assert "Funding: Government purchase of services (yuan per resident per year, or totals as stated)" in rows
    assert "Funding: Other (totals as stated)" in rows
    # The chart: one panel per headline row, each place's value with its date; the flag on Leshan's 5.08.
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    titles = [a["text"] for a in fig["layout"]["annotations"]]
    assert titles[:2] == ["Registered social<br>organisations", "Per 10,000 residents<br>(reported)"]  # wrapped
    bars = {(t["xaxis"], t["x"][0]): t for t in fig["data"] if t["type"] == "bar"}
    assert bars[("x", "Leshan")]["y"] == [1831.0] and bars[("x", "Quzhou")]["y"] == [3424.0]
    assert bars[("x", "Leshan")]["text"][0] == "1,831<br>as of 2021-08-20"
    assert bars[("x2", "Leshan")]["text"][0].startswith("⚠ 5.08")


def test_a_url_pair_and_years_win_over_the_default():
    at = page("compare", a="ganzhou", b="jiangsu", lang="en")
    assert (at.selectbox[0].value, at.selectbox[1].value) == ("ganzhou", "jiangsu")
    assert "Ganzhou is a prefecture-level city and Jiangsu a province" in "\n".join(w.value for w in at.warning)
    assert "the two places that compare best" not in "\n".join(c.value for c in at.caption)
    # Nothing stated for Ganzhou: written in the chart, never a bar of 0.
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [t["x"][0] for t in fig["data"] if t["type"] == "bar"] == ["Jiangsu", "Jiangsu", "Jiangsu"]
    assert {t["text"][0] for t in fig["data"] if t["type"] == "scatter"} == {"not stated"}
    assert (at.query_params["a"], at.query_params["b"]) == ("ganzhou", "jiangsu")


@pytest.mark.parametrize("lang, words", [
    ("zh", ["⚠ 存疑：", "意味着常住人口 360.4万", "都得不出 5.08"]),
    ("en", ["⚠ Flagged: ", "implies 3.604 million residents", "gives 5.08"]),
])
def test_sources_shows_the_leshan_flag_beside_the_5_08_fact(lang, words):
    at = page("sources", r="leshan-2021", f="c390", lang=lang)
    assert not at.exception, at.exception
    flag = plain("\n".join(w.value for w in at.warning))
    assert all(w.lstrip("⚠ ") in flag for w in words), flag  # st.warning shows a leading ⚠ as its icon
    # Beside its entry in the list of the reply's facts, too.
    html = "\n".join(h.proto.body for h in at.get("html"))
    entry = re.search(r'<li><a href="#f-c390"[^>]*>.*?</li>', html).group(0)
    assert all(w.strip() in entry for w in words), entry
    # Another fact of the reply lands without the flag banner.
    other = page("sources", r="leshan-2021", f="c310", lang=lang)
    assert not other.warning
