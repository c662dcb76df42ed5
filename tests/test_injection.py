"""Issue 21 (7-9): every page of the router, every presenter slide and every download, in both languages, on tables
whose every text field is hostile (tests/hostile_tables.py): no link, image, icon, emoji, formula or markup is made of
the data, and every file opens with the data's characters in it, kept or visibly replaced.

What each format does with a control character (app/safe.py): CSV and JSON keep every character; XLSX and PPTX (XML
1.0) show each C0 control but tab and line feed as its Control Picture (\\f as ␌) and a carriage return as a line feed
(office_text); charts and PNG slides show the pictures too (escape_plot). The browser's own view of the same data is
tests/browser/test_sources_marks.py.
"""

import io
import json
import shutil
import zipfile

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from app import deck
from app.data import read_tables
from app.safe import escape_text
from conftest import ROOT
from hostile_tables import (CLOSERS, CONTROLS, PAYLOAD, PAYLOAD_IN_XML, figure_strings, markdown_problems, plot_problems,
                            poison_tables, router_pages)
from test_dashboard_hostile import html_bodies, markdown_bodies, plot_strings


PAGES = router_pages()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A copy of data/ (its tables as built) with every table made hostile. The hostile reply, curation file and file
    name of test_dashboard_hostile are walked there and in the browser test (which also has these tables)."""
    folder = tmp_path_factory.mktemp("injection") / "data"
    shutil.copytree(ROOT / "data", folder)
    renamed = poison_tables(folder)
    return folder, renamed


@pytest.fixture(scope="module")
def tables(hostile):
    return read_tables(hostile[0])


def places(tables) -> list[str]:
    return list(dict.fromkeys(tables["documents"]["jurisdiction"]))


def pair(renamed) -> list[str]:
    """Quzhou and Leshan (both state a count and a density: every slide, the pair's too), by their hostile slugs."""
    return [renamed["quzhou"], renamed["leshan"]]


# HTML we send (st.html, unsafe_allow_html): the data's tags arrive as &lt;...&gt; text.
HTML_FROM_DATA = ("<b>evil", "<i>evil", "<img src=x", "<script>alert", '<a href="https://evil', "<a href='https://evil")


def problems(at: AppTest) -> list[str]:
    found = [p for body in markdown_bodies(at) for p in markdown_problems(body)]
    for body in html_bodies(at):
        found += [f"html {s!r} in {body[:100]!r}" for s in HTML_FROM_DATA if s in body]
    found += plot_problems(plot_strings(at))
    return found


def check_file(name: str, blob: bytes) -> None:
    """A download opens in the reader its users have, and holds the data's text: CSV and JSON every character
    (PAYLOAD whole), XLSX and PPTX with what XML cannot hold visibly replaced (PAYLOAD_IN_XML whole); both followed by
    the CLOSERS of the bidirectional controls it left open."""
    if name.endswith(".csv"):
        frame = pd.read_csv(io.BytesIO(blob), encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert any(str(v).endswith(PAYLOAD + CLOSERS) for v in frame.to_numpy().ravel()), name
    elif name.endswith(".json"):
        rows = json.loads(blob)
        assert any(isinstance(v, str) and v.endswith(PAYLOAD + CLOSERS) for row in rows for v in row.values()), name
    elif name.endswith(".xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(blob))
        cells = [c.value for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert any(v.endswith(PAYLOAD_IN_XML + CLOSERS) for v in cells), name
    elif name.endswith(".pptx"):
        check_deck(Presentation(io.BytesIO(blob)), blob)
    elif name.endswith(".zip"):  # the full data: every table as CSV
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            for inner in z.namelist():
                if inner.endswith(".csv"):
                    check_file(inner, z.read(inner))
    else:
        raise AssertionError(f"a download of a kind this test does not open: {name}")


def check_downloads(files: dict) -> None:
    """Every file a page offers, made as a click would make it, then opened. The slides as PNGs (a ZIP named
    social-orgs_…) take Chromium seconds to draw: made once, in test_png_slides_of_hostile_tables."""
    for name, make in files.items():
        if not (name.startswith("social-orgs_") and name.endswith(".zip")):
            check_file(name, make())


def slide_texts(slide) -> list[str]:
    """Every text of a slide: text boxes, table cells, chart categories, series names and data labels, notes."""
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        if shape.has_table:
            texts += [cell.text for row in shape.table.rows for cell in row.cells]
        if shape.has_chart:
            plot = shape.chart.plots[0]
            texts += [str(c) for c in plot.categories] + [s.name for s in plot.series]
            texts += [p.data_label.text_frame.text for s in plot.series for p in s.points
                      if p.data_label.has_text_frame]
    return texts + [slide.notes_slide.notes_text_frame.text]


def check_deck(prs, blob: bytes) -> None:
    """Every slide (the title slide too) names places or replies: each holds the tables' text whole."""
    for i, slide in enumerate(prs.slides):
        assert any(PAYLOAD_IN_XML + CLOSERS in text for text in slide_texts(slide)), i
    with zipfile.ZipFile(io.BytesIO(blob)) as z:  # no hyperlink anywhere in the file (slides, charts, notes)
        assert not [n for n in z.namelist() if n.endswith(".xml") and b"hlinkClick" in z.read(n)]


def collect_downloads(monkeypatch) -> dict:
    """file name -> the callable that makes it, for every deferred download a page offers."""
    made = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        made[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return made


def walk(at: AppTest, page: str, files: dict) -> AppTest:
    """The router's run (its first page is the overview), then page: only page's downloads are kept in files."""
    at.run()
    if page != "overview":
        files.clear()
        at.switch_page(f"pages/{page}.py").run()
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", [p for p in PAGES if p != "present"])
def test_every_page_shows_hostile_tables_as_text(hostile, tables, monkeypatch, page, lang):
    folder, renamed = hostile
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    files = collect_downloads(monkeypatch)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    slugs = places(tables)
    at.query_params.update({"lang": lang, "j": ",".join(slugs), "a": slugs[0], "b": slugs[1],
                            "r": tables["documents"]["record_id"].iloc[0]})
    at = walk(at, page, files)
    assert not at.exception, at.exception
    assert at.title and problems(at) == []
    if page in SHOW_PAYLOAD_IN_MARKDOWN:  # as text, character for character
        assert escape_text(PAYLOAD) in "\n".join(markdown_bodies(at)), page
    check_downloads(files)


# The pages whose Markdown holds a table's text whole (names, issuers, quotes); the others draw theirs in charts and
# data grids only.
SHOW_PAYLOAD_IN_MARKDOWN = {"overview", "density", "measures", "compare", "sources"}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("selection", ["pair", "every"])
def test_every_presenter_slide_shows_hostile_tables_as_text(hostile, tables, monkeypatch, selection, lang):
    folder, renamed = hostile
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    files = collect_downloads(monkeypatch)
    slugs = pair(renamed) if selection == "pair" else places(tables)
    slides = deck.make_slides(tables, slugs, lang)
    assert [s.key for s in slides][:3] == ["density", "density_community", "funding"]
    assert len(slides) == (5 if selection == "pair" else 4)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params.update({"lang": lang, "j": ",".join(slugs), "present": "1"})
    at.run()  # the router opens a presenter link on the slides
    for step, slide in enumerate(slides, 1):
        at.query_params["step"] = str(step)
        at.run()
        assert not at.exception, (step, at.exception)
        shown = "\n".join(m.value for m in at.markdown)
        assert f"{step} / {len(slides)}" in shown or f"{step} of {len(slides)}" in shown
        assert problems(at) == [], step
        # The takeaway names places (and, on the funding slide, periods and areas) as the tables give them: each
        # through the one function, so its text is on the slide character for character.
        takeaway = deck.takeaway_markdown(slide.takeaway)
        assert takeaway in shown and escape_text(PAYLOAD) in takeaway, step
    check_downloads(files)


def test_every_slide_figure_and_the_title_slide_are_plotly_text(tables, hostile):
    """The PNG slides' figures (deck.cover_figure, deck.slide_figure): no tag of the data reaches Plotly."""
    for lang in ("zh", "en"):
        for slugs in (pair(hostile[1]), places(tables)):
            figs = [deck.cover_figure(tables, slugs, lang)]
            figs += [deck.slide_figure(deck.figure_for(s.key, tables, slugs, lang, s), s, lang)
                     for s in deck.make_slides(tables, slugs, lang)]
            for fig in figs:
                strings = figure_strings(fig)
                assert plot_problems(strings) == []
                # Control characters as their pictures (a form feed as ␌), none left for the picture to drop.
                assert not any(ch in s for s in strings for ch in CONTROLS[:31] if ch not in "\t\n\r"), lang
                assert any("\u240c" in s for s in strings), lang


@pytest.mark.skipif(not deck.can_make_pngs(), reason="slide pictures need kaleido and a local Chromium")
def test_png_slides_of_hostile_tables(tables, hostile):
    from PIL import Image

    with zipfile.ZipFile(io.BytesIO(deck.build_png_zip(tables, pair(hostile[1]), "en"))) as z:
        assert len(z.namelist()) == 6
        for name in z.namelist():
            assert Image.open(io.BytesIO(z.read(name))).size == (1920, 1080)
