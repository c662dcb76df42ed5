"""The review workbench in Chromium: add an unseen reply, set its place, correct, reject and add a fact, save; the
running dashboard (another process, same data folder) then shows the new place on every page."""

import shutil
import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.browser.conftest import ROOT, start_streamlit, stop_streamlit
from loaders.records import load_curation, load_record

YUNNAN = ROOT / "tests" / "fixtures" / "unseen" / "01_yunnan_province_npc.txt"
DASHBOARD_PAGES = ["overview", "density", "trends", "funding", "measures", "compare", "sources", "data", "present"]
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
    redraws the grid can be lost. Each waits up to 20 s for the rerun (with three test workers on two cores a
    rerun took longer than the 8 s it once waited)."""
    for _ in range(3):
        edit_cell(pg, grid, row, col, text)
        deadline = time.monotonic() + 20
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
    # period), row 8 is c641 (3万个). Columns: id, number_text, accept, reject (pinned), sentence, reason,
    # indicator, ... (no column of why a number is held back: none is).
    pg.get_by_text("Curation file to be written").click()
    settle(pg)
    grid = pg.locator('[data-testid="stDataFrame"]').first
    focus_grid(pg, grid)
    edit_until(pg, grid, 4, 12, "2020-12-31", "period_end: '2020-12-31'")  # period_end
    edit_until(pg, grid, 4, 5, "as of the end of 2020, like the paragraph's other counts", "paragraph's other counts")
    edit_until(pg, grid, 8, 3, None, "rejected without a reason")  # reject: refused until it has its reason
    edit_until(pg, grid, 8, 5, "a target for 2025, not a count", "c641: a target for 2025, not a count")
    choose(pg, "Sentence", "1862", "1862个")
    choose(pg, "Indicator", "social_orgs_total", "(social_orgs_total)")
    choose(pg, "Period kind", "as of", "as of a date")
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


# --- issue 21: nothing a curator wrote is lost, as a person sees it ------------------------------------------------

LUOYANG = ROOT / "tests" / "fixtures" / "unseen" / "11_luoyang_prefecture_npc.txt"


@pytest.fixture
def workbench_only(tmp_path, chromium_path):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    url, proc = start_streamlit("curate.py", folder)
    yield folder, url
    stop_streamlit(proc)


def open_stored(pg, url: str, record_id: str, with_preview: bool = True) -> None:
    pg.goto(f"{url}/?lang=en")
    pg.get_by_text("Review a stored reply").click()
    settle(pg)
    choose(pg, "Record", record_id, record_id)
    if with_preview:
        open_preview(pg, "Curation file to be written")


def open_preview(pg, label: str) -> None:
    """Open the expander of the curation file to be written, once the rerun that draws it is over (until then the
    previous run's copy may still be on the page beside it)."""
    pg.wait_for_function("(label) => Array.from(document.querySelectorAll('[data-testid=\"stExpander\"] summary'))"
                         ".filter(e => e.innerText.includes(label)).length === 1", arg=label, timeout=30000)
    settle(pg)
    # Found and clicked in one step, while it is the only one: a late rerun can draw a second copy between a count and
    # a click (fresh clone, 8 Dec).
    pg.wait_for_function("(label) => { const s = Array.from(document.querySelectorAll('[data-testid=\"stExpander\"] "
                         "summary')).filter(e => e.innerText.includes(label)); if (s.length !== 1) return false; "
                         "s[0].click(); return true; }", arg=label, timeout=30000)
    settle(pg)


def wait_for_text(pg, text: str, timeout: float = 30) -> None:
    """Wait until a message on the page says text (Markdown's word joiners, app/safe.py, left out)."""
    deadline = time.monotonic() + timeout
    while text not in page_text(pg).replace("\u2060", ""):
        if time.monotonic() > deadline:
            pytest.fail(f"the page never said {text!r}")
        pg.wait_for_timeout(300)


def visible(pg, text: str) -> bool:
    return pg.get_by_text(text).count() > 0 and pg.get_by_text(text).first.is_visible()


def test_hand_edits_a_second_session_a_stored_reply_and_a_population_row_as_a_curator_sees_them(workbench_only, browser,
                                                                                                 tmp_path):
    """Two tabs on quzhou-2023 while its file is edited by hand: the first says the file changed, shows the hand edits
    in what it will write and keeps them on Save; the second, whose rejection the first already changed, is told which
    field and cannot save. Leshan's reply uploaded again opens as its record. A population row is checked, waits for
    Save and is written with the reply; no "has no population row" stays above it. Then every byte of data/."""
    from loaders.__main__ import main as loaders_main
    from tests.curation_edits import HAND_COMMENT, data_bytes, hand_edit

    folder, url = workbench_only
    before = data_bytes(folder)
    path = folder / "curation" / "quzhou-2023.yaml"
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    first, second = context.new_page(), context.new_page()
    open_stored(first, url, "quzhou-2023")
    open_stored(second, url, "quzhou-2023", with_preview=False)  # its messages are what it shows of the file
    edited = hand_edit(path)

    # Rows in text order, none held back: c315 (2133家) is row 2; column 3 is reject, 5 its reason.
    first.bring_to_front()
    grid = first.locator('[data-testid="stDataFrame"]').first
    focus_grid(first, grid)
    edit_until(first, grid, 2, 3, None, "rejected without a reason")
    edit_until(first, grid, 2, 5, "counted twice in the first tab", "c315: counted twice in the first tab")
    assert visible(first, "The curation file was changed since this page opened it")
    assert HAND_COMMENT.strip() in preview(first) and "c299: by hand, the 2022 figure restated" in preview(first)
    first.get_by_role("button", name="Save", exact=True).click()
    first.get_by_text("Saved quzhou-2023").wait_for(timeout=60000)
    saved = path.read_text(encoding="utf-8")
    assert sorted(set(saved.splitlines()) - set(edited.splitlines())) == ["  c315: counted twice in the first tab"]
    assert sorted(set(edited.splitlines()) - set(saved.splitlines())) == ["  c315: ''"]

    second.bring_to_front()
    grid = second.locator('[data-testid="stDataFrame"]').first
    focus_grid(second, grid)
    edit_until(second, grid, 2, 3, None, "rejected without a reason")
    edit_until(second, grid, 2, 5, "the reason of the second tab", "reject_facts.c315 was changed in the file")
    assert ("reject_facts.c315 was changed in the file since this page read it (now 'counted twice in the first tab') "
            "and on this page ('the reason of the second tab'); nothing written") in page_text(second).replace("\u2060", "")
    assert second.get_by_role("button", name="Save", exact=True).count() == 0
    assert path.read_text(encoding="utf-8") == saved

    # Leshan's reply uploaded again as a new one: the page opens leshan-2021, its rejections and all.
    reply = tmp_path / "leshan-2021.txt"
    shutil.copy(folder / "raw" / "leshan-2021.txt", reply)
    first.goto(f"{url}/?lang=en")
    first.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(reply))
    settle(first, 1500)
    first.get_by_role("button", name="Read the reply").click()
    first.get_by_text("leshan-2021.txt is the reply already stored as leshan-2021").wait_for(timeout=30000)
    open_preview(first, "Curation file to be written")
    assert 'c383: "The same density stated as a lower bound' in preview(first)  # its curation, as the file has it

    # Luoyang, in Chinese: its 2020 census is its base already, so the form waits folded for a year-end figure; a bad
    # row is refused on the page, a good one waits for 保存 and goes with it.
    luoyang = tmp_path / "luoyang.txt"
    shutil.copy(LUOYANG, luoyang)
    first.goto(f"{url}/?lang=zh")
    first.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(luoyang))
    settle(first, 1500)
    first.get_by_role("button", name="读取答复").click()
    first.get_by_text("洛阳市已有人口数据（census 2020-11-01 (population_census2020.csv)）").wait_for(timeout=30000)
    assert not visible(first, "还没有人口数据")
    first.get_by_text("洛阳市已有人口数据").click()
    population = folder / "reference" / "population.csv"
    form = first.get_by_test_id("stForm")
    date = form.get_by_label("日期（YYYY-MM-DD）", exact=True)
    # Filled and sent again (at most three times) until the page answers: a rerun still running from the upload can
    # redraw the form under the typing on a loaded machine (fresh clone, 8 Dec).
    for attempt in range(3):
        settle(first)
        date.fill("2021-13-31")
        form.get_by_label("人口（人）", exact=True).fill("7056700")
        form.get_by_label("来源", exact=True).fill("洛阳市2021年国民经济和社会发展统计公报")
        first.get_by_role("button", name="添加人口数据（随答复一并保存）").click()
        try:
            wait_for_text(first, "population row: date: '2021-13-31' is not a date (write YYYY-MM-DD, e.g. 2020-11-01)",
                          timeout=20 if attempt < 2 else 30)
            break
        except pytest.fail.Exception:
            if attempt == 2:
                raise
    assert population.read_bytes() == before["reference/population.csv"]
    date.fill("2021-12-31")
    first.get_by_role("button", name="添加人口数据（随答复一并保存）").click()
    first.get_by_text("待保存的人口数据").wait_for(timeout=30000)
    assert not visible(first, "洛阳市已有人口数据")
    assert population.read_bytes() == before["reference/population.csv"] and not (folder / "raw" / "luoyang-2022.txt").exists()
    first.get_by_role("button", name="保存", exact=True).click()
    first.get_by_text("已保存 luoyang-2022").wait_for(timeout=60000)
    settle(first)
    assert not visible(first, "待保存的人口数据")
    context.close()

    after = data_bytes(folder)
    assert not [p for p in after if any(part.startswith(".") for part in p.split("/"))]
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    assert [p for p in changed if not p.startswith(("records/", "tables/"))] == [
        "curation/luoyang-2022.yaml", "curation/quzhou-2023.yaml", "raw/luoyang-2022.txt", "raw_manifest.csv",
        "reference/population.csv"]
    assert after["curation/quzhou-2023.yaml"].decode() == saved
    assert after["reference/population.csv"] == before["reference/population.csv"] + \
        "luoyang,洛阳市,year_end_resident,2021-12-31,7056700,false,洛阳市2021年国民经济和社会发展统计公报\n".encode()
    assert loaders_main(["--data", str(folder), "build", "-q"]) == 0
    assert data_bytes(folder) == after  # the workbench's rebuilds are a full build's, byte for byte
    assert loaders_main(["--data", str(folder), "check", "-q"]) == 0
