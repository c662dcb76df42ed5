"""Presenter mode in a real Chromium: keys and the browser's Back step through the slides; type and layout on screen."""

import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import SCREENSHOTS, SIZES
from tests.browser.test_browser import TIMEOUT, url_of, wait_ready

POSITION = re.compile(r"Slide (\d+) of (\d+)")


def position(pg) -> tuple[int, int]:
    text = pg.locator('.st-key-present_bar').inner_text()
    found = POSITION.search(text)
    assert found, text
    return int(found.group(1)), int(found.group(2))


def url_step(pg) -> int:
    return int(parse_qs(urlparse(pg.url).query).get("step", ["1"])[0])


def wait_for_slide(pg, i: int) -> None:
    pg.wait_for_function(f"() => document.querySelector('.st-key-present_bar')?.innerText.includes('Slide {i} of')",
                         timeout=TIMEOUT)
    wait_ready(pg)
    assert position(pg)[0] == i and url_step(pg) == i, (position(pg), pg.url)


def test_keys_and_back_move_between_slides(server, page):
    page.goto(url_of(server, "present", "present=1&lang=en&j=quzhou,leshan"))
    wait_ready(page)
    step, n = position(page)
    assert step == 1 and n == 5  # two densities, funding, measures, Quzhou against Leshan
    page.mouse.click(5, 300)  # focus on the page, as a presenter's first click
    page.keyboard.press("ArrowRight")
    wait_for_slide(page, 2)
    page.keyboard.press("PageDown")
    wait_for_slide(page, 3)
    page.keyboard.press("PageUp")
    wait_for_slide(page, 2)
    page.keyboard.press("End")
    wait_for_slide(page, n)
    page.keyboard.press("ArrowRight")  # past the last slide: stays
    page.wait_for_timeout(500)
    assert position(page)[0] == n
    page.keyboard.press("Home")
    wait_for_slide(page, 1)
    page.keyboard.press("ArrowLeft")  # before the first: stays
    page.wait_for_timeout(500)
    assert position(page)[0] == 1
    # Back undoes one move at a time: Home (from n), End (from 2), PageUp (from 3).
    page.go_back()
    wait_for_slide(page, n)
    page.go_back()
    wait_for_slide(page, 2)
    page.go_back()
    wait_for_slide(page, 3)
    page.go_forward()
    wait_for_slide(page, 2)
    # A button click is a history entry too.
    page.get_by_role("button", name="Next ▶").click()
    wait_for_slide(page, 3)
    page.go_back()
    wait_for_slide(page, 2)
    assert not page.console_errors, page.console_errors


def test_keys_are_ignored_while_typing_in_a_widget(server, page):
    page.goto(url_of(server, "present", "lang=en&j=quzhou,leshan"))  # not in presenter mode: the sidebar is open
    wait_ready(page)
    page.locator('[data-testid="stSidebar"] input[role="combobox"]').first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(800)
    assert position(page)[0] == 1


SMALLEST_TEXT_JS = """() => {
  let small = [];
  for (const el of document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot text, [data-testid="stMain"] p')) {
    if (!el.textContent.trim() || !el.getClientRects().length) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 18) small.push(size + 'px: ' + el.textContent.slice(0, 40));
  }
  return small;
}"""


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_slides_are_readable_and_screenshotted(server, page, lang, size):
    w, h = SIZES[size]
    page.set_viewport_size({"width": w, "height": h})
    page.goto(url_of(server, "present", f"present=1&lang={lang}"))
    wait_ready(page)
    n = position(page)[1] if lang == "en" else None
    SCREENSHOTS.mkdir(exist_ok=True)
    i = 1
    while True:
        # Plotly draws after the run ends: under load a slide's chart can come a moment after wait_ready (fresh clone,
        # 1 Dec); a slide that never gets its chart times out here.
        page.wait_for_selector(".st-key-slide .js-plotly-plot .main-svg", timeout=TIMEOUT)
        # The previous slide's chart can linger a moment beside the new one on a loaded machine (7 Dec, three
        # workers): one chart, then measure it, in the same step (a rerun can replace it between two calls).
        chart = page.wait_for_function(
            "() => { const c = document.querySelectorAll('.st-key-slide .js-plotly-plot');"
            " if (c.length !== 1) return null; const r = c[0].getBoundingClientRect();"
            " return r.height > 0 ? {y: r.y, height: r.height} : null; }", timeout=TIMEOUT).json_value()
        page.screenshot(path=str(SCREENSHOTS / f"present_{lang}_{size}_{i}.png"))
        assert chart["y"] < h - 200, (i, chart)  # the chart starts well above the fold
        if size == "1920x1080":
            assert page.evaluate(SMALLEST_TEXT_JS) == [], i
        # By its words: the keys' caption beside the position has a (?) button of its own.
        nxt = page.locator('.st-key-present_bar button').filter(has_text=re.compile("Next|下一张"))
        if nxt.is_disabled():
            break
        # The Next button (the keys have tests of their own below): a key pressed while a rerun redraws the bar
        # could be lost on a loaded machine (fresh clone, 8 Dec), and the walk is about what each slide shows.
        nxt.click()
        i += 1
        page.wait_for_function(f"() => new URL(location.href).searchParams.get('step') === '{i}'", timeout=TIMEOUT)
        page.wait_for_timeout(300)
        wait_ready(page)
    assert n is None or i == n


TEXT_SIZES_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    if (![...el.childNodes].some(c => c.nodeType === 3 && c.textContent.trim()) || !el.getClientRects().length) continue;
    out.push([parseFloat(getComputedStyle(el).fontSize), !!el.closest('h1'), el.textContent.trim().slice(0, 30)]);
  }
  return out;
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_presenter_mode_title_is_the_largest_text_of_an_ordinary_page(server, page, lang):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(url_of(server, "overview", f"present=1&lang={lang}"))
    page.wait_for_url(re.compile(r"/present"), timeout=TIMEOUT)  # a presenter link opens once on the slides
    wait_ready(page)
    # Then to the overview through the sidebar's menu, as a presenter would: still in presenter mode.
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    page.locator('[data-testid="stSidebarNav"] a').first.click()
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"stMetric\"]').length > 0", timeout=TIMEOUT)
    wait_ready(page)
    sizes = page.evaluate(TEXT_SIZES_JS)
    title = max(size for size, is_title, _ in sizes if is_title)
    assert [x for x in sizes if not x[1] and x[0] >= title] == []
