"""Many replies from many places: every page stays bounded (and says what it left out), unknown places and
odd encodings do not crash, the tables are cached without copies and downloads are made only when clicked."""

import hashlib
import html
import io
import json
import os
import re
import shutil

import openpyxl
import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from app import data, export
from app.limits import MAX_BARS, MAX_PLACES, MAX_TABLE_ROWS
from conftest import ROOT

N_PLACES = 300
TABLES_BY_RECORD = ("facts", "measures", "density", "distinctive_terms")


def _read(path):
    # Everything as the text written, so the copies are byte-for-byte like the loader's output.
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def build_many_places(dest):
    """A copy of data/ whose tables hold the five real replies, then N_PLACES invented places (each a copy of one
    real reply under a new slug and name; the first ten with a second reply), then one reply whose place is
    unknown (empty names, the way the loader writes it)."""
    shutil.copytree(ROOT / "data", dest)
    tables = dest / "tables"
    docs = _read(tables / "documents.csv")
    by_record = {name: _read(tables / f"{name}.csv") for name in TABLES_BY_RECORD}
    population = _read(tables / "population.csv")
    real = docs.to_dict("records")
    new_docs, new_rows, new_pop = [], {name: [] for name in TABLES_BY_RECORD}, []

    def copy_reply(source: dict, slug: str, rid: str, name_zh: str, name_en: str, **extra):
        doc = {**source, "record_id": rid, "jurisdiction": slug, "jurisdiction_name_zh": name_zh,
               "jurisdiction_name_en": name_en, "source_file": f"data/raw/{rid}.txt", **extra}
        new_docs.append(doc)
        for name, frame in by_record.items():
            part = frame[frame["record_id"] == source["record_id"]].copy()
            part["record_id"], part["jurisdiction"] = rid, slug
            if "jurisdiction_zh" in part.columns:
                part["jurisdiction_zh"] = name_zh
            new_rows[name].append(part)
        shutil.copyfile(dest / "raw" / f"{source['record_id']}.txt", dest / "raw" / f"{rid}.txt")

    for i in range(N_PLACES):
        source = real[i % len(real)]
        slug = f"{source['jurisdiction']}{i:03d}"
        copy_reply(source, slug, f"{slug}-2020", f"{source['jurisdiction_name_zh']}{i:03d}",
                   f"{source['jurisdiction_name_en']} {i:03d}")
        if i < 10:
            second = real[(i + 1) % len(real)]
            copy_reply(second, slug, f"{slug}-2025", f"{source['jurisdiction_name_zh']}{i:03d}",
                       f"{source['jurisdiction_name_en']} {i:03d}")
        pop = population[population["jurisdiction"] == source["jurisdiction"]].copy()
        pop["jurisdiction"] = slug
        new_pop.append(pop)
    quzhou = next(d for d in real if d["jurisdiction"] == "quzhou")
    copy_reply(quzhou, "unknown", "unknown-2023", "", "", jurisdiction_level="", jurisdiction_province_zh="",
               jurisdiction_province_en="")
    pd.concat([docs, pd.DataFrame(new_docs)]).to_csv(tables / "documents.csv", index=False)
    for name, frame in by_record.items():
        pd.concat([frame, *new_rows[name]]).to_csv(tables / f"{name}.csv", index=False)
    pd.concat([population, *new_pop]).to_csv(tables / "population.csv", index=False)
    return dest


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    return build_many_places(tmp_path_factory.mktemp("many") / "data")


@pytest.fixture(scope="module")
def every_slug(many):
    return list(dict.fromkeys(_read(many / "tables" / "documents.csv")["jurisdiction"]))


def run(path, data_dir, monkeypatch, **query) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    at = AppTest.from_file(str(ROOT / path), default_timeout=120)
    at.query_params.update(query)
    return at.run()


def page(name, data_dir, monkeypatch, **query) -> AppTest:
    at = run(f"pages/{name}.py", data_dir, monkeypatch, **query)
    assert not at.exception, at.exception
    return at


def figures(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def footnote(fig: dict) -> str:
    return next(a["text"] for a in fig["layout"]["annotations"] if a.get("name") == "footnote").replace("<br>", " ")


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


# ---- the sidebar -------------------------------------------------------------------------------------------


def test_sidebar_defaults_to_a_short_list_and_says_so(many, every_slug, monkeypatch):
    at = run("dashboard.py", many, monkeypatch)
    assert not at.exception
    chosen = at.sidebar.multiselect(key="w_j").value
    assert chosen == every_slug[:MAX_PLACES]  # the first places in reply order
    assert len(at.sidebar.multiselect(key="w_j").options) == len(every_slug) == N_PLACES + 6
    assert f"数据中共有 {len(every_slug)} 个地区，默认只选前 {MAX_PLACES} 个" in texts(at.sidebar.caption)
    assert "j" not in at.query_params  # the default stays out of the URL
    # A link still picks any places, also ones past the default.
    picked = [every_slug[200], "quzhou"]
    at = run("dashboard.py", many, monkeypatch, j=",".join(picked), lang="en")
    assert at.sidebar.multiselect(key="w_j").value == picked
    at.switch_page("pages/density.py").run()
    assert at.sidebar.multiselect(key="w_j").value == picked
    assert "the first 12 (in reply order) are selected by default" in texts(at.sidebar.caption)


def test_real_data_keeps_every_place_selected_without_a_note(monkeypatch):
    monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30).run()
    assert len(at.sidebar.multiselect(key="w_j").value) == 5
    assert "默认只选" not in texts(at.sidebar.caption)


# ---- every page bounded with every place selected ------------------------------------------------------------


@pytest.fixture(scope="module")
def all_query(every_slug):
    return {"j": ",".join(every_slug)}


def test_overview_cards_are_bounded_and_the_table_lists_every_place(many, every_slug, all_query, monkeypatch):
    at = page("overview", many, monkeypatch, **all_query)
    cards = [m for m in at.metric if m.label == "登记社会组织"]
    assert len(cards) == MAX_PLACES
    assert f"只为所选 {len(every_slug)} 个地区中的前 {MAX_PLACES} 个显示卡片" in texts(at.info)
    table = at.dataframe[0].value
    assert len(table) == len(every_slug)  # one row per place, also for the places without a card
    assert "未提及" in set(table["每万人（答复所述）"])  # not stated, never 0
    assert len(at.get("download_button")) == 2  # the table's CSV and the slides (PPTX)


def test_overview_card_of_a_place_with_many_amounts_is_bounded(many, monkeypatch):
    # Ten copies of Quzhou's funding under one place: 60+ amounts, 10 lines and a pointer to the funding page.
    facts = _read(many / "tables" / "facts.csv")
    quzhou = facts[(facts["record_id"] == "quzhou-2023") & (facts["indicator"] == "funding")]
    data_dir = many.parent / "one_rich_place"
    shutil.copytree(many, data_dir)
    extra = pd.concat([quzhou] * 10)
    extra["id"] = [f"c9{i:05d}" for i in range(len(extra))]  # fact ids are unique within a reply (app.data checks)
    pd.concat([facts, extra]).to_csv(data_dir / "tables" / "facts.csv", index=False)
    at = page("overview", data_dir, monkeypatch, j="quzhou", lang="en")
    lines = [line for m in at.markdown for line in str(m.value).split("\n") if line.startswith("- ")]
    assert len(lines) == 11 and lines[-1].startswith("- … and ") and "see the Funding page" in lines[-1]


def test_funding_figure_bars_are_bounded_and_the_cut_is_named(many, all_query, monkeypatch):
    at = page("funding", many, monkeypatch, lang="en", **all_query)
    fig = figures(at)[0]
    bars = [y for tr in fig["data"] if tr["type"] == "bar" for y in tr["y"]]
    assert 0 < len(bars) <= MAX_BARS
    assert len(fig["layout"]["yaxis"]["tickvals"]) == len(bars)
    note = footnote(fig)
    assert f"Too many amounts for one chart: {MAX_BARS} of " in note and "Places with no amount drawn:" in note
    assert re.search(r"and [\d,]+ more", note)  # the list of places is itself bounded
    assert "more replies" in note  # so is the source line
    # Each place's largest amount comes before any place's second one: the first places all have a bar.
    assert len({tr["name"] for tr in fig["data"] if tr["type"] == "bar"}) == MAX_BARS
    table = at.dataframe[0].value
    assert len(table) <= MAX_TABLE_ROWS


def test_measures_heatmap_terms_and_table_are_bounded(many, every_slug, all_query, monkeypatch):
    at = page("measures", many, monkeypatch, lang="en", **all_query)
    heat = figures(at)[0]["data"][0]
    assert heat["type"] == "heatmap" and len(heat["x"]) == MAX_PLACES
    assert all(len(row) == MAX_PLACES for row in heat["z"])
    note = footnote(figures(at)[0])
    assert f"Only the first {MAX_PLACES} of the {len(every_slug)} selected places are shown" in note
    assert "select at most 12 places in the sidebar" in note
    table = at.dataframe[0].value
    assert len(table) == MAX_TABLE_ROWS
    assert re.search(r"Showing 1,000 of [\d,]+ rows; download for all\.", texts(at.caption))
    # Distinctive terms: one column per place for the first places only, the others named.
    assert f"Only the first {MAX_PLACES} of the {len(every_slug)} selected places are shown" in texts(at.info)
    # The cell picker still offers every place, also those the matrix leaves out.
    assert len(at.selectbox(key="w_mj").options) == len(every_slug)


def test_density_figure_is_bounded(many, every_slug, all_query, monkeypatch):
    at = page("density", many, monkeypatch, lang="en", **all_query)
    for fig in figures(at):
        assert len(fig["layout"]["xaxis"]["categoryarray"]) == MAX_PLACES
        assert f"Only the first {MAX_PLACES} of the {len(every_slug)} selected places are shown" in footnote(fig)
    assert "more selected places, not in the chart, report a density that cannot be reproduced" in texts(at.warning)
    assert len(at.dataframe[0].value) <= MAX_TABLE_ROWS


def test_data_page_sends_at_most_the_bound_and_says_so(many, all_query, monkeypatch):
    at = page("data", many, monkeypatch, **all_query)
    assert len(at.dataframe[0].value) == MAX_TABLE_ROWS
    total = len(_read(many / "tables" / "facts.csv"))
    assert f"表中只显示前 1,000 行（共 {total:,} 行）；下载文件包含全部行。" in texts(at.caption)
    assert len(at.get("download_button")) == 7  # and the ZIP of every table
    at = page("data", many, monkeypatch, lang="en", **all_query)
    assert f"Showing 1,000 of {total:,} rows; download for all." in texts(at.caption)


def test_present_reuses_the_bounded_figures(many, all_query, monkeypatch):
    for step in ("1", "3", "5"):
        at = page("present", many, monkeypatch, step=step, **all_query)
        fig = figures(at)[0]
        heat = [tr for tr in fig["data"] if tr["type"] == "heatmap"]
        bars = [y for tr in fig["data"] if tr["type"] == "bar" and tr.get("orientation") == "h" for y in tr["y"]]
        assert len(bars) <= MAX_BARS
        assert all(len(h["x"]) <= MAX_PLACES for h in heat)
        if step == "1":
            assert len(fig["layout"]["xaxis"]["categoryarray"]) == MAX_PLACES


@pytest.mark.parametrize("name", ["compare", "sources"])
def test_other_pages_run_with_every_place(many, all_query, monkeypatch, name):
    at = page(name, many, monkeypatch, **all_query)
    assert at.title


# ---- unknown places ----------------------------------------------------------------------------------------


def test_empty_names_read_as_the_slug(many):
    tables = data.read_tables(many)
    docs = tables["documents"]
    unknown = docs[docs["jurisdiction"] == "unknown"].iloc[0]
    assert unknown["name_zh"] == "unknown" and unknown["name_en"] == "unknown"
    assert unknown["jurisdiction_name_zh"] == "" and unknown["jurisdiction_level"] == ""
    assert data.names(tables, "zh")["unknown"] == "unknown"
    facts = tables["facts"]
    assert set(facts.loc[facts["jurisdiction"] == "unknown", "name_zh"]) == {"unknown"}
    assert facts["jurisdiction_zh"].map(type).eq(str).all()  # "" for the unknown place, never NaN


@pytest.mark.parametrize("name", ["funding", "sources", "overview", "compare", "present", "data", "density", "measures"])
def test_a_place_without_a_name_does_not_crash(many, monkeypatch, name):
    at = page(name, many, monkeypatch, j="unknown,quzhou", a="unknown", b="quzhou", r="unknown-2023", step="3")
    if name == "funding":
        labels = [y for tr in figures(at)[0]["data"] if tr["type"] == "bar" for y in tr["y"]]
        assert any(label.startswith("unknown · ") for label in labels)
    if name == "sources":
        assert at.selectbox(key="w_r").value == "unknown-2023"
        assert '<mark id="f-' in "\n".join(h.proto.body for h in at.get("html"))  # reply text: st.html
    if name == "overview":
        assert "unknown" in texts(at.subheader)
        assert not re.search(r"\bnan\b", texts(at.markdown) + texts(at.subheader), flags=re.I)


# ---- the cache -----------------------------------------------------------------------------------------------


def test_tables_are_shared_not_copied_and_pages_do_not_modify_them(monkeypatch):
    monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)
    for name in ("overview", "density", "funding", "measures", "compare", "sources", "data", "present"):
        at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=30).run()
        assert not at.exception
    first, second = data.load_tables(), data.load_tables()
    assert first is second  # one object for every rerun and session, no deserialised copy
    fresh = data.read_tables(ROOT / "data")
    for name, frame in fresh.items():
        if isinstance(frame, pd.DataFrame):
            pd.testing.assert_frame_equal(first[name], frame)


def test_a_rebuild_invalidates_the_cache(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path / "data"))
    before = data.load_tables()
    facts = tmp_path / "data" / "tables" / "facts.csv"
    stat = facts.stat()
    os.utime(facts, (stat.st_atime, stat.st_mtime + 10))  # what a rebuild does to the stamp
    after = data.load_tables()
    assert after is not before and after is data.load_tables()


# ---- downloads made on click -----------------------------------------------------------------------------------


@pytest.fixture
def deferred(monkeypatch):
    """Record the callables download buttons register, and count calls of the export functions."""
    made: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        made[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    calls = []
    for fn in ("to_csv", "to_json", "to_xlsx", "to_xlsx_with_sources", "to_xlsx_described", "to_zip"):
        real = getattr(export, fn)
        monkeypatch.setattr(export, fn, lambda *a, _real=real, _fn=fn, **k: (calls.append(_fn), _real(*a, **k))[1])
    return made, calls


def test_downloads_are_made_only_when_clicked(deferred, monkeypatch):
    made, calls = deferred
    monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)
    at = AppTest.from_file(str(ROOT / "pages" / "data.py"), default_timeout=30)
    at.query_params.update(j="quzhou,leshan")
    at.run()
    assert not at.exception
    assert calls == []  # nothing was generated by drawing the page
    assert sorted(made) == sorted([
        "facts_quzhou-leshan.csv", "facts_quzhou-leshan.xlsx", "facts_quzhou-leshan.json",
        "facts_all.csv", "facts_all.xlsx", "facts_all.json", "social-orgs_all-tables.zip"])
    # What a click would deliver: the same checked files as before.
    body = made["facts_quzhou-leshan.csv"]()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = pd.read_csv(io.BytesIO(body), encoding="utf-8-sig")
    assert set(rows["jurisdiction"]) == {"quzhou", "leshan"}
    assert any("每万人拥有14.95家" in q for q in rows["quote_clean"])
    book = openpyxl.load_workbook(io.BytesIO(made["facts_quzhou-leshan.xlsx"]()))
    assert book.sheetnames == ["data", "sources", "columns"]
    sources = " ".join(str(c.value) for row in book["sources"].iter_rows() for c in row if c.value)
    assert "乐山市民政局" in sources and "衢州市民政局" in sources and "quzhou, leshan" in sources
    assert len(json.loads(made["facts_all.json"]())) == len(pd.read_csv(ROOT / "data" / "tables" / "facts.csv"))
    assert calls == ["to_csv", "to_xlsx_described", "to_json"]


@pytest.mark.parametrize("name, expected", [
    ("overview", "overview_ganzhou-jiangsu-leshan-quzhou-xuancheng.csv"),
    ("density", "density_ganzhou-jiangsu-leshan-quzhou-xuancheng_census.csv"),
    ("funding", "funding_ganzhou-jiangsu-leshan-quzhou-xuancheng_stated.csv"),
    ("compare", "compare_leshan-quzhou.csv"),  # the most comparable pair (app.views.most_comparable_pair)
])
def test_page_downloads_keep_their_names_and_are_deferred(deferred, monkeypatch, name, expected):
    made, calls = deferred
    monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=30).run()
    assert not at.exception
    # The overview also offers the slides (.pptx, deferred too: tests/test_deck.py).
    assert calls == [] and [n for n in made if not n.endswith(".pptx")] == [expected]
    assert made[expected]().startswith(b"\xef\xbb\xbf")


# ---- raw replies decoded like the loader ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def odd_encodings(tmp_path_factory):
    """A copy of data/ with a sixth reply saved as GB18030 with CRLF line ends (built into the tables), then two
    files changed after the build: one re-saved as UTF-8 with a BOM, one replaced by a PDF."""
    from loaders.__main__ import main as loaders_main

    dest = tmp_path_factory.mktemp("encodings") / "data"
    shutil.copytree(ROOT / "data", dest)
    text = (ROOT / "data" / "raw" / "quzhou-2023.txt").read_text(encoding="utf-8")
    (dest / "raw" / "quzhou-2024.txt").write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    assert loaders_main(["--data", str(dest), "build", "--quiet"]) == 0
    ganzhou = (dest / "raw" / "ganzhou-2022.txt").read_bytes()
    (dest / "raw" / "ganzhou-2022.txt").write_bytes(b"\xef\xbb\xbf" + ganzhou)
    (dest / "raw" / "leshan-2021.txt").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    return dest


def marked(at) -> list[str]:
    """The text of every highlighted sentence (a tinted span holding its numbers' marks; pages/sources.py)."""
    body = "\n".join(h.proto.body for h in at.get("html") if "<mark" in h.proto.body)  # reply text: st.html
    found = []
    for m in re.finditer(r'<span style="background: #(?:FFF6D5|FFE066)">', body):
        depth, pos = 1, m.end()
        for tag in re.finditer(r"<(/?)span\b[^>]*>", body[pos:]):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                found.append(html.unescape(re.sub(r"<[^>]+>", "", body[pos:pos + tag.start()])))
                break
    return found


def test_a_gb18030_crlf_reply_shows_its_text_and_highlights(odd_encodings, monkeypatch):
    at = page("sources", odd_encodings, monkeypatch, j="quzhou", r="quzhou-2024")
    assert not at.warning
    facts = data.read_tables(odd_encodings)["facts"]
    quotes = facts.loc[facts["record_id"] == "quzhou-2024", "quote_clean"].tolist()
    assert len(quotes) > 10
    marks = marked(at)
    # Every highlight covers its fact's sentence exactly where the loader found it, not a few characters off.
    for quote in quotes:
        assert any(quote in m for m in marks), quote
    assert "每万人拥有14.95家" in "".join(marks)


def test_a_reply_resaved_after_the_build_is_shown_with_a_warning(odd_encodings, monkeypatch):
    at = page("sources", odd_encodings, monkeypatch, j="ganzhou", r="ganzhou-2022", lang="en")
    assert "changed after the tables were built" in texts(at.warning)
    assert marked(at)  # a BOM is not part of the text: the highlights are still in place
    facts = data.read_tables(odd_encodings)["facts"]
    for quote in facts.loc[facts["record_id"] == "ganzhou-2022", "quote_clean"]:
        assert any(quote in m for m in marked(at)), quote


def test_a_raw_file_that_is_not_text_is_a_message(odd_encodings, monkeypatch):
    for lang, words in (("en", "cannot be read as text (is a PDF document"), ("zh", "无法作为文本读取")):
        at = page("sources", odd_encodings, monkeypatch, j="leshan", r="leshan-2021", lang=lang)
        message = re.sub(r"\\(.)", r"\1", texts(at.warning))  # file names are escaped Markdown (app.safe)
        assert "data/raw/leshan-2021.txt" in message and words in message and "python -m loaders build" in message
        assert not marked(at)


def test_real_replies_match_their_checksums(monkeypatch):
    # The sources page warns when a raw file differs from the one the tables were built from; never for data/.
    docs = data.read_tables(ROOT / "data")["documents"]
    for rid, sha in zip(docs["record_id"], docs["sha256"]):
        assert hashlib.sha256((ROOT / "data" / "raw" / f"{rid}.txt").read_bytes()).hexdigest() == sha


def test_document_fields_a_reply_does_not_state_show_as_not_stated():
    from app import views

    docs = data.read_tables(ROOT / "data")["documents"]
    assert docs["document_session"].map(type).eq(str).all()  # "" for the replies without one, never NaN
    shown = views.readable(docs, "en")
    assert set(shown["Session"]) == {"not stated", "市八届人大三次会议"}
    assert not shown["Session"].isna().any()
