"""Review state everywhere (issue 20): a draft is marked the same way on every page, chart, slide and download; a
held-back number reaches none of them until a person accepts it in the workbench, where it is listed first with why.

The data: tests/review_data.py (the five reviewed seed replies, Luoyang 2021 unreviewed: 5872家 a draft the loader
is sure of, 860万元 held back)."""

import io
import json
import re
import shutil
from datetime import date

import pandas as pd
import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from app import charts, deck, export, review
from app.data import read_tables, split_published
from conftest import ROOT
from loaders import curate
from loaders.records import load_curation, load_record
from loaders.tables import is_published, published_mask
from review_data import (
    DRAFT_SHOWN, HELD_REASON, HELD_SHOWN, HELD_TEXT, HELD_WORDS, UNREVIEWED_ID, holding_back, make_review_data,
)

MARK = {"zh": "◌ 未审核", "en": "◌ unreviewed"}
HELD_WHY = {"zh": f"金额的用途不明（「{HELD_WORDS}」），不一定是对社会组织的资金投入，请核对",
            "en": f"What the amount is (「{HELD_WORDS}」) is unclear: it may not be money given to organisations; check"}


@pytest.fixture(scope="module")
def review_folder(tmp_path_factory):
    return make_review_data(tmp_path_factory.mktemp("review") / "data")


@pytest.fixture
def on_review_data(review_folder, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(review_folder))
    return review_folder


@pytest.fixture(scope="module")
def tables(review_folder):
    return read_tables(review_folder)


def run(name: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=60)
    at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def plain(markdown) -> str:
    """What escaped Markdown shows (app.safe.escape_text's backslashes and word joiners removed)."""
    return re.sub(r"\\(.)", r"\1", str(markdown)).replace("\u2060", "")


def everything(at: AppTest) -> str:
    """Every text a page shows: Markdown, captions, messages, metrics (value and delta), tables, figures, HTML."""
    parts = [plain(e.value) for kind in ("markdown", "caption", "info", "warning", "error", "success", "title",
                                           "subheader") for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value} {m.proto.delta}" for m in at.metric]
    parts += [df.value.to_csv() for df in at.dataframe]
    parts += [el.proto.spec for el in at.get("plotly_chart")]
    parts += [el.proto.body for el in at.get("html")]
    return "\n".join(parts)


# ---- the split, once, by the loader's rule ---------------------------------------------------------------------------


def test_the_dashboard_publishes_by_the_loaders_own_rule(review_folder, tables):
    raw = pd.read_csv(review_folder / "tables" / "facts.csv", dtype=str, keep_default_na=False)
    # The vectorised rule and the one a build applies to each fact agree on every row.
    rows = [type("Row", (), {"is_reviewed": r["is_reviewed"], "confidence": r["confidence"]}) for _, r in raw.iterrows()]
    assert published_mask(raw).tolist() == [is_published(r) for r in rows]
    assert list(zip(tables["held_facts"]["record_id"], tables["held_facts"]["id"])) == [(UNREVIEWED_ID, "c279")]
    assert (UNREVIEWED_ID, "c279") not in set(zip(tables["facts"]["record_id"], tables["facts"]["id"]))
    assert len(tables["facts"]) + 1 == len(raw)
    assert tables["held_facts"]["name_zh"].tolist() == ["洛阳市"]  # enriched like the published facts
    # A reviewed low-confidence fact is published; an unreviewed high-confidence one too (a draft).
    frame = pd.DataFrame({"is_reviewed": [True, False, False], "confidence": ["low", "high", "low"], "id": ["a", "b", "c"]})
    published, held = split_published(frame)
    assert published["id"].tolist() == ["a", "b"] and held["id"].tolist() == ["c"]


def test_the_seed_replies_are_reviewed_and_show_no_draft_mark():
    real = read_tables(ROOT / "data")
    assert real["held_facts"].empty and bool(real["facts"]["is_reviewed"].all())
    shown = "\n".join(everything(run(name, lang=lang)) for name, lang in (
        ("overview", "zh"), ("overview", "en"), ("density", "zh"), ("funding", "en"), ("measures", "zh"),
        ("compare", "zh"), ("data", "en")))
    for word in (*MARK.values(), "未审核", "nobody has reviewed", "◌"):
        assert word not in shown
    assert "已审核：项目维护者 (project maintainers)，2026-11-22" in shown  # who reviewed them, on each card
    for lang in ("zh", "en"):
        prs = Presentation(io.BytesIO(deck.build_pptx(real, ["ganzhou", "jiangsu", "leshan", "quzhou", "xuancheng"], lang)))
        assert "◌" not in "\n".join(slide_texts(prs))


# ---- cards, charts, tables, slides ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_marks_the_draft_beside_its_number_and_never_shows_the_held_one(on_review_data, lang):
    at = run("overview", j="quzhou,luoyang", lang=lang)
    metrics = {(m.label, re.sub(r"^\[(.*)\]\([^)]*\)$", r"\1", m.value)): m.proto.delta for m in at.metric}
    registered = "登记社会组织" if lang == "zh" else "Registered organisations"
    count = DRAFT_SHOWN + ("个" if lang == "zh" else "")
    assert metrics[(registered, count)] == MARK[lang]  # the word right under the number, on its card
    assert metrics[(registered, "3,424个" if lang == "zh" else "3,424")] == ""  # Quzhou: reviewed, no mark
    cards = "\n".join(plain(m.value) for m in at.markdown)
    assert f":orange-badge[◌ {'未审核：尚无人审核此答复' if lang == 'zh' else 'Unreviewed: nobody has reviewed this reply yet'}]" in cards
    captions = "\n".join(plain(c.value) for c in at.caption)
    assert ("已审核：项目维护者 (project maintainers)，2026-11-22" if lang == "zh" else
            "Reviewed by 项目维护者 (project maintainers) on 2026-11-22") in captions
    table = at.dataframe[0].value
    assert any(str(v).endswith(f"#{count} {MARK[lang]}") for v in table.iloc[:, 2])  # the summary table's cell
    shown = everything(at)
    for held in HELD_SHOWN:
        assert held not in shown


def test_density_chart_marks_draft_bars_and_says_what_the_mark_means(on_review_data):
    at = run("density", j="quzhou,luoyang", lang="en")
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    reported = next(t for t in fig["data"] if t["name"] == "Reported" and t.get("x") and t["x"][0] is not None)
    assert dict(zip(reported["x"], reported["text"])) == {"Quzhou": "14.95", "Luoyang": "8.30 ◌"}  # 8.32 on the census rounds to 8.3: reproduced
    markers = [t for t in fig["data"] if t["name"] == MARK["en"] and t.get("x") and t["x"][0] is not None]
    assert sorted(x for t in markers for x in t["x"]) == ["Luoyang", "Luoyang"]  # reported and computed
    assert any(t["name"] == MARK["en"] and t.get("showlegend") for t in fig["data"])  # in the legend
    footnote = next(a["text"] for a in fig["layout"]["annotations"] if a.get("name") == "footnote")
    assert "◌ unreviewed: a number the loader drafted and nobody has checked yet" in footnote.replace("<br>", " ")
    assert MARK["en"] in at.dataframe[0].value.to_csv()  # the table below: its review column
    for held in HELD_SHOWN:
        assert held not in everything(at)


def test_funding_chart_dots_a_draft_bar_and_words_it():
    facts = read_tables(ROOT / "data")["facts"]
    quzhou = facts[facts["jurisdiction"] == "quzhou"].copy()
    draft_id = "c1939"  # 4,545.12万元: pretend nobody vouched for it
    quzhou["is_reviewed"] = quzhou["id"] != draft_id
    fig = charts.make_funding_figure(quzhou, "en")
    bar = next(t for t in fig.data if t.type == "bar" and t.name == "Quzhou")
    i = next(i for i, x in enumerate(bar.text) if "45.45" in x)
    assert bar.text[i] == "CNY 45.45 million · 345 projects ◌ unreviewed"
    assert [s for s in bar.marker.pattern.shape] == ["." if j == i else "" for j in range(len(bar.text))]
    assert "◌ unreviewed" in bar.customdata[i][1]
    assert any(t.name == MARK["en"] and t.showlegend for t in fig.data)
    reviewed = charts.make_funding_figure(facts[facts["jurisdiction"] == "quzhou"], "en")
    assert not any("◌" in x for t in reviewed.data if t.type == "bar" and t.text for x in t.text)


def test_funding_page_and_its_chart_never_show_the_held_amount(on_review_data):
    at = run("funding", j="quzhou,luoyang", lang="zh")
    shown = everything(at)
    for held in HELD_SHOWN:
        assert held not in shown
    assert "洛阳" not in json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["yaxis"]["ticktext"][0]


def test_measures_of_an_unreviewed_reply_are_marked(on_review_data):
    at = run("measures", j="quzhou,luoyang", lang="zh", mj="luoyang", mc="venture_philanthropy")
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert fig["data"][0]["x"] == ["衢州市", "洛阳市<br>◌ 未审核"]
    assert any(":orange-badge[◌ 未审核]" in m.value for m in at.markdown)  # the cell's sentences


def test_compare_marks_the_draft_in_its_cell(on_review_data):
    at = run("compare", j="quzhou,luoyang", lang="zh")
    headline = next(m.value for m in at.markdown if m.value.startswith("| 指标"))
    row = next(line for line in headline.splitlines() if line.startswith("| 登记社会组织"))
    assert re.search(r"\[5,872个\]\([^)]*\) :orange-badge\[◌ 未审核\]", row)
    assert "[3,424个]" in row and row.count("orange-badge") == 1
    assert "◌ 未审核" in plain(next(c.value for c in at.caption if "链接到原文" in plain(c.value)))


def test_data_page_and_downloads_say_which_rows_are_drafts(on_review_data, tables):
    at = run("data", j="quzhou,luoyang", lang="en")
    table = at.dataframe[0].value
    by_reply = dict(zip(table["Reply ID"], table["Review"]))
    assert by_reply == {"quzhou-2023": "reviewed", UNREVIEWED_ID: MARK["en"]}
    assert set(table["Confidence"]) == {"high"}
    tidy = export.tidy_facts(tables["facts"], tables["documents"], indicators=tables["indicators"], lang="zh")
    luoyang = tidy[tidy["record_id"] == UNREVIEWED_ID]
    assert set(luoyang["review"]) == {MARK["zh"]} and set(luoyang["confidence"]) == {"high"}
    assert set(luoyang["reviewed_by"]) == {""} and not luoyang["is_reviewed"].any()
    assert HELD_TEXT not in set(luoyang["number_text"])  # never in a download
    assert set(tidy.loc[tidy["record_id"] == "quzhou-2023", "review"]) == {"已审核"}
    csv = export.to_csv(tidy).decode("utf-8-sig")
    assert f",{MARK['zh']},False,high,,," in csv
    density = export.with_review(tables["density"], "en")
    assert set(density.loc[density["record_id"] == UNREVIEWED_ID, "review"]) == {MARK["en"]}
    measures = export.with_review(tables["measures"], "en")
    assert set(measures.loc[measures["record_id"] == UNREVIEWED_ID, "review"]) == {MARK["en"]}
    assert set(measures.loc[measures["record_id"] == "quzhou-2023", "review"]) == {"reviewed"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sources_lists_the_held_back_fact_apart_with_its_reason(on_review_data, lang):
    at = run("sources", r=UNREVIEWED_ID, lang=lang)
    html = "\n".join(el.proto.body for el in at.get("html"))
    facts_list = re.search(r'<nav aria-label="[^"]*" style=.*?</nav>', html).group(0)
    held_list = re.search(r'<nav aria-label="[^"]*" class="held-facts".*?</nav>', html).group(0)
    assert "860万元" in held_list and HELD_WHY[lang] in held_list.replace("&quot;", '"')
    assert "860万元" not in facts_list and facts_list.count("draft-mark") == 6  # every published fact is a draft
    assert 'id="f-c279"' in html and "outline: 1px dashed" in html  # its number outlined grey in the text
    assert any(plain(m.value) == ("**待审核（未发布）**" if lang == "zh" else "**Held back for review (not published)**")
               for m in at.markdown)
    assert any("尚无人审核此答复" in m.value or "nobody has reviewed this reply" in m.value for m in at.markdown)


def test_sources_of_a_reviewed_reply_names_who_and_when(on_review_data):
    at = run("sources", r="quzhou-2023", lang="zh")
    assert "已审核：项目维护者 (project maintainers)，2026-11-22" in [plain(c.value) for c in at.caption]
    assert "draft-mark" not in "\n".join(el.proto.body for el in at.get("html"))


def slide_texts(prs, notes_of_measures: bool = True) -> list[str]:
    """Every text of a deck: boxes, table cells, chart labels, speaker notes (a measures slide's notes quote whole
    sentences of the replies: left out when notes_of_measures is False)."""
    out = []
    for slide in prs.slides:
        is_measures = any(s.has_table for s in slide.shapes)
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if shape.has_table:
                out += [c.text for row in shape.table.rows for c in row.cells]
            if shape.has_chart:
                for series in shape.chart.plots[0].series:
                    out += [p.data_label.text_frame.text for p, v in zip(series.points, series.values) if v is not None]
                    out += [str(v) for v in series.values if v is not None]
        if notes_of_measures or not is_measures:
            out.append(slide.notes_slide.notes_text_frame.text)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_deck_marks_drafts_with_a_footnote_and_leaves_the_held_number_out(tables, lang):
    prs = Presentation(io.BytesIO(deck.build_pptx(tables, ["quzhou", "luoyang"], lang)))
    texts = slide_texts(prs, notes_of_measures=False)
    joined = "\n".join(texts)
    for held in HELD_SHOWN:
        assert held not in joined
    assert "8.30 ◌" in texts and "8.32 ◌" in texts and "14.95" in texts  # the draft labelled, the reviewed not
    assert review.note(lang) in joined  # the footnote saying what ◌ means
    cover = "\n".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)
    assert ("[luoyang-2022] · 未审核：尚无人审核此答复" if lang == "zh" else
            "[luoyang-2022] · Unreviewed: nobody has reviewed this reply yet") in cover
    slides = deck.make_slides(tables, ["quzhou", "luoyang"], lang)  # the presenter page shows these
    funding = next(s for s in slides if s.key == "funding")
    assert all("洛阳" not in c and "Luoyang" not in c for c in funding.categories)


def test_the_presenter_page_never_shows_the_held_number(on_review_data):
    at = run("present", j="quzhou,luoyang", lang="zh", step="3")  # the funding slide
    assert "资金投入" in json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]
    for held in HELD_SHOWN:
        assert held not in everything(at)


# ---- the workbench -------------------------------------------------------------------------------------------------


@pytest.fixture
def workbench_folder(review_folder, tmp_path, monkeypatch):
    """A copy of the review data (a save writes), the workbench pointed at it, the loader unsure of 860万元."""
    folder = tmp_path / "data"
    shutil.copytree(review_folder, folder)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    with holding_back():
        yield folder


def open_in_workbench(lang: str, record_id: str = UNREVIEWED_ID) -> AppTest:
    at = AppTest.from_file(str(ROOT / "curate.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.radio(key="wb_source").set_value("existing").run()
    at.selectbox(key="wb_record").set_value(record_id).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_workbench_lists_the_held_back_fact_first_with_why_and_never_accepts_it_unticked(workbench_folder, lang):
    at = open_in_workbench(lang)
    table = at.dataframe[0].value
    first = table.iloc[0]
    assert (first["id"], first["number_text"], first["why"], bool(first["accept"])) == ("c279", HELD_TEXT, HELD_WHY[lang], False)
    # Nothing is ticked for the curator: the numbers the loader is sure of wait for a person's tick too.
    assert not table["accept"].any() and (table["why"].iloc[1:] == "").all()
    warnings = [plain(w.value) for w in at.warning]
    assert f"- **860万元** (c279): {HELD_WHY[lang]}" in next(w for w in warnings if "860万元" in w)  # why, in full
    asked = {"zh": "已勾选确认", "en": "Numbers ticked as accepted"}
    assert not any(w.startswith(asked[lang]) for w in warnings)  # nothing ticked: no name asked for
    assert not at.button(key="wb_save").disabled
    at.button(key="wb_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    curation = load_curation(workbench_folder / "curation" / f"{UNREVIEWED_ID}.yaml")
    assert curation.accept_facts == {} and curation.review is None  # a save vouches for nothing unticked
    record = load_record(workbench_folder / "records" / f"{UNREVIEWED_ID}.yaml")
    held = next(f for f in record.facts if f.id == "c279")
    assert (held.confidence, held.hold_reason, held.is_reviewed) == ("low", HELD_REASON, False)
    assert record.reviewed_by == "" and not any(f.is_reviewed for f in record.facts)
    tables = read_tables(workbench_folder)
    assert tables["held_facts"]["id"].tolist() == ["c279"]  # still held back: nobody ticked it


def test_accepting_the_held_back_fact_publishes_it_and_keeps_hand_written_notes(workbench_folder):
    path = workbench_folder / "curation" / f"{UNREVIEWED_ID}.yaml"
    path.write_text(f"record_id: {UNREVIEWED_ID}\naccept_facts:\n  c165: 'checked against the 2021 yearbook'  # by hand\n",
                    encoding="utf-8")
    review_ = curate.open_review(curate.read_existing(workbench_folder, UNREVIEWED_ID), workbench_folder)
    rows = curate.fact_rows(review_)
    assert [r["id"] for r in rows][:2] == ["c279", "c165"] and rows[0]["held"] and not rows[0]["accept"]
    assert rows[1]["reason"] == "checked against the 2021 yearbook"  # the note of the file's acceptance
    rows[0]["accept"], rows[0]["reason"] = True, "公益创投资金 given to organisations: checked"
    rejects, corrections = curate.fact_decisions(review_, rows)
    accepted = curate.accept_decisions(review_, rows, rejects, corrections)
    assert accepted["c165"] == "checked against the 2021 yearbook" and "c279" in accepted
    with pytest.raises(Exception, match="need the reviewer's name"):
        curate.review_mark(review_, accepted, corrections, [], " ", "2026-12-07")
    mark = curate.review_mark(review_, accepted, corrections, [], "王审核", "2026-12-07")
    curate.save_review(review_, curate.Decisions(reject_facts=rejects, correct_facts=corrections, accept_facts=accepted,
                                                 review=mark), workbench_folder)
    text = path.read_text(encoding="utf-8")
    assert "c165: 'checked against the 2021 yearbook'  # by hand" in text  # the hand-written line as it was
    assert "review:\n  by: 王审核\n  date: '2026-12-07'" in text
    tables = read_tables(workbench_folder)
    assert tables["held_facts"].empty
    published = tables["facts"].set_index(["record_id", "id"]).loc[(UNREVIEWED_ID, "c279")]
    assert bool(published["is_reviewed"]) and published["note"] == "公益创投资金 given to organisations: checked"


@pytest.mark.parametrize("record_id", ["ganzhou-2022", "jiangsu-2021", "leshan-2021", "quzhou-2023", "xuancheng-2024"])
def test_a_review_of_a_seed_reply_that_changes_nothing_keeps_its_file_byte_for_byte(record_id):
    folder = ROOT / "data"
    review_ = curate.open_review(curate.read_existing(folder, record_id), folder)
    rows = curate.fact_rows(review_)
    assert all(r["accept"] or r["reject"] or r["id"] in review_.curation.correct_facts for r in rows)
    rejects, corrections = curate.fact_decisions(review_, rows)
    accepted = curate.accept_decisions(review_, rows, rejects, corrections)
    added = curate.added_facts(review_)
    mark = curate.review_mark(review_, accepted, corrections, added, "someone else", "2030-01-01")
    assert mark is None  # nothing new vouched for: the file's review stays
    decisions = curate.Decisions(reject_facts=rejects, correct_facts=corrections, accept_facts=accepted, review=mark,
                                 add_facts=added, reject_measures=curate.measure_decisions(review_, curate.measure_rows(review_)))
    _rid, _curated, text = curate.compose(review_, decisions, folder)
    assert text == (folder / "curation" / f"{record_id}.yaml").read_text(encoding="utf-8")
