"""The review workbench in Chromium: add an unseen reply, set its place, correct, reject and add a fact, save; the
running dashboard (another process, same data folder) then shows the new place on every page."""

import shutil
import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.browser.conftest import ROOT, start_streamlit, stop_streamlit
from loaders.records import load_curation, load_record

YUNNAN = ROOT / "tests" / "fixtures" / "unseen" / "01_yunnan_province_npc.txt"
DASHBOARD_PAGES = ["overview", "density", "funding", "measures", "compare", "sources", "data", "present"]
ROW_HEIGHT = 35  # Streamlit's data editor: header and rows


@pytest.fixture
def servers(tmp_path, chromium_path):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    dashboard, dash_proc = start_streamlit("dashboard.py", folder)
    workbench, wb_proc = start_streamlit("curate.py", folder)
    yield folder, dashboard, workbench
    stop_streamlit(wb_proc)
    stop_streamlit(dash_proc)


def settle(pg, ms: int = 800) -> None:
    """Let Streamlit finish the rerun a change started."""
    pg.wait_for_timeout(ms)
    pg.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30000)


def choose(pg, label: str, typed: str, option: str) -> None:
    box = pg.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    pg.keyboard.type(typed)
    pg.get_by_role("option").filter(has_text=option).first.click()
    settle(pg)


def focus_grid(pg, grid) -> None:
    """The first click on the grid after a dropdown closed only gives it the focus."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    pg.mouse.click(box["x"] + 10, box["y"] + ROW_HEIGHT + ROW_HEIGHT // 2)
    pg.wait_for_timeout(300)
    pg.keyboard.press("Escape")
    settle(pg)


def edit_cell(pg, grid, row: int, col: int, text: str | None = None) -> None:
    """Move to a cell with the keyboard from the top-left one; type into it, or toggle it (a checkbox)."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    pg.mouse.click(box["x"] + 10, box["y"] + ROW_HEIGHT + ROW_HEIGHT // 2)
    pg.wait_for_timeout(200)
    for _ in range(col):
        pg.keyboard.press("ArrowRight")
    for _ in range(row):
        pg.keyboard.press("ArrowDown")
    if text is None:
        pg.keyboard.press("Space")
    else:
        # Enter opens the grid's overlay editor (a textarea in #portal); typing before it is there is lost.
        pg.keyboard.press("Enter")
        editor = pg.locator("#portal textarea, #portal input").first
        editor.wait_for(state="visible", timeout=5000)
        editor.fill(text)
        editor.press("Enter")
    settle(pg)  # each committed edit reruns the script; keys pressed meanwhile would be lost


# Read in one step in the page: a rerun may redraw the messages between a count and a read, and a locator of an
# element that went away waits its whole timeout.
_TEXTS_OF = "(sel) => Array.from(document.querySelectorAll(sel)).map(e => e.innerText).join(' ')"


def preview(pg) -> str:
    """The curation file the workbench would write (its expander is opened once and stays open)."""
    return pg.evaluate(_TEXTS_OF, '[data-testid="stCode"]')


def page_text(pg) -> str:
    """The curation preview and the messages above it."""
    return pg.evaluate(_TEXTS_OF, '[data-testid="stAlert"]') + " " + preview(pg)


def edit_until(pg, grid, row: int, col: int, text: str | None, shows: str) -> None:
    """An edit, repeated (at most three times) until the page shows it: an edit typed while the previous rerun
    redraws the grid can be lost."""
    for _ in range(3):
        edit_cell(pg, grid, row, col, text)
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            if shows in page_text(pg):
                return
            pg.wait_for_timeout(300)
    pytest.fail(f"the edit of row {row}, column {col} never showed {shows!r} in the curation preview")


def test_add_review_and_save_a_reply_then_every_page_shows_it(servers, browser, tmp_path, monkeypatch):
    folder, dashboard, workbench = servers
    reply = tmp_path / "yunnan_reply.txt"
    shutil.copy(YUNNAN, reply)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    pg = context.new_page()
    pg.goto(f"{workbench}/?lang=en")
    pg.get_by_role("button", name="Read the reply").wait_for(timeout=30000)
    pg.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(reply))
    settle(pg, 1500)
    pg.get_by_role("button", name="Read the reply").click()
    pg.get_by_text("Facts", exact=True).wait_for(timeout=30000)
    settle(pg)

    choose(pg, "Jurisdiction (national gazetteer)", "云南省", "云南省 yunnan")
    # Facts in text order (the loader is sure of each, none held back): row 4 is c334 (62个 incubation bases, no
    # period), row 8 is c641 (3万个). Columns: id, number_text, accept, reject, reason, indicator, ... (no column of
    # why a number is held back: none is).
    pg.get_by_text("Curation file to be written").click()
    settle(pg)
    grid = pg.locator('[data-testid="stDataFrame"]').first
    focus_grid(pg, grid)
    edit_until(pg, grid, 4, 11, "2020-12-31", "period_end: '2020-12-31'")  # period_end
    edit_until(pg, grid, 4, 4, "as of the end of 2020, like the paragraph's other counts", "paragraph's other counts")
    edit_until(pg, grid, 8, 3, None, "rejected without a reason")  # reject: refused until it has its reason
    edit_until(pg, grid, 8, 4, "a target for 2025, not a count", "c641: a target for 2025, not a count")
    choose(pg, "Sentence", "1862", "1862个")
    choose(pg, "Indicator", "social_orgs_total", "(social_orgs_total)")
    choose(pg, "Period kind", "as_of", "as_of")
    as_of = pg.get_by_label("As of (date or year)")
    as_of.fill("2020-12-31")
    as_of.press("Enter")
    settle(pg)
    note = pg.get_by_label("Note", exact=True)
    note.fill("registered at the provincial level")
    note.press("Enter")
    settle(pg)
    pg.get_by_role("button", name="Add this fact").click()
    settle(pg)
    # Nothing is ticked for the curator; the correction and the added fact are vouched for by who made them.
    reviewer = pg.get_by_label("Reviewer (required to accept numbers)")
    reviewer.fill("Test Reviewer")
    reviewer.press("Enter")
    settle(pg)
    pg.get_by_role("button", name="Save", exact=True).click()
    pg.get_by_text("Saved yunnan-2021").wait_for(timeout=60000)

    curation = load_curation(folder / "curation" / "yunnan-2021.yaml")
    assert curation.reject_facts == {"c641": "a target for 2025, not a count"}
    assert curation.review.by == "Test Reviewer" and curation.accept_facts == {}  # nobody ticked a number
    assert {k: v.model_dump(exclude_unset=True) for k, v in curation.correct_facts.items()} == {
        "c334": {"period_end": "2020-12-31", "note": "as of the end of 2020, like the paragraph's other counts"}}
    assert [(a.indicator, a.number_text, a.period_kind, a.period_end) for a in curation.add_facts] == [
        ("social_orgs_total", "1862个", "as_of", "2020-12-31")]
    assert (folder / "raw" / "yunnan-2021.txt").read_bytes() == YUNNAN.read_bytes()
    record = load_record(folder / "records" / "yunnan-2021.yaml")
    by_id = {f.id: f for f in record.facts}
    assert "c641" not in by_id
    assert (by_id["c334"].source, by_id["c334"].period_end) == ("corrected", "2020-12-31")
    assert (by_id["c385"].source, by_id["c385"].value) == ("added", 1862.0)
    assert "yunnan-2021,yunnan,云南省" in (folder / "tables" / "documents.csv").read_text()

    # The dashboard was started before the save and never restarted: it sees the new tables by their file times.
    dash = context.new_page()
    dash.goto(f"{dashboard}/?lang=en")
    dash.locator('[data-testid="stSidebar"]').get_by_text("Yunnan").first.wait_for(timeout=30000)
    dash.goto(f"{dashboard}/sources?lang=en&r=yunnan-2021")
    dash.get_by_text("data/raw/yunnan-2021.txt").first.wait_for(timeout=30000)  # the Sources page's origin list
    context.close()

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    for name in DASHBOARD_PAGES:
        at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=60)
        at.query_params["j"] = "yunnan"
        at.run()
        assert not at.exception, name
        assert at.sidebar.multiselect[0].value == ["yunnan"], name
