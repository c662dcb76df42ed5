"""Several replies from one place as a person sees them (issue 22): the overview card of Quzhou with its newest
figures and the change since 2021-12-31, the time view's line through its three replies whose markers open their
sentences, and the period kept in the URL. Data: our own 2021 and 2022 Quzhou replies imported and built beside the
seeds (tests/over_time.py)."""

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import start_streamlit, stop_streamlit
from tests.browser.test_browser import main_text, url_of, wait_ready
from tests.browser.test_evidence import TIMEOUT, shot


@pytest.fixture(scope="module")
def dashboard(chromium_path, over_time_data):
    url, proc = start_streamlit("dashboard.py", over_time_data)
    yield url
    stop_streamlit(proc)


def test_the_card_shows_the_newest_figures_and_the_change(dashboard, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url_of(dashboard, "overview", "j=quzhou&lang=zh"))
    wait_ready(page)
    text = main_text(page)
    assert "3,424个" in text and "14.95" in text
    assert "本地共3份答复，各项取最新数字（另有：2022-06-28、2021-06-25）" in text
    assert "变化：登记社会组织 +339（较2021-12-31的3,085个）" in text
    shot(page, "over_time_overview_zh")
    href = page.get_by_role("link", name="3,085个").get_attribute("href")
    assert parse_qs(urlparse(href).query) == {"r": ["quzhou-2022"], "f": ["c280"]}  # the 2022 reply's sentence


def test_a_marker_of_the_time_view_opens_its_replys_sentence(dashboard, page):
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(url_of(dashboard, "trends", "j=quzhou,leshan&lang=zh&period=2021-2023"))
    wait_ready(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=TIMEOUT)
    thumbs = page.locator('[data-testid="stSliderThumbValue"]').all_inner_texts()
    assert thumbs == ["2021", "2023"]
    legend = page.locator(".js-plotly-plot").first.inner_text()
    assert "衢州市" in legend and "乐山市" in legend
    shot(page, "over_time_trends_zh")
    # Quzhou's markers: 2021-12-31 (3,085) and 2023-05-31 (3,424) in this period; the first opens the 2022 reply.
    traces = page.locator(".js-plotly-plot").first.locator("g.trace.scatter")
    counts = [traces.nth(i).locator("path.point").count() for i in range(traces.count())]
    assert sorted(counts) == [1, 2]  # Leshan (2021-08-20) and Quzhou, in the order the places are sorted
    markers = traces.nth(counts.index(2)).locator("path.point")
    box = markers.first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/sources?**", timeout=TIMEOUT)
    wait_ready(page)
    query = parse_qs(urlparse(page.url).query)
    assert (query["r"], query["f"]) == (["quzhou-2022"], ["c280"])
    assert "3085家" in page.locator("#f-c280").inner_text()
