"""Review state as a person sees it in Chromium (issue 20): a draft says 未审核 / unreviewed beside its number, a
held-back number is on no card, chart or slide but in the Sources page's held-back list and first in the workbench
with why; ticking it there (with a reviewer's name) publishes it on the running dashboard.

One dashboard and one workbench (tests/browser/curate_held.py: the loader unsure of 860万元) on one data folder
(tests/review_data.py); the tests run in order on one worker (tests/conftest.py ONE_WORKER): the last one saves."""

import time

import pytest

from loaders.records import load_curation
from review_data import DRAFT_SHOWN, HELD_SHOWN, HELD_TEXT, HELD_WORDS, UNREVIEWED_ID, make_review_data
from tests.browser.conftest import SCREENSHOTS, start_streamlit, stop_streamlit
from tests.browser.test_browser import main_text, url_of, wait_ready
from tests.browser.test_workbench_browser import _TEXTS_OF, choose, edit_cell, focus_grid, settle

WORD = {"zh": "未审核", "en": "unreviewed"}
WHY = {"zh": f"金额的用途不明（「{HELD_WORDS}」），不一定是对社会组织的资金投入，请核对",
       "en": f"What the amount is (「{HELD_WORDS}」) is unclear: it may not be money given to organisations; check"}
# Each metric's text, and where its value and its delta (the draft mark) are drawn.
METRICS_JS = """() => Array.from(document.querySelectorAll('[data-testid="stMetric"]')).map(m => {
  const v = m.querySelector('[data-testid="stMetricValue"]'), d = m.querySelector('[data-testid="stMetricDelta"]');
  const box = e => { if (!e) return null; const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; };
  return {text: m.innerText, value: box(v), delta: box(d), color: d ? getComputedStyle(d).color : ''};
})"""
GRID_ROWS_JS = """() => Array.from(document.querySelector('[data-testid="stDataFrame"]').querySelectorAll('[role=row]'))
  .map(r => Array.from(r.querySelectorAll('[role=gridcell],[role=columnheader]')).map(c => c.textContent))"""


@pytest.fixture(scope="module")
def servers(chromium_path, tmp_path_factory):
    folder = make_review_data(tmp_path_factory.mktemp("review_browser") / "data")
    dashboard, dash_proc = start_streamlit("dashboard.py", folder)
    workbench, wb_proc = start_streamlit("tests/browser/curate_held.py", folder)
    yield folder, dashboard, workbench
    stop_streamlit(wb_proc)
    stop_streamlit(dash_proc)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_draft_says_so_beside_its_number_and_the_held_number_is_on_no_card(servers, page, lang):
    _folder, dashboard, _workbench = servers
    page.goto(url_of(dashboard, "overview", f"j=quzhou,luoyang&lang={lang}"))
    wait_ready(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"review_overview_{lang}_1280x720.png"))
    metrics = page.evaluate(METRICS_JS)
    draft = next(m for m in metrics if DRAFT_SHOWN in m["text"])
    assert WORD[lang] in draft["text"] and "◌" in draft["text"]
    # The word right under the number, in the mark's orange, within the number's width.
    assert 0 <= draft["delta"]["y"] - (draft["value"]["y"] + draft["value"]["h"]) < 20
    assert abs(draft["delta"]["x"] - draft["value"]["x"]) < 5 and draft["color"] != "rgb(49, 51, 63)"
    reviewed = next(m for m in metrics if "3,424" in m["text"])
    assert WORD[lang] not in reviewed["text"] and reviewed["delta"] is None
    text = main_text(page)
    assert ("未审核：尚无人审核此答复" if lang == "zh" else "Unreviewed: nobody has reviewed this reply yet") in text
    assert ("已审核：项目维护者 (project maintainers)，2026-11-22" if lang == "zh" else
            "Reviewed by 项目维护者 (project maintainers) on 2026-11-22") in text.replace("\u2060", "")
    for held in HELD_SHOWN:
        assert held not in text
    assert page.console_errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_sources_page_lists_the_held_number_apart_with_why(servers, page, lang):
    _folder, dashboard, _workbench = servers
    page.goto(url_of(dashboard, "sources", f"r={UNREVIEWED_ID}&lang={lang}"))
    wait_ready(page)
    held = page.locator("nav.held-facts")
    held.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"review_sources_{lang}_1280x720.png"))
    assert HELD_TEXT in held.inner_text() and WHY[lang] in held.inner_text()
    heading = "待审核（未发布）" if lang == "zh" else "Held back for review (not published)"
    assert page.get_by_text(heading, exact=True).is_visible()
    facts = page.locator('[data-testid="stMain"] nav').first.inner_text()
    assert HELD_TEXT not in facts and facts.count(WORD[lang]) == 6  # each published number of the reply: a draft
    # In the text: the drafts underlined with dashes, the held-back number outlined grey (not as a published one).
    styles = page.evaluate("""() => ({
      held: getComputedStyle(document.getElementById('f-c279')).outlineStyle,
      draft: getComputedStyle(document.getElementById('f-c165')).borderBottomStyle})""")
    assert styles == {"held": "dashed", "draft": "dashed"}
    assert page.locator("#f-c279").inner_text() == HELD_TEXT


def test_charts_and_slides_draw_the_draft_mark_and_never_the_held_number(servers, page):
    _folder, dashboard, _workbench = servers
    page.goto(url_of(dashboard, "density", "j=quzhou,luoyang&lang=zh"))
    wait_ready(page)
    svg = page.locator(".js-plotly-plot").first.inner_text()
    assert "8.32 ◌" in svg and "14.95" in svg and "◌ 未审核" in svg  # on the draft bar, in the legend
    for name, query in (("funding", "j=quzhou,luoyang&lang=zh"), ("present", "j=quzhou,luoyang&lang=en&step=3")):
        page.goto(url_of(dashboard, name, query))
        wait_ready(page)
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
        text = main_text(page) + " ".join(page.locator(".js-plotly-plot").all_inner_texts())
        for held in HELD_SHOWN:
            assert held not in text, name
        assert "洛阳" not in text and "Luoyang" not in text, name  # Luoyang's only amount is held back


def test_the_workbench_lists_the_held_number_first_and_ticking_it_publishes_it(servers, page):
    folder, dashboard, workbench = servers
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{workbench}/?lang=zh")
    page.get_by_text("审核已有答复", exact=True).click()
    settle(page)
    choose(page, "答复", UNREVIEWED_ID, UNREVIEWED_ID)
    page.get_by_text("数字事实", exact=True).wait_for(timeout=30_000)
    settle(page)
    # The grid draws its rows a moment after the run on a loaded machine (8 Dec, three workers): wait for them.
    page.wait_for_function(f"() => {{ const rows = ({GRID_ROWS_JS})(); return rows.length > 1 && rows[1].length > 5; }}",
                           timeout=30_000)
    rows = page.evaluate(GRID_ROWS_JS)
    # Headers in words; each number beside its sentence with the number marked.
    assert rows[0][:6] == ["事实编号", "数字原文", "确认", "剔除", "待审核原因", "原文句子（数字已标出）"]
    assert rows[1][:5] == ["c279", HELD_TEXT, "false", "false", WHY["zh"]]  # first, with why, not accepted
    assert f"【{HELD_TEXT}】" in rows[1][5]
    assert [r[2] for r in rows[2:]] == ["false"] * (len(rows) - 2)  # nothing is ticked for the curator
    assert WHY["zh"] in page.locator('[data-testid="stAlert"]').first.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "review_workbench_zh_1400x1000.png"))

    page.get_by_text("将写入的审核文件").click()
    settle(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    focus_grid(page, grid)
    # Tick accept on the held-back number: toggled again only if the grid itself does not show it ticked (an edit
    # made while a rerun redraws the grid can be lost; a slow rerun must not untick it).
    for _ in range(3):
        if page.evaluate(GRID_ROWS_JS)[1][2] == "true":
            break
        edit_cell(page, grid, 0, 2)
        page.wait_for_timeout(500)
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=\"stCode\"]')]"
                           ".some(e => e.innerText.includes(\"c279: ''\"))", timeout=30_000)
    # The rerun that disables 保存 can land a moment after the preview under load: wait for it, then check it.
    page.wait_for_function("() => [...document.querySelectorAll('button')].some(b => b.innerText.trim() === '保存' "
                           "&& b.disabled)", timeout=30_000)
    assert page.get_by_role("button", name="保存", exact=True).is_disabled()  # nobody named to vouch for it yet
    reviewer = page.get_by_label("审核人（确认数字时必填）")
    reviewer.fill("王审核")
    reviewer.press("Enter")
    settle(page)
    page.get_by_role("button", name="保存", exact=True).click()
    # Saved when the curation file says so: the page's "已保存" shows for one run only, and a late rerun (the grid
    # or the name field sending its last event) can replace it before it is read.
    path = folder / "curation" / f"{UNREVIEWED_ID}.yaml"
    deadline = time.monotonic() + 60
    documents = folder / "tables" / "documents.csv"  # the tables are rebuilt after the file is written
    while not (path.exists() and "c279" in load_curation(path).accept_facts and "王审核" in documents.read_text()):
        if time.monotonic() > deadline:  # say what the page says (an error, a warning), not only that it timed out
            pytest.fail("the save never wrote c279; the page says: "
                        + page.evaluate(_TEXTS_OF, '[data-testid="stAlert"], [data-testid="stButton"]'))
        page.wait_for_timeout(300)
    settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert load_curation(path).review.by == "王审核"

    # The dashboard (running all along) shows it now, vouched for: no draft mark after it, the reviewer named; the
    # numbers nobody ticked stay marked drafts.
    page.goto(url_of(dashboard, "overview", "j=luoyang&lang=zh"))
    wait_ready(page)
    text = main_text(page).replace("\u2060", "")
    assert "公益创投：860万元（2021年）\n" in text and "已审核：王审核" in text
    assert f"登记社会组织\n\n5,872个\n\n◌ {WORD['zh']}" in text  # nobody ticked it: still a draft
